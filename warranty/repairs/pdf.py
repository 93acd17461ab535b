"""Printable 返厂维修单 and 产品更换/返回记录 (always in Chinese, like the paper forms)."""

from django.utils import timezone

from aftersales.pdf import absolute_url, render_pdf
from warranty.repairs.models import Replacement
from warranty.repairs.selectors import bill_for, parts_of


def _base(obj, title: str, code: str) -> dict:
    return {
        "obj": obj,
        "form_title": title,
        "form_code": code,
        "number": obj.number,
        "printed_at": timezone.localtime(),
        "record_url": absolute_url(obj.get_absolute_url()),
    }


def render_factory_repair_pdf(order) -> bytes:
    """返厂维修单: arrival, diagnosis per component, parts, fee, repair and test."""
    ctx = _base(order, "返厂维修单", "WX-FX")
    ctx.update(
        parts=list(parts_of(order)),
        bill=bill_for(order),
        findings=list(order.findings_set.select_related("component", "defect_code")),
    )
    return render_pdf("repairs/print/factory_repair.html", ctx)


def render_swap_pdf(record) -> bytes:
    """产品更换记录 (both serial numbers) or 产品返回记录 (condition and refund)."""
    if isinstance(record, Replacement):
        return render_pdf("repairs/print/replacement.html", _base(record, "产品更换记录", "WX-GH"))
    return render_pdf("repairs/print/return.html", _base(record, "产品返回记录", "WX-TK"))
