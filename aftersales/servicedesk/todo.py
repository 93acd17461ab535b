"""待办 sections of the service desk: calls to handle, decisions due, revisits due, SLA board."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.registry import TodoItem, TodoSection
from aftersales.roles import has_role
from aftersales.servicedesk.models import ServiceCase
from aftersales.servicedesk.selectors import calendar_years_missing, part_replacement_due, sla_counts

LIMIT = 8


def _case_section(title, status, *, order, note=None) -> TodoSection:
    qs = ServiceCase.objects.filter(status=status).select_related("customer").order_by("created_at", "pk")
    rows = list(qs[: LIMIT + 1])
    count = qs.count() if len(rows) > LIMIT else len(rows)
    items = [
        TodoItem(label=f"{c.number} {c.customer.name}", url=c.get_absolute_url(), since=c.created_at, note=note or "")
        for c in rows[:LIMIT]
    ]
    url = reverse("servicedesk:case-list") + f"?status={status}"
    return TodoSection(title=title, items=items, count=count, url=url, order=order)


def _escalation_section(title, escalation: str, *, order: int) -> TodoSection | None:
    """技术支持: the escalated cases waiting for the product director, or for their results to be filed."""
    qs = ServiceCase.objects.filter(escalation=escalation).select_related("customer").order_by("escalated_at", "pk")
    rows = list(qs[: LIMIT + 1])
    if not rows:
        return None
    count = qs.count() if len(rows) > LIMIT else len(rows)
    items = [
        TodoItem(
            label=f"{c.number} {c.customer.name}",
            url=c.get_absolute_url(),
            since=c.directed_at or c.escalated_at,
            note=c.escalation_reason[:60],
        )
        for c in rows[:LIMIT]
    ]
    return TodoSection(title=title, items=items, count=count, order=order)


def _part_replacement_section() -> TodoSection | None:
    """售后服务承诺 3: not resolved 24 h after the arrival, in warranty → a free part, same brand and spec or better."""
    qs = part_replacement_due()
    rows = list(qs[: LIMIT + 1])
    count = qs.count() if len(rows) > LIMIT else len(rows)
    items = [
        TodoItem(
            label=f"{c.number} {c.customer.name}",
            url=c.get_absolute_url(),
            since=c.arrived_at,
            note=_("On site since %(at)s: replace the part free of charge.")
            % {"at": timezone.localtime(c.arrived_at).strftime("%Y-%m-%d %H:%M")},
            flag="overdue",
        )
        for c in rows[:LIMIT]
    ]
    if not items:
        return None
    return TodoSection(
        title=_("Not resolved 24 h after arrival: part replacement due"),
        items=items,
        count=count,
        flag="overdue",
        order=8,
    )


def sections(user) -> list[TodoSection]:
    result: list[TodoSection | None] = []
    Status = ServiceCase.Status
    if has_role(user, "clerk", "as_manager"):
        result.append(_case_section(_("Calls to answer or hand on"), Status.RECORDED, order=10))
        result.append(_case_section(_("Revisits due (回访)"), Status.RESOLVED, order=14))
        result.append(_case_section(_("Revisited, to close"), Status.REVISITED, order=15))
    if has_role(user, "pdirector"):
        result.append(_escalation_section(_("Escalated to you: direct the product department"), "escalated", order=9))
    if has_role(user, "pdirector", "techdept"):
        result.append(_escalation_section(_("Technical support results to file"), "directed", order=13))
    if has_role(user, "techdept"):
        result.append(_case_section(_("Cases for the technical department"), Status.TECHDEPT, order=11))
        result.append(_case_section(_("Cases being handled"), Status.IN_PROGRESS, order=12))
    if has_role(user, "as_manager", "clerk", "techdept"):
        counts = sla_counts()
        board = reverse("servicedesk:sla-board")
        items = [
            TodoItem(
                label=_("Clocks in breach: %(n)d") % {"n": counts["breached"]},
                url=board + "?state=breached",
                flag="overdue" if counts["breached"] else "",
            ),
            TodoItem(
                label=_("Clocks at risk: %(n)d") % {"n": counts["at_risk"]},
                url=board + "?state=at_risk",
                flag="at_risk" if counts["at_risk"] else "",
            ),
        ]
        flag = "overdue" if counts["breached"] else ("at_risk" if counts["at_risk"] else "")
        result.append(
            TodoSection(
                title=_("Service commitments (SLA)"),
                items=items,
                count=counts["breached"] + counts["at_risk"],
                url=board if user.has_perm("servicedesk.view_slaboard") else "",
                flag=flag,
                order=9,
            )
        )
    if has_role(user, "as_manager"):
        if part_replacement := _part_replacement_section():
            result.append(part_replacement)
        missing = calendar_years_missing()
        if missing:
            years = "、".join(str(y) for y in missing)
            result.append(
                TodoSection(
                    title=_("Working calendar missing"),
                    items=[
                        TodoItem(
                            label=_("No holiday schedule for %(years)s: deadlines count weekends only.")
                            % {"years": years},
                            url=reverse("admin:aftersales_calendaryear_changelist"),
                            flag="warning",
                            since=timezone.now(),
                        )
                    ],
                    flag="warning",
                    order=1,
                )
            )
    return [s for s in result if s is not None]
