from django.urls import path

from aftersales.steps import run_step
from shipping import steps, views

app_name = "shipping"

urlpatterns = [
    path("", views.shipment_list, name="shipment-list"),
    path("new/", views.shipment_create, name="shipment-create"),
    path("<int:pk>/", views.shipment_detail, name="shipment-detail"),
    path("<int:pk>/do/<slug:step>/", run_step, {"workflow": steps.SHIPMENT}, name="shipment-step"),
    path("<int:pk>/dispatch/", views.shipment_dispatch, name="shipment-dispatch"),
    path("<int:pk>/serials/check/", views.shipment_serial_check, name="shipment-serial-check"),
    path("<int:pk>/print/request.pdf", views.shipment_request_pdf, name="shipment-request-pdf"),
    path("<int:pk>/print/delivery-note.pdf", views.shipment_delivery_note_pdf, name="shipment-delivery-note-pdf"),
    path("print/blank/<slug:form>.pdf", views.blank_form_pdf, name="blank-form-pdf"),
    path("payments/", views.payment_list, name="payment-list"),
    path("payments/<int:pk>/confirm/", views.payment_confirm, name="payment-confirm"),
]
