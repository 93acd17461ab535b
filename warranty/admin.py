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

    def has_add_permission(self, request):
        # Every field is read-only: an add here would save an empty record past the services.
        return False


class HandoverInline(admin.TabularInline):
    model = Handover
    extra = 0
    readonly_fields = ("given_by", "received_by", "at", "to_location", "note")


class CostInline(admin.TabularInline):
    model = IncidentCost
    extra = 0
    readonly_fields = ("kind", "description", "hours", "rate", "amount")


def register(model, services=None, **attrs):
    """Only steps that need no input are offered here, through the front office's services."""
    attrs["transition_services"] = services or {}
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyWorkflowAdmin,), attrs))


register(QualitySheet)
register(Appraisal, {"tell_customer": "warranty.services.appraisal_tell_customer"})
register(SupplierClaim, {"notify": "warranty.services.supplier_claim_notify"})
register(CustomerClaim)
register(CorrectiveAction)
register(ReturnedPart, inlines=[HandoverInline])
register(
    QualityIncident,
    {"submit_costs": "warranty.services.incident_submit_costs", "confirm": "warranty.services.incident_confirm"},
    inlines=[CostInline],
)
