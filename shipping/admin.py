from django.contrib import admin

from aftersales.admin_base import WorkflowAdmin
from shipping.models import MissingPartsReport, Payment, Shipment, ShipmentLine, ShippedUnit, TrackingNote


class LineInline(admin.TabularInline):
    model = ShipmentLine
    extra = 0
    can_delete = False
    readonly_fields = ["product_model", "quantity"]


class ShippedUnitInline(admin.TabularInline):
    model = ShippedUnit
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "production_date", "ship_date", "was_in_stock"]


class TrackingNoteInline(admin.TabularInline):
    model = TrackingNote
    extra = 0
    can_delete = False
    readonly_fields = ["noted_on", "text", "created_by"]


class MissingPartsInline(admin.TabularInline):
    model = MissingPartsReport
    extra = 0
    can_delete = False
    readonly_fields = ["description", "created_by", "created_at"]


@admin.register(Shipment)
class ShipmentAdmin(WorkflowAdmin):
    """Steps that need input (units, waybill, arrival, receipt, cancel) are done on the front pages."""

    list_display = ["number", "customer", "site", "status", "requested_ship_date", "expected_arrival", "created_at"]
    list_filter = ["status"]
    search_fields = ["number", "delivery_note_number", "waybill_number", "customer__name"]
    list_select_related = ["customer", "site"]
    show_full_result_count = False
    raw_id_fields = ["payment", "customer", "site"]
    fsm_fields = ["status"]
    transition_services = {
        "issue_delivery_note": "shipping.services.shipment_issue_delivery_note",
        "receive_copies": "shipping.services.shipment_receive_copies",
        "record_installation": "shipping.services.shipment_record_installation",
    }
    readonly_fields = [
        "number",
        "status",
        "delivery_note_number",
        "note_issued_at",
        "copies_received_at",
        "dispatched_at",
        "ship_date",
        "carrier",
        "waybill_number",
        "expected_arrival",
        "waybill_returned_at",
        "arrived_on",
        "receipt_confirmed_by",
        "receipt_method",
        "receipt_confirmed_at",
        "installation",
        "cancel_reason",
        "cancelled_at",
    ]
    inlines = [LineInline, ShippedUnitInline, TrackingNoteInline, MissingPartsInline]

    def has_add_permission(self, request):
        return False  # filed through the front page, which checks the payment


@admin.register(Payment)
class PaymentAdmin(WorkflowAdmin):
    list_display = ["customer", "amount", "received_on", "reference", "status"]
    list_filter = ["status"]
    search_fields = ["customer__name", "reference"]
    list_select_related = ["customer"]
    fsm_fields = ["status"]
    transition_services = {"confirm": "shipping.services.payment_confirm"}
    readonly_fields = ["status", "confirmed_by", "confirmed_at"]
