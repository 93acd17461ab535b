"""Shared records every workflow uses: document sequences, links between records of
different workflows, archived PDFs, signatures and signing links, attachments, one-time
form submissions."""

import hashlib
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.base import TrackedModel

# --- shared records ---------------------------------------------------------------


class DocumentSequence(models.Model):
    """The last number issued per document prefix and day; rows are locked while drawing."""

    prefix = models.CharField(max_length=10)
    period = models.CharField(max_length=8)
    last_value = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document sequence")
        verbose_name_plural = _("document sequences")
        constraints = [models.UniqueConstraint(fields=["prefix", "period"], name="uniq_sequence_period")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.period}: {self.last_value}"


class RecordLink(models.Model):
    """A link between two records of different workflows (case → trip, shipment → job, …)."""

    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(_("kind"), max_length=40)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("record link")
        verbose_name_plural = _("record links")
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="link_source_idx"),
            models.Index(fields=["target_type", "target_id"], name="link_target_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "target_type", "target_id", "kind"], name="uniq_record_link"
            )
        ]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ImmutableRecordError(Exception):
    pass


class ImmutableModel(models.Model):
    """A record that, once written, is never changed or deleted (archives, signatures)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            raise ImmutableRecordError(f"{self.__class__.__name__} {self.pk} is immutable")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError(f"{self.__class__.__name__} {self.pk} is immutable")


def archive_upload_to(instance, filename):
    return f"archive/{timezone.now():%Y/%m}/{instance.sha256}.pdf"


class ArchivedDocument(ImmutableModel):
    """An immutable PDF of a signed or approved form, with its SHA-256."""

    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    kind = models.CharField(_("document kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=archive_upload_to)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveIntegerField(_("size (bytes)"))
    verify_code = models.UUIDField(_("verification code"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("archived at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("archived document")
        verbose_name_plural = _("archived documents")
        indexes = [models.Index(fields=["record_type", "record_id"], name="archive_record_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.sha256[:12]})"


def signature_upload_to(instance, filename):
    return f"signatures/{timezone.now():%Y/%m}/{instance.sha256}.png"


class Signature(ImmutableModel):
    """A drawn signature, bound to one record and purpose, with who, how, when and where."""

    class Method(models.TextChoices):
        ACCOUNT = "account", _("signed in own account")
        TABLET = "tablet", _("signed in person on the technician's tablet")
        LINK = "link", _("signed through a customer link on own device")

    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    purpose = models.CharField(_("purpose"), max_length=40)
    signer_name = models.CharField(_("signer name"), max_length=50)
    signer_phone = models.CharField(_("signer phone"), max_length=30, blank=True)
    signer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    # The account logged in on the device when the signature was captured (the technician's
    # tablet), kept apart from the signer so the record shows both.
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured on the account of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    image = models.FileField(_("signature image"), upload_to=signature_upload_to)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    user_agent = models.CharField(_("device"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_accuracy_m = models.PositiveIntegerField(_("location accuracy (m)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        indexes = [models.Index(fields=["record_type", "record_id", "purpose"], name="signature_record_idx")]

    def __str__(self) -> str:
        return f"{self.signer_name} · {self.signed_at:%Y-%m-%d %H:%M}"


class SigningLink(models.Model):
    """A signed, expiring, single-use link that lets a customer sign without an account."""

    nonce = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    record_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    purpose = models.CharField(_("purpose"), max_length=40)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signing link")
        verbose_name_plural = _("signing links")
        indexes = [models.Index(fields=["record_type", "record_id", "purpose"], name="signlink_record_idx")]


def attachment_upload_to(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Attachment(TrackedModel):
    """A photo or document attached to a record (fault photos, progress photos, receipts)."""

    record_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["record_type", "record_id"], name="attachment_record_idx")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class FormSubmission(models.Model):
    """One row per submitted form token: a double submit finds the first result instead."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+")
    result_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, related_name="+")
    result_id = models.PositiveBigIntegerField(null=True)
    result = GenericForeignKey("result_type", "result_id")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
