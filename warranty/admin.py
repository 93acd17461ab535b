from django.contrib import admin

from aftersales.admin_base import HistoryAdmin, WorkflowAdmin
from warranty.models import (
    AllocationRule,
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    Handover,
    IncidentCost,
    QualityIncident,
    QualitySheet,
    ReturnedPart,
    SupplierClaim,
)


@admin.register(AllocationRule)
class AllocationRuleAdmin(HistoryAdmin):
    """The cost allocation rule is edited here; incidents keep the values they were allocated with."""

    list_display = ("name", "team_percent", "supplier_percent", "is_active", "updated_at")
    list_filter = ("is_active",)


class ReadOnlyWorkflowAdmin(WorkflowAdmin):
    """Records are changed through their transitions (the same services as the front office)."""

    fsm_fields = ["status"]
    list_display = ("number", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("number",)
    date_hierarchy = None
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class HandoverInline(admin.TabularInline):
    model = Handover
    extra = 0
    readonly_fields = ("given_by", "received_by", "at", "to_location", "note")


class CostInline(admin.TabularInline):
    model = IncidentCost
    extra = 0
    readonly_fields = ("kind", "description", "hours", "rate", "amount")


admin.site.register(QualitySheet, ReadOnlyWorkflowAdmin)
admin.site.register(Appraisal, ReadOnlyWorkflowAdmin)
admin.site.register(SupplierClaim, ReadOnlyWorkflowAdmin)
admin.site.register(CustomerClaim, ReadOnlyWorkflowAdmin)
admin.site.register(CorrectiveAction, ReadOnlyWorkflowAdmin)
admin.site.register(ReturnedPart, type("ReturnedPartAdmin", (ReadOnlyWorkflowAdmin,), {"inlines": [HandoverInline]}))
admin.site.register(QualityIncident, type("QualityIncidentAdmin", (ReadOnlyWorkflowAdmin,), {"inlines": [CostInline]}))
