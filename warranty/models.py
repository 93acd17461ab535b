"""Warranty and quality: 三包 return appraisal, supplier replacement, customer claims,
quality incidents with cost allocation, and corrective/preventive actions.

Seed: 售后质量问题处理规定 4.1–4.8, 产品售后质量事故处置规定 一/二/三, IATF16949 4.2.
Transitions only set fields; the services in services.py lock, check and save.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from aftersales.base import NumberedModel, TrackedModel
from aftersales.models import Component, Customer, Department, Site, Supplier, Unit
from aftersales.models.masterdata import add_months

USER = settings.AUTH_USER_MODEL


# --- 质量信息单 (4.1, 4.2) --------------------------------------------------------------


class Naming(models.TextChoices):
    """Which of the two units has named its people for a major quality problem (4.2)."""

    NONE = "none", _("nobody named yet")
    QC = "qc", _("QC has named its people, R&D not yet")
    RND = "rnd", _("R&D has named its people, QC not yet")
    BOTH = "both", _("QC and R&D have named their people")


TEAM_UNMET = _("Only a major quality problem sent to QC gets people named, and each unit names its own once.")


class QualitySheet(NumberedModel):
    """质量信息单: the customer's quality report, after-sales' first answer, QC's opinion."""

    NUMBER_PREFIX = "ZX"

    class Status(models.TextChoices):
        DRAFT = "draft", _("recorded")
        SENT = "sent", _("with QC")
        ANSWERED = "answered", _("answered by QC")

    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    description = models.TextField(_("quality problem reported"))
    is_major = models.BooleanField(_("major quality problem"), default=False)
    first_answer = models.TextField(_("first answer to the customer"), blank=True)
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent to QC at"), null=True, blank=True)
    qc_opinion = models.TextField(_("QC handling opinion"), blank=True)
    qc_answered_by = models.ForeignKey(
        USER, verbose_name=_("answered by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    qc_answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # 4.2: QC and R&D each name their own people (SiteTeam); this small machine says who has.
    naming = FSMField(_("people named"), default=Naming.NONE, choices=Naming.choices, protected=True)

    class Meta:
        verbose_name = _("quality information sheet")
        verbose_name_plural = _("quality information sheets")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="wq_sheet_status_created"),
            models.Index(fields=["-created_at", "-id"], name="wq_sheet_created"),
        ]
        permissions = [
            ("send_qualitysheet", _("Can send a quality information sheet to QC")),
            ("answer_qualitysheet", _("Can answer a quality information sheet (QC)")),
            ("name_qc_team_qualitysheet", _("Can name QC's people for a major quality problem")),
            ("name_rnd_team_qualitysheet", _("Can name R&D's people for a major quality problem")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("warranty:sheet-detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SENT,
        permission="warranty.send_qualitysheet",
        custom={"label": _("Record first answer and send to QC")},
    )
    def send(self, *, first_answer: str):
        now = timezone.now()
        self.first_answer, self.first_answered_at, self.sent_at = first_answer, now, now

    @transition(
        field=status,
        source=Status.SENT,
        target=Status.ANSWERED,
        permission="warranty.answer_qualitysheet",
        custom={"label": _("Answer with QC's handling opinion")},
    )
    def answer(self, *, by, opinion: str):
        self.qc_opinion, self.qc_answered_by, self.qc_answered_at = opinion, by, timezone.now()

    def needs_site_team(self) -> bool:
        return self.is_major and self.status in (self.Status.SENT, self.Status.ANSWERED)

    # 4.2 两单位尽快指定专人: QC and R&D each name their people; the sheet's status stays where QC's
    # answer has it. The service records the people (SiteTeam) and sends the visit once both named.
    @transition(
        field=naming,
        source=[Naming.NONE, Naming.RND],
        target=RETURN_VALUE(Naming.QC, Naming.BOTH),
        permission="warranty.name_qc_team_qualitysheet",
        conditions=[needs_site_team],  # type: ignore[list-item]
        custom={"label": _("Name QC's people for the site"), "unmet": TEAM_UNMET},
    )
    def name_qc_team(self):
        return Naming.BOTH if self.naming == Naming.RND else Naming.QC

    @transition(
        field=naming,
        source=[Naming.NONE, Naming.QC],
        target=RETURN_VALUE(Naming.RND, Naming.BOTH),
        permission="warranty.name_rnd_team_qualitysheet",
        conditions=[needs_site_team],  # type: ignore[list-item]
        custom={"label": _("Name R&D's people for the site"), "unmet": TEAM_UNMET},
    )
    def name_rnd_team(self):
        return Naming.BOTH if self.naming == Naming.QC else Naming.RND


class SiteTeam(TrackedModel):
    """The people one unit (QC or R&D) names to handle a major quality problem with after-sales (4.2)."""

    class Team(models.TextChoices):
        QC = "qc", _("QC centre")
        RND = "rnd", _("R&D")

    class Mode(models.TextChoices):
        ONSITE = "onsite", _("on site")
        PHONE = "phone", _("by phone")

    sheet = models.ForeignKey(
        QualitySheet, verbose_name=_("quality information sheet"), on_delete=models.CASCADE, related_name="site_teams"
    )
    team = models.CharField(_("named by"), max_length=3, choices=Team.choices)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("people named"), related_name="+")
    # The names as they were when named (kept in the history); the people themselves are members.
    names = models.TextField(_("people going on site"))
    mode = models.CharField(_("handled"), max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    named_by = models.ForeignKey(
        USER, verbose_name=_("named by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    named_at = models.DateTimeField(_("named at"), default=timezone.now)

    class Meta:
        verbose_name = _("site team")
        verbose_name_plural = _("site teams")
        ordering = ["sheet", "named_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["sheet", "team"], name="wq_one_team_per_unit")]

    def __str__(self) -> str:
        return f"{self.get_team_display()}: {self.names}"


# --- returned part, tag and quarantine (4.3, 4.5) ---------------------------------------


class Grade(models.TextChoices):
    COMPANY = "company", _("company's defect within 三包")
    NOT_COVERED = "not_covered", _("not covered")
    UNCLEAR = "unclear", _("unclear")


class ReturnedPart(NumberedModel):
    """A returned part or unit; its number is the 退换零件信息单 tag stuck on it."""

    NUMBER_PREFIX = "TH"

    class Status(models.TextChoices):
        RECEIVED = "received", _("received, not graded")
        TAGGED = "tagged", _("tagged, to quarantine")
        QUARANTINED = "quarantined", _("in quarantine")
        NOT_COVERED = "not_covered", _("not covered, customer told")
        EXCHANGED = "exchanged", _("exchanged for a good part")
        SCRAPPED = "scrapped", _("scrapped (料废)")
        RELEASED = "released", _("released from quarantine")

    status = FSMField(_("status"), default=Status.RECEIVED, choices=Status.choices, protected=True)
    sheet = models.ForeignKey(
        QualitySheet,
        verbose_name=_("quality information sheet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="parts",
    )
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    part_name = models.CharField(_("part"), max_length=100)
    part_serial = models.CharField(_("part serial number"), max_length=64, blank=True, db_index=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    fault = models.TextField(_("fault"), blank=True)
    grade = models.CharField(_("grading"), max_length=12, choices=Grade.choices, blank=True)
    analysis = models.TextField(_("first analysis"), blank=True)
    chargeable_cost = models.DecimalField(_("chargeable cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    location = models.CharField(_("location"), max_length=100, blank=True)
    quarantined_at = models.DateTimeField(_("in quarantine since"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("returned part")
        verbose_name_plural = _("returned parts")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="wq_part_status_created"),
            models.Index(fields=["-created_at", "-id"], name="wq_part_created"),
            models.Index(fields=["status", "quarantined_at", "id"], name="wq_part_quarantine"),
        ]
        permissions = [
            ("grade_returnedpart", _("Can grade a returned part")),
            ("quarantine_returnedpart", _("Can receive a part into quarantine")),
            ("handover_returnedpart", _("Can record a hand-over of a returned part")),
            ("exchange_returnedpart", _("Can hand out a good part in exchange")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("warranty:part-detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.RECEIVED,
        target=RETURN_VALUE(Status.TAGGED, Status.NOT_COVERED),
        permission="warranty.grade_returnedpart",
        custom={"label": _("Grade (first analysis)")},
    )
    def grade_part(self, *, grade: str, analysis: str, chargeable_cost=None):
        # 4.3: only what after-sales believes is the company's defect within 三包 is tagged;
        # an unclear case is tagged too, so that QC decides rather than the clerk.
        self.grade, self.analysis = grade, analysis
        if grade == Grade.NOT_COVERED:
            self.chargeable_cost = chargeable_cost
            return self.Status.NOT_COVERED
        return self.Status.TAGGED

    @transition(
        field=status,
        source=Status.TAGGED,
        target=Status.QUARANTINED,
        permission="warranty.quarantine_returnedpart",
        custom={"label": _("Receive into quarantine")},
    )
    def quarantine(self, *, location: str):
        self.location, self.quarantined_at = location, timezone.now()

    @transition(
        field=status,
        source=Status.QUARANTINED,
        target=RETURN_VALUE(Status.EXCHANGED, Status.SCRAPPED),
        permission="warranty.exchange_returnedpart",
        custom={"label": _("Hand out a good part in exchange")},
    )
    def exchange(self, *, scrap: bool):
        # 4.7: a bought-in defective part stays as 料废 for the supplier's replacement.
        return self.Status.SCRAPPED if scrap else self.Status.EXCHANGED

    @transition(
        field=status,
        source=Status.QUARANTINED,
        target=Status.RELEASED,
        permission="warranty.tell_customer_appraisal",
        custom={"label": _("Release from quarantine (not our defect)")},
    )
    def release(self):
        pass


class Handover(TrackedModel):
    """One move of a returned part: who gave it, who received it, when, and where to (4.5)."""

    part = models.ForeignKey(ReturnedPart, verbose_name=_("part"), on_delete=models.CASCADE, related_name="handovers")
    given_by = models.CharField(_("given by"), max_length=100)
    received_by = models.ForeignKey(USER, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    to_location = models.CharField(_("to"), max_length=100)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["at", "pk"]


# --- 售后服务三包材料退换鉴定单 (4.3, 4.4, 4.6) -------------------------------------------


class Origin(models.TextChoices):
    SELF_MADE = "self_made", _("self-made")
    BOUGHT_IN = "bought_in", _("bought-in")


class Outcome(models.TextChoices):
    REPAIR = "repair", _("repair")
    REPLACE = "replace", _("replace")
    REFUND = "refund", _("refund")
    CHARGEABLE = "chargeable", _("chargeable (out of warranty, parts at cost)")
    NONE = "none", _("not the company's defect")


class Appraisal(NumberedModel):
    """售后服务三包材料退换鉴定单: filed to QC, appraised and signed by QC, then settled."""

    NUMBER_PREFIX = "JD"

    class Status(models.TextChoices):
        FILED = "filed", _("filed with QC")
        APPRAISED_OWN = "own_defect", _("own defect, exchange due")
        APPRAISED_NOT = "not_own", _("not our defect, customer to be told")
        EXCHANGED = "exchanged", _("good part handed out")
        CUSTOMER_TOLD = "customer_told", _("customer told")

    class Place(models.TextChoices):
        WAREHOUSE = "warehouse", _("in the warehouse")
        CUSTOMER = "customer", _("at the end customer")

    status = FSMField(_("status"), default=Status.FILED, choices=Status.choices, protected=True)
    part = models.OneToOneField(
        ReturnedPart, verbose_name=_("returned part"), on_delete=models.PROTECT, related_name="appraisal"
    )
    request_note = models.TextField(_("reason for return"), blank=True)
    place = models.CharField(_("appraised"), max_length=10, choices=Place.choices, blank=True)
    own_defect = models.BooleanField(_("product's own defect"), null=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, blank=True, db_index=True)
    supplier = models.ForeignKey(
        Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cause = models.TextField(_("cause"), blank=True)
    outcome = models.CharField(_("outcome under 三包"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField(_("reason for the outcome"), max_length=300, blank=True)
    appraised_by = models.ForeignKey(
        USER, verbose_name=_("appraised by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appraised_at = models.DateTimeField(_("appraised at"), null=True, blank=True)
    good_part_serial = models.CharField(_("good part serial number"), max_length=64, blank=True)
    warehouse_keeper = models.ForeignKey(
        USER, verbose_name=_("warehouse keeper"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exchanged_at = models.DateTimeField(_("exchanged at"), null=True, blank=True)
    chargeable_cost = models.DecimalField(_("chargeable cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    customer_told_at = models.DateTimeField(_("customer told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("三包 appraisal")
        verbose_name_plural = _("三包 appraisals")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="wq_appr_status_created"),
            models.Index(fields=["-created_at", "-id"], name="wq_appr_created"),
        ]
        permissions = [
            ("appraise_appraisal", _("Can appraise a returned part and sign (QC)")),
            ("exchange_appraisal", _("Can hand out the good part against an appraisal")),
            ("tell_customer_appraisal", _("Can tell the customer the chargeable cost")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("warranty:appraisal-detail", args=[self.pk])

    @property
    def routed_to(self) -> list[str]:
        """4.4: self-made → production and marketing; bought-in → purchasing and marketing."""
        if self.origin == Origin.SELF_MADE:
            return ["production", "sales"]
        if self.origin == Origin.BOUGHT_IN:
            return ["purchasing", "sales"]
        return []

    @transition(
        field=status,
        source=Status.FILED,
        target=RETURN_VALUE(Status.APPRAISED_OWN, Status.APPRAISED_NOT),
        permission="warranty.appraise_appraisal",
        custom={"label": _("Appraise and sign")},
    )
    def appraise(self, *, by, place, own_defect, origin, supplier, cause, outcome, outcome_reason, chargeable_cost):
        self.place, self.own_defect, self.origin, self.supplier = place, own_defect, origin, supplier
        self.cause, self.outcome, self.outcome_reason = cause, outcome, outcome_reason
        self.chargeable_cost = chargeable_cost
        self.appraised_by, self.appraised_at = by, timezone.now()
        return self.Status.APPRAISED_OWN if own_defect else self.Status.APPRAISED_NOT

    @transition(
        field=status,
        source=Status.APPRAISED_OWN,
        target=Status.EXCHANGED,
        permission="warranty.exchange_appraisal",
        custom={"label": _("Hand out the good part")},
    )
    def exchange(self, *, by, good_part_serial: str):
        # The warehouse keeper who hands the good part out is the one who records it.
        self.good_part_serial, self.warehouse_keeper, self.exchanged_at = good_part_serial, by, timezone.now()

    @transition(
        field=status,
        source=Status.APPRAISED_NOT,
        target=Status.CUSTOMER_TOLD,
        permission="warranty.tell_customer_appraisal",
        custom={"label": _("Customer told of the chargeable cost")},
    )
    def tell_customer(self):
        self.customer_told_at = timezone.now()


class Notice(TrackedModel):
    """A routed appraisal or claim in a department's 待办, until someone there has read it."""

    role = models.CharField(_("role"), max_length=20, db_index=True)
    appraisal = models.ForeignKey(
        Appraisal, verbose_name=_("三包 appraisal"), on_delete=models.CASCADE, related_name="notices"
    )
    text = models.CharField(_("notice"), max_length=300)
    read_by = models.ForeignKey(
        USER, verbose_name=_("read by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("mailed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["role", "read_at", "created_at"], name="wq_notice_open")]
        constraints = [models.UniqueConstraint(fields=["role", "appraisal"], name="wq_notice_once")]

    @property
    def role_label(self) -> str:
        from aftersales.roles import ROLES_BY_KEY

        role = ROLES_BY_KEY.get(self.role)
        return str(role.label) if role else self.role


# --- supplier replacement (4.7) ---------------------------------------------------------


class SupplierClaim(NumberedModel):
    """A bought-in 料废 part: the supplier must supply good parts within one month."""

    NUMBER_PREFIX = "GY"

    class Status(models.TextChoices):
        OPEN = "open", _("to notify the supplier")
        NOTIFIED = "notified", _("supplier notified")
        RECEIVED = "received", _("good parts received")

    status = FSMField(_("status"), default=Status.OPEN, choices=Status.choices, protected=True)
    appraisal = models.OneToOneField(
        Appraisal, verbose_name=_("三包 appraisal"), on_delete=models.PROTECT, related_name="supplier_claim"
    )
    supplier = models.ForeignKey(Supplier, verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+")
    part_name = models.CharField(_("part"), max_length=100)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    notified_on = models.DateField(_("supplier notified on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_quantity = models.PositiveIntegerField(_("quantity received"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier replacement claim")
        verbose_name_plural = _("supplier replacement claims")
        indexes = [
            models.Index(fields=["status", "deadline", "id"], name="wq_gy_status_deadline"),
            models.Index(fields=["-created_at", "-id"], name="wq_gy_created"),
        ]
        permissions = [
            ("notify_supplierclaim", _("Can notify the supplier")),
            ("receive_supplierclaim", _("Can record the supplier's good parts")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("warranty:supplierclaim-detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.NOTIFIED and self.deadline is not None and self.deadline < timezone.localdate()
        )

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.NOTIFIED,
        permission="warranty.notify_supplierclaim",
        custom={"label": _("Supplier notified")},
    )
    def notify(self, *, on):
        # 4.7 通知供方在一个月内解决: one calendar month from the notification.
        self.notified_on, self.deadline = on, add_months(on, 1)

    @transition(
        field=status,
        source=Status.NOTIFIED,
        target=Status.RECEIVED,
        permission="warranty.receive_supplierclaim",
        custom={"label": _("Good parts received")},
    )
    def receive(self, *, on, quantity: int):
        self.received_on, self.received_quantity = on, quantity


# --- customer claims (4.8) --------------------------------------------------------------


class CustomerClaim(NumberedModel):
    """索赔 caused by product quality, coordinated by marketing."""

    NUMBER_PREFIX = "SP"

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("claimed")
        AGREED = "agreed", _("amount agreed, waiting for leadership")
        APPROVED = "approved", _("approved by leadership, to be paid")
        PAID = "paid", _("claim paid")
        REJECTED = "rejected", _("rejected")

    status = FSMField(_("status"), default=Status.CLAIMED, choices=Status.choices, protected=True)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("三包 appraisal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customer_claims",
    )
    sheet = models.ForeignKey(
        QualitySheet,
        verbose_name=_("quality information sheet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="customer_claims",
    )
    reason = models.TextField(_("reason"))
    amount_claimed = models.DecimalField(_("amount claimed"), max_digits=12, decimal_places=2)
    amount_agreed = models.DecimalField(_("amount agreed"), max_digits=12, decimal_places=2, null=True, blank=True)
    amount_paid = models.DecimalField(_("amount paid"), max_digits=12, decimal_places=2, null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # 4.8 with the procedures' own roles: marketing agrees the amount, leadership approves it,
    # finance pays it — three people, each recorded.
    agreed_by = models.ForeignKey(
        USER, verbose_name=_("amount agreed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(_("amount agreed at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        USER, verbose_name=_("approved by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval_comment = models.TextField(_("leadership's comment"), blank=True)
    paid_by = models.ForeignKey(
        USER, verbose_name=_("payment recorded by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("customer claim")
        verbose_name_plural = _("customer claims")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="wq_sp_status_created"),
            models.Index(fields=["-created_at", "-id"], name="wq_sp_created"),
        ]
        permissions = [
            ("agree_customerclaim", _("Can agree a customer claim amount")),
            ("approve_customerclaim", _("Can approve the agreed amount of a customer claim (leadership)")),
            ("pay_customerclaim", _("Can record a customer claim paid")),
            ("reject_customerclaim", _("Can reject a customer claim")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("warranty:customerclaim-detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.CLAIMED,
        target=Status.AGREED,
        permission="warranty.agree_customerclaim",
        custom={"label": _("Agree the amount with the customer")},
    )
    def agree(self, *, by, amount, note=""):
        self.amount_agreed, self.agreed_by, self.agreed_at = amount, by, timezone.now()
        if note:
            self.note = note

    @transition(
        field=status,
        source=Status.AGREED,
        target=Status.APPROVED,
        permission="warranty.approve_customerclaim",
        custom={"label": _("Approve the agreed amount")},
    )
    def approve(self, *, by, comment: str):
        self.approved_by, self.approved_at, self.approval_comment = by, timezone.now(), comment

    @transition(
        field=status,
        source=Status.AGREED,
        target=Status.CLAIMED,
        permission="warranty.approve_customerclaim",
        custom={"label": _("Send the amount back to marketing")},
    )
    def send_back(self, *, by, comment: str):
        # The amount goes back to be agreed again; the comment says why (kept in the history).
        self.amount_agreed, self.agreed_by, self.agreed_at, self.approval_comment = None, None, None, comment

    @transition(
        field=status,
        source=Status.APPROVED,
        target=Status.PAID,
        permission="warranty.pay_customerclaim",
        custom={"label": _("Record the claim paid")},
    )
    def pay(self, *, by, amount, on):
        self.amount_paid, self.paid_on, self.paid_by = amount, on, by

    @transition(
        field=status,
        source=Status.CLAIMED,
        target=Status.REJECTED,
        permission="warranty.reject_customerclaim",
        custom={"label": _("Reject the claim"), "danger": True},
    )
    def reject(self, *, note):
        self.note = note


# --- 质量事故 (产品售后质量事故处置规定) ---------------------------------------------------


class AllocationRule(TrackedModel):
    """How an incident's cost is shared (三.2: 50% from the responsible in-house team, 待探讨).

    The active rule is read at allocation time and its values copied onto the incident,
    so changing the rule later never changes incidents already allocated.
    """

    name = models.CharField(_("name"), max_length=100)
    team_percent = models.DecimalField(
        _("share of the responsible in-house team (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    supplier_percent = models.DecimalField(
        _("share of the supplier for bought-in parts (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("100"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cost allocation rule")
        verbose_name_plural = _("cost allocation rules")
        ordering = ["-is_active", "-updated_at"]

    def __str__(self) -> str:
        return self.name


class QualityIncident(NumberedModel):
    """质量事故 and its 产品售后质量事故处置跟踪单."""

    NUMBER_PREFIX = "SG"

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported to QC")
        TRACED = "traced", _("tracking sheet filled")
        ASSIGNED = "assigned", _("responsible department named")
        DISPATCHED = "dispatched", _("people dispatched")
        FEEDBACK = "feedback", _("feedback signed by the customer")
        COSTED = "costed", _("costs filled")
        CONFIRMED = "confirmed", _("confirmed by the responsible department")
        REVIEWED = "reviewed", _("reviewed, final sheet")

    status = FSMField(_("status"), default=Status.REPORTED, choices=Status.choices, protected=True)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sheet = models.ForeignKey(
        QualitySheet,
        verbose_name=_("quality information sheet"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    description = models.TextField(_("quality feedback"))
    first_cause = models.TextField(_("first judgement of the cause"), blank=True)
    consequence = models.TextField(_("consequence"), blank=True)
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_in_house_team = models.BooleanField(_("responsible is an in-house team"), default=True)
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier (bought-in part)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    people = models.TextField(_("people dispatched"), blank=True)
    from_responsible_department = models.BooleanField(_("people from the responsible department"), default=True)
    other_department_reason = models.CharField(_("why others go"), max_length=200, blank=True)
    handling = models.TextField(_("handling and result"), blank=True)
    feedback_signer = models.CharField(_("signed by (customer)"), max_length=50, blank=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name=_("confirmed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        USER, verbose_name=_("reviewed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    # The rule as it was at allocation time, and the shares it gave.
    rule_name = models.CharField(_("allocation rule"), max_length=100, blank=True)
    rule_team_percent = models.DecimalField(_("team share (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    rule_supplier_percent = models.DecimalField(
        _("supplier share (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    total_cost = models.DecimalField(_("total cost"), max_digits=12, decimal_places=2, default=0)
    team_share = models.DecimalField(_("charged to the team"), max_digits=12, decimal_places=2, default=0)
    supplier_share = models.DecimalField(_("charged to the supplier"), max_digits=12, decimal_places=2, default=0)
    company_share = models.DecimalField(_("borne by the company"), max_digits=12, decimal_places=2, default=0)
    allocated_at = models.DateTimeField(_("allocated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("quality incident")
        verbose_name_plural = _("quality incidents")
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="wq_sg_status_created"),
            models.Index(fields=["-created_at", "-id"], name="wq_sg_created"),
        ]
        permissions = [
            ("trace_qualityincident", _("Can fill the incident tracking sheet (QC)")),
            ("assign_qualityincident", _("Can name the responsible department")),
            ("dispatch_qualityincident", _("Can dispatch people to an incident")),
            ("feedback_qualityincident", _("Can file the signed handling feedback sheet")),
            ("cost_qualityincident", _("Can fill an incident's costs")),
            ("confirm_qualityincident", _("Can confirm an incident for the responsible department")),
            ("review_qualityincident", _("Can review an incident (leadership)")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("warranty:incident-detail", args=[self.pk])

    @transition(
        field=status,
        source=Status.REPORTED,
        target=Status.TRACED,
        permission="warranty.trace_qualityincident",
        custom={"label": _("Fill the tracking sheet")},
    )
    def trace(self, *, first_cause: str, consequence: str):
        self.first_cause, self.consequence = first_cause, consequence

    @transition(
        field=status,
        source=Status.TRACED,
        target=Status.ASSIGNED,
        permission="warranty.assign_qualityincident",
        custom={"label": _("Name the responsible department")},
    )
    def assign(self, *, department, in_house: bool, supplier=None):
        self.responsible_department, self.is_in_house_team, self.supplier = department, in_house, supplier

    @transition(
        field=status,
        source=Status.ASSIGNED,
        target=Status.DISPATCHED,
        permission="warranty.dispatch_qualityincident",
        custom={"label": _("Dispatch people")},
    )
    def dispatch(self, *, people: str, from_responsible: bool, reason: str = ""):
        self.people, self.from_responsible_department, self.other_department_reason = people, from_responsible, reason

    @transition(
        field=status,
        source=Status.DISPATCHED,
        target=Status.FEEDBACK,
        permission="warranty.feedback_qualityincident",
        custom={"label": _("File the signed feedback sheet")},
    )
    def file_feedback(self, *, signer_name: str):
        self.feedback_signer = signer_name

    @transition(
        field=status,
        source=Status.FEEDBACK,
        target=Status.COSTED,
        permission="warranty.cost_qualityincident",
        custom={"label": _("Costs complete")},
    )
    def submit_costs(self, *, total):
        self.total_cost = total

    @transition(
        field=status,
        source=Status.COSTED,
        target=Status.CONFIRMED,
        permission="warranty.confirm_qualityincident",
        custom={"label": _("Confirm for the responsible department")},
    )
    def confirm(self, *, by):
        self.confirmed_by = by

    @transition(
        field=status,
        source=Status.CONFIRMED,
        target=Status.REVIEWED,
        permission="warranty.review_qualityincident",
        custom={"label": _("Review and allocate the cost")},
    )
    def review(self, *, by, comment: str, allocation: dict):
        self.reviewed_by, self.review_comment = by, comment
        for key, value in allocation.items():
            setattr(self, key, value)
        self.allocated_at = timezone.now()


class IncidentCost(TrackedModel):
    """One cost of handling an incident (三.3: travel, lodging, consumables, labour hours)."""

    class Kind(models.TextChoices):
        TRAVEL = "travel", _("travel")
        LODGING = "lodging", _("food and lodging")
        CONSUMABLES = "consumables", _("consumables on site")
        LABOUR = "labour", _("labour hours")

    incident = models.ForeignKey(
        QualityIncident, verbose_name=_("quality incident"), on_delete=models.CASCADE, related_name="costs"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=8, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("rate per hour"), max_digits=10, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("incident cost")
        verbose_name_plural = _("incident costs")
        ordering = ["pk"]


class QualitySanction(TrackedModel):
    """质量奖罚 (IATF procedure 4.2.5): once an incident's responsibility is traced, a reward or a
    penalty for a department or a person, proposed by QC and approved by the company leadership."""

    class Kind(models.TextChoices):
        REWARD = "reward", _("quality reward")
        PENALTY = "penalty", _("quality penalty")

    class Decision(models.TextChoices):
        PROPOSED = "proposed", _("proposed, waiting for leadership")
        APPROVED = "approved", _("approved by leadership")
        REJECTED = "rejected", _("rejected by leadership")

    incident = models.ForeignKey(
        QualityIncident, verbose_name=_("quality incident"), on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("reward or penalty"), max_length=8, choices=Kind.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.CharField(_("person"), max_length=50, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"))
    decision = FSMField(_("leadership decision"), default=Decision.PROPOSED, choices=Decision.choices, protected=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("leadership comment"), blank=True)

    class Meta:
        verbose_name = _("quality reward or penalty")
        verbose_name_plural = _("quality rewards and penalties")
        ordering = ["incident", "pk"]
        permissions = [("approve_qualitysanction", _("Can approve quality rewards and penalties"))]
        indexes = [
            models.Index(
                fields=["created_at", "id"], condition=models.Q(decision="proposed"), name="sanction_open_idx"
            ),
        ]

    def __str__(self) -> str:
        who = self.person or (self.department.name if self.department is not None else "")
        return f"{self.incident.number} {self.get_kind_display()} {who} ¥{self.amount}"

    def get_absolute_url(self) -> str:
        return self.incident.get_absolute_url()

    @transition(
        field=decision,
        source=Decision.PROPOSED,
        target=Decision.APPROVED,
        permission="warranty.approve_qualitysanction",
        custom={"label": _("Approve (leadership)")},
    )
    def approve(self, *, comment: str):
        self.decided_at, self.decision_comment = timezone.now(), comment

    @transition(
        field=decision,
        source=Decision.PROPOSED,
        target=Decision.REJECTED,
        permission="warranty.approve_qualitysanction",
        custom={"label": _("Reject (leadership)")},
    )
    def reject(self, *, comment: str):
        self.decided_at, self.decision_comment = timezone.now(), comment


# --- 纠正与预防措施 (IATF16949 4.2.4) -----------------------------------------------------


class CorrectiveAction(NumberedModel):
    """纠正与预防措施表: root cause, action, owner, due date; QC verifies before it closes."""

    NUMBER_PREFIX = "CA"

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IMPLEMENTED = "implemented", _("implemented, to verify")
        CLOSED = "closed", _("verified effective, closed")

    status = FSMField(_("status"), default=Status.OPEN, choices=Status.choices, protected=True)
    appraisal = models.ForeignKey(
        Appraisal,
        verbose_name=_("三包 appraisal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    incident = models.ForeignKey(
        QualityIncident,
        verbose_name=_("quality incident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    problem = models.TextField(_("problem"))
    root_cause = models.TextField(_("root cause"))
    action = models.TextField(_("corrective and preventive action"))
    owner_department = models.ForeignKey(
        Department, verbose_name=_("owner department"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"), db_index=True)
    implementation = models.TextField(_("what was done"), blank=True)
    implemented_at = models.DateTimeField(_("implemented at"), null=True, blank=True)
    verification = models.TextField(_("QC verification"), blank=True)
    verified_by = models.ForeignKey(
        USER, verbose_name=_("verified by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("corrective and preventive action")
        verbose_name_plural = _("corrective and preventive actions")
        indexes = [
            models.Index(fields=["status", "due_date", "id"], name="wq_ca_status_due"),
            models.Index(fields=["-created_at", "-id"], name="wq_ca_created"),
        ]
        permissions = [
            ("implement_correctiveaction", _("Can report a corrective action implemented")),
            ("verify_correctiveaction", _("Can verify a corrective action (QC)")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("warranty:action-detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_date < timezone.localdate()

    @transition(
        field=status,
        source=Status.OPEN,
        target=Status.IMPLEMENTED,
        permission="warranty.implement_correctiveaction",
        custom={"label": _("Report implemented")},
    )
    def implement(self, *, implementation: str):
        self.implementation, self.implemented_at = implementation, timezone.now()

    @transition(
        field=status,
        source=Status.IMPLEMENTED,
        target=RETURN_VALUE(Status.CLOSED, Status.OPEN),
        permission="warranty.verify_correctiveaction",
        custom={"label": _("Verify effectiveness")},
    )
    def verify(self, *, by, effective: bool, verification: str):
        # Not effective: back to the owner with QC's finding (the action stays open).
        self.verification = verification
        if effective:
            self.verified_by, self.verified_at = by, timezone.now()
            return self.Status.CLOSED
        return self.Status.OPEN
