from django.urls import path

from aftersales.steps import run_step
from warranty import steps, views

app_name = "warranty"

ENTITY_PATHS = {
    "sheet": "sheets",
    "part": "parts",
    "appraisal": "appraisals",
    "supplierclaim": "supplier-claims",
    "customerclaim": "customer-claims",
    "incident": "incidents",
    "action": "actions",
}

urlpatterns = [
    path("quarantine/", views.quarantine, name="quarantine"),
    path("sheets/new/", views.sheet_create, name="sheet-create"),
    path("sheets/<int:pk>/print/", views.sheet_print, name="sheet-print"),
    path("parts/new/", views.part_create, name="part-create"),
    path("parts/<int:pk>/tag/", views.part_tag, name="part-tag"),
    path("appraisals/<int:pk>/print/", views.appraisal_print, name="appraisal-print"),
    path("customer-claims/new/", views.customer_claim_create, name="customerclaim-create"),
    path("incidents/new/", views.incident_create, name="incident-create"),
    path("incidents/<int:pk>/print/", views.incident_print, name="incident-print"),
    path("incidents/<int:pk>/feedback/print/", views.incident_feedback_print, name="incident-feedback-print"),
    path("actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/print/", views.action_print, name="action-print"),
]
WORKFLOWS = {w.url_name.removeprefix("warranty:").removesuffix("-step"): w for w in steps.WORKFLOWS}
for _key, _prefix in ENTITY_PATHS.items():
    urlpatterns += [
        path(f"{_prefix}/", views.list_view(_key), name=f"{_key}-list"),
        path(f"{_prefix}/<int:pk>/", views.detail_view(_key), name=f"{_key}-detail"),
        path(f"{_prefix}/<int:pk>/do/<slug:step>/", run_step, {"workflow": WORKFLOWS[_key]}, name=f"{_key}-step"),
    ]
