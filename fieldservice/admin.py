"""Back office: read-only views with history; every change goes through the front office's
services (the transitions need their inputs: signatures, dates, the customer's own signing)."""

from django.contrib import admin

from aftersales.admin_base import HistoryAdmin
from fieldservice.models import (
    Assignment,
    Expense,
    FeedbackFormA,
    FeedbackFormB,
    ProgressReport,
    ServiceJob,
    SupportRequest,
    TrainingSession,
)


class ReadOnlyAdmin(HistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    can_delete = False
    readonly_fields = ("technician", "is_lead")


@admin.register(ServiceJob)
class ServiceJobAdmin(ReadOnlyAdmin):
    list_display = ("number", "kind", "customer", "status", "agreed_date", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("number", "customer__name")
    inlines = [AssignmentInline]


@admin.register(SupportRequest)
class SupportRequestAdmin(ReadOnlyAdmin):
    list_display = ("number", "job", "status", "estimated_cost", "decided_by", "decided_at")
    list_filter = ("status",)
    search_fields = ("number", "job__number")


@admin.register(FeedbackFormA)
class FeedbackFormAAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "signer_check", "is_current", "signed_at")
    list_filter = ("status", "signer_check")


@admin.register(FeedbackFormB)
class FeedbackFormBAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "total_days", "approved_at")
    list_filter = ("status",)


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyAdmin):
    list_display = ("job", "category", "amount", "spent_on", "status")
    list_filter = ("status", "category")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("job", "created_at", "created_by")


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ("job", "held_on", "hours", "created_by")
    list_select_related = ("job", "created_by")
