"""Printable records of a case: 受理售后技术服务的报告 (acceptance report) and 部门协调单."""

from typing import Any

from django.utils import timezone

from aftersales.models import Department
from aftersales.pdf import absolute_url, render_pdf
from aftersales.people import display_name as person_name
from aftersales.servicedesk.models import CoordinationSheet, ServiceCase


def _receiving_department() -> str:
    dept = Department.objects.filter(kind=Department.Kind.AFTERSALES, is_active=True).first()
    return dept.name if dept else "售后服务部"


def render_acceptance_report(case: ServiceCase) -> bytes:
    """受理售后技术服务的报告: 受理部门, 受理人, 填报时间, 编号, what the customer reported, and the fee told
    for a paid repair (its parts at cost, no labour)."""
    fee_quotes = list(case.fee_quotes.select_related("told_by").prefetch_related("lines__component"))
    for quote in fee_quotes:
        quote.told_by_name = person_name(quote.told_by)  # type: ignore[attr-defined]
    return render_pdf(
        "servicedesk/print/acceptance_report.html",
        {
            "case": case,
            "form_title": "受理售后技术服务的报告",
            "number": case.number,
            "printed_at": timezone.localtime(),
            "record_url": absolute_url(case.get_absolute_url()),
            "department": _receiving_department(),
            "receiver": person_name(case.created_by),
            "filed_at": timezone.localtime(case.created_at),
            "fee_quotes": fee_quotes,
        },
    )


def render_coordination_sheet(sheet: CoordinationSheet) -> bytes:
    """部门协调单 of a case."""
    case = sheet.case
    return render_pdf(
        "servicedesk/print/coordination_sheet.html",
        {
            "case": case,
            "sheet": sheet,
            "form_title": "部门协调单",
            "number": f"{case.number}-{sheet.pk}",
            "printed_at": timezone.localtime(),
            "record_url": absolute_url(case.get_absolute_url()),
            "author": person_name(sheet.created_by),
            "written_at": timezone.localtime(sheet.created_at),
        },
    )


def render_support_filing(case: ServiceCase) -> bytes:
    """技术支持备案: why the technical department escalated, what the product director directed,
    who went, the result, and the documents filed with it."""
    from aftersales.attachments import attachments_of

    history = case.history.filter(escalation__in=["escalated", "directed", "filed"]).order_by("history_date")
    steps: dict[str, Any] = {}
    for row in history:
        steps.setdefault(row.escalation, row)
    return render_pdf(
        "servicedesk/print/support_filing.html",
        {
            "case": case,
            "form_title": "技术支持备案",
            "number": case.number,
            "printed_at": timezone.localtime(),
            "record_url": absolute_url(case.get_absolute_url()),
            "people": [person_name(p) for p in case.directed_people.all()],
            "escalated_by": person_name(steps["escalated"].history_user) if "escalated" in steps else "",
            "directed_by": person_name(steps["directed"].history_user) if "directed" in steps else "",
            "filed_by": person_name(steps["filed"].history_user) if "filed" in steps else "",
            "documents": [a.original_name for a in attachments_of(case)],
        },
    )
