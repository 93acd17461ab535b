"""Field service (seed 三 仪器安装, 四 上门维修): the job, its market-support request, the
trip, progress reports, the two-part feedback form A/B and the trip's expenses."""

import uuid
from collections.abc import Callable, Collection
from datetime import timedelta
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import FSMField, transition

from aftersales.base import NumberedModel, TrackedModel
from aftersales.models import Attachment, Customer, Signature, Site, Unit
from aftersales.workflow import system_step
from fieldservice.roles import may_send_back_form_b

TECHNICIAN_ROLES = ("technician",)


def _cond(method: str) -> Callable[[Any], bool]:
    """A transition condition that asks the record's own method (kept next to its data)."""

    def check(instance: Any) -> bool:
        return bool(getattr(instance, method)())

    check.__name__ = method
    return check


def _assigned(perm: str):
    """A transition permission: the role's permission AND being assigned to the job."""

    def check(instance, user) -> bool:
        job = instance if isinstance(instance, ServiceJob) else instance.job
        return bool(user and user.has_perm(perm) and job.is_assigned(user))

    return check


def _arranges_trip(perm: str):
    """A transition permission: the after-sales office arranges every trip (`perm`); the technical
    department arranges the on-site repair trips (上门维修: 技术部安排出差), not installations."""

    def check(instance, user) -> bool:
        if not user:
            return False
        if user.has_perm(perm):
            return True
        return instance.kind == ServiceJob.Kind.REPAIR and user.has_perm("fieldservice.arrangerepair_servicejob")

    check.__name__ = f"arranges_trip({perm})"
    return check


class ServiceJob(NumberedModel):
    """A trip to a customer's site: installation, on-site repair or a quality visit."""

    NUMBER_PREFIX = "FW"

    class Kind(models.TextChoices):
        INSTALLATION = "installation", _("installation")
        REPAIR = "repair", _("on-site repair")
        QUALITY = "quality", _("quality problem visit")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        SCHEDULED = "scheduled", _("date agreed")
        DISPATCHED = "dispatched", _("dispatched")
        TRAVELLING = "travelling", _("on the trip")
        ON_SITE = "on_site", _("on site")
        LEFT_SITE = "left_site", _("left the site")
        RETURNED = "returned", _("returned")
        ARCHIVED = "archived", _("archived")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = FSMField(_("status"), default=Status.NEW, choices=Status.choices, protected=True)
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    units = models.ManyToManyField(Unit, verbose_name=_("units"), blank=True, related_name="service_jobs")
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    description = models.TextField(_("what the customer reported"), blank=True)
    source_label = models.CharField(_("source"), max_length=100, blank=True)
    # A quality job: the QC / R&D people named on the quality sheet go on site with after-sales.
    site_team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("people named to go on site"), blank=True, related_name="+"
    )
    agreed_date = models.DateField(_("date agreed with the customer"), null=True, blank=True)
    # Dispatch: what after-sales tells the technicians about the destination.
    destination_address = models.CharField(_("destination address"), max_length=300, blank=True)
    destination_contact = models.CharField(_("contact on site"), max_length=50, blank=True)
    destination_phone = models.CharField(_("phone on site"), max_length=30, blank=True)
    things_to_bring = models.TextField(_("what to bring"), blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    # The trip record (售后*市场支持(出差人员)记录表), filled by the technician.
    expected_trip_days = models.DecimalField(
        _("expected trip duration (days)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    trip_travellers = models.CharField(_("travellers"), max_length=200, blank=True)
    trip_departure_at = models.DateTimeField(_("departure"), null=True, blank=True)
    trip_destination = models.CharField(_("destination"), max_length=300, blank=True)
    trip_purpose = models.TextField(_("purpose of the trip"), blank=True)
    trip_expected_return = models.DateField(_("expected return"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived on site at"), null=True, blank=True)
    departed_at = models.DateTimeField(_("left the site at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    debrief_notes = models.TextField(_("debrief notes"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    last_report_at = models.DateTimeField(_("last progress report"), null=True, blank=True)
    # The printed QR code of the archived pair points here: the archive's own verify code is
    # only known after the PDF bytes exist, so the PDF carries this stable code instead.
    verify_code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = _("service job")
        verbose_name_plural = _("service jobs")
        permissions = [
            ("schedule_servicejob", _("Can agree the date of a service job")),
            ("dispatch_servicejob", _("Can dispatch technicians")),
            ("work_servicejob", _("Can work on an assigned service job")),
            ("archive_servicejob", _("Can archive a service job")),
            ("cancel_servicejob", _("Can cancel a service job")),
            ("arrangerepair_servicejob", _("Can arrange on-site repair trips (date and dispatch)")),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="fs_job_status_idx"),
            models.Index(fields=["-created_at", "-id"], name="fs_job_created_idx"),
            # 待办: trips without a progress report, oldest first (see selectors.jobs_report_overdue).
            models.Index(
                Coalesce("last_report_at", "trip_departure_at", "dispatched_at"),
                name="fs_job_report_since_idx",
                condition=models.Q(status__in=["travelling", "on_site", "left_site"]),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("fieldservice:job-detail", args=[self.pk])

    def is_assigned(self, user) -> bool:
        if not user or not user.is_authenticated:
            return False
        cache = getattr(self, "_assigned_ids", None)
        if cache is None:
            cache = set(self.assignments.values_list("technician_id", flat=True))
            self._assigned_ids = cache
        return user.pk in cache

    def user_may_view(self, user) -> bool:
        return user.has_perm("fieldservice.view_servicejob") or self.is_assigned(user)

    def support_approved(self) -> bool:
        """Seed 三/四: the technician goes only after 总经理签字批准 of the market-support request."""
        return self.support_requests.filter(status=SupportRequest.Status.APPROVED).exists()

    def current_form_a(self):
        return self.forms_a.filter(is_current=True).first()

    def form_a_signed(self) -> bool:
        form = self.current_form_a()
        return bool(form and form.status == FeedbackFormA.Status.SIGNED)

    def form_a_signer_settled(self) -> bool:
        """The customer's signer is a registered contact, or after-sales verified who signed."""
        form = self.current_form_a()
        return bool(form and form.signer_settled)

    def form_b_submitted(self) -> bool:
        form = getattr(self, "form_b", None) if self.pk else None
        return bool(form and form.status != FeedbackFormB.Status.DRAFT)

    def reimbursement_allowed(self) -> bool:
        """Seed form B note: 客户确认部分必须由客户负责人签字及加盖公章，否则不予报销差旅费."""
        form_a = self.current_form_a()
        form_b = getattr(self, "form_b", None)
        return bool(
            form_a
            and form_a.customer_signed_in_person()
            and form_a.signer_settled
            and form_a.stamp_id
            and form_b
            and form_b.status == FeedbackFormB.Status.APPROVED
        )

    def report_overdue(self, now=None) -> bool:
        if self.status not in (self.Status.TRAVELLING, self.Status.ON_SITE, self.Status.LEFT_SITE):
            return False
        since = self.last_report_at or self.trip_departure_at or self.dispatched_at
        return bool(since and (now or timezone.now()) - since > report_interval())

    @transition(
        field=status,
        source=[Status.NEW, Status.SCHEDULED],
        target=Status.SCHEDULED,
        permission=_arranges_trip("fieldservice.schedule_servicejob"),
        custom={"label": _("Record the agreed date")},
    )
    def schedule(self, *, agreed_date):
        self.agreed_date = agreed_date

    @transition(
        field=status,
        source=Status.SCHEDULED,
        target=Status.DISPATCHED,
        permission=_arranges_trip("fieldservice.dispatch_servicejob"),
        conditions=[_cond("support_approved")],
        custom={
            "label": _("Dispatch"),
            "unmet": _("The market-support request has not been approved by the general manager yet."),
        },
    )
    def dispatch(self, *, address, contact, phone, bring):
        self.destination_address, self.destination_contact = address, contact
        self.destination_phone, self.things_to_bring = phone, bring
        self.dispatched_at = timezone.now()

    @transition(
        field=status,
        source=Status.DISPATCHED,
        target=Status.TRAVELLING,
        permission=_assigned("fieldservice.work_servicejob"),
        custom={"label": _("Fill the trip record and set off")},
    )
    def start_trip(self, *, expected_days, travellers, departure_at, destination, purpose, expected_return):
        self.expected_trip_days, self.trip_travellers = expected_days, travellers
        self.trip_departure_at, self.trip_destination = departure_at, destination
        self.trip_purpose, self.trip_expected_return = purpose, expected_return

    @transition(
        field=status,
        source=Status.TRAVELLING,
        target=Status.ON_SITE,
        permission=_assigned("fieldservice.work_servicejob"),
        custom={"label": _("Arrived on site")},
    )
    def arrive(self, *, at):
        self.arrived_at = at

    @transition(
        field=status,
        source=Status.ON_SITE,
        target=Status.LEFT_SITE,
        permission=_assigned("fieldservice.work_servicejob"),
        custom={"label": _("Left the site")},
    )
    def depart(self, *, at):
        self.departed_at = at

    @transition(
        field=status,
        source=Status.LEFT_SITE,
        target=Status.RETURNED,
        permission=_assigned("fieldservice.work_servicejob"),
        custom={"label": _("Back at the company")},
    )
    def return_to_company(self, *, notes):
        self.returned_at = timezone.now()
        self.debrief_notes = notes

    @transition(
        field=status,
        source=Status.RETURNED,
        target=Status.ARCHIVED,
        permission="fieldservice.archive_servicejob",
        conditions=[_cond("form_a_signed"), _cond("form_a_signer_settled"), _cond("form_b_submitted")],
        custom={
            "label": _("Record and archive"),
            "unmet": _(
                "Form A must be signed by the customer (a signer who is not a registered contact verified by "
                "after-sales) and form B submitted before archiving."
            ),
        },
    )
    def archive(self):
        self.archived_at = timezone.now()

    @transition(
        field=status,
        source=[Status.NEW, Status.SCHEDULED, Status.DISPATCHED],
        target=Status.CANCELLED,
        permission="fieldservice.cancel_servicejob",
        custom={"label": _("Cancel"), "danger": True},
    )
    def cancel(self):
        pass


def report_interval() -> timedelta:
    return timedelta(hours=getattr(settings, "FIELDSERVICE_REPORT_INTERVAL_HOURS", 24))


class Assignment(TrackedModel):
    """A technician sent on a job; one of them leads."""

    job = models.ForeignKey(ServiceJob, on_delete=models.CASCADE, related_name="assignments")
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT, related_name="+"
    )
    is_lead = models.BooleanField(_("lead"), default=False)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["job", "technician"], name="fs_uniq_assignment")]
        indexes = [models.Index(fields=["technician", "job"], name="fs_assign_tech_idx")]


class SupportRequest(NumberedModel):
    """市场支持申请单: filed by the sales manager, approved or rejected by the general manager."""

    NUMBER_PREFIX = "SZ"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    job = models.ForeignKey(
        ServiceJob, verbose_name=_("service job"), on_delete=models.PROTECT, related_name="support_requests"
    )
    status = FSMField(_("status"), default=Status.SUBMITTED, choices=Status.choices, protected=True)
    purpose = models.TextField(_("purpose"))
    proposed_start = models.DateField(_("proposed start"))
    proposed_end = models.DateField(_("proposed end"))
    estimated_cost = models.DecimalField(_("estimated cost (yuan)"), max_digits=12, decimal_places=2)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("market-support request")
        verbose_name_plural = _("market-support requests")
        permissions = [("approve_supportrequest", _("Can approve market-support requests"))]
        indexes = [models.Index(fields=["status", "-created_at"], name="fs_support_status_idx")]

    def get_absolute_url(self) -> str:
        return reverse("fieldservice:support-detail", args=[self.pk])

    def user_may_view(self, user) -> bool:
        return user.has_perm("fieldservice.view_supportrequest") or self.job.is_assigned(user)

    def clean(self):
        if self.proposed_start and self.proposed_end and self.proposed_end < self.proposed_start:
            raise ValidationError({"proposed_end": _("The end is before the start.")})

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.APPROVED,
        permission="fieldservice.approve_supportrequest",
        custom={"label": _("Approve")},
    )
    def approve(self, *, by, comment=""):
        self.decided_by, self.decided_at, self.decision_comment = by, timezone.now(), comment

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.REJECTED,
        permission="fieldservice.approve_supportrequest",
        custom={"label": _("Reject"), "danger": True},
    )
    def reject(self, *, by, comment):
        self.decided_by, self.decided_at, self.decision_comment = by, timezone.now(), comment


class ProgressReport(TrackedModel):
    """A dated note from the trip (seed: 出差期间必须及时向公司或售后部反馈工作情况)."""

    job = models.ForeignKey(ServiceJob, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("progress"))

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        indexes = [models.Index(fields=["job", "-created_at"], name="fs_report_job_idx")]

    def user_may_view(self, user) -> bool:
        return self.job.user_may_view(user)


class TrainingSession(TrackedModel):
    """培训: the training given on a job — topics, who attended (name, position), when, how long.

    Form A asks only whether training was given (是/没有); this is what it was. Printed with
    form B and counted in the reports.
    """

    job = models.ForeignKey(ServiceJob, on_delete=models.CASCADE, related_name="trainings")
    held_on = models.DateField(_("date of the training"))
    hours = models.DecimalField(_("duration (hours)"), max_digits=4, decimal_places=1)
    topics = models.TextField(_("topics"))
    # [{"name": "李工", "position": "设备主管"}, …]: a short list, printed as it was given.
    attendees = models.JSONField(_("attendees"), default=list)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["held_on", "pk"]
        indexes = [models.Index(fields=["job", "held_on"], name="fs_training_job_idx")]

    def __str__(self) -> str:
        return f"{self.job} {self.held_on}"

    def user_may_view(self, user) -> bool:
        return self.job.user_may_view(user)

    @property
    def attendee_count(self) -> int:
        return len(self.attendees)


class YesNo(models.TextChoices):
    YES = "yes", _("yes")
    NO = "no", _("no")


class FeedbackFormA(TrackedModel):
    """售后服务信息反馈单 A (客户确认, YD/QR032-A). Locked once the customer signed; a
    correction is a new revision with a reason, the signed one stays."""

    FORM_CODE = "YD/QR032-A"

    class Status(models.TextChoices):
        DRAFT = "draft", _("being filled")
        AWAITING_CUSTOMER = "awaiting_customer", _("awaiting the customer's signature")
        SIGNED = "signed", _("signed by the customer")

    class SignerCheck(models.TextChoices):
        """Who signed for the customer, beside `status`: set when the customer signs."""

        UNCHECKED = "unchecked", _("not signed yet")
        ON_RECORD = "on_record", _("registered contact")
        TO_VERIFY = "to_verify", _("signer not registered: to be verified by after-sales")
        VERIFIED = "verified", _("unregistered signer verified by after-sales")

    class Result(models.TextChoices):
        VERY_GOOD = "very_good", _("very good")
        GOOD = "good", _("good")
        FAIR = "fair", _("fair")
        UNSATISFIED = "unsatisfied", _("not quite satisfied")

    class Efficiency(models.TextChoices):
        HIGH = "high", _("high")
        FAIR = "fair", _("fair")
        LOW = "low", _("low")

    class Attitude(models.TextChoices):
        GOOD = "good", pgettext_lazy("attitude", "good")
        FAIR = "fair", _("fair")
        POOR = "poor", _("poor")

    class Training(models.TextChoices):
        YES = "yes", _("yes")
        NO = "no", _("not given")

    job = models.ForeignKey(ServiceJob, on_delete=models.PROTECT, related_name="forms_a")
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(_("current revision"), default=True)
    revision_reason = models.TextField(_("reason for the revision"), blank=True)
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    project_name = models.CharField(_("project name"), max_length=200, blank=True)
    customer_name = models.CharField(_("customer name"), max_length=100, blank=True)
    customer_phone = models.CharField(_("customer phone"), max_length=30, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    task = models.TextField(_("after-sales service task"), blank=True)
    manager_signature = models.ForeignKey(Signature, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    expected_work_time = models.CharField(_("expected working time"), max_length=100, blank=True)
    service_content = models.TextField(_("service content (work done and open issues)"), blank=True)
    technician_signature = models.ForeignKey(
        Signature, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The customer's confirmation (以下用户签字确认): written only by the customer's own signing.
    work_completed = models.CharField(
        _("1. work the customer asked for completed?"), max_length=3, choices=YesNo.choices, blank=True
    )
    work_completed_note = models.CharField(_("note (if not)"), max_length=300, blank=True)
    result = models.CharField(_("2. result"), max_length=12, choices=Result.choices, blank=True)
    efficiency = models.CharField(
        _("3. efficiency of the service staff"), max_length=6, choices=Efficiency.choices, blank=True
    )
    attitude = models.CharField(
        _("4. attitude of the service staff"), max_length=6, choices=Attitude.choices, blank=True
    )
    training = models.CharField(_("5. necessary training given?"), max_length=3, choices=Training.choices, blank=True)
    arrival_date = models.DateField(_("6. arrived on site"), null=True, blank=True)
    departure_date = models.DateField(_("6. left the site"), null=True, blank=True)
    acceptance_comments = models.TextField(_("7. acceptance confirmation and comments"), blank=True)
    company_name = models.CharField(_("company name (stamp)"), max_length=200, blank=True)
    stamp = models.ForeignKey(
        Attachment,
        verbose_name=_("company stamp photo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    customer_signature = models.ForeignKey(Signature, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(_("time"), null=True, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=50, blank=True)
    # Is the signer one of the customer's registered contacts (name and phone)? A signer who is
    # not is flagged, and after-sales verifies who signed before the pair is archived.
    signer_check = FSMField(
        _("signer check"), default=SignerCheck.UNCHECKED, choices=SignerCheck.choices, protected=True
    )
    signer_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_checked_at = models.DateTimeField(_("signer verified at"), null=True, blank=True)
    signer_check_note = models.TextField(_("how the signer was verified"), blank=True)

    CUSTOMER_FIELDS = (
        "work_completed",
        "work_completed_note",
        "result",
        "efficiency",
        "attitude",
        "training",
        "arrival_date",
        "departure_date",
        "acceptance_comments",
        "company_name",
        "stamp",
        "customer_signature",
        "signed_at",
        "signer_position",
    )
    # What may still change once the customer signed: the after-sales check of who signed.
    SIGNER_CHECK_FIELDS = frozenset(
        {"signer_check", "signer_checked_by_id", "signer_checked_at", "signer_check_note", "updated_by_id"}
    )

    class Meta:
        verbose_name = _("feedback form A (customer confirmation)")
        verbose_name_plural = _("feedback forms A (customer confirmation)")
        permissions = [
            ("fill_feedbackforma", _("Can fill form A of an assigned job")),
            ("sign_task_feedbackforma", _("Can sign the after-sales task on form A")),
            ("revise_feedbackforma", _("Can start a corrected revision of a signed form A")),
            ("verify_signer_feedbackforma", _("Can verify the signer of form A who is not a registered contact")),
        ]
        constraints = [models.UniqueConstraint(fields=["job", "revision"], name="fs_uniq_form_a_revision")]

    def __str__(self) -> str:
        return f"{self.job.number}-A{self.revision}"

    @classmethod
    # django-stubs describes Django 6's from_db (keyword fetch_mode); Django 5.2 has none.
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any]) -> Self:  # type: ignore[override]
        obj = super().from_db(db, field_names, values)
        obj._remember_loaded()
        return obj

    def _remember_loaded(self) -> None:
        self._loaded_status = self.status
        self._loaded_values = {
            f.attname: self.__dict__[f.attname] for f in self._meta.concrete_fields if f.attname in self.__dict__
        }

    def _changed_since_loaded(self) -> set[str]:
        loaded = getattr(self, "_loaded_values", {})
        return {name for name, value in loaded.items() if self.__dict__.get(name) != value}

    def save(self, *args, **kwargs):
        # The lock after the customer signed: only the revision flag, and the after-sales check of
        # who signed (through its own transitions), may still change.
        if getattr(self, "_loaded_status", None) == self.Status.SIGNED:
            changed = self._changed_since_loaded()
            revision_flag = set(kwargs.get("update_fields") or ()) == {"is_current"}
            signer_check = "signer_check" in changed and changed <= self.SIGNER_CHECK_FIELDS
            if not (revision_flag or signer_check):
                from aftersales.workflow import RuleViolation

                raise RuleViolation(
                    str(_("Form A was signed by the customer and is locked; start a corrected revision."))
                )
        super().save(*args, **kwargs)
        self._remember_loaded()

    def get_absolute_url(self) -> str:
        return reverse("fieldservice:forma-detail", args=[self.pk])

    def user_may_view(self, user) -> bool:
        return self.job.user_may_view(user)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.SIGNED

    @property
    def signer_on_record(self) -> bool:
        return self.signer_check == self.SignerCheck.ON_RECORD

    @property
    def signer_settled(self) -> bool:
        """Who signed is known: a registered contact, or verified by after-sales."""
        return self.signer_check in (self.SignerCheck.ON_RECORD, self.SignerCheck.VERIFIED)

    def customer_has_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    def task_signed(self) -> bool:
        return self.manager_signature_id is not None

    def customer_signed_in_person(self) -> bool:
        sig = self.customer_signature
        return bool(
            sig and sig.method in (Signature.Method.TABLET, Signature.Method.LINK) and sig.signer_user_id is None
        )

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.AWAITING_CUSTOMER,
        permission=_assigned("fieldservice.fill_feedbackforma"),
        custom={"label": _("Sign the service content")},
    )
    def sign_service_content(self, *, signature):
        self.technician_signature = signature

    @transition(
        field=status,
        source=Status.AWAITING_CUSTOMER,
        target=Status.DRAFT,
        permission=_assigned("fieldservice.fill_feedbackforma"),
        custom={"label": _("Reopen for changes")},
    )
    def reopen(self):
        self.technician_signature = None

    # A system step: the customer has no account. The service refuses every call that does not
    # carry a consumed in-person (tablet) or customer-link token for this form, then takes it
    # as the system actor with the signer in the reason. The after-sales manager signs the task
    # first (售后经理签字): the hand-over and the customer link ask this transition too.
    @transition(
        field=status,
        source=Status.AWAITING_CUSTOMER,
        target=Status.SIGNED,
        permission=system_step,
        conditions=[_cond("task_signed")],
        custom={
            "label": _("Customer confirms and signs"),
            "unmet": _(
                "The after-sales manager has not signed the after-sales task yet: the customer signs only after "
                "the after-sales manager's signature."
            ),
        },
    )
    def customer_confirm(self, *, data, signature, stamp):
        for name, value in data.items():
            setattr(self, name, value)
        self.customer_signature, self.stamp = signature, stamp
        self.signed_at = signature.signed_at

    # Who signed, decided by the system right after the customer's signature (the signer's name and
    # phone against the customer's registered contacts), then verified by after-sales if unknown.
    @transition(
        field=signer_check,
        source=SignerCheck.UNCHECKED,
        target=SignerCheck.ON_RECORD,
        permission=system_step,
        conditions=[_cond("customer_has_signed")],
        custom={"label": _("Signer is a registered contact")},
    )
    def match_signer(self):
        pass

    @transition(
        field=signer_check,
        source=SignerCheck.UNCHECKED,
        target=SignerCheck.TO_VERIFY,
        permission=system_step,
        conditions=[_cond("customer_has_signed")],
        custom={"label": _("Signer is not a registered contact: to be verified")},
    )
    def flag_signer(self):
        pass

    @transition(
        field=signer_check,
        source=SignerCheck.TO_VERIFY,
        target=SignerCheck.VERIFIED,
        permission="fieldservice.verify_signer_feedbackforma",
        conditions=[_cond("is_current_revision")],
        custom={
            "label": _("Verify the signer"),
            "unmet": _("A corrected revision replaces this form A: verify the signer of the current one."),
        },
    )
    def verify_signer(self, *, by, note):
        self.signer_checked_by, self.signer_checked_at, self.signer_check_note = by, timezone.now(), note

    def is_current_revision(self) -> bool:
        return self.is_current


class FeedbackFormB(TrackedModel):
    """售后服务信息反馈单 B (公司考核, YD/QR032-B): the basis of reimbursement and assessment."""

    FORM_CODE = "YD/QR032-B"

    class Status(models.TextChoices):
        DRAFT = "draft", _("being filled")
        SUBMITTED = "submitted", _("awaiting the department manager")
        REVIEWED = "reviewed", _("awaiting leadership approval")
        APPROVED = "approved", _("approved")

    job = models.OneToOneField(ServiceJob, on_delete=models.PROTECT, related_name="form_b")
    status = FSMField(_("status"), default=Status.DRAFT, choices=Status.choices, protected=True)
    project_name = models.CharField(_("project name"), max_length=200)
    period_from = models.DateField(_("service from"))
    period_to = models.DateField(_("service to"))
    total_days = models.PositiveSmallIntegerField(_("total days"))
    days_reason = models.CharField(_("reason for changing the days"), max_length=300, blank=True)
    service_fee = models.DecimalField(_("service fee this time (yuan)"), max_digits=12, decimal_places=2)
    products = models.TextField(_("our products: models and quantities"))
    commissioned = models.CharField(_("commissioned on site"), max_length=3, choices=YesNo.choices)
    commissioning_date = models.DateField(_("commissioning date"), null=True, blank=True)
    user_reported = models.TextField(_("what the user reported"))
    found_on_site = models.TextField(_("what was found on site"))
    returns_for_repair = models.BooleanField(_("units go back for repair"), default=False)
    handling = models.TextField(_("handling, process and result"))
    return_serials = models.CharField(_("serial numbers of units going back"), max_length=300, blank=True)
    open_issues = models.TextField(_("open issues and proposed solution"))
    follow_up_project = models.CharField(_("follow-up project?"), max_length=3, choices=YesNo.choices, blank=True)
    sales_contact = models.CharField(_("sales contact"), max_length=50, blank=True)
    sales_phone = models.CharField(_("sales contact phone"), max_length=30, blank=True)
    filler_department = models.CharField(_("filler's department"), max_length=100)
    technician_signature = models.ForeignKey(
        Signature, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("date"), null=True, blank=True)
    manager_opinion = models.TextField(_("department manager's opinion"), blank=True)
    manager_signature = models.ForeignKey(Signature, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    leader_comment = models.TextField(_("leadership approval comment"), blank=True)
    leader_signature = models.ForeignKey(Signature, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback form B (company assessment)")
        verbose_name_plural = _("feedback forms B (company assessment)")
        permissions = [
            ("fill_feedbackformb", _("Can fill form B of an assigned job")),
            ("review_feedbackformb", _("Can give the department manager's opinion on form B")),
            ("approve_feedbackformb", _("Can approve form B for the company leadership")),
        ]
        indexes = [models.Index(fields=["status", "-updated_at"], name="fs_formb_status_idx")]

    def __str__(self) -> str:
        return f"{self.job.number}-B"

    def get_absolute_url(self) -> str:
        return reverse("fieldservice:formb-detail", args=[self.pk])

    def user_may_view(self, user) -> bool:
        return self.job.user_may_view(user) or user.has_perm("fieldservice.view_feedbackformb")

    @transition(
        field=status,
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=_assigned("fieldservice.fill_feedbackformb"),
        custom={"label": _("Sign and submit")},
    )
    def submit(self, *, signature):
        self.technician_signature, self.submitted_at = signature, signature.signed_at

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.REVIEWED,
        permission="fieldservice.review_feedbackformb",
        custom={"label": _("Give the department manager's opinion")},
    )
    def review(self, *, opinion, signature):
        self.manager_opinion, self.manager_signature, self.reviewed_at = opinion, signature, signature.signed_at

    @transition(
        field=status,
        source=[Status.SUBMITTED, Status.REVIEWED],
        target=Status.DRAFT,
        permission=lambda instance, user: may_send_back_form_b(user),
        custom={"label": _("Send back to the technician"), "danger": True},
    )
    def send_back(self):
        self.technician_signature = self.manager_signature = None
        self.submitted_at = self.reviewed_at = None
        self.manager_opinion = ""

    @transition(
        field=status,
        source=Status.REVIEWED,
        target=Status.APPROVED,
        permission="fieldservice.approve_feedbackformb",
        custom={"label": _("Approve for the company leadership")},
    )
    def approve(self, *, comment, signature):
        self.leader_comment, self.leader_signature, self.approved_at = comment, signature, signature.signed_at


class Expense(TrackedModel):
    """A travel expense of the trip, with receipt photos."""

    class Category(models.TextChoices):
        TRANSPORT = "transport", _("transport")
        LODGING = "lodging", _("lodging")
        ALLOWANCE = "allowance", _("allowances")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        REIMBURSABLE = "reimbursable", _("reimbursable")

    job = models.ForeignKey(ServiceJob, on_delete=models.PROTECT, related_name="expenses")
    status = FSMField(_("status"), default=Status.SUBMITTED, choices=Status.choices, protected=True)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=10, decimal_places=2)
    spent_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("travel expense")
        verbose_name_plural = _("travel expenses")
        permissions = [("reimburse_expense", _("Can mark travel expenses reimbursable"))]
        indexes = [models.Index(fields=["job", "status"], name="fs_expense_job_idx")]

    def user_may_view(self, user) -> bool:
        return self.job.user_may_view(user) or user.has_perm("fieldservice.view_expense")

    def get_absolute_url(self) -> str:
        return reverse("fieldservice:expense-detail", args=[self.pk])

    def job_allows_reimbursement(self) -> bool:
        return self.job.reimbursement_allowed()

    @transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.REIMBURSABLE,
        permission="fieldservice.reimburse_expense",
        conditions=[_cond("job_allows_reimbursement")],
        custom={
            "label": _("Mark reimbursable"),
            "unmet": _(
                "Not reimbursable yet: form A needs the customer's own signature and company stamp, "
                "and form B the leadership's approval."
            ),
        },
    )
    def mark_reimbursable(self):
        pass
