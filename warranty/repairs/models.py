"""返厂维修, 产品更换, 产品返回 (seed 售后服务部工作内容及流程 一.4–6) and the parts used on repairs.

The 三包 promises (产品质量保证及售后服务承诺 四): in warranty repair, replace or refund; the same
defect repaired three times → a new unit of the same brand and model; out of warranty the
customer pays the parts at cost and no labour (where the contract says so: RepairBillingPolicy).
Form B: units going back for repair are recorded by serial number — every record here names
the unit by serial.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from aftersales.base import NumberedModel, TrackedModel
from aftersales.workflow import system_step

__all__ = [
    "FactoryRepair",
    "ProductReturn",
    "RepairBillingPolicy",
    "RepairFinding",
    "RepairPart",
    "Replacement",
    "UnitWarrantyOverride",
]

USER = settings.AUTH_USER_MODEL


def _user_fk(verbose_name):
    return models.ForeignKey(
        USER, verbose_name=verbose_name, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )


class RepairBillingPolicy(TrackedModel):
    """How paid repairs are billed and replacements warranted, per customer (or the default)."""

    customer = models.OneToOneField(
        "aftersales.Customer",
        verbose_name=_("customer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="repair_billing_policy",
        help_text=_("Leave empty for the default policy."),
    )
    parts_at_cost_no_labour = models.BooleanField(
        _("out of warranty: parts at cost, no labour charge"),
        default=True,
        help_text=_("The 三包 promise: out of warranty only the parts are charged, at cost."),
    )
    labour_rate = models.DecimalField(_("labour rate (yuan per hour)"), max_digits=10, decimal_places=2, default=0)
    fresh_warranty_on_replacement = models.BooleanField(
        _("a replacement unit starts a fresh warranty"),
        default=False,
        help_text=_("Otherwise the new unit inherits the remaining warranty of the old one, per component."),
    )

    class Meta:
        verbose_name = _("repair billing policy")
        verbose_name_plural = _("repair billing policies")
        constraints = [
            models.UniqueConstraint(
                fields=["parts_at_cost_no_labour"],
                condition=Q(customer__isnull=True),
                name="repair_one_default_policy",
            )
        ]

    def __str__(self) -> str:
        return str(self.customer) if self.customer_id else str(_("default policy"))

    @classmethod
    def for_customer(cls, customer) -> "RepairBillingPolicy":
        policy = None
        if customer is not None:
            policy = cls.objects.filter(customer=customer).first()
        return policy or cls.objects.filter(customer__isnull=True).first() or cls()


class UnitWarrantyOverride(TrackedModel):
    """A component's warranty window set by hand, e.g. inherited by a replacement unit."""

    unit = models.ForeignKey(
        "aftersales.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="warranty_overrides"
    )
    component = models.ForeignKey(
        "aftersales.Component", verbose_name=_("component"), on_delete=models.CASCADE, related_name="+"
    )
    starts = models.DateField(_("warranty starts"))
    ends = models.DateField(_("warranty ends"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit warranty override")
        verbose_name_plural = _("unit warranty overrides")
        constraints = [models.UniqueConstraint(fields=["unit", "component"], name="repair_one_override")]

    def __str__(self) -> str:
        return f"{self.unit} {self.component} {self.starts}–{self.ends}"


class FactoryRepair(NumberedModel):
    """返厂维修单: the unit travels to the factory, QC diagnoses and repairs it, it ships back."""

    NUMBER_PREFIX = "FX"

    class Status(models.TextChoices):
        AWAITING = "awaiting", _("waiting for the unit")
        INBOUND = "inbound", _("on its way to the factory")
        RECEIVED = "received", _("received at the warehouse")
        DIAGNOSED = "diagnosed", _("diagnosed")
        QUOTED = "quoted", _("fee quoted, waiting for the customer")
        ACCEPTED = "accepted", _("fee accepted by the customer")
        REPAIRED = "repaired", _("repaired")
        TESTED = "tested", _("test passed")
        SHIPPED = "shipped", _("shipped back")
        CLOSED = "closed", _("closed")
        CANCELLED = "cancelled", _("cancelled")

    class AcceptanceMethod(models.TextChoices):
        PHONE = "phone", _("by phone")
        WRITTEN = "written", _("in writing (signed quote)")
        MESSAGE = "message", _("by message or e-mail")

    status = FSMField(_("status"), default=Status.AWAITING, choices=Status.choices, protected=True)
    case = models.ForeignKey(
        "servicedesk.ServiceCase",
        verbose_name=_("service case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="factory_repairs",
    )
    unit = models.ForeignKey(
        "aftersales.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="factory_repairs"
    )
    customer = models.ForeignKey(
        "aftersales.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="factory_repairs"
    )
    site = models.ForeignKey(
        "aftersales.Site", verbose_name=_("site"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fault_description = models.TextField(_("fault symptoms"))

    inbound_carrier = models.CharField(_("inbound carrier"), max_length=100, blank=True)
    inbound_waybill = models.CharField(_("inbound waybill number"), max_length=64, blank=True, db_index=True)
    received_by = _user_fk(_("received by"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    arrival_condition = models.TextField(_("condition on arrival"), blank=True)
    accessories_received = models.CharField(_("accessories received"), max_length=300, blank=True)

    findings = models.TextField(_("findings"), blank=True)
    diagnosed_by = _user_fk(_("diagnosed by"))
    diagnosed_at = models.DateTimeField(_("diagnosed at"), null=True, blank=True)
    is_paid = models.BooleanField(_("paid repair"), default=False)

    fee_amount = models.DecimalField(_("fee (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    fee_quoted_by = _user_fk(_("fee recorded by"))
    fee_quoted_at = models.DateTimeField(_("fee recorded at"), null=True, blank=True)
    fee_accepted_by = models.CharField(_("fee accepted by (customer)"), max_length=50, blank=True)
    fee_accepted_at = models.DateTimeField(_("fee accepted at"), null=True, blank=True)
    fee_acceptance_method = models.CharField(
        _("how the fee was accepted"), max_length=10, choices=AcceptanceMethod.choices, blank=True
    )

    work_done = models.TextField(_("work done"), blank=True)
    labour_hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    technician = _user_fk(_("technician"))
    repaired_at = models.DateTimeField(_("repaired at"), null=True, blank=True)
    test_notes = models.TextField(_("test result"), blank=True)
    tested_by = _user_fk(_("tested by"))
    tested_at = models.DateTimeField(_("tested at"), null=True, blank=True)
    return_shipment = models.ForeignKey(
        "shipping.Shipment",
        verbose_name=_("return shipment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("factory repair order")
        verbose_name_plural = _("factory repair orders")
        permissions = [
            ("inbound_factoryrepair", _("Can record the inbound waybill")),
            ("receive_factoryrepair", _("Can receive a unit for factory repair")),
            ("diagnose_factoryrepair", _("Can diagnose a factory repair")),
            ("quote_factoryrepair", _("Can record the repair fee")),
            ("accept_factoryrepair", _("Can record the customer's acceptance of the fee")),
            ("repair_factoryrepair", _("Can record the repair and the test")),
            ("ship_factoryrepair", _("Can ship a repaired unit back")),
            ("cancel_factoryrepair", _("Can cancel a factory repair order")),
            ("draw_repairpart", _("Can record parts drawn for a repair")),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="fx_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="fx_status_created_idx"),
            models.Index(fields=["unit", "created_at"], name="fx_unit_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("repairs:repair-detail", args=[self.pk])

    def user_may_view(self, user) -> bool:
        return user.has_perm("repairs.view_factoryrepair")

    @property
    def fee_gate_passed(self) -> bool:
        """A paid repair starts only after the customer accepted the fee (seed 四: 告知用户应承担的维修费用)."""
        return not self.is_paid or bool(self.fee_accepted_at)

    @transition(
        field=status,
        source=Status.AWAITING,
        target=Status.INBOUND,
        permission="repairs.inbound_factoryrepair",
        custom={"label": _("Record the inbound waybill")},
    )
    def record_inbound(self, *, carrier: str, waybill: str):
        self.inbound_carrier, self.inbound_waybill = carrier, waybill

    @transition(
        field=status,
        source=[Status.AWAITING, Status.INBOUND],
        target=Status.RECEIVED,
        permission="repairs.receive_factoryrepair",
        custom={"label": _("Receive the unit")},
    )
    def receive(self, *, by, condition: str, accessories: str):
        self.received_by, self.received_at = by, timezone.now()
        self.arrival_condition, self.accessories_received = condition, accessories

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=Status.DIAGNOSED,
        permission="repairs.diagnose_factoryrepair",
        custom={"label": _("Record the diagnosis")},
    )
    def diagnose(self, *, by, findings: str, is_paid: bool):
        self.findings, self.is_paid = findings, is_paid
        self.diagnosed_by, self.diagnosed_at = by, timezone.now()

    @transition(
        field=status,
        source=Status.DIAGNOSED,
        target=Status.QUOTED,
        permission="repairs.quote_factoryrepair",
        conditions=[lambda obj: getattr(obj, "is_paid", False)],
        custom={"label": _("Record the fee")},
    )
    def quote_fee(self, *, by, amount: Decimal):
        self.fee_amount, self.fee_quoted_by, self.fee_quoted_at = amount, by, timezone.now()

    @transition(
        field=status,
        source=Status.QUOTED,
        target=Status.ACCEPTED,
        permission="repairs.accept_factoryrepair",
        custom={"label": _("Customer accepted the fee")},
    )
    def accept_fee(self, *, accepted_by: str, accepted_at, how: str):
        self.fee_accepted_by, self.fee_accepted_at, self.fee_acceptance_method = accepted_by, accepted_at, how

    @transition(
        field=status,
        source=[Status.DIAGNOSED, Status.ACCEPTED],
        target=Status.REPAIRED,
        permission="repairs.repair_factoryrepair",
        conditions=[lambda obj: getattr(obj, "fee_gate_passed", False)],
        custom={"label": _("Record the repair")},
    )
    def repair(self, *, work_done: str, hours: Decimal, technician):
        self.work_done, self.labour_hours, self.technician = work_done, hours, technician
        self.repaired_at = timezone.now()

    @transition(
        field=status,
        source=Status.REPAIRED,
        target=Status.TESTED,
        permission="repairs.repair_factoryrepair",
        custom={"label": _("Test passed")},
    )
    def pass_test(self, *, by, notes: str):
        self.test_notes, self.tested_by, self.tested_at = notes, by, timezone.now()

    @transition(
        field=status,
        source=Status.TESTED,
        target=Status.SHIPPED,
        permission="repairs.ship_factoryrepair",
        custom={"label": _("Ship back to the customer")},
    )
    def ship_back(self, *, shipment):
        self.return_shipment = shipment

    # A system step: the customer's confirmed receipt of the return shipment closes it.
    @transition(
        field=status,
        source=Status.SHIPPED,
        target=Status.CLOSED,
        permission=system_step,
        custom={"label": _("Close")},
    )
    def close(self):
        self.closed_at = timezone.now()

    @transition(
        field=status,
        source=[Status.AWAITING, Status.INBOUND, Status.RECEIVED, Status.DIAGNOSED, Status.QUOTED],
        target=Status.CANCELLED,
        permission="repairs.cancel_factoryrepair",
        custom={"label": _("Cancel"), "danger": True},
    )
    def cancel(self, *, why: str):
        self.cancel_reason = why


class RepairFinding(TrackedModel):
    """QC's finding on one component: the defect, in or out of warranty, covered or not."""

    repair = models.ForeignKey(
        FactoryRepair, verbose_name=_("factory repair order"), on_delete=models.CASCADE, related_name="findings_set"
    )
    component = models.ForeignKey(
        "aftersales.Component", verbose_name=_("component"), on_delete=models.PROTECT, related_name="+"
    )
    defect_code = models.ForeignKey(
        "aftersales.DefectCode",
        verbose_name=_("defect"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    in_warranty = models.BooleanField(_("in warranty"))
    covered = models.BooleanField(_("cause covered by the warranty"))

    class Meta:
        verbose_name = _("repair finding")
        verbose_name_plural = _("repair findings")
        ordering = ["repair", "pk"]

    def __str__(self) -> str:
        return f"{self.component} {self.defect_code or ''}"

    @property
    def is_free(self) -> bool:
        return self.in_warranty and self.covered


class RepairPart(TrackedModel):
    """A part used on a repair (factory repair order or on-site service job) — drawn from the warehouse."""

    repair_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    repair_id = models.PositiveBigIntegerField()
    repair = GenericForeignKey("repair_type", "repair_id")
    unit = models.ForeignKey(
        "aftersales.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_parts",
    )
    component = models.ForeignKey(
        "aftersales.Component", verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    part_serial = models.CharField(_("part serial number"), max_length=64, blank=True)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=12, decimal_places=2)
    drawn_by = models.ForeignKey(USER, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("drawn at"))

    class Meta:
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")
        ordering = ["drawn_at", "pk"]
        indexes = [
            models.Index(fields=["repair_type", "repair_id"], name="repairpart_repair_idx"),
            models.Index(fields=["unit", "drawn_at"], name="repairpart_unit_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="repairpart_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.component.name} × {self.quantity}"

    @property
    def cost(self) -> Decimal:
        return self.unit_cost * self.quantity


class Approval(models.TextChoices):
    """The general manager's decision on a return or exchange (售后服务管理 4.1.3.2)."""

    PENDING = "pending", _("waiting for the general manager")
    APPROVED = "approved", _("approved by the general manager")
    REJECTED = "rejected", _("rejected by the general manager")


def _approved(obj) -> bool:
    return getattr(obj, "approval", None) == Approval.APPROVED


def _still_open(obj) -> bool:
    return getattr(obj, "status", None) not in ("cancelled", "rejected")


def _rejected(obj) -> bool:
    return getattr(obj, "approval", None) == Approval.REJECTED


CLOSED_UNMET = _("The record is closed: there is nothing left to decide.")
GM_PENDING = _("The general manager has not approved it yet (若不能现场解决，则请示总经理经批准予以退货或换货处理).")


class Replacement(NumberedModel):
    """产品更换: a new unit of the same brand and model goes out, the old one comes back."""

    NUMBER_PREFIX = "GH"

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        ASSIGNED = "assigned", _("new unit assigned")
        SHIPPED = "shipped", _("new unit's shipment requested")
        DELIVERED = "delivered", _("new unit received by the customer")
        CLOSED = "closed", _("old unit back, closed")
        CANCELLED = "cancelled", _("cancelled")
        REJECTED = "rejected", _("rejected by the general manager")

    class Disposition(models.TextChoices):
        QUARANTINE = "quarantine", _("warranty quarantine zone")
        REPAIR = "repair", _("factory repair")

    status = FSMField(_("status"), default=Status.REQUESTED, choices=Status.choices, protected=True)
    case = models.ForeignKey(
        "servicedesk.ServiceCase",
        verbose_name=_("service case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replacements",
    )
    customer = models.ForeignKey(
        "aftersales.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="replacements"
    )
    site = models.ForeignKey(
        "aftersales.Site", verbose_name=_("site"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    old_unit = models.ForeignKey(
        "aftersales.Unit", verbose_name=_("old unit"), on_delete=models.PROTECT, related_name="replaced_by"
    )
    new_unit = models.ForeignKey(
        "aftersales.Unit",
        verbose_name=_("new unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replacement_of",
    )
    reason = models.TextField(_("reason"))
    fresh_warranty = models.BooleanField(_("fresh warranty"), default=False)
    shipment = models.ForeignKey(
        "shipping.Shipment",
        verbose_name=_("shipment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    swapped_at = models.DateTimeField(_("swapped at"), null=True, blank=True)
    old_received_at = models.DateTimeField(_("old unit received at"), null=True, blank=True)
    old_condition = models.TextField(_("condition of the old unit"), blank=True)
    disposition = models.CharField(_("old unit goes to"), max_length=12, choices=Disposition.choices, blank=True)
    # 4.1.3.2: the general manager approves a return or exchange before goods or money move; a
    # small state machine of its own beside `status`, so the warehouse may reserve meanwhile.
    approval = FSMField(
        _("general manager's approval"), default=Approval.PENDING, choices=Approval.choices, protected=True
    )
    approval_by = _user_fk(_("decided by"))
    approval_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approval_comment = models.TextField(_("general manager's comment"), blank=True)

    class Meta:
        verbose_name = _("replacement record")
        verbose_name_plural = _("replacement records")
        permissions = [
            ("assign_replacement", _("Can assign the new unit")),
            ("ship_replacement", _("Can ship the new unit")),
            ("receive_replacement", _("Can receive the old unit back")),
            ("cancel_replacement", _("Can cancel a replacement")),
            ("approve_replacement", _("Can approve or reject a replacement (general manager)")),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="gh_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="gh_status_created_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("repairs:replacement-detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.REQUESTED,
        target=Status.ASSIGNED,
        permission="repairs.assign_replacement",
        custom={"label": _("Assign the new unit")},
    )
    def assign(self, *, new_unit, fresh_warranty: bool):
        self.new_unit, self.fresh_warranty = new_unit, fresh_warranty

    @transition(
        field=status,
        source=Status.ASSIGNED,
        target=Status.SHIPPED,
        permission="repairs.ship_replacement",
        conditions=[_approved],
        custom={"label": _("Ship the new unit"), "unmet": GM_PENDING},
    )
    def ship(self, *, shipment):
        self.shipment, self.swapped_at = shipment, timezone.now()

    # A system step: the customer confirmed the receipt of the new unit's shipment.
    @transition(
        field=status,
        source=Status.SHIPPED,
        target=Status.DELIVERED,
        permission=system_step,
        custom={"label": _("New unit received by the customer")},
    )
    def delivered(self):
        pass

    @transition(
        field=status,
        source=Status.DELIVERED,
        target=Status.CLOSED,
        permission="repairs.receive_replacement",
        custom={
            "label": _("Old unit received back"),
            "unmet": _("The old unit comes back once the customer has the new one."),
        },
    )
    def receive_old(self, *, condition: str, disposition: str):
        self.old_condition, self.disposition, self.old_received_at = condition, disposition, timezone.now()

    @transition(
        field=approval,
        source=Approval.PENDING,
        target=Approval.APPROVED,
        permission="repairs.approve_replacement",
        conditions=[_still_open],
        custom={"unmet": CLOSED_UNMET, "label": _("Approve the exchange (general manager)")},
    )
    def approve(self, *, by, comment: str):
        self.approval_by, self.approval_at, self.approval_comment = by, timezone.now(), comment

    @transition(
        field=approval,
        source=Approval.PENDING,
        target=Approval.REJECTED,
        permission="repairs.approve_replacement",
        conditions=[_still_open],
        custom={"unmet": CLOSED_UNMET, "label": _("Reject the exchange (general manager)"), "danger": True},
    )
    def reject(self, *, by, comment: str):
        self.approval_by, self.approval_at, self.approval_comment = by, timezone.now(), comment

    # A system step: the general manager's rejection ends the record (the reject service runs it).
    @transition(
        field=status,
        source=[Status.REQUESTED, Status.ASSIGNED],
        target=Status.REJECTED,
        permission=system_step,
        conditions=[_rejected],
        custom={"label": _("Close as rejected")},
    )
    def close_rejected(self):
        pass

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.ASSIGNED],
        target=Status.CANCELLED,
        permission="repairs.cancel_replacement",
        custom={"label": _("Cancel"), "danger": True},
    )
    def cancel(self):
        pass


class ProductReturn(NumberedModel):
    """产品返回 (包退): the unit comes back, its condition is checked, finance refunds."""

    NUMBER_PREFIX = "TK"

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        RECEIVED = "received", _("unit received")
        CHECKED = "checked", _("condition checked")
        REFUNDED = "refunded", _("refunded")
        CANCELLED = "cancelled", _("cancelled")
        REJECTED = "rejected", _("rejected by the general manager")

    status = FSMField(_("status"), default=Status.REQUESTED, choices=Status.choices, protected=True)
    case = models.ForeignKey(
        "servicedesk.ServiceCase",
        verbose_name=_("service case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="product_returns",
    )
    customer = models.ForeignKey(
        "aftersales.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="product_returns"
    )
    site = models.ForeignKey(
        "aftersales.Site", verbose_name=_("site"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "aftersales.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="product_returns"
    )
    reason = models.TextField(_("reason"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    received_by = _user_fk(_("received by"))
    condition = models.TextField(_("condition checked"), blank=True)
    checked_by = _user_fk(_("checked by"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    refund_amount = models.DecimalField(_("refund (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    refund_date = models.DateField(_("refund date"), null=True, blank=True)
    refund_reference = models.CharField(_("refund reference"), max_length=100, blank=True)
    refunded_by = _user_fk(_("refund recorded by"))
    # 4.1.3.2: the general manager approves a return or exchange before goods or money move; a
    # small state machine of its own beside `status`, so the warehouse may reserve meanwhile.
    approval = FSMField(
        _("general manager's approval"), default=Approval.PENDING, choices=Approval.choices, protected=True
    )
    approval_by = _user_fk(_("decided by"))
    approval_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approval_comment = models.TextField(_("general manager's comment"), blank=True)

    class Meta:
        verbose_name = _("product return")
        verbose_name_plural = _("product returns")
        permissions = [
            ("receive_productreturn", _("Can receive a returned unit")),
            ("check_productreturn", _("Can check a returned unit")),
            ("refund_productreturn", _("Can record the refund")),
            ("cancel_productreturn", _("Can cancel a product return")),
            ("approve_productreturn", _("Can approve or reject a product return (general manager)")),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="tk_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="tk_status_created_idx"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("repairs:return-detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.REQUESTED,
        target=Status.RECEIVED,
        permission="repairs.receive_productreturn",
        conditions=[_approved],
        custom={"label": _("Receive the unit"), "unmet": GM_PENDING},
    )
    def receive(self, *, by):
        self.received_by, self.received_at = by, timezone.now()

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=Status.CHECKED,
        permission="repairs.check_productreturn",
        custom={"label": _("Record the condition")},
    )
    def check_condition(self, *, by, condition: str):
        self.condition, self.checked_by, self.checked_at = condition, by, timezone.now()

    @transition(
        field=status,
        source=Status.CHECKED,
        target=Status.REFUNDED,
        permission="repairs.refund_productreturn",
        conditions=[_approved],
        custom={"label": _("Record the refund"), "unmet": GM_PENDING},
    )
    def refund(self, *, by, amount: Decimal, refund_date, reference: str):
        self.refund_amount, self.refund_date, self.refund_reference = amount, refund_date, reference
        self.refunded_by = by

    @transition(
        field=approval,
        source=Approval.PENDING,
        target=Approval.APPROVED,
        permission="repairs.approve_productreturn",
        conditions=[_still_open],
        custom={"unmet": CLOSED_UNMET, "label": _("Approve the return (general manager)")},
    )
    def approve(self, *, by, comment: str):
        self.approval_by, self.approval_at, self.approval_comment = by, timezone.now(), comment

    @transition(
        field=approval,
        source=Approval.PENDING,
        target=Approval.REJECTED,
        permission="repairs.approve_productreturn",
        conditions=[_still_open],
        custom={"unmet": CLOSED_UNMET, "label": _("Reject the return (general manager)"), "danger": True},
    )
    def reject(self, *, by, comment: str):
        self.approval_by, self.approval_at, self.approval_comment = by, timezone.now(), comment

    # A system step: the general manager's rejection ends the record (the reject service runs it).
    @transition(
        field=status,
        source=[Status.REQUESTED],
        target=Status.REJECTED,
        permission=system_step,
        conditions=[_rejected],
        custom={"label": _("Close as rejected")},
    )
    def close_rejected(self):
        pass

    @transition(
        field=status,
        source=[Status.REQUESTED, Status.RECEIVED],
        target=Status.CANCELLED,
        permission="repairs.cancel_productreturn",
        custom={"label": _("Cancel"), "danger": True},
    )
    def cancel(self):
        pass
