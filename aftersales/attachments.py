"""Attachments (photos, scans): type and size checked by content, not by the file name."""

from io import BytesIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from aftersales.models import Attachment

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
PDF_MAGIC = b"%PDF-"


def sniff_content_type(upload, *, allow_pdf: bool = True) -> str:
    """The real type of an uploaded file; raises ValidationError for anything not allowed."""
    from PIL import Image, UnidentifiedImageError

    max_bytes = settings.ATTACHMENT_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": upload.name, "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if allow_pdf and head.startswith(PDF_MAGIC):
        return "application/pdf"
    try:
        with Image.open(BytesIO(upload.read())) as image:
            image.verify()
            fmt = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        fmt = None
    finally:
        upload.seek(0)
    if fmt not in IMAGE_TYPES:
        allowed = "JPEG, PNG, WEBP, GIF" + (", PDF" if allow_pdf else "")
        raise ValidationError(
            _("“%(name)s” is not an accepted file type (%(allowed)s).") % {"name": upload.name, "allowed": allowed}
        )
    return IMAGE_TYPES[fmt]


def attachment_add(record, upload, *, by, caption: str = "", allow_pdf: bool = True) -> Attachment:
    """Attach a validated file to a record."""
    content_type = sniff_content_type(upload, allow_pdf=allow_pdf)
    att = Attachment(
        record_type=ContentType.objects.get_for_model(record),
        record_id=record.pk,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        caption=caption[:200],
        created_by=by,
        updated_by=by,
    )
    att.file.save(upload.name, upload, save=False)
    att.save()
    return att


def attachments_of(record):
    return Attachment.objects.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=record.pk
    ).order_by("created_at", "pk")


def user_may_view_record(user, record) -> bool:
    """Files follow their record: whoever may view the record may view its files."""
    if user.is_superuser:
        return True
    opts = record._meta
    checker = getattr(record, "user_may_view", None)
    if callable(checker):
        return bool(checker(user))
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
