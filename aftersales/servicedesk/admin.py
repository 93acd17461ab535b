"""Admin of the service desk: cases with their FSM actions (through the services), SLA
policies and agreements, the working calendar (with the import from chinese_calendar)."""

from django.contrib import admin

from aftersales.admin_base import HistoryAdmin, WorkflowAdmin
from aftersales.servicedesk.models import (
    CaseNote,
    CaseRevisit,
    CoordinationSheet,
    FeeQuote,
    ServiceCase,
    SlaAgreement,
    SlaClock,
    SlaPolicy,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseNoteInline(ReadOnlyInline):
    model = CaseNote
    fields = readonly_fields = ("created_at", "created_by", "kind", "spoke_with", "text")


class FeeQuoteInline(ReadOnlyInline):
    model = FeeQuote
    fields = readonly_fields = ("told_at", "told_by", "told_to", "amount", "reason", "details")


class SlaClockInline(ReadOnlyInline):
    model = SlaClock
    fields = readonly_fields = (
        "kind",
        "started_at",
        "deadline",
        "at_risk_at",
        "paused_at",
        "stopped_at",
        "met",
        "schedule_missing",
    )


class CaseRevisitInline(ReadOnlyInline):
    model = CaseRevisit
    fields = readonly_fields = ("created_at", "spoke_with", "satisfaction", "comments")


@admin.register(ServiceCase)
class ServiceCaseAdmin(WorkflowAdmin):
    fsm_fields = ["status"]
    transition_services = {
        "answer": "aftersales.servicedesk.services.case_answer",
        "hand_to_techdept": "aftersales.servicedesk.services.case_hand_to_techdept",
        "decide": "aftersales.servicedesk.services.case_decide",
        "resolve": "aftersales.servicedesk.services.case_resolve",
        "revisit": "aftersales.servicedesk.services.case_revisit",
        "close": "aftersales.servicedesk.services.case_close",
        "reopen": "aftersales.servicedesk.services.case_reopen",
    }
    # Transitions that need input ask for it with the front office's forms.
    fsm_forms = {
        "answer": "aftersales.servicedesk.forms.AnswerForm",
        "hand_to_techdept": "aftersales.servicedesk.forms.HandOverForm",
        "decide": "aftersales.servicedesk.forms.DecisionForm",
        "resolve": "aftersales.servicedesk.forms.ResolveForm",
        "revisit": "aftersales.servicedesk.forms.RevisitForm",
        "reopen": "aftersales.servicedesk.forms.ReopenForm",
    }
    list_display = ["number", "customer", "unit", "category", "status", "decision", "created_at"]
    list_filter = ["status", "visit", "category", "channel", "decision", "replace_recommended"]
    search_fields = ["number", "customer__name", "unit__serial_number", "caller_phone"]
    list_select_related = ["customer", "unit"]
    raw_id_fields = ["customer", "contact", "site", "unit", "component", "defect_code"]
    readonly_fields = [
        "number",
        "status",
        "decision",
        "decided_at",
        "decided_by",
        "first_response_at",
        "visit",
        "dispatch_confirmed_at",
        "arrived_at",
        "resolved_at",
        "closure",
        "closed_at",
        "reopen_count",
        "in_warranty",
        "replace_recommended",
    ]
    inlines = [SlaClockInline, CaseNoteInline, FeeQuoteInline, CaseRevisitInline]
    date_hierarchy = "created_at"


@admin.register(CoordinationSheet)
class CoordinationSheetAdmin(HistoryAdmin):
    list_display = ["case", "from_department", "to_department", "reply_by", "created_at"]
    raw_id_fields = ["case"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(HistoryAdmin):
    list_display = [
        "name",
        "is_default",
        "response_minutes",
        "arrival_office_working_hours",
        "arrival_elsewhere_hours",
        "arrival_contract_hours",
        "resolution_days",
        "complaint_answer_hours",
        "at_risk_share",
    ]


@admin.register(SlaAgreement)
class SlaAgreementAdmin(HistoryAdmin):
    list_display = ["customer", "contract_number", "policy"]
    raw_id_fields = ["customer"]
    search_fields = ["customer__name", "contract_number"]
