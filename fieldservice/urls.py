from django.urls import path

from aftersales.steps import record_page, run_step
from fieldservice import steps, views

app_name = "fieldservice"

# Each record: its page and its declared steps (fieldservice/steps.py), both served by the workflow.
JOB = {"workflow": steps.JOB}
SUPPORT = {"workflow": steps.SUPPORT_REQUEST}
FORM_A = {"workflow": steps.FORM_A}
FORM_B = {"workflow": steps.FORM_B}
EXPENSE = {"workflow": steps.EXPENSE}

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("new/", views.job_create, name="job-create"),
    path("<int:pk>/", record_page, JOB, name="job-detail"),
    path("<int:pk>/do/<slug:step>/", run_step, JOB, name="job-step"),
    path("<int:pk>/trip/pdf/", views.trip_pdf, name="trip-pdf"),
    path("support/<int:pk>/", record_page, SUPPORT, name="support-detail"),
    path("support/<int:pk>/do/<slug:step>/", run_step, SUPPORT, name="support-step"),
    path("support/<int:pk>/pdf/", views.support_pdf, name="support-pdf"),
    path("form-a/<int:pk>/", record_page, FORM_A, name="forma-detail"),
    path("form-a/<int:pk>/do/<slug:step>/", run_step, FORM_A, name="forma-step"),
    path("form-a/<int:pk>/handover/", views.form_a_handover, name="forma-handover"),
    path("form-a/<int:pk>/link/", views.form_a_link, name="forma-link"),
    path("form-a/<int:pk>/pdf/", views.form_a_pdf, name="forma-pdf"),
    path("form-a/sign/<str:token>/", views.form_a_tablet_sign, name="forma-tablet-sign"),
    path("tablet/unlock/", views.tablet_unlock, name="tablet-unlock"),
    path("form-b/<int:pk>/", record_page, FORM_B, name="formb-detail"),
    path("form-b/<int:pk>/do/<slug:step>/", run_step, FORM_B, name="formb-step"),
    path("form-b/<int:pk>/pdf/", views.form_b_pdf, name="formb-pdf"),
    path("expenses/<int:pk>/", record_page, EXPENSE, name="expense-detail"),
    path("expenses/<int:pk>/do/<slug:step>/", run_step, EXPENSE, name="expense-step"),
    path("blank/<str:which>/", views.blank_pdf, name="blank-pdf"),
    path("verify/<uuid:code>/", views.job_verify, name="job-verify"),
]
