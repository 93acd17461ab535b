from django.urls import path

from aftersales.servicedesk import steps, views
from aftersales.steps import record_page, run_step

app_name = "servicedesk"

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_create, name="case-create"),
    path("cases/new/search/", views.intake_search, name="case-intake-search"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/do/<slug:step>/", run_step, {"workflow": steps.CASE}, name="case-step"),
    path("cases/<int:pk>/acceptance.pdf", views.case_acceptance_pdf, name="case-acceptance-pdf"),
    path("cases/coordination/<int:pk>.pdf", views.coordination_sheet_pdf, name="coordinationsheet-pdf"),
    path("warranty-lookup/", views.warranty_lookup, name="warranty-lookup"),
    path("documents/", views.document_list, name="document-list"),
    path("documents/<int:pk>/", record_page, {"workflow": steps.DOCUMENT}, name="document-detail"),
    path("documents/<int:pk>/do/<slug:step>/", run_step, {"workflow": steps.DOCUMENT}, name="document-step"),
    path("documents/file/<int:pk>/", views.document_file, name="document-file"),
    path("sla/", views.sla_board, name="sla-board"),
]
