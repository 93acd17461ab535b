"""Printable forms of warranty and quality (always in Chinese, like the paper forms)."""

from django.utils import timezone

from aftersales.pdf import absolute_url, render_pdf
from aftersales.signatures import signature_data_uri, signatures_of


def _base(obj, title: str, code: str) -> dict:
    # An unsaved record prints the blank form for paper fallback (no number, no QR code).
    return {
        "obj": obj,
        "form_title": title,
        "form_code": code,
        "number": obj.number,
        "printed_at": timezone.localtime(),
        "record_url": absolute_url(obj.get_absolute_url()) if obj.pk else "",
    }


def render_sheet_pdf(sheet) -> bytes:
    """质量信息单 (售后质量问题处理规定 4.1)."""
    return render_pdf("warranty/print/sheet.html", _base(sheet, "质量信息单", "ZL-01"))


def render_tag_pdf(part) -> bytes:
    """退换零件信息单: a small label stuck on the part, with its QR code."""
    return render_pdf("warranty/print/tag.html", _base(part, "退换零件信息单", "ZL-02"))


def render_appraisal_pdf(appraisal) -> bytes:
    """售后服务三包材料退换鉴定单 with QC's signed opinion."""
    from warranty.services import APPRAISAL_PURPOSE

    ctx = _base(appraisal, "售后服务三包材料退换鉴定单", "ZL-03")
    sig = signatures_of(appraisal, APPRAISAL_PURPOSE).last() if appraisal.pk else None
    part = appraisal.part if appraisal.part_id else None
    ctx.update(part=part, signature=sig, signature_uri=signature_data_uri(sig))
    return render_pdf("warranty/print/appraisal.html", ctx)


def render_incident_pdf(incident) -> bytes:
    """产品售后质量事故处置跟踪单 with costs and their allocation."""
    ctx = _base(incident, "产品售后质量事故处置跟踪单", "ZL-04")
    ctx["costs"] = list(incident.costs.all()) if incident.pk else []
    return render_pdf("warranty/print/incident.html", ctx)


def render_feedback_pdf(incident) -> bytes:
    """产品售后质量事故处理反馈单 signed by the customer."""
    from warranty.services import FEEDBACK_PURPOSE

    ctx = _base(incident, "产品售后质量事故处理反馈单", "ZL-05")
    sig = signatures_of(incident, FEEDBACK_PURPOSE).last() if incident.pk else None
    ctx.update(signature=sig, signature_uri=signature_data_uri(sig))
    return render_pdf("warranty/print/feedback.html", ctx)


def render_action_pdf(action) -> bytes:
    """纠正与预防措施表 (IATF16949 4.2.4)."""
    return render_pdf("warranty/print/action.html", _base(action, "纠正与预防措施表", "ZL-06"))
