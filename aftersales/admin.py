from django.contrib import admin, messages
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from aftersales.admin_base import HistoryAdmin
from aftersales.models import (
    ArchivedDocument,
    CalendarDay,
    CalendarYear,
    Component,
    Contact,
    Customer,
    DefectCode,
    Department,
    NeighbouringCity,
    OfficeCity,
    ProductModel,
    Signature,
    Site,
    Supplier,
    Unit,
    WorkingPeriod,
)

admin.site.site_header = _("售后通 back office")
admin.site.site_title = _("售后通")
admin.site.index_title = _("Master data and records")


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    fields = ["name", "province", "city", "address", "contact"]


@admin.register(Customer)
class CustomerAdmin(HistoryAdmin):
    list_display = ["code", "name", "province", "city", "phone", "sales_manager"]
    list_filter = ["province"]
    search_fields = ["code", "name", "short_name", "phone", "contacts__name", "contacts__mobile"]
    inlines = [ContactInline, SiteInline]
    autocomplete_fields = ["sales_manager"]


@admin.register(Contact)
class ContactAdmin(HistoryAdmin):
    list_display = ["name", "customer", "title", "phone", "mobile", "is_primary"]
    search_fields = ["name", "phone", "mobile", "customer__name"]
    autocomplete_fields = ["customer"]


@admin.register(Site)
class SiteAdmin(HistoryAdmin):
    list_display = ["name", "customer", "province", "city", "address"]
    list_filter = ["province"]
    search_fields = ["name", "city", "address", "customer__name"]
    autocomplete_fields = ["customer", "contact"]


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0
    fields = ["code", "name", "warranty_months", "is_bought_in", "supplier", "unit_cost"]


@admin.register(ProductModel)
class ProductModelAdmin(HistoryAdmin):
    list_display = ["code", "name", "brand", "category", "needs_installation", "is_active"]
    list_filter = ["category", "needs_installation", "is_active"]
    search_fields = ["code", "name", "brand"]
    inlines = [ComponentInline]


@admin.register(Component)
class ComponentAdmin(HistoryAdmin):
    list_display = ["product_model", "code", "name", "warranty_months", "is_bought_in", "supplier"]
    list_filter = ["is_bought_in", "product_model"]
    search_fields = ["code", "name", "product_model__code"]


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    list_display = [
        "serial_number",
        "product_model",
        "customer",
        "site",
        "production_date",
        "ship_date",
        "acceptance_date",
    ]
    list_filter = ["product_model", "customer__province"]
    search_fields = ["serial_number", "customer__name"]
    autocomplete_fields = ["customer", "site"]
    list_select_related = ["product_model", "customer", "site__customer"]
    date_hierarchy = "ship_date"
    show_full_result_count = False


@admin.register(Department)
class DepartmentAdmin(HistoryAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Supplier)
class SupplierAdmin(HistoryAdmin):
    list_display = ["code", "name", "contact_name", "phone", "is_active"]
    search_fields = ["code", "name", "contact_name"]
    list_filter = ["is_active"]


class NeighbouringCityInline(admin.TabularInline):
    model = NeighbouringCity
    extra = 1


@admin.register(OfficeCity)
class OfficeCityAdmin(HistoryAdmin):
    list_display = ["name", "province"]
    search_fields = ["name", "neighbours__name"]
    inlines = [NeighbouringCityInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArchivedDocument)
class ArchivedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "sha256", "size", "created_at", "created_by"]
    search_fields = ["title", "sha256"]
    list_filter = ["kind"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["signer_name", "purpose", "method", "captured_by", "signed_at"]
    list_filter = ["method", "purpose"]
    search_fields = ["signer_name", "signer_phone"]


@admin.register(DefectCode)
class DefectCodeAdmin(HistoryAdmin):
    list_display = ["code", "name", "component", "is_active"]
    search_fields = ["code", "name"]
    list_filter = ["is_active"]


@admin.register(WorkingPeriod)
class WorkingPeriodAdmin(HistoryAdmin):
    list_display = ["weekday", "starts", "ends"]


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 3
    fields = ["date", "kind", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(HistoryAdmin):
    list_display = ["year", "source", "notes"]
    inlines = [CalendarDayInline]
    actions = ["import_next_years"]

    @admin.action(description=gettext_lazy("Import the schedule from chinese_calendar (this year and next)"))
    def import_next_years(self, request, queryset):
        from django.utils import timezone

        from aftersales.workcalendar import calendar_import_year

        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            if calendar_import_year(year=year, by=request.user) is None:
                self.message_user(
                    request,
                    _("chinese_calendar has no schedule for %(year)d yet: enter it by hand.") % {"year": year},
                    messages.WARNING,
                )


# The back office speaks Chinese throughout: strings of Django's own admin templates that its
# zh_Hans catalogue does not translate yet (Django 5.2), translated in ours (LOCALE_PATHS first).
ADMIN_STRINGS_DJANGO_LEAVES_IN_ENGLISH = (
    gettext_lazy("Model name"),
    gettext_lazy("Add link"),
    gettext_lazy("Change or view list link"),
    gettext_lazy("Error:"),
    gettext_lazy("This object doesn’t have a change history. It probably wasn’t added via this admin site."),
    gettext_lazy("Forgotten your login credentials?"),
)
