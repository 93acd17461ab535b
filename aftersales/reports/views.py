from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.pagination import keyset_page
from aftersales.reports import charts, exports, selectors, tables
from aftersales.reports.forms import ReportFilterForm, SummaryRequestForm
from aftersales.reports.models import ReportRun
from aftersales.reports.todo import FIGURES
from aftersales.workflow import require_permission

VIEW = "reports.view_reportrun"

TITLES = {
    "satisfaction": gettext_lazy("Customer satisfaction (form A)"),
    "commitments": gettext_lazy("Service commitments"),
    "technicians": gettext_lazy("Technician assessment (form B)"),
    "shipments": gettext_lazy("Shipments"),
    "warranty": gettext_lazy("Warranty and quality"),
    "complaints": gettext_lazy("Complaint ledger"),
}
EXPORT_TYPES = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.to_xlsx),
    "csv": ("text/csv; charset=utf-8", exports.to_csv),
}


def _export(title, slug: str, fmt: str, report_tables) -> HttpResponse:
    content_type, write = EXPORT_TYPES[fmt]
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(write(str(title), report_tables), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="report-{slug}-{stamp}.{fmt}"'
    return response


@login_required
@require_GET
def report_dashboard(request):
    """Key figures this month against last month, the trend of the last months, and the reports."""
    require_permission(request.user, VIEW, _("See the reports"))
    today = timezone.localdate()
    this = selectors.month_range(today)
    last = selectors.month_range(this.date_from - timedelta(days=1))
    now_figures, last_figures = selectors.key_figures(this), selectors.key_figures(last)
    rows = [(label, now_figures[key], last_figures[key]) for key, label in FIGURES]
    half_year = selectors.ReportFilter(date_from=(this.date_from - timedelta(days=150)).replace(day=1), date_to=today)
    trend = selectors.cases_by_month(half_year)
    chart = charts.bar_chart(_("Cases opened by month"), [(f"{r['month']:%Y-%m}", r["n"]) for r in trend])
    return render(
        request,
        "reports/dashboard.html",
        {"rows": rows, "chart": chart, "titles": TITLES, "runs": ReportRun.objects.select_related("document")[:5]},
    )


@login_required
@require_GET
def report_show(request, slug: str):
    """One report with the common filter; ?export=xlsx|csv downloads the same tables."""
    require_permission(request.user, VIEW, _("See the reports"))
    if slug not in tables.REPORTS:
        raise Http404
    form = ReportFilterForm(request.GET or None)
    report_tables, figures = tables.build(slug, form.report_filter())
    fmt = request.GET.get("export")
    if fmt in EXPORT_TYPES:
        return _export(TITLES[slug], slug, fmt, report_tables)
    return render(
        request,
        "reports/report.html",
        {"title": TITLES[slug], "slug": slug, "form": form, "tables": report_tables, "charts": figures},
    )


@login_required
@require_GET
def complaint_ledger(request):
    """台帐: every complaint with its handling and result, keyset-paged; exports take the whole period."""
    require_permission(request.user, VIEW, _("See the reports"))
    form = ReportFilterForm(request.GET or None)
    report_filter = form.report_filter()
    fmt = request.GET.get("export")
    if fmt in EXPORT_TYPES:
        # Exports walk the ledger page by page (keyset), never one unbounded query.
        rows: list = []
        cursor = None
        while len(rows) < 20000:
            page = keyset_page(selectors.complaints(report_filter), cursor=cursor, size=1000)
            rows += page.items
            if not page.has_next:
                break
            cursor = page.next_cursor
        return _export(TITLES["complaints"], "complaints", fmt, [tables.complaint_rows(rows)])
    page = selectors.complaint_page(report_filter, cursor=request.GET.get("after"))
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "reports/complaints.html",
        {
            "title": TITLES["complaints"],
            "slug": "complaints",
            "form": form,
            "page": page,
            "table": tables.complaint_rows(page.items),
            "cases": page.items,
            "query": query.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary_list(request):
    """Past monthly summaries; POST orders one for a month (generated in the background)."""
    require_permission(request.user, VIEW, _("See the reports"))
    from aftersales.reports.services import report_run_request

    if request.method == "POST":
        require_permission(request.user, "reports.add_reportrun", _("Order a monthly summary"))
        form = SummaryRequestForm(request.POST)
        if form.is_valid():
            run = report_run_request(month=form.cleaned_data["month"], by=request.user)
            messages.success(request, _("The summary is being generated."))
            return redirect(run)
    else:
        last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        form = SummaryRequestForm(initial={"month": last_month.strftime("%Y-%m")})
    runs = keyset_page(ReportRun.objects.select_related("document"), cursor=request.GET.get("after"), size=24)
    return render(request, "reports/summaries.html", {"form": form, "page": runs})


@login_required
@require_GET
def summary_detail(request, pk: int):
    """One summary; while it is being generated the page refreshes itself and shows the progress."""
    require_permission(request.user, VIEW, _("See the reports"))
    run = get_object_or_404(ReportRun.objects.select_related("document"), pk=pk)
    return render(request, "reports/summary_detail.html", {"run": run})
