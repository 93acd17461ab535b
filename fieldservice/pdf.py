"""The printed forms of field service: A and B (YD/QR032-A/-B), the market-support request,
the trip record, blank A and B for paper fallback, and the archived A+B pair."""

import base64

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from aftersales.pdf import absolute_url, html_to_pdf, render_html, render_pdf
from aftersales.signatures import signature_data_uri

ARCHIVE_KIND = "fieldservice.feedback_ab"
TITLE_A = "售后服务信息反馈单--A（客户确认）"
TITLE_B = "售后服务信息反馈单--B（公司考核）"


def _image_uri(attachment) -> str:
    if attachment is None:
        return ""
    with attachment.file.open("rb") as fh:
        return f"data:{attachment.content_type};base64," + base64.b64encode(fh.read()).decode()


def form_a_context(form_a) -> dict:
    job = form_a.job
    return {
        "a": form_a,
        "job": job,
        "manager_sig": form_a.manager_signature,
        "manager_sig_uri": signature_data_uri(form_a.manager_signature),
        "tech_sig": form_a.technician_signature,
        "tech_sig_uri": signature_data_uri(form_a.technician_signature),
        "customer_sig": form_a.customer_signature,
        "customer_sig_uri": signature_data_uri(form_a.customer_signature),
        "stamp_uri": _image_uri(form_a.stamp),
    }


def form_b_context(form_b) -> dict:
    return {
        "b": form_b,
        "trainings": list(form_b.job.trainings.order_by("held_on", "pk")),
        "tech_sig_b": form_b.technician_signature,
        "tech_sig_b_uri": signature_data_uri(form_b.technician_signature),
        "mgr_sig_b": form_b.manager_signature,
        "mgr_sig_b_uri": signature_data_uri(form_b.manager_signature),
        "leader_sig_b": form_b.leader_signature,
        "leader_sig_b_uri": signature_data_uri(form_b.leader_signature),
    }


def _base(number, title, code, url) -> dict:
    return {
        "form_title": title,
        "form_code": code,
        "number": number,
        "printed_at": timezone.now(),
        "record_url": absolute_url(url) if url else "",
        "copy_label": "公司留存",
    }


def form_a_html(form_a) -> str:
    ctx = _base(f"{form_a.job.number}-A{form_a.revision}", TITLE_A, "YD/QR032-A", form_a.get_absolute_url())
    return render_html("fieldservice/print/form_a.html", ctx | form_a_context(form_a))


def render_form_a_pdf(form_a) -> bytes:
    return html_to_pdf(form_a_html(form_a))


def render_form_b_pdf(form_b) -> bytes:
    ctx = _base(f"{form_b.job.number}-B", TITLE_B, "YD/QR032-B", form_b.get_absolute_url())
    return render_pdf("fieldservice/print/form_b.html", ctx | form_b_context(form_b) | {"job": form_b.job})


def render_blank_pdf(which: str) -> bytes:
    if which not in ("a", "b"):
        raise Http404
    title, code = (TITLE_A, "YD/QR032-A") if which == "a" else (TITLE_B, "YD/QR032-B")
    ctx = _base("", title, code, "") | {"blank": True}
    return render_pdf(f"fieldservice/print/form_{which}.html", ctx)


def render_support_pdf(req) -> bytes:
    ctx = _base(req.number, "市场支持申请单", "", req.job.get_absolute_url()) | {"r": req, "job": req.job}
    ctx["copy_label"] = ""
    return render_pdf("fieldservice/print/support_request.html", ctx)


def render_trip_pdf(job) -> bytes:
    ctx = _base(job.number, "售后*市场支持（出差人员）记录表", "", job.get_absolute_url()) | {"job": job}
    ctx["copy_label"] = ""
    ctx["assignments"] = list(job.assignments.select_related("technician").order_by("-is_lead", "pk"))
    return render_pdf("fieldservice/print/trip_record.html", ctx)


def render_pair_pdf(job, form_a, form_b) -> bytes:
    """Form A and B of a job in one PDF; its QR code opens the archive's verification page."""
    ctx = _base(
        job.number,
        "售后服务信息反馈单 A+B",
        "YD/QR032-A / YD/QR032-B",
        reverse("fieldservice:job-verify", args=[job.verify_code]),
    )
    ctx |= form_a_context(form_a) | form_b_context(form_b) | {"title_a": TITLE_A, "title_b": TITLE_B}
    # Also as text under the QR code, to type at the verification page when nothing can scan it.
    ctx |= {"verify_code": job.verify_code, "verify_lookup_url": absolute_url(reverse("aftersales:verify-lookup"))}
    return render_pdf("fieldservice/print/pair.html", ctx)
