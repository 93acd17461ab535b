"""Service commitments (SLA): policies per customer or contract, and the three clocks of a case.

Seed (售后服务和质量保证措施, 售后服务响应承诺表格, 产品质量保证及售后服务承诺): phone response within
30 minutes (7×24); on site within 8 working hours in office cities and their neighbours, 24
hours elsewhere, or 2–6 hours where a contract says so; fault resolved within 3 calendar
days; customer complaints answered within one day.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.base import NaturalKeyManager, TrackedModel


class SlaPolicy(TrackedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(_("default policy"), default=False)
    response_minutes = models.PositiveIntegerField(_("response within (minutes, 7×24)"), default=30)
    arrival_office_working_hours = models.PositiveIntegerField(
        _("on site within (working hours, office cities and neighbours)"), default=8
    )
    arrival_elsewhere_hours = models.PositiveIntegerField(_("on site within (hours, elsewhere)"), default=24)
    arrival_contract_hours = models.PositiveIntegerField(
        _("on site within (hours, contract commitment)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_("e.g. 2–6 hours; when set it applies everywhere instead of the two rules above."),
    )
    resolution_days = models.PositiveIntegerField(_("fault resolved within (calendar days)"), default=3)
    complaint_answer_hours = models.PositiveIntegerField(_("complaint answered within (hours)"), default=24)
    at_risk_share = models.DecimalField(
        _("at risk when less than this share of the time is left"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.99"))],
    )

    objects = NaturalKeyManager("name")

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_sla")
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.name,)


class SlaAgreement(TrackedModel):
    """Attaches a policy to a customer, or to one contract of a customer."""

    customer = models.ForeignKey(
        "aftersales.Customer", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="sla_agreements"
    )
    contract_number = models.CharField(_("contract number"), max_length=50, blank=True)
    policy = models.ForeignKey(SlaPolicy, verbose_name=_("SLA policy"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("SLA agreement")
        verbose_name_plural = _("SLA agreements")
        constraints = [
            models.UniqueConstraint(fields=["customer", "contract_number"], name="uniq_sla_customer_contract")
        ]

    def __str__(self) -> str:
        return f"{self.customer} {self.contract_number} → {self.policy}".strip()


class ClockKind(models.TextChoices):
    RESPONSE = "response", _("response")
    ARRIVAL = "arrival", _("arrival on site")
    RESOLUTION = "resolution", _("resolution")


class ClockState(models.TextChoices):
    RUNNING = "running", _("running")
    AT_RISK = "at_risk", _("at risk")
    BREACHED = "breached", _("breached")
    PAUSED = "paused", _("paused")
    MET = "met", _("met")
    MISSED = "missed", _("missed")


class SlaClock(TrackedModel):
    """One commitment of one case: started, deadline, at-risk moment, stopped, pauses.

    `at_risk_at` and `deadline` are stored (not computed at read time) so that the board and
    the list filter are plain indexed range queries at a million cases.
    """

    case = models.ForeignKey(
        "servicedesk.ServiceCase", verbose_name=_("service case"), on_delete=models.CASCADE, related_name="clocks"
    )
    kind = models.CharField(_("clock"), max_length=12, choices=ClockKind.choices)
    policy = models.ForeignKey(SlaPolicy, verbose_name=_("SLA policy"), on_delete=models.PROTECT, related_name="+")
    working_time = models.BooleanField(_("counts working hours only"), default=False)
    budget_seconds = models.PositiveIntegerField(_("time allowed (seconds)"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"))
    at_risk_at = models.DateTimeField(_("at risk from"))
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    met = models.BooleanField(_("met"), null=True, blank=True)
    notified_state = models.CharField(_("last state notified"), max_length=10, blank=True)
    schedule_missing = models.BooleanField(_("working calendar missing for a year"), default=False)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["case", "kind"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="uniq_clock_per_case")]
        indexes = [
            models.Index(fields=["deadline"], name="clock_open_deadline_idx", condition=Q(stopped_at__isnull=True)),
            models.Index(fields=["at_risk_at"], name="clock_open_risk_idx", condition=Q(stopped_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.stopped_at is not None:
            return ClockState.MET if self.met else ClockState.MISSED
        if self.paused_at is not None:
            return ClockState.PAUSED
        if now >= self.deadline:
            return ClockState.BREACHED
        if now >= self.at_risk_at:
            return ClockState.AT_RISK
        return ClockState.RUNNING

    @property
    def current_state(self) -> str:
        return self.state()

    @property
    def state_label(self) -> str:
        return str(ClockState(self.state()).label)

    @property
    def time_left(self):
        """Time to the deadline (negative when overdue); None once stopped or while paused."""
        if self.stopped_at is not None or self.paused_at is not None:
            return None
        return self.deadline - timezone.now()


class SlaPause(TrackedModel):
    """A pause of a clock, only with a recorded reason (e.g. waiting for the customer)."""

    clock = models.ForeignKey(SlaClock, verbose_name=_("SLA clock"), on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("reason"), max_length=200)
    started_at = models.DateTimeField(_("paused at"))
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resumed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.clock}: {self.reason}"
