"""Printable forms: HTML templates rendered to A4 PDF by WeasyPrint, and the immutable archive.

Templates extend `print/base.html` (bordered tables, form code in the corner, document
number, QR code to the record). Fonts are the system's CJK fonts (fonts-noto-cjk), found
through fontconfig; nothing is fetched from the network.
"""

import base64
from io import BytesIO

import segno
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from aftersales.models import ArchivedDocument, sha256_hex

PRINT_CSS = settings.BASE_DIR / "static" / "css" / "print.css"


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI (no network, no temporary files)."""
    buffer = BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=4, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def render_html(template_name: str, context: dict) -> str:
    ctx = {"company_name": settings.COMPANY_NAME, "pdf_font_family": settings.PDF_FONT_FAMILY, **context}
    if ctx.get("record_url") and "qr_code" not in ctx:
        ctx["qr_code"] = qr_data_uri(ctx["record_url"])
    # Printed forms are the paper forms of a Chinese company: always Chinese labels.
    with translation.override("zh-hans"):
        return render_to_string(template_name, ctx)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a print template to A4 PDF bytes."""
    return html_to_pdf(render_html(template_name, context))


def archive_pdf(record, *, kind: str, title: str, pdf: bytes, by=None, verify_code=None) -> ArchivedDocument:
    """Keep an immutable copy of a PDF with its SHA-256; the same bytes are archived once.

    `verify_code` lets a caller reserve the code before rendering, so the PDF can print the
    QR code of its own verification page.
    """
    digest = sha256_hex(pdf)
    existing = ArchivedDocument.objects.filter(sha256=digest).first()
    if existing:
        return existing
    doc = ArchivedDocument(
        record_type=ContentType.objects.get_for_model(record),
        record_id=record.pk,
        kind=kind,
        title=title,
        sha256=digest,
        size=len(pdf),
        created_by=by,
    )
    if verify_code is not None:
        doc.verify_code = verify_code
    doc.file.save(f"{digest}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            doc.save()
    except IntegrityError:
        return ArchivedDocument.objects.get(sha256=digest)
    return doc


def archives_of(record, kind: str | None = None):
    qs = ArchivedDocument.objects.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=record.pk
    ).order_by("-created_at")
    return qs.filter(kind=kind) if kind else qs


def verify_url(doc: ArchivedDocument) -> str:
    return absolute_url(reverse("aftersales:archive-verify", args=[doc.verify_code]))
