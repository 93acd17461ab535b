"""Attachments (photos, scans): type and size checked by content, not by the file name.

An image is refused when it has more pixels than MAX_IMAGE_PIXELS (decoding it would take
gigabytes: a 30000×30000 PNG is a few KB on disk), and stored downscaled to MAX_STORED_SIDE on its
long side (a phone photo needs no more on a screen or in a printed form), turned upright by its
EXIF orientation, in the format it came in.
"""

import warnings
from io import BytesIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from aftersales.models import Attachment

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/pdf": "pdf",
}
PDF_MAGIC = b"%PDF-"
MAX_IMAGE_PIXELS = 40_000_000
MAX_STORED_SIDE = 2400
# Everything Pillow raises for a file it cannot read (truncated, corrupt, lying about its type).
UNREADABLE = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, MemoryError)


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” has too many pixels (at most %(limit)s million). Take a smaller photo.")
        % {"name": name, "limit": MAX_IMAGE_PIXELS // 1_000_000}
    )


def open_image(data: bytes, *, name: str, max_pixels: int = MAX_IMAGE_PIXELS):
    """The image in `data`, not yet decoded; ValidationError when it has too many pixels.

    Pillow's own decompression-bomb check (a warning, then an error at twice its limit) is made
    an error here: an image past it is refused like any other that is too large.
    """
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(name) from None
    if image.width * image.height > max_pixels:
        image.close()
        raise _too_many_pixels(name)
    return image


def sniff_content_type(upload, *, allow_pdf: bool = True) -> str:
    """The real type of an uploaded file; raises ValidationError for anything not allowed."""
    from PIL import UnidentifiedImageError

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
        with open_image(upload.read(), name=upload.name) as image:
            image.verify()
            fmt = image.format
    except (UnidentifiedImageError, *UNREADABLE):
        fmt = None
    finally:
        upload.seek(0)
    if fmt not in IMAGE_TYPES:
        allowed = "JPEG, PNG, WEBP, GIF" + (", PDF" if allow_pdf else "")
        raise ValidationError(
            _("“%(name)s” is not an accepted file type (%(allowed)s).") % {"name": upload.name, "allowed": allowed}
        )
    return IMAGE_TYPES[fmt]


def fit_image(data: bytes, *, name: str, max_side: int = MAX_STORED_SIDE) -> bytes | None:
    """The image downscaled to `max_side` on its long side and turned upright, in its own format;
    None when it is small enough to keep as it came."""
    from PIL import ImageOps

    try:
        with open_image(data, name=name) as image:
            if max(image.size) <= max_side:
                return None
            fmt = image.format
            image.draft(image.mode, (max_side, max_side))  # JPEG: decode at a fraction of the size
            image.thumbnail((max_side, max_side))
            upright = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            out = BytesIO()
            upright.save(out, format=fmt, **({"quality": 85} if fmt in ("JPEG", "WEBP") else {}))
            return out.getvalue()
    except UNREADABLE:
        raise ValidationError(_("“%(name)s” could not be read as an image.") % {"name": name}) from None


def attachment_add(record, upload, *, by, caption: str = "", allow_pdf: bool = True) -> Attachment:
    """Attach a validated file to a record; a large image is stored downscaled."""
    content_type = sniff_content_type(upload, allow_pdf=allow_pdf)
    content, size = upload, upload.size
    if content_type in IMAGE_TYPES.values():
        upload.seek(0)
        smaller = fit_image(upload.read(), name=upload.name)
        upload.seek(0)
        if smaller is not None:
            content, size = ContentFile(smaller), len(smaller)
    att = Attachment(
        record_type=ContentType.objects.get_for_model(record),
        record_id=record.pk,
        original_name=upload.name[:200],
        content_type=content_type,
        size=size,
        caption=caption[:200],
        created_by=by,
        updated_by=by,
    )
    # The stored name is made from the real type: the client's name may be anything.
    att.file.save(f"upload.{EXTENSIONS[content_type]}", content, save=False)
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
