"""Admin of repairs: policies are edited here; records change only through their services."""

from django.contrib import admin

from aftersales.admin_base import HistoryAdmin
from warranty.repairs.models import (
    FactoryRepair,
    ProductReturn,
    RepairBillingPolicy,
    RepairPart,
    Replacement,
    UnitWarrantyOverride,
)


@admin.register(RepairBillingPolicy)
class RepairBillingPolicyAdmin(HistoryAdmin):
    list_display = ("__str__", "parts_at_cost_no_labour", "labour_rate", "fresh_warranty_on_replacement")
    autocomplete_fields = ("customer",)


@admin.register(UnitWarrantyOverride)
class UnitWarrantyOverrideAdmin(HistoryAdmin):
    list_display = ("unit", "component", "starts", "ends", "reason")
    search_fields = ("unit__serial_number",)
    raw_id_fields = ("unit", "component")


class RecordAdmin(HistoryAdmin):
    """Read-only: the steps are taken on the record's page, through the services and their checks."""

    list_display = ("number", "status", "customer", "created_at")
    list_filter = ("status",)
    search_fields = ("number",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(FactoryRepair, RecordAdmin)
admin.site.register(Replacement, RecordAdmin)
admin.site.register(ProductReturn, RecordAdmin)


@admin.register(RepairPart)
class RepairPartAdmin(HistoryAdmin):
    list_display = ("component", "quantity", "part_serial", "unit_cost", "unit", "drawn_by", "drawn_at")
    raw_id_fields = ("unit", "component", "drawn_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
