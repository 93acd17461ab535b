"""Service cases (服务工单): a customer call, a sales manager's report, a letter or a visit,
from recording to the customer revisit (回访) and closing.

Seed: 售后服务部工作内容及流程 一/四 — the clerk records the fault in detail and answers general
questions; what they cannot answer goes to the technical department (提交技术部), which talks to
the customer and decides on-site repair, return-to-factory repair, replacement or return;
paid repairs: the customer is told the fee (告知用户应承担的维修费用) before work starts.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from aftersales.base import NumberedModel, TrackedModel
from aftersales.workflow import system_step


def _being_handled(case: Any) -> bool:
    """With the technical department or in progress: the case the technical support is about."""
    return case.status in ("techdept", "in_progress")


def _visited_if_on_site(case: Any) -> bool:
    """The transition condition of a resolution (see ServiceCase.visited_if_on_site)."""
    return case.visited_if_on_site()


class ServiceCase(NumberedModel):
    NUMBER_PREFIX = "WX"

    class Status(models.TextChoices):
        RECORDED = "recorded", _("recorded")
        TECHDEPT = "techdept", _("with the technical department")
        IN_PROGRESS = "in_progress", _("being handled")
        RESOLVED = "resolved", _("resolved, revisit due")
        REVISITED = "revisited", _("revisited")
        CLOSED = "closed", _("closed")

    class Channel(models.TextChoices):
        PHONE = "phone", _("customer call")
        SALES = "sales", _("sales manager's report")
        LETTER = "letter", _("letter")
        VISIT = "visit", _("visit")
        EMAIL = "email", _("email")
        INTERNAL = "internal", _("found at unpacking")

    class Category(models.TextChoices):
        CONSULTATION = "consultation", _("consultation")
        FAULT = "fault", _("fault")
        INSTALLATION = "installation", _("installation request")
        COMPLAINT = "complaint", _("complaint")
        QUALITY = "quality", _("quality feedback")

    class Priority(models.TextChoices):
        LOW = "low", _("low")
        NORMAL = "normal", _("normal")
        HIGH = "high", _("high")
        URGENT = "urgent", _("urgent (production stopped)")

    class Decision(models.TextChoices):
        REMOTE = "remote", _("solved by phone / remotely")
        ONSITE = "onsite", _("on-site repair")
        FACTORY = "factory", _("return-to-factory repair")
        REPLACE = "replace", _("replacement")
        RETURN = "return", _("product return")
        CLAIM = "claim", _("three-guarantee claim")

    class Satisfaction(models.TextChoices):
        VERY_GOOD = "very_good", _("very good")
        GOOD = "good", _("good")
        FAIR = "fair", _("fair")
        POOR = "poor", _("not quite satisfied")

    class Closure(models.TextChoices):
        ANSWERED = "answered", _("answered")
        REVISITED = "revisited", _("resolved and revisited")

    class Visit(models.TextChoices):
        NONE = "none", _("no site visit")
        DISPATCHED = "dispatched", _("dispatch confirmed")
        ON_SITE = "on_site", _("technician on site")

    class Escalation(models.TextChoices):
        NONE = "none", _("not escalated")
        ESCALATED = "escalated", _("escalated to the product director")
        DIRECTED = "directed", _("product department sent")
        FILED = "filed", _("results filed and archived")

    REPAIR_DECISIONS = (Decision.REMOTE, Decision.ONSITE, Decision.FACTORY)

    status = FSMField(_("status"), default=Status.RECORDED, choices=Status.choices, protected=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    category = models.CharField(_("category"), max_length=15, choices=Category.choices, default=Category.FAULT)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    customer = models.ForeignKey(
        "aftersales.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="service_cases"
    )
    contact = models.ForeignKey(
        "aftersales.Contact",
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    caller_name = models.CharField(_("caller"), max_length=50, blank=True)
    caller_phone = models.CharField(_("caller's phone"), max_length=30, blank=True)
    site = models.ForeignKey(
        "aftersales.Site", verbose_name=_("site"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(
        "aftersales.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_cases",
    )
    contract_number = models.CharField(_("contract number"), max_length=50, blank=True)
    fault_description = models.TextField(_("fault symptoms"))
    free_supply = models.BooleanField(_("free supply of missing parts"), default=False)

    # The technical department's diagnosis and decision.
    component = models.ForeignKey(
        "aftersales.Component",
        verbose_name=_("component concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    defect_code = models.ForeignKey(
        "aftersales.DefectCode",
        verbose_name=_("defect"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    cause_covered = models.BooleanField(_("cause covered by the warranty"), default=True)
    in_warranty = models.BooleanField(_("in warranty"), null=True, blank=True)
    replace_recommended = models.BooleanField(_("replace with a new unit of the same brand and model"), default=False)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    # The site visit of an on-site repair, its own small state machine beside `status`: the
    # arrival clock runs from the confirmed dispatch to the arrival (the timestamps are its data).
    visit = FSMField(_("site visit"), default=Visit.NONE, choices=Visit.choices, protected=True)
    dispatch_confirmed_at = models.DateTimeField(_("dispatch confirmed at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived on site at"), null=True, blank=True)

    # 技术支持程序 3.2–3.3: the technical department lacks the capability → the product director
    # directs the product department to send people → the results and documents are filed (备案)
    # and archived (归档). A state machine of its own beside the status.
    escalation = FSMField(
        _("technical support escalation"), default=Escalation.NONE, choices=Escalation.choices, protected=True
    )
    escalation_reason = models.TextField(_("why the technical department escalates"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    direction = models.TextField(_("the product director's direction"), blank=True)
    directed_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("people sent by the product department"), blank=True, related_name="+"
    )
    directed_at = models.DateTimeField(_("directed at"), null=True, blank=True)
    support_result = models.TextField(_("result of the technical support (filed)"), blank=True)
    support_filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)

    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closure = models.CharField(_("closed as"), max_length=10, choices=Closure.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_reason = models.CharField(_("reason for reopening"), max_length=300, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        verbose_name = _("service case")
        verbose_name_plural = _("service cases")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("answer_servicecase", _("Can answer and close a consultation")),
            ("handover_servicecase", _("Can hand a case to the technical department")),
            ("respond_servicecase", _("Can record a response to the customer")),
            ("diagnose_servicecase", _("Can record the phone diagnosis")),
            ("quotefee_servicecase", _("Can record the fee told to the customer")),
            ("decide_servicecase", _("Can decide how a case is handled")),
            ("dispatch_servicecase", _("Can confirm dispatch and arrival")),
            ("resolve_servicecase", _("Can record the resolution")),
            ("revisit_servicecase", _("Can record the customer revisit")),
            ("close_servicecase", _("Can close a case")),
            ("reopen_servicecase", _("Can reopen a case")),
            ("pauseclock_servicecase", _("Can pause and resume SLA clocks")),
            ("overriderepeat_servicecase", _("Can allow another repair of a defect repaired three times")),
            ("view_slaboard", _("Can view the SLA board")),
            ("escalate_servicecase", _("Can escalate a case to the product director")),
            ("direct_servicecase", _("Can direct the product department on an escalated case")),
            ("filesupport_servicecase", _("Can file the results of the technical support")),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="case_created_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="case_status_created_idx"),
            models.Index(fields=["category", "-created_at", "-id"], name="case_category_created_idx"),
            models.Index(fields=["customer", "-created_at", "-id"], name="case_customer_created_idx"),
            models.Index(fields=["unit", "component", "defect_code"], name="case_repeat_repair_idx"),
            # 技术支持: the few escalated cases still open, for the product director's 待办.
            models.Index(
                fields=["escalation", "escalated_at", "id"],
                condition=models.Q(escalation__in=["escalated", "directed"]),
                name="case_escalation_open_idx",
            ),
            # 售后服务承诺 3: cases still open 24 h after the arrival on site (the manager's 待办).
            models.Index(
                fields=["status", "arrived_at"], name="case_status_arrived_idx", condition=Q(arrived_at__isnull=False)
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("servicedesk:case-detail", args=[self.pk])

    def user_may_view(self, user) -> bool:
        return user.has_perm("servicedesk.view_servicecase")

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    # --- transitions: they only set fields; the services lock, check and save ---------

    @transition(
        field=status,
        source=Status.RECORDED,
        target=Status.CLOSED,
        permission="servicedesk.answer_servicecase",
        custom={"label": _("Answer and close")},
    )
    def answer(self, *, text: str, now=None):
        now = now or timezone.now()
        self.resolution, self.resolved_at, self.closed_at = text, now, now
        self.closure = self.Closure.ANSWERED

    @transition(
        field=status,
        source=Status.RECORDED,
        target=Status.TECHDEPT,
        permission="servicedesk.handover_servicecase",
        custom={"label": _("Hand to the technical department")},
    )
    def hand_to_techdept(self):
        pass

    @transition(
        field=status,
        source=Status.TECHDEPT,
        target=Status.IN_PROGRESS,
        permission="servicedesk.decide_servicecase",
        custom={"label": _("Decide")},
    )
    def decide(self, *, decision: str, by, now=None):
        self.decision, self.decided_by, self.decided_at = decision, by, now or timezone.now()

    def visited_if_on_site(self) -> bool:
        """An on-site repair is resolved on site: after the technician's arrival."""
        return self.decision != self.Decision.ONSITE or self.visit == self.Visit.ON_SITE

    @transition(
        field=status,
        source=Status.IN_PROGRESS,
        target=Status.RESOLVED,
        permission="servicedesk.resolve_servicecase",
        conditions=[_visited_if_on_site],
        custom={
            "label": _("Record the resolution"),
            "unmet": _("An on-site repair is resolved after the technician has arrived on site."),
        },
    )
    def resolve(self, *, text: str, now=None):
        self.resolution, self.resolved_at = text, now or timezone.now()

    @transition(
        field=escalation,
        source=Escalation.NONE,
        target=Escalation.ESCALATED,
        permission="servicedesk.escalate_servicecase",
        conditions=[_being_handled],
        custom={
            "label": _("Escalate to the product director"),
            "unmet": _("Only a case with the technical department or in progress is escalated."),
        },
    )
    def escalate(self, *, why: str):
        self.escalation_reason, self.escalated_at = why, timezone.now()

    @transition(
        field=escalation,
        source=Escalation.ESCALATED,
        target=Escalation.DIRECTED,
        permission="servicedesk.direct_servicecase",
        custom={"label": _("Direct the product department")},
    )
    def direct(self, *, direction: str):
        self.direction, self.directed_at = direction, timezone.now()

    @transition(
        field=escalation,
        source=Escalation.DIRECTED,
        target=Escalation.FILED,
        permission="servicedesk.filesupport_servicecase",
        custom={"label": _("File and archive the results")},
    )
    def file_support(self, *, result: str):
        self.support_result, self.support_filed_at = result, timezone.now()

    # A system step: the linked job's form A was signed, or the repair order of the case closed.
    @transition(
        field=status,
        source=Status.IN_PROGRESS,
        target=Status.RESOLVED,
        permission=system_step,
        conditions=[_visited_if_on_site],
        custom={"label": _("Resolved by the completed job or repair")},
    )
    def resolve_on_completion(self, *, text: str, now=None):
        self.resolution, self.resolved_at = text, now or timezone.now()

    @transition(
        field=status,
        source=Status.RESOLVED,
        target=Status.REVISITED,
        permission="servicedesk.revisit_servicecase",
        custom={"label": _("Record the revisit")},
    )
    def revisit(self):
        pass

    @transition(
        field=status,
        source=Status.REVISITED,
        target=Status.CLOSED,
        permission="servicedesk.close_servicecase",
        custom={"label": _("Close")},
    )
    def close(self, *, now=None):
        self.closure, self.closed_at = self.Closure.REVISITED, now or timezone.now()

    @transition(
        field=visit,
        source=Visit.NONE,
        target=Visit.DISPATCHED,
        permission="servicedesk.dispatch_servicecase",
        custom={"label": _("Confirm dispatch")},
    )
    def confirm_dispatch(self, *, at):
        self.dispatch_confirmed_at = at

    @transition(
        field=visit,
        source=Visit.DISPATCHED,
        target=Visit.ON_SITE,
        permission="servicedesk.dispatch_servicecase",
        custom={"label": _("Record the arrival")},
    )
    def record_arrival(self, *, at):
        self.arrived_at = at

    # A system step: technicians were sent on the linked service job (one dispatch, one clock).
    @transition(
        field=visit,
        source=Visit.NONE,
        target=Visit.DISPATCHED,
        permission=system_step,
        custom={"label": _("Dispatched on the service job")},
    )
    def job_dispatched(self, *, at):
        self.dispatch_confirmed_at = at

    # A system step: the linked service job reported its arrival (with or without a dispatch
    # confirmed here first).
    @transition(
        field=visit,
        source=[Visit.NONE, Visit.DISPATCHED],
        target=Visit.ON_SITE,
        permission=system_step,
        custom={"label": _("Arrival reported by the service job")},
    )
    def job_arrived(self, *, at):
        self.arrived_at = at

    @transition(
        field=status,
        source=[Status.RESOLVED, Status.REVISITED, Status.CLOSED],
        target=Status.RECORDED,
        permission="servicedesk.reopen_servicecase",
        custom={"label": _("Reopen"), "danger": True},
    )
    def reopen(self, *, why: str):
        self.reopen_reason, self.reopen_count = why, self.reopen_count + 1
        self.closure, self.closed_at, self.resolved_at = "", None, None


class CaseNote(TrackedModel):
    """A contact with the customer or a finding: response, phone diagnosis, answer, note."""

    class Kind(models.TextChoices):
        RESPONSE = "response", _("response to the customer")
        DIAGNOSIS = "diagnosis", _("phone diagnosis")
        ANSWER = "answer", _("answer")
        NOTE = "note", _("note")

    case = models.ForeignKey(
        ServiceCase, verbose_name=_("service case"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("text"))
    spoke_with = models.CharField(_("spoke with"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class RepeatRepairOverride(TrackedModel):
    """The after-sales manager allows one more repair of a defect already repaired three times in
    warranty (产品质量保证承诺 四: the fourth goes to a new unit), with the reason; who and when
    are created_by and created_at."""

    case = models.ForeignKey(
        ServiceCase, verbose_name=_("service case"), on_delete=models.CASCADE, related_name="repeat_overrides"
    )
    component = models.ForeignKey(
        "aftersales.Component",
        verbose_name=_("component concerned"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    defect_code = models.ForeignKey(
        "aftersales.DefectCode", verbose_name=_("defect"), on_delete=models.PROTECT, related_name="+"
    )
    repairs = models.PositiveSmallIntegerField(_("repairs counted"))
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("three-repairs override")
        verbose_name_plural = _("three-repairs overrides")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.defect_code_id}"


class FeeQuote(TrackedModel):
    """The fee of a paid repair and who told the customer when (before any work starts).

    承诺 四: out of warranty only the parts at cost, no labour — the quote is built from its
    lines (parts at the component's cost price); a fee told that differs needs its reason.
    """

    class Reason(models.TextChoices):
        OUT_OF_WARRANTY = "expired", _("out of warranty")
        NOT_COVERED = "not_covered", _("cause not covered")

    case = models.ForeignKey(
        ServiceCase, verbose_name=_("service case"), on_delete=models.CASCADE, related_name="fee_quotes"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    amount = models.DecimalField(_("fee quoted (yuan)"), max_digits=12, decimal_places=2)
    details = models.CharField(_("what it covers"), max_length=300, blank=True)
    told_to = models.CharField(_("customer told"), max_length=50)
    told_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("told by"), on_delete=models.PROTECT, related_name="+"
    )
    told_at = models.DateTimeField(_("told at"))
    parts_total = models.DecimalField(
        _("parts at cost (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )  # empty on quotes recorded before the parts lines
    difference_reason = models.CharField(_("reason for a different fee"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fee quote")
        verbose_name_plural = _("fee quotes")
        ordering = ["told_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} ¥{self.amount}"


class FeeQuoteLine(TrackedModel):
    """A part of a fee quote at its cost price (no labour line: 不收取人工技术和服务费用)."""

    quote = models.ForeignKey(FeeQuote, verbose_name=_("fee quote"), on_delete=models.CASCADE, related_name="lines")
    component = models.ForeignKey(
        "aftersales.Component", verbose_name=_("part"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_cost = models.DecimalField(_("cost price (yuan)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("fee quote line")
        verbose_name_plural = _("fee quote lines")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="feequoteline_quantity_positive")]

    def __str__(self) -> str:
        return f"{self.component_id} × {self.quantity}"

    @property
    def amount(self):
        return self.unit_cost * self.quantity


class CaseRevisit(TrackedModel):
    """The customer revisit (回访) after the resolution, with the customer's satisfaction."""

    case = models.ForeignKey(
        ServiceCase, verbose_name=_("service case"), on_delete=models.CASCADE, related_name="revisits"
    )
    spoke_with = models.CharField(_("spoke with"), max_length=50)
    satisfaction = models.CharField(_("satisfaction"), max_length=10, choices=ServiceCase.Satisfaction.choices)
    comments = models.TextField(_("comments"), blank=True)

    class Meta:
        verbose_name = _("customer revisit")
        verbose_name_plural = _("customer revisits")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_satisfaction_display()}"


class CoordinationSheet(TrackedModel):
    """部门协调单: the after-sales office asks another department for help on a case."""

    case = models.ForeignKey(
        ServiceCase, verbose_name=_("service case"), on_delete=models.CASCADE, related_name="coordination_sheets"
    )
    from_department = models.ForeignKey(
        "aftersales.Department", verbose_name=_("from department"), on_delete=models.PROTECT, related_name="+"
    )
    to_department = models.ForeignKey(
        "aftersales.Department", verbose_name=_("to department"), on_delete=models.PROTECT, related_name="+"
    )
    request = models.TextField(_("matter to coordinate"))
    reply_by = models.DateField(_("reply wanted by"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)

    class Meta:
        verbose_name = _("department coordination sheet")
        verbose_name_plural = _("department coordination sheets")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_department}"
