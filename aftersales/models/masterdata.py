"""Master data and the shared records every workflow uses.

Master data: departments, suppliers, customers (单位) with contacts and sites, product
models (型号) with components and warranty periods, serial-numbered units (产品编号),
office cities and their neighbouring cities (周边城市).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.base import NaturalKeyManager, TrackedModel


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

    objects = NaturalKeyManager("code")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class Supplier(TrackedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = NaturalKeyManager("code")

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class OfficeCity(TrackedModel):
    """A city with a company office; on-site commitments are counted in working hours here."""

    name = models.CharField(_("city"), max_length=50, unique=True)
    province = models.CharField(_("province"), max_length=50)

    objects = NaturalKeyManager("name")

    class Meta:
        verbose_name = _("office city")
        verbose_name_plural = _("office cities")
        ordering = ["province", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class NeighbouringCity(TrackedModel):
    """A city next to an office city (周边城市), served on the office city's terms."""

    office = models.ForeignKey(
        OfficeCity, verbose_name=_("office city"), on_delete=models.CASCADE, related_name="neighbours"
    )
    name = models.CharField(_("city"), max_length=50)
    province = models.CharField(_("province"), max_length=50, blank=True)

    objects = NaturalKeyManager("office__name", "name")

    class Meta:
        verbose_name = _("neighbouring city")
        verbose_name_plural = _("neighbouring cities")
        constraints = [models.UniqueConstraint(fields=["office", "name"], name="uniq_neighbour_per_office")]
        ordering = ["office", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.office.name, self.name)


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

    objects = NaturalKeyManager("code")

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def natural_key(self) -> tuple[str]:
        return (self.code,)


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

    objects = NaturalKeyManager("product_model__code", "code")

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["product_model", "code"]
        constraints = [models.UniqueConstraint(fields=["product_model", "code"], name="uniq_component_code")]

    def __str__(self) -> str:
        return f"{self.product_model.code}/{self.name}"

    def natural_key(self) -> tuple[str, str]:
        return (self.product_model.code, self.code)

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
        return str(WarrantyStatus(self.status).label)


# Other apps may set a component's warranty window of one unit by hand (e.g. a replacement
# unit inherits the old unit's remaining warranty): each source maps component id → (starts, ends).
WarrantyOverrideSource = Callable[["Unit"], dict[int, tuple[date, date]]]
_warranty_override_sources: list[WarrantyOverrideSource] = []


def register_warranty_override_source(source: WarrantyOverrideSource) -> None:
    if source not in _warranty_override_sources:
        _warranty_override_sources.append(source)


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
        if self.site is not None and self.customer_id and self.site.customer_id != self.customer_id:
            raise ValidationError({"site": _("The site belongs to another customer.")})

    def component_warranties(self, on: date | None = None) -> list[ComponentWarranty]:
        """Each component's warranty window and status on a day (today by default)."""
        on = on or timezone.localdate()
        overrides: dict[int, tuple[date, date]] = {}
        if self.pk:
            for source in _warranty_override_sources:
                overrides.update(source(self))
        result = []
        for component in self.product_model.components.all():
            if component.pk in overrides:
                starts, ends = overrides[component.pk]
                status = WarrantyStatus.IN_WARRANTY if on < ends else WarrantyStatus.EXPIRED
                result.append(ComponentWarranty(component, starts, ends, status))
                continue
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


class DefectCode(TrackedModel):
    """A kind of defect (per component, or for any component) used by the repeat-repair rule."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    component = models.ForeignKey(
        "aftersales.Component",
        verbose_name=_("component"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="defect_codes",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("defect code")
        verbose_name_plural = _("defect codes")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
