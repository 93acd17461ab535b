"""The steps of a shipment request, each declared once: the detail page draws the buttons, one view runs them."""

from functools import partial

from django.utils.translation import gettext_lazy as _

from aftersales.steps import Step, Workflow
from shipping import forms, services, views
from shipping.models import Shipment

S = Shipment.Status

SHIPMENT = Workflow(
    model=Shipment,
    url_name="shipping:shipment-step",
    template="shipping/shipment_detail.html",
    get_object=views.shipment_for,
    context=views.shipment_context,
    steps=[
        Step(
            "issue_delivery_note",
            services.shipment_issue_delivery_note,
            _("Delivery note issued."),
            transition="issue_delivery_note",
        ),
        Step(
            "receive_copies",
            services.shipment_receive_copies,
            _("Two copies of the delivery note received."),
            transition="receive_copies",
        ),
        # Serial entry checks each serial as typed: a page of its own (views.shipment_dispatch).
        Step("dispatch", services.shipment_dispatch, "", transition="dispatch", link="shipping:shipment-dispatch"),
        Step(
            "waybill",
            services.shipment_return_waybill,
            _("Waybill recorded."),
            form=forms.WaybillForm,
            transition="return_waybill",
        ),
        Step(
            "tracking",
            services.tracking_note_add,
            _("Tracking note added."),
            form=forms.TrackingNoteForm,
            permission="shipping.track_shipment",
            when=lambda s, _user: s.status in (S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED),
            label=_("Add tracking note"),
        ),
        Step(
            "arrival",
            services.shipment_record_arrival,
            _("Arrival recorded."),
            form=forms.ArrivalForm,
            transition="record_arrival",
        ),
        Step(
            "receipt",
            services.shipment_confirm_receipt,
            _("Customer receipt confirmed."),
            form=forms.ReceiptForm,
            initial=lambda s: {"confirmed_by": s.contact_name},
            transition="confirm_receipt",
        ),
        Step(
            "missing",
            services.shipment_report_missing_parts,
            _("Missing parts recorded; the service desk supplies them free."),
            form=forms.MissingPartsForm,
            permission="shipping.reportmissingparts_shipment",
            when=lambda s, _user: s.status in (S.ARRIVED, S.RECEIVED),
            label=_("Record missing parts"),
        ),
        Step(
            "warehouse_copy",
            partial(services.shipment_acknowledge_copy, copy="warehouse"),
            _("Warehouse copy of the delivery note acknowledged."),
            permission="shipping.ackwarehousecopy_shipment",
            when=lambda s, _user: services.copy_waiting(s, "warehouse"),
            label=_("Warehouse: copy of the delivery note received"),
        ),
        Step(
            "logistics_copy",
            partial(services.shipment_acknowledge_copy, copy="logistics"),
            _("Logistics copy of the delivery note acknowledged."),
            permission="shipping.acklogisticscopy_shipment",
            when=lambda s, _user: services.copy_waiting(s, "logistics"),
            label=_("Logistics: copy of the delivery note received"),
        ),
        Step(
            "installation",
            services.shipment_record_installation,
            _("Installation recorded."),
            form=forms.InstallationForm,
            transition="record_installation",
        ),
        Step(
            "cancel",
            services.shipment_cancel,
            _("Shipment request cancelled."),
            form=forms.CancelForm,
            transition="cancel",
            label=_("Cancel shipment request"),
            danger=True,
        ),
    ],
)

WORKFLOWS = [SHIPMENT]
