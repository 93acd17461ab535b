"""URLs of the management reports."""

from django.urls import path

from aftersales.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.report_dashboard, name="report-dashboard"),
    path("reports/complaints/", views.complaint_ledger, name="report-complaints"),
    path("reports/summaries/", views.summary_list, name="report-summary-list"),
    path("reports/summaries/<int:pk>/", views.summary_detail, name="report-summary-detail"),
    path("reports/<slug:slug>/", views.report_show, name="report-show"),
]
