"""Drawn signatures and customer signing links, shared by every form that a person signs.

A signature is an immutable PNG bound to one record and purpose, with the signer's name and
phone, the method (own account / in person on the tablet / customer link), the account the
device was logged in to, time, device and location when the browser gave it.

A signing link is a signed, expiring, single-use URL: the customer opens it on their own
phone without an account. Tampered, expired, revoked or used links are refused.
"""

import base64
import binascii
import re
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.attachments import open_image
from aftersales.forms import bounded_float
from aftersales.models import Signature, SigningLink, sha256_hex
from aftersales.pdf import absolute_url
from aftersales.workflow import RuleViolation, TransitionRefused

SIGNING_SALT = "aftersales.signing-link"
DATA_URL = re.compile(r"^data:image/png;base64,(?P<data>[A-Za-z0-9+/=\s]+)$")
MAX_SIGNATURE_BYTES = 512 * 1024
# The pad is a few hundred CSS pixels drawn at the screen's pixel ratio: far below this.
MAX_SIGNATURE_PIXELS = 4_000_000
MAX_ACCURACY_M = 100_000


def decode_signature_png(data_url: str) -> bytes:
    """Turn the pad's data URL into PNG bytes, refusing empty, malformed or oversized drawings."""
    match = DATA_URL.match((data_url or "").strip())
    if not match:
        raise RuleViolation(_("Please sign in the box: no signature was drawn."))
    try:
        png = base64.b64decode(match["data"], validate=False)
    except (binascii.Error, ValueError):
        raise RuleViolation(_("The signature could not be read. Please sign again.")) from None
    if len(png) > MAX_SIGNATURE_BYTES:
        raise RuleViolation(_("The signature image is too large."))
    try:
        image = open_image(png, name="signature.png", max_pixels=MAX_SIGNATURE_PIXELS)
        image.load()
    except ValidationError:
        raise RuleViolation(_("The signature image is too large.")) from None
    except Exception:
        raise RuleViolation(_("The signature could not be read. Please sign again.")) from None
    # A blank canvas is one colour: refuse it, a signature needs ink.
    (luma_low, luma_high), (alpha_low, alpha_high) = image.convert("LA").getextrema()  # type: ignore[misc]
    if alpha_low == alpha_high and luma_low == luma_high:
        raise RuleViolation(_("Please sign in the box: no signature was drawn."))
    return png


def _coordinate(value, limit: int) -> Decimal | None:
    """A latitude or longitude as stored (6 places), or None when it is no number within ±limit."""
    number = bounded_float(value, -limit, limit)
    return None if number is None else round(Decimal(str(number)), 6)


def _accuracy(value) -> int | None:
    """The position's accuracy in metres, or None when it is no number from 0 to MAX_ACCURACY_M."""
    number = bounded_float(value, 0, MAX_ACCURACY_M)
    return None if number is None else int(number)


def signature_capture(
    record,
    *,
    purpose: str,
    data_url: str,
    signer_name: str,
    method: str,
    signer_phone: str = "",
    signer_user=None,
    captured_by=None,
    request=None,
    latitude=None,
    longitude=None,
    accuracy=None,
) -> Signature:
    """Store a drawn signature for a record; the caller decides whether this signer may sign."""
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise RuleViolation(_("The signer's name is required."))
    png = decode_signature_png(data_url)
    # The browser's position is a hint, never a reason to refuse a signature: a value out of range
    # (or only half of a position) is dropped.
    latitude, longitude = _coordinate(latitude, 90), _coordinate(longitude, 180)
    if latitude is None or longitude is None:
        latitude = longitude = None
    digest = sha256_hex(png)
    sig = Signature(
        record_type=ContentType.objects.get_for_model(record),
        record_id=record.pk,
        purpose=purpose,
        signer_name=signer_name,
        signer_phone=(signer_phone or "").strip(),
        signer_user=signer_user,
        method=method,
        captured_by=captured_by,
        sha256=digest,
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""),
        ip_address=(request.META.get("REMOTE_ADDR") if request else None),
        latitude=latitude,
        longitude=longitude,
        location_accuracy_m=_accuracy(accuracy) if latitude is not None else None,
    )
    sig.image.save(f"{digest}.png", ContentFile(png), save=False)
    sig.save()
    return sig


def signatures_of(record, purpose: str | None = None):
    qs = Signature.objects.filter(record_type=ContentType.objects.get_for_model(record), record_id=record.pk)
    if purpose:
        qs = qs.filter(purpose=purpose)
    return qs.order_by("signed_at", "pk")


def signature_data_uri(sig: Signature | None) -> str:
    """The signature as a data URI, for drawing it into a printed form."""
    if sig is None:
        return ""
    with sig.image.open("rb") as fh:
        return "data:image/png;base64," + base64.b64encode(fh.read()).decode()


def signing_link_create(record, *, purpose: str, by, ttl: timedelta = timedelta(hours=24)) -> tuple[SigningLink, str]:
    """A new single-use link for the record; earlier unused links for the same purpose are revoked."""
    ct = ContentType.objects.get_for_model(record)
    now = timezone.now()
    SigningLink.objects.filter(
        record_type=ct, record_id=record.pk, purpose=purpose, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    link = SigningLink.objects.create(
        record_type=ct, record_id=record.pk, purpose=purpose, expires_at=now + ttl, created_by=by
    )
    return link, signing_link_url(link)


def signing_token(link: SigningLink) -> str:
    return signing.dumps({"n": str(link.nonce), "p": link.purpose}, salt=SIGNING_SALT, compress=True)


def signing_link_url(link: SigningLink) -> str:
    return absolute_url(reverse("aftersales:sign-link", args=[signing_token(link)]))


def signing_link_resolve(token: str, *, lock: bool = False) -> SigningLink:
    """The link behind a token, or a refusal saying why (tampered, expired, used, revoked)."""
    try:
        data = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        raise TransitionRefused(_("This signing link is not valid. Ask the technician for a new one.")) from None
    qs = SigningLink.objects.select_for_update() if lock else SigningLink.objects
    link = qs.filter(nonce=data.get("n"), purpose=data.get("p")).first()
    if link is None:
        raise TransitionRefused(_("This signing link is not valid. Ask the technician for a new one."))
    if link.used_at:
        raise TransitionRefused(_("This signing link has already been used."))
    if link.revoked_at:
        raise TransitionRefused(_("This signing link was replaced by a newer one."))
    if link.expires_at <= timezone.now():
        raise TransitionRefused(_("This signing link has expired. Ask the technician for a new one."))
    return link


@transaction.atomic
def signing_link_consume(token: str) -> SigningLink:
    """Mark a link used; a second use (double submit, shared link) is refused."""
    link = signing_link_resolve(token, lock=True)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link
