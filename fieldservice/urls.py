from django.urls import path

from aftersales.steps import run_step
from fieldservice import steps, views

app_name = "fieldservice"

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("new/", views.job_create, name="job-create"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/support/new/", views.support_create, name="support-create"),
    path("support/<int:pk>/decide/", views.support_decide, name="support-decide"),
    path("support/<int:pk>/pdf/", views.support_pdf, name="support-pdf"),
    path("<int:pk>/trip/pdf/", views.trip_pdf, name="trip-pdf"),
    path("<int:pk>/report/", views.report_create, name="report-create"),
    path("<int:pk>/do/<slug:step>/", run_step, {"workflow": steps.JOB}, name="job-step"),
    path("<int:pk>/form-a/", views.form_a_open, name="forma-open"),
    path("form-a/<int:pk>/", views.form_a_edit, name="forma-edit"),
    path("form-a/<int:pk>/task/", views.form_a_sign_task, name="forma-sign-task"),
    path("form-a/<int:pk>/sign-content/", views.form_a_sign_content, name="forma-sign-content"),
    path("form-a/<int:pk>/reopen/", views.form_a_reopen, name="forma-reopen"),
    path("form-a/<int:pk>/handover/", views.form_a_handover, name="forma-handover"),
    path("form-a/<int:pk>/link/", views.form_a_link, name="forma-link"),
    path("form-a/<int:pk>/revise/", views.form_a_revise, name="forma-revise"),
    path("form-a/<int:pk>/pdf/", views.form_a_pdf, name="forma-pdf"),
    path("form-a/sign/<str:token>/", views.form_a_tablet_sign, name="forma-tablet-sign"),
    path("<int:pk>/form-b/", views.form_b_edit, name="formb-edit"),
    path("<int:pk>/form-b/submit/", views.form_b_submit, name="formb-submit"),
    path("<int:pk>/form-b/review/", views.form_b_review, name="formb-review"),
    path("<int:pk>/form-b/approve/", views.form_b_approve, name="formb-approve"),
    path("<int:pk>/form-b/send-back/", views.form_b_send_back, name="formb-send-back"),
    path("<int:pk>/form-b/pdf/", views.form_b_pdf, name="formb-pdf"),
    path("<int:pk>/expenses/new/", views.expense_create, name="expense-create"),
    path("expenses/<int:pk>/reimburse/", views.expense_reimburse, name="expense-reimburse"),
    path("blank/<str:which>/", views.blank_pdf, name="blank-pdf"),
    path("verify/<uuid:code>/", views.job_verify, name="job-verify"),
]
