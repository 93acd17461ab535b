"""URLs of factory repair, replacement and return, under /warranty/ beside the warranty app's."""

from django.urls import path

from aftersales.steps import run_step
from warranty.repairs import steps, views

app_name = "repairs"

PATHS = {"repair": "factory-repairs", "replacement": "replacements", "return": "product-returns"}

WORKFLOWS = {"repair": steps.REPAIR, "replacement": steps.REPLACEMENT, "return": steps.RETURN}

urlpatterns = [path("repair-parts/<int:ct>/<int:pk>/add/", views.part_add, name="repairpart-add")]
for _key, _prefix in PATHS.items():
    urlpatterns += [
        path(f"{_prefix}/", views.list_view(_key), name=f"{_key}-list"),
        path(f"{_prefix}/new/", views.create_view(_key), name=f"{_key}-create"),
        path(f"{_prefix}/<int:pk>/", views.detail_view(_key), name=f"{_key}-detail"),
        path(f"{_prefix}/<int:pk>/do/<slug:step>/", run_step, {"workflow": WORKFLOWS[_key]}, name=f"{_key}-step"),
        path(f"{_prefix}/<int:pk>/print/", views.print_view(_key), name=f"{_key}-print"),
    ]
