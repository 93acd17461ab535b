"""Master data and the shared records every workflow uses.

Master data: departments, suppliers, customers (单位) with contacts and sites, product
models (型号) with components and warranty periods, serial-numbered units (产品编号),
office cities and their neighbouring cities (周边城市).

Shared records: document sequences, links between records of different workflows,
archived PDFs, signatures and signing links, attachments, one-time form submissions.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from aftersales.base import TrackedModel


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    for day in (start.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise ValueError(start)


# --- organisation -----------------------------------------------------------------


class Department(TrackedModel):
    class Kind(models.TextChoices):
        AFTERSALES = "aftersales", _("after-sales service")
        SALES = "sales", _("sales and marketing")
        FINANCE = "finance", _("finance")
        WAREHOUSE = "warehouse", _("warehouse")
        LOGISTICS = "logistics", _("logistics")
        TECHNICAL = "technical", _("technical department")
        QC = "qc", _("quality control")
        RND = "rnd", _("research and development")
        PRODUCTION = "production", _("production")
        PURCHASING = "purchasing", _("purchasing")
        LEADERSHIP = "leadership", _("company leadership")
        OTHER = "other", _("other")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Supplier(TrackedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OfficeCity(TrackedModel):
    """A city with a company office; on-site commitments are counted in working hours here."""

    name = models.CharField(_("city"), max_length=50, unique=True)
    province = models.CharField(_("province"), max_length=50)

    class Meta:
        verbose_name = _("office city")
        verbose_name_plural = _("office cities")
        ordering = ["province", "name"]

    def __str__(self) -> str:
        return self.name


class NeighbouringCity(TrackedModel):
    """A city next to an office city (周边城市), served on the office city's terms."""

    office = models.ForeignKey(
        OfficeCity, verbose_name=_("office city"), on_delete=models.CASCADE, related_name="neighbours"
    )
    name = models.CharField(_("city"), max_length=50)
    province = models.CharField(_("province"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("neighbouring city")
        verbose_name_plural = _("neighbouring cities")
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="uniq_neighbour_per_office")]
        ordering = ["office", "name"]

    def __str__(self) -> str:
        return self.name


def is_in_office_area(city: str) -> bool:
    """True when the city is an office city or a neighbour of one (the 8-working-hour zone)."""
    city = (city or "").strip()
    if not city:
        return False
    return OfficeCity.objects.filter(name=city).exists() or NeighbouringCity.objects.filter(name=city).exists()


# --- customers --------------------------------------------------------------------


class Customer(TrackedModel):
    """A customer organisation (单位)."""

    code = models.CharField(_("customer code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    province = models.CharField(_("province"), max_length=50, db_index=True)
    city = models.CharField(_("city"), max_length=50, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, db_index=True)
    sales_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sales manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_customers",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Contact(TrackedModel):
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=50)
    title = models.CharField(_("title"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, db_index=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["customer", "-is_primary", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.customer})"


class Site(TrackedModel):
    """A place where the customer's units stand: an address with province and city."""

    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("site name"), max_length=100)
    province = models.CharField(_("province"), max_length=50)
    city = models.CharField(_("city"), max_length=50, db_index=True)
    address = models.CharField(_("address"), max_length=300)
    contact = models.ForeignKey(
        Contact, verbose_name=_("site contact"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["customer", "name"]

    def __str__(self) -> str:
        return f"{self.customer} · {self.name}"

    @property
    def full_address(self) -> str:
        return f"{self.province}{self.city}{self.address}"


# --- products ---------------------------------------------------------------------


class ProductModel(TrackedModel):
    """A product model (型号) and the components whose warranty periods differ."""

    code = models.CharField(_("model code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    brand = models.CharField(_("brand"), max_length=100)
    category = models.CharField(_("category"), max_length=100, blank=True)
    needs_installation = models.BooleanField(_("needs installation on site"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Component(TrackedModel):
    product_model = models.ForeignKey(
        ProductModel, verbose_name=_("product model"), on_delete=models.CASCADE, related_name="components"
    )
    code = models.CharField(_("component code"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    warranty_months = models.PositiveIntegerField(_("warranty period (months)"))
    is_bought_in = models.BooleanField(_("bought-in part"), default=False)
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, null=True, blank=True, related_name="components"
    )
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["product_model", "code"]
        constraints = [models.UniqueConstraint(fields=["product_model", "code"], name="uniq_component_code")]

    def __str__(self) -> str:
        return f"{self.product_model.code}/{self.name}"

    def clean(self):
        if self.is_bought_in and not self.supplier_id:
            raise ValidationError({"supplier": _("A bought-in part needs its supplier.")})


class WarrantyStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("not started (not yet accepted)")
    IN_WARRANTY = "in_warranty", _("in warranty")
    EXPIRED = "expired", _("out of warranty")


@dataclass(frozen=True)
class ComponentWarranty:
    component: Component
    starts: date | None
    ends: date | None
    status: str

    @property
    def status_label(self) -> str:
        return WarrantyStatus(self.status).label


class Unit(TrackedModel):
    """A serial-numbered unit (产品编号). Warranty starts at acceptance (投运日期), per component."""

    serial_number = models.CharField(_("serial number"), max_length=64, unique=True)
    product_model = models.ForeignKey(
        ProductModel, verbose_name=_("product model"), on_delete=models.PROTECT, related_name="units"
    )
    production_date = models.DateField(_("production date"), null=True, blank=True)
    ship_date = models.DateField(_("ship date"), null=True, blank=True)
    acceptance_date = models.DateField(_("acceptance / commissioning date"), null=True, blank=True)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["serial_number"]

    def __str__(self) -> str:
        return self.serial_number

    def clean(self):
        if self.site_id and self.customer_id and self.site.customer_id != self.customer_id:
            raise ValidationError({"site": _("The site belongs to another customer.")})

    def component_warranties(self, on: date | None = None) -> list[ComponentWarranty]:
        """Each component's warranty window and status on a day (today by default)."""
        on = on or timezone.localdate()
        result = []
        for component in self.product_model.components.all():
            if not self.acceptance_date:
                result.append(ComponentWarranty(component, None, None, WarrantyStatus.NOT_STARTED))
                continue
            ends = add_months(self.acceptance_date, component.warranty_months)
            status = WarrantyStatus.IN_WARRANTY if on < ends else WarrantyStatus.EXPIRED
            result.append(ComponentWarranty(component, self.acceptance_date, ends, status))
        return result

    def is_in_warranty(self, component: Component | None = None, on: date | None = None) -> bool:
        """In warranty for one component, or for any component when none is given."""
        return any(
            w.status == WarrantyStatus.IN_WARRANTY
            for w in self.component_warranties(on)
            if component is None or w.component.pk == component.pk
        )


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
