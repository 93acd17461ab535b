"""待办 for managers: the key figures of this month against last month, with a small trend chart."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.registry import TodoItem, TodoSection
from aftersales.reports import charts, selectors
from aftersales.roles import has_role

MANAGERS = ("as_manager", "gm", "leader", "deptmgr", "qc")

FIGURES = [
    ("opened", gettext_lazy("Cases opened")),
    ("closed", gettext_lazy("Cases closed")),
    ("sla_met_pct", gettext_lazy("Commitments met (%)")),
    ("satisfaction_pct", gettext_lazy("Customers very satisfied or satisfied (%)")),
    ("shipments_received", gettext_lazy("Shipments received")),
    ("overdue", gettext_lazy("Commitments overdue")),
    ("warranty_cost", gettext_lazy("Warranty cost (yuan)")),
]


def _show(value) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def sections(user) -> list[TodoSection]:
    # has_perm first: the permission cache is already loaded for the page, has_role may query.
    if not user.has_perm("reports.view_reportrun") or not has_role(user, *MANAGERS):
        return []
    today = timezone.localdate()
    this = selectors.month_range(today)
    last = selectors.month_range(this.date_from - timedelta(days=1))
    now_figures, last_figures = selectors.key_figures(this), selectors.key_figures(last)
    url = reverse("reports:report-dashboard")
    items = [
        TodoItem(
            label=f"{label}: {_show(now_figures[key])}",
            url=url,
            note=_("last month %(value)s") % {"value": _show(last_figures[key])},
        )
        for key, label in FIGURES
    ]
    half_year = selectors.ReportFilter(date_from=(this.date_from - timedelta(days=150)).replace(day=1), date_to=today)
    trend = selectors.cases_by_month(half_year)
    chart = charts.bar_chart(_("Cases opened by month"), [(f"{r['month']:%m}", r["n"]) for r in trend])
    # The chart is SafeString built from escaped labels; the 待办 template prints notes as they are.
    items.append(TodoItem(label=_("Cases opened by month"), url=url, note=chart))
    return [TodoSection(title=_("Key figures this month"), items=items, count=len(FIGURES), url=url, order=1)]
