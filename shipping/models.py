"""发货流程 (seed section 二): payment received → shipment request → delivery note → units
shipped → waybill → arrival → customer receipt.

A Shipment is the 发货申请单 (number FH-...); the 发货单 finance issues for it gets its own
number (FD-...) in `delivery_note_number`, drawn when the note is issued.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from aftersales.base import NumberedModel, TrackedModel
from aftersales.models import Customer, ProductModel, Site, Unit
from aftersales.workflow import system_step

DELIVERY_NOTE_PREFIX = "FD"
LATE_DELIVERY_RATE = Decimal("0.005")  # 承诺 4: 每天迟交货物交货价的0.5%


@dataclass(frozen=True)
class LateDelivery:
    days: int  # days after the contract's delivery date (0: on time so far)
    penalty: Decimal  # delivery price × 0.5% × days
    delivered: bool  # False: still counting (the goods have not arrived)


class Payment(TrackedModel):
    """货款到账: the customer's payment as finance sees it on the account."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        CONFIRMED = "confirmed", _("confirmed")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="shipping_payments"
    )
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("payment received on"))
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    status = FSMField(_("status"), default=Status.RECORDED, choices=Status.choices, protected=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment received")
        verbose_name_plural = _("payments received")
        permissions = [("confirm_payment", _("Can confirm a payment received"))]
        indexes = [models.Index(fields=["customer", "status", "-received_on"], name="ship_pay_cust_idx")]

    def __str__(self) -> str:
        return f"{self.customer} · ¥{self.amount} · {self.received_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("shipping:payment-list")

    @transition(
        field=status,
        source=Status.RECORDED,
        target=Status.CONFIRMED,
        permission="shipping.confirm_payment",
        custom={"label": _("Confirm payment")},
    )
    def confirm(self, *, by):
        self.confirmed_by, self.confirmed_at = by, timezone.now()


class Shipment(NumberedModel):
    """发货申请单 and everything that happens to the goods until the customer has them."""

    NUMBER_PREFIX = "FH"

    class Status(models.TextChoices):
        REQUESTED = "requested", _("request filed")
        NOTE_ISSUED = "note_issued", _("delivery note issued")
        COPIES_RECEIVED = "copies_received", _("delivery note with after-sales")
        DISPATCHED = "dispatched", _("units shipped")
        IN_TRANSIT = "in_transit", _("in transit")
        ARRIVED = "arrived", _("arrived")
        RECEIVED = "received", _("receipt confirmed")
        CANCELLED = "cancelled", _("cancelled")

    class Installation(models.TextChoices):
        NONE = "none", _("no installation waiting")
        PENDING = "pending", _("waiting for installation")
        JOB_OPENED = "job_opened", _("installation job opened")
        INSTALLED = "installed", _("installation recorded")

    class ReceiptMethod(models.TextChoices):
        PHONE = "phone", _("by phone")
        SIGNED_NOTE = "signed_note", _("signed delivery note returned")
        MESSAGE = "message", _("by message or e-mail")
        ON_SITE = "on_site", _("on site")

    class Kind(models.TextChoices):
        SALE = "sale", _("sale")
        REPAIR_RETURN = "repair_return", _("repaired unit going back")
        REPLACEMENT = "replacement", _("replacement unit")

    CANCELLABLE = (Status.REQUESTED, Status.NOTE_ISSUED, Status.COPIES_RECEIVED)

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.SALE)
    # A sale ships against a confirmed payment; a repaired or replacement unit goes back free
    # (三包) and carries one existing unit, recorded by serial number (form B).
    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment received"),
        on_delete=models.PROTECT,
        related_name="shipments",
        null=True,
        blank=True,
    )
    carried_unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit carried"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="+")
    contact_name = models.CharField(_("contact on site"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    requested_ship_date = models.DateField(_("requested ship date"))
    # 承诺 4 交货期和违约处罚: when the contract names a delivery date, each day the goods arrive
    # later costs 0.5% of their delivery price, until delivered (see late_delivery()).
    contract_delivery_date = models.DateField(_("contract delivery date"), null=True, blank=True)
    delivery_price = models.DecimalField(
        _("delivery price of the goods"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    status = FSMField(_("status"), default=Status.REQUESTED, choices=Status.choices, protected=True)

    delivery_note_number = models.CharField(_("delivery note number"), max_length=32, blank=True, db_index=True)
    note_issued_at = models.DateTimeField(_("delivery note issued at"), null=True, blank=True)
    copies_received_at = models.DateTimeField(_("copies received at"), null=True, blank=True)
    # 售后部向物流人员、库房人员各提交1份《发货单》: each acknowledges its own copy.
    warehouse_copy_at = models.DateTimeField(_("warehouse copy received at"), null=True, blank=True)
    warehouse_copy_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("warehouse copy received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    logistics_copy_at = models.DateTimeField(_("logistics copy received at"), null=True, blank=True)
    logistics_copy_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logistics copy received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dispatched_at = models.DateTimeField(_("units recorded at"), null=True, blank=True)
    ship_date = models.DateField(_("ship date"), null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    waybill_number = models.CharField(_("waybill number"), max_length=64, blank=True, db_index=True)
    expected_arrival = models.DateField(_("expected arrival"), null=True, blank=True)
    waybill_returned_at = models.DateTimeField(_("waybill returned at"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    receipt_confirmed_by = models.CharField(_("receipt confirmed by (customer)"), max_length=50, blank=True)
    receipt_method = models.CharField(_("how confirmed"), max_length=20, choices=ReceiptMethod.choices, blank=True)
    receipt_confirmed_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    # 待安装 as its own small state machine beside `status`: set at receipt when no installation
    # job could be opened, left when the job is opened or the installation is recorded.
    installation = FSMField(_("installation"), default=Installation.NONE, choices=Installation.choices, protected=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shipment request")
        verbose_name_plural = _("shipment requests")
        permissions = [
            ("issuenote_shipment", _("Can issue the delivery note")),
            ("receivenote_shipment", _("Can receive the delivery note copies")),
            ("dispatch_shipment", _("Can record the units shipped")),
            ("returnwaybill_shipment", _("Can hand back the waybill")),
            ("track_shipment", _("Can track arrival")),
            ("confirmreceipt_shipment", _("Can confirm the customer's receipt")),
            ("reportmissingparts_shipment", _("Can record missing parts at unpacking")),
            ("cancel_shipment", _("Can cancel a shipment request")),
            ("ackwarehousecopy_shipment", _("Can acknowledge the warehouse's copy of the delivery note")),
            ("acklogisticscopy_shipment", _("Can acknowledge the logistics' copy of the delivery note")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="sale", payment__isnull=False)
                | (~models.Q(kind="sale") & models.Q(carried_unit__isnull=False)),
                name="ship_sale_paid_or_unit_carried",
            )
        ]
        # The list pages by (created_at, id) newest first, optionally narrowed by status or
        # customer; overdue = in transit with expected_arrival before today.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="ship_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="ship_status_created_idx"),
            models.Index(fields=["customer", "-created_at", "-id"], name="ship_customer_created_idx"),
            models.Index(fields=["status", "expected_arrival"], name="ship_status_eta_idx"),
            # 待安装 is a handful of rows among a million received ones: a partial index finds them.
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(installation="pending"),
                name="ship_install_pending_idx",
            ),
            # The copies still to acknowledge: few rows among many, for the two 待办 cards.
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(copies_received_at__isnull=False, warehouse_copy_at__isnull=True)
                & ~models.Q(status="cancelled"),
                name="ship_wh_copy_open_idx",
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(copies_received_at__isnull=False, logistics_copy_at__isnull=True)
                & ~models.Q(status="cancelled"),
                name="ship_lg_copy_open_idx",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("shipping:shipment-detail", args=[self.pk])

    @property
    def units(self):
        """The aftersales Units shipped (the contract of the shipment.received event)."""
        if self.kind != self.Kind.SALE:
            if self.carried_unit_id is None:
                return Unit.objects.none()
            return Unit.objects.filter(pk=self.carried_unit_id).select_related("product_model")
        return Unit.objects.filter(shipment_entry__shipment=self).select_related("product_model")

    def late_delivery(self, today: date | None = None) -> "LateDelivery | None":
        """Days late against the contract's delivery date and the penalty they cost (None: no date)."""
        if self.contract_delivery_date is None or self.status == self.Status.CANCELLED:
            return None
        delivered = self.arrived_on or today or timezone.localdate()
        days = max(0, (delivered - self.contract_delivery_date).days)
        price = self.delivery_price or Decimal("0")
        penalty = (price * LATE_DELIVERY_RATE * days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return LateDelivery(days=days, penalty=penalty, delivered=self.arrived_on is not None)

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.IN_TRANSIT
            and self.expected_arrival is not None
            and self.expected_arrival < timezone.localdate()
        )

    @property
    def is_cancellable(self) -> bool:
        return self.status in self.CANCELLABLE

    @transition(
        field=status,
        source=Status.REQUESTED,
        target=Status.NOTE_ISSUED,
        permission="shipping.issuenote_shipment",
        custom={"label": _("Issue delivery note")},
    )
    def issue_delivery_note(self, *, note_number: str):
        self.delivery_note_number, self.note_issued_at = note_number, timezone.now()

    @transition(
        field=status,
        source=Status.NOTE_ISSUED,
        target=Status.COPIES_RECEIVED,
        permission="shipping.receivenote_shipment",
        custom={"label": _("Two copies received")},
    )
    def receive_copies(self):
        self.copies_received_at = timezone.now()

    @transition(
        field=status,
        source=Status.COPIES_RECEIVED,
        target=Status.DISPATCHED,
        permission="shipping.dispatch_shipment",
        custom={"label": _("Record units shipped")},
    )
    def dispatch(self, *, ship_date):
        self.ship_date, self.dispatched_at = ship_date, timezone.now()

    @transition(
        field=status,
        source=Status.DISPATCHED,
        target=Status.IN_TRANSIT,
        permission="shipping.returnwaybill_shipment",
        custom={"label": _("Hand back waybill")},
    )
    def return_waybill(self, *, carrier: str, waybill_number: str, expected_arrival):
        self.carrier, self.waybill_number, self.expected_arrival = carrier, waybill_number, expected_arrival
        self.waybill_returned_at = timezone.now()

    @transition(
        field=status,
        source=Status.IN_TRANSIT,
        target=Status.ARRIVED,
        permission="shipping.track_shipment",
        custom={"label": _("Record arrival")},
    )
    def record_arrival(self, *, arrived_on):
        self.arrived_on = arrived_on

    @transition(
        field=status,
        source=Status.ARRIVED,
        target=Status.RECEIVED,
        permission="shipping.confirmreceipt_shipment",
        custom={"label": _("Confirm customer receipt")},
    )
    def confirm_receipt(self, *, confirmed_by: str, receipt_method: str, confirmed_at):
        # `receipt_method`, not `method`: django-fsm's change_state takes `method` itself.
        self.receipt_confirmed_by, self.receipt_method = confirmed_by, receipt_method
        self.receipt_confirmed_at = confirmed_at

    @property
    def installation_pending(self) -> bool:
        return self.installation == self.Installation.PENDING

    # System steps: what the receipt leads to is decided by whether an installation job opened.
    @transition(
        field=installation,
        source=Installation.NONE,
        target=Installation.PENDING,
        permission=system_step,
        custom={"label": _("Wait for installation")},
    )
    def await_installation(self):
        pass

    @transition(
        field=installation,
        source=[Installation.NONE, Installation.PENDING],
        target=Installation.JOB_OPENED,
        permission=system_step,
        custom={"label": _("Installation job opened")},
    )
    def installation_job_opened(self):
        pass

    @transition(
        field=installation,
        source=Installation.PENDING,
        target=Installation.INSTALLED,
        permission="shipping.confirmreceipt_shipment",
        custom={"label": _("Record the installation")},
    )
    def record_installation(self):
        pass

    @transition(
        field=installation,
        source=Installation.JOB_OPENED,
        target=Installation.INSTALLED,
        permission=system_step,
        custom={"label": _("Installed by the service job")},
    )
    def installed_by_job(self):
        pass

    @transition(
        field=status,
        source=list(CANCELLABLE),
        target=Status.CANCELLED,
        permission="shipping.cancel_shipment",
        custom={"label": _("Cancel"), "danger": True},
    )
    def cancel(self, *, reason_text: str):
        self.cancel_reason, self.cancelled_at = reason_text, timezone.now()


class ShipmentLine(TrackedModel):
    """One product model and quantity requested."""

    shipment = models.ForeignKey(Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="lines")
    product_model = models.ForeignKey(
        ProductModel, verbose_name=_("product model"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        verbose_name = _("requested line")
        verbose_name_plural = _("requested lines")
        ordering = ["shipment", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "product_model"], name="ship_line_one_per_model"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="ship_line_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product_model.code} × {self.quantity}"


class ShippedUnit(TrackedModel):
    """A unit that left with a shipment; the one-to-one is what ships a serial only once."""

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.PROTECT, related_name="shipped_units"
    )
    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="shipment_entry")
    production_date = models.DateField(_("production date"))
    ship_date = models.DateField(_("ship date"))
    was_in_stock = models.BooleanField(_("taken from stock"), default=True)

    class Meta:
        verbose_name = _("unit shipped")
        verbose_name_plural = _("units shipped")
        ordering = ["shipment", "pk"]

    def __str__(self) -> str:
        return str(self.unit)


class TrackingNote(TrackedModel):
    """A dated note while after-sales follows the goods by the waybill."""

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="tracking_notes"
    )
    noted_on = models.DateField(_("date"))
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("tracking note")
        verbose_name_plural = _("tracking notes")
        ordering = ["shipment", "-noted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.noted_on:%Y-%m-%d} {self.text[:30]}"


class MissingPartsReport(TrackedModel):
    """开箱缺件: parts missing when the customer unpacked; supplied free (service desk case)."""

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("shipment"), on_delete=models.CASCADE, related_name="missing_parts"
    )
    description = models.TextField(_("missing parts"))

    class Meta:
        verbose_name = _("missing parts report")
        verbose_name_plural = _("missing parts reports")
        ordering = ["shipment", "pk"]

    def __str__(self) -> str:
        return self.description[:50]
