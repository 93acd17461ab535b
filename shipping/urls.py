from django.urls import path

from shipping import views

app_name = "shipping"

urlpatterns = [
    path("", views.shipment_list, name="shipment-list"),
    path("new/", views.shipment_create, name="shipment-create"),
    path("<int:pk>/", views.shipment_detail, name="shipment-detail"),
    path("<int:pk>/transition/", views.shipment_transition, name="shipment-transition"),
    path("<int:pk>/dispatch/", views.shipment_dispatch, name="shipment-dispatch"),
    path("<int:pk>/serials/check/", views.shipment_serial_check, name="shipment-serial-check"),
    path("<int:pk>/waybill/", views.shipment_waybill, name="shipment-waybill"),
    path("<int:pk>/tracking/", views.shipment_tracking, name="shipment-tracking"),
    path("<int:pk>/arrival/", views.shipment_arrival, name="shipment-arrival"),
    path("<int:pk>/receipt/", views.shipment_receipt, name="shipment-receipt"),
    path("<int:pk>/missing-parts/", views.shipment_missing_parts, name="shipment-missing-parts"),
    path("<int:pk>/cancel/", views.shipment_cancel, name="shipment-cancel"),
    path("<int:pk>/print/request.pdf", views.shipment_request_pdf, name="shipment-request-pdf"),
    path("<int:pk>/print/delivery-note.pdf", views.shipment_delivery_note_pdf, name="shipment-delivery-note-pdf"),
    path("print/blank/<slug:form>.pdf", views.blank_form_pdf, name="blank-form-pdf"),
    path("payments/", views.payment_list, name="payment-list"),
    path("payments/<int:pk>/confirm/", views.payment_confirm, name="payment-confirm"),
]
