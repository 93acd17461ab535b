"""Every write of the field-service workflow."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales import events
from aftersales.attachments import attachment_add
from aftersales.models import Signature, Unit
from aftersales.people import display_name
from aftersales.signatures import signature_capture, signing_link_consume, signing_link_create, signing_token
from aftersales.workflow import (
    PermissionRefused,
    RuleViolation,
    TransitionRefused,
    audit,
    check_transition,
    expect_state,
    lock,
    perform_transition,
    record_create,
    require_permission,
    system_actor,
)
from fieldservice import roles, selectors
from fieldservice.models import (
    Assignment,
    Expense,
    FeedbackFormA,
    FeedbackFormB,
    ProgressReport,
    ServiceJob,
    SupportRequest,
    TrainingSession,
)

# Signing-link purposes: the customer's own phone, and the in-person screen on the tablet.
LINK_PURPOSE = "fieldservice.form_a"
TABLET_PURPOSE = "fieldservice.form_a_tablet"
TABLET_TTL = timedelta(minutes=30)


def _display(user) -> str:
    return display_name(user)


def _require_assigned(job, by: User, perm: str, action) -> None:
    """The role's permission, and for the work on a job being sent on it (roles.is_assigned_to_job)."""
    require_permission(by, perm, action)
    if not roles.is_assigned_to_job(by, job):
        raise PermissionRefused(_("Only a technician sent on this job may do this."))


def _attach(record, uploads, *, by: User, allow_pdf: bool) -> None:
    """Photos and receipts: a file that is not what it claims is refused with the form (400)."""
    try:
        for upload in uploads:
            attachment_add(record, upload, by=by, allow_pdf=allow_pdf)
    except ValidationError as exc:
        raise RuleViolation(" ".join(exc.messages)) from exc


# --- jobs ---------------------------------------------------------------------------


@transaction.atomic
def job_create(
    *,
    kind,
    customer,
    by: User,
    site=None,
    units=(),
    contact_name="",
    contact_phone="",
    description="",
    site_team=(),
    source=None,
    reason: str = "",
) -> ServiceJob:
    """Open a service job; `source` (shipment, case, quality sheet) is linked when given.

    From another workflow's step (receipt, decision, quality visit) the system opens it, and
    `reason` names who took that step.
    """
    require_permission(by, "fieldservice.add_servicejob", _("Open a service job"))
    units = list(units)
    for unit in units:
        if unit.customer_id and unit.customer_id != customer.pk:
            raise RuleViolation(_("Unit %(sn)s belongs to another customer.") % {"sn": unit.serial_number})
    if site is not None and site.customer_id != customer.pk:
        raise RuleViolation(_("The site belongs to another customer."))
    job = ServiceJob(
        kind=kind,
        customer=customer,
        site=site,
        contact_name=contact_name,
        contact_phone=contact_phone,
        description=description,
        source_label=getattr(source, "number", "") or "",
    )
    record_create(job, by=by, reason=reason or _("Service job opened"), link_from=source, link_kind=kind)
    job.units.set(units)
    job.site_team.set(site_team)
    return job


def units_by_serials(text: str) -> list[Unit]:
    serials = [s.strip() for s in text.replace(",", " ").replace("，", " ").split() if s.strip()]
    found = {u.serial_number: u for u in Unit.objects.filter(serial_number__in=serials).select_related("product_model")}
    missing = [s for s in serials if s not in found]
    if missing:
        raise RuleViolation(_("Unknown serial numbers: %(sns)s") % {"sns": ", ".join(missing)})
    return [found[s] for s in serials]


@transaction.atomic
def job_schedule(*, pk, by: User, agreed_date, expected_state=None) -> ServiceJob:
    """Record the date agreed with the customer (seed 三: 与客户沟通并确定装机时间)."""
    job = lock(ServiceJob, pk)
    return perform_transition(
        job,
        "schedule",
        by=by,
        expected_state=expected_state,
        reason=_("Date agreed with the customer: %(d)s") % {"d": agreed_date},
        agreed_date=agreed_date,
    )


@transaction.atomic
def job_dispatch(
    *, pk, by: User, technicians, lead, address, contact, phone, bring="", expected_state=None
) -> ServiceJob:
    """Send technicians; refused until the general manager approved the market-support request."""
    job = lock(ServiceJob, pk)
    technicians = list(technicians)
    if not technicians:
        raise RuleViolation(_("Choose at least one technician."))
    if lead not in technicians:
        raise RuleViolation(_("The lead must be one of the technicians sent."))
    for tech in technicians:
        if not roles.may_be_sent(tech):
            raise RuleViolation(_("%(name)s is not a technician.") % {"name": _display(tech)})
    # Refused until the general manager approved the market-support request: the transition's condition.
    perform_transition(
        job,
        "dispatch",
        by=by,
        expected_state=expected_state,
        reason=_("Dispatched: %(names)s") % {"names": ", ".join(_display(t) for t in technicians)},
        address=address,
        contact=contact,
        phone=phone,
        bring=bring,
    )
    for tech in technicians:
        Assignment.objects.create(job=job, technician=tech, is_lead=tech == lead, created_by=by, updated_by=by)
    events.publish(events.JobDispatched(job=job, dispatched_at=job.dispatched_at or timezone.now(), by=by))
    return job


@transaction.atomic
def job_start_trip(
    *, pk, by: User, expected_days, travellers, departure_at, destination, purpose, expected_return, expected_state=None
) -> ServiceJob:
    """The technician states the expected trip duration and fills the trip record."""
    job = lock(ServiceJob, pk)
    if expected_days is None or expected_days <= 0:
        raise RuleViolation(_("State the expected trip duration."))
    return perform_transition(
        job,
        "start_trip",
        by=by,
        expected_state=expected_state,
        expected_days=expected_days,
        travellers=travellers,
        departure_at=departure_at,
        destination=destination,
        purpose=purpose,
        expected_return=expected_return,
    )


@transaction.atomic
def job_arrive(*, pk, by: User, at=None, expected_state=None) -> ServiceJob:
    """Arrival on site; the service desk's arrival clock stops on job.arrived."""
    job = lock(ServiceJob, pk)
    at = at or timezone.now()
    perform_transition(job, "arrive", by=by, expected_state=expected_state, at=at)
    events.publish(events.JobArrived(job=job, arrived_at=at, by=by))
    return job


@transaction.atomic
def job_depart(*, pk, by: User, at=None, expected_state=None) -> ServiceJob:
    job = lock(ServiceJob, pk)
    at = at or timezone.now()
    if job.arrived_at and at < job.arrived_at:
        raise RuleViolation(_("The departure cannot be before the arrival."))
    return perform_transition(job, "depart", by=by, expected_state=expected_state, at=at)


@transaction.atomic
def job_return(*, pk, by: User, notes, expected_state=None) -> ServiceJob:
    """Back at the company: the debrief with after-sales (与售后部沟通出差结果)."""
    job = lock(ServiceJob, pk)
    if not (notes or "").strip():
        raise RuleViolation(_("Write the debrief notes."))
    return perform_transition(job, "return_to_company", by=by, expected_state=expected_state, notes=notes)


@transaction.atomic
def job_archive(*, pk, by: User, expected_state=None) -> ServiceJob:
    job = lock(ServiceJob, pk)
    # Refused until form A is signed by the customer and form B submitted: the transition's conditions.
    # The pair may have been approved before: archiving again is a no-op, a missed one is caught up.
    perform_transition(job, "archive", by=by, expected_state=expected_state)
    _archive_on_commit(job.pk, by=by)
    return job


@transaction.atomic
def job_cancel(*, pk, by: User, reason, expected_state=None) -> ServiceJob:
    job = lock(ServiceJob, pk)
    if not (reason or "").strip():
        raise RuleViolation(_("Give a reason."))
    return perform_transition(job, "cancel", by=by, expected_state=expected_state, reason=reason)


@transaction.atomic
def report_add(*, pk, by: User, text, photos=()) -> ProgressReport:
    """A dated progress report with photos from the trip (`pk`: the job)."""
    job = lock(ServiceJob, pk)
    _require_assigned(job, by, "fieldservice.add_progressreport", _("Progress report"))
    if not (text or "").strip():
        raise RuleViolation(_("Write what happened."))
    report = record_create(ProgressReport(job=job, text=text), by=by, reason=_("Progress report"))
    _attach(report, photos, by=by, allow_pdf=False)
    ServiceJob.objects.filter(pk=job.pk).update(last_report_at=report.created_at)
    return report


@transaction.atomic
def training_record(*, pk, by: User, held_on, hours, topics: str, attendees: list[dict[str, str]]) -> TrainingSession:
    """培训 given on the job (`pk`: the job): topics, attendees with their positions, date, duration."""
    job = lock(ServiceJob, pk)
    _require_assigned(job, by, "fieldservice.add_trainingsession", _("Record the training"))
    if job.status not in (ServiceJob.Status.ON_SITE, ServiceJob.Status.LEFT_SITE, ServiceJob.Status.RETURNED):
        raise TransitionRefused(_("Training is recorded once the technician has been on site."))
    if job.arrived_at and held_on < timezone.localdate(job.arrived_at):
        raise RuleViolation(_("The training cannot be before the arrival on site."))
    if held_on > timezone.localdate():
        raise RuleViolation(_("The training cannot be in the future."))
    if not topics.strip() or not attendees:
        raise RuleViolation(_("Give the topics and the attendees."))
    session = TrainingSession(job=job, held_on=held_on, hours=hours, topics=topics.strip(), attendees=attendees)
    return record_create(session, by=by, reason=_("Training recorded (%(n)d attendees)") % {"n": len(attendees)})


# --- market-support request ---------------------------------------------------------------


@transaction.atomic
def support_request_create(*, pk, by: User, purpose, proposed_start, proposed_end, estimated_cost) -> SupportRequest:
    """The sales manager files 市场支持申请单 for a job (`pk`: the job)."""
    require_permission(by, "fieldservice.add_supportrequest", _("File the market-support request"))
    job = lock(ServiceJob, pk)
    if job.status in (ServiceJob.Status.ARCHIVED, ServiceJob.Status.CANCELLED):
        raise TransitionRefused(_("The job is closed."))
    if job.support_requests.filter(status=SupportRequest.Status.SUBMITTED).exists():
        raise RuleViolation(_("A request for this job is already waiting for approval."))
    if proposed_end < proposed_start:
        raise RuleViolation(_("The end is before the start."))
    if estimated_cost < 0:
        raise RuleViolation(_("The estimated cost cannot be negative."))
    req = SupportRequest(
        job=job,
        purpose=purpose,
        proposed_start=proposed_start,
        proposed_end=proposed_end,
        estimated_cost=estimated_cost,
    )
    return record_create(req, by=by, reason=_("Market-support request filed"))


@transaction.atomic
def support_request_approve(*, pk, by: User, comment="", expected_state=None) -> SupportRequest:
    """The general manager approves (seed: 马总签字批准)."""
    req = lock(SupportRequest, pk)
    return perform_transition(
        req,
        "approve",
        by=by,
        expected_state=expected_state,
        reason=comment or _("Approved"),
        comment=comment,
    )


@transaction.atomic
def support_request_reject(*, pk, by: User, comment, expected_state=None) -> SupportRequest:
    req = lock(SupportRequest, pk)
    if not (comment or "").strip():
        raise RuleViolation(_("Give the reason for the rejection."))
    return perform_transition(req, "reject", by=by, expected_state=expected_state, reason=comment, comment=comment)


# --- form A ---------------------------------------------------------------------------------


def _own_signature(record, *, purpose, by: User, signature, request=None) -> Signature:
    return signature_capture(
        record,
        purpose=purpose,
        data_url=signature,
        signer_name=_display(by),
        method=Signature.Method.ACCOUNT,
        signer_user=by,
        captured_by=by,
        request=request,
    )


def _require_may_handle_form_a(by: User, job) -> None:
    if not roles.may_handle_form_a(by, job):
        raise PermissionRefused(_("Only a technician sent on this job or after-sales may do this."))


@transaction.atomic
def form_a_open(*, pk, by: User) -> FeedbackFormA:
    """The current form A of a job (`pk`), created with what the job already knows."""
    job = lock(ServiceJob, pk)
    form = job.current_form_a()
    if form is not None:
        return form
    _require_may_handle_form_a(by, job)
    site = job.site
    form = FeedbackFormA(
        job=job,
        project_name=f"{job.customer.name} {job.get_kind_display()}",
        customer_name=job.destination_contact or job.contact_name,
        customer_phone=job.destination_phone or job.contact_phone,
        place=job.destination_address or (site.full_address if site else job.customer.address),
        task=job.description,
    )
    return record_create(form, by=by, reason=_("Form A started"))


FORM_A_TECH_FIELDS = (
    "project_name",
    "customer_name",
    "customer_phone",
    "place",
    "expected_work_time",
    "service_content",
)
# What only the customer writes, on the signing screen: asked for anywhere else, it is refused.
FORM_A_CUSTOMER_INPUT = frozenset({*FeedbackFormA.CUSTOMER_FIELDS, "signer_name", "signer_phone"})


def _check_unlocked(form):
    if form.is_locked or not form.is_current:
        raise RuleViolation(_("Form A was signed by the customer and is locked; start a corrected revision."))


@transaction.atomic
def form_a_update(*, pk, by: User, expected_state=None, **data) -> FeedbackFormA:
    """The technician fills the company's parts of form A; the customer's part is refused."""
    form = lock(FeedbackFormA, pk)
    _check_unlocked(form)
    unknown = set(data) - set(FORM_A_TECH_FIELDS) - {"task"}
    if unknown & FORM_A_CUSTOMER_INPUT:
        raise PermissionRefused(_("Only the customer fills the confirmation, in person or on their own phone."))
    if unknown:
        raise RuleViolation(_("Unknown fields."))
    if "task" in data and not roles.is_after_sales_office(by):
        raise PermissionRefused(_("The after-sales task is written by after-sales."))
    if set(data) - {"task"}:
        _require_assigned(form.job, by, "fieldservice.fill_feedbackforma", _("Fill form A"))
    expect_state(form, expected_state)
    if form.status != FeedbackFormA.Status.DRAFT:
        raise TransitionRefused(_("The service content is signed; reopen the form to change it."))
    for name, value in data.items():
        setattr(form, name, value)
    audit(form, by, _("Form A filled"))
    form.save()
    return form


@transaction.atomic
def form_a_sign_task(*, pk, by: User, signature, task=None, request=None) -> FeedbackFormA:
    """The after-sales manager signs the 售后服务任务 in own account."""
    form = lock(FeedbackFormA, pk)
    _check_unlocked(form)
    require_permission(by, "fieldservice.sign_task_feedbackforma", _("Sign the after-sales task"))
    if task is not None:
        form.task = task
    if not form.task.strip():
        raise RuleViolation(_("Write the after-sales task first."))
    form.manager_signature = _own_signature(form, purpose="form_a_manager", by=by, signature=signature, request=request)
    audit(form, by, _("After-sales task signed"))
    form.save()
    return form


@transaction.atomic
def form_a_sign_content(*, pk, by: User, signature, request=None, expected_state=None) -> FeedbackFormA:
    """The technician signs the service content; the form then waits for the customer."""
    form = lock(FeedbackFormA, pk)
    _check_unlocked(form)
    if not form.service_content.strip():
        raise RuleViolation(_("Describe the service content first."))
    # Checked before the signature is stored: a refused signer leaves no drawing behind.
    check_transition(form, "sign_service_content", by)
    sig = _own_signature(form, purpose="form_a_technician", by=by, signature=signature, request=request)
    return perform_transition(form, "sign_service_content", by=by, expected_state=expected_state, signature=sig)


@transaction.atomic
def form_a_reopen(*, pk, by: User, expected_state=None) -> FeedbackFormA:
    form = lock(FeedbackFormA, pk)
    _check_unlocked(form)
    return perform_transition(form, "reopen", by=by, expected_state=expected_state)


def _check_customer_may_sign(form) -> None:
    """Before the tablet or a link goes to the customer: the form waits for the customer, and the
    customer's transition could run now (its condition: the after-sales manager signed the task)."""
    if form.status != FeedbackFormA.Status.AWAITING_CUSTOMER:
        raise TransitionRefused(_("Sign the service content before handing the form to the customer."))
    check_transition(form, "customer_confirm", system_actor())


@transaction.atomic
def form_a_tablet_handover(*, pk, by: User) -> str:
    """The technician hands the tablet to the customer: a short, single-use in-person token."""
    form = lock(FeedbackFormA, pk)
    _check_unlocked(form)
    if not roles.is_assigned_to_job(by, form.job):
        raise PermissionRefused(_("Only a technician sent on this job may do this."))
    _check_customer_may_sign(form)
    link, _url = signing_link_create(form, purpose=TABLET_PURPOSE, by=by, ttl=TABLET_TTL)
    return signing_token(link)


@transaction.atomic
def form_a_customer_link(*, pk, by: User, ttl=timedelta(hours=24)) -> str:
    """A signed, expiring, single-use URL for the customer's own phone."""
    form = lock(FeedbackFormA, pk)
    _check_unlocked(form)
    _require_may_handle_form_a(by, form.job)
    _check_customer_may_sign(form)
    _link, url = signing_link_create(form, purpose=LINK_PURPOSE, by=by, ttl=ttl)
    return url


@transaction.atomic
def form_a_customer_sign(
    *,
    token,
    data: dict,
    signer_name,
    signer_phone,
    signature,
    signer_position="",
    stamp_upload=None,
    device_user=None,
    request=None,
    latitude=None,
    longitude=None,
    accuracy=None,
) -> FeedbackFormA:
    """The customer confirms and signs form A — only through a consumed in-person or link token.

    The seed: 验收负责人签字处必须由客户负责人亲自签字，严禁调试人员自己填写或是找人代签.
    On the tablet the token was issued to the logged-in technician and is only valid on
    that account's session; through a link there is no account at all. The customer, who has
    no account, is the one who acts: `device_user` is only the account the tablet is logged in to.
    The signer's name and phone are compared with the customer's registered contacts: a signer
    who is not one must give their position, and is flagged for after-sales to verify.
    """
    link = signing_link_consume(token)
    if link.purpose == TABLET_PURPOSE:
        method = Signature.Method.TABLET
        if device_user is None or device_user.pk != link.created_by_id:
            raise PermissionRefused(_("This signing screen belongs to another device."))
    elif link.purpose == LINK_PURPOSE:
        method = Signature.Method.LINK
    else:
        raise PermissionRefused(_("This signing link is not valid. Ask the technician for a new one."))
    form = lock(FeedbackFormA, link.record_id)
    _check_unlocked(form)
    signer_name = (signer_name or "").strip()
    if not signer_name or not (signer_phone or "").strip():
        raise RuleViolation(_("The customer's name and phone are required."))
    staff = get_user_model().objects.filter(pk__in=form.job.assignments.values("technician_id"))
    staff_names = {n for u in staff for n in (u.username, u.get_full_name(), display_name(u), u.last_name) if n}
    if signer_name in staff_names:
        raise PermissionRefused(_("The acceptance signature must be made by the customer in person."))
    contact = selectors.registered_contact(form.job.customer, signer_name, signer_phone)
    signer_position = (signer_position or "").strip() or (contact.title if contact else "")
    if contact is None and not signer_position:
        raise RuleViolation(
            _("You are not a registered contact of %(customer)s: please give your position.")
            % {"customer": form.job.customer.name}
        )
    if data.get("work_completed") == "no" and not (data.get("work_completed_note") or "").strip():
        raise RuleViolation(_("Note what was not completed."))
    unknown = set(data) - set(FeedbackFormA.CUSTOMER_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown fields."))
    if not (data.get("company_name") or "").strip():
        raise RuleViolation(_("The company name is required."))
    sig = signature_capture(
        form,
        purpose="form_a_customer",
        data_url=signature,
        signer_name=signer_name,
        signer_phone=signer_phone,
        method=method,
        captured_by=device_user if method == Signature.Method.TABLET else None,
        request=request,
        latitude=latitude,
        longitude=longitude,
        accuracy=accuracy,
    )
    stamp = (
        attachment_add(form, stamp_upload, by=device_user, caption=_("company stamp"), allow_pdf=False)
        if stamp_upload
        else None
    )
    system = system_actor()
    perform_transition(
        form,
        "customer_confirm",
        by=system,
        reason=_("Signed by the customer %(name)s (%(method)s)")
        % {"name": signer_name, "method": sig.get_method_display()},
        data={**data, "signer_position": signer_position},
        signature=sig,
        stamp=stamp,
    )
    if contact is not None:
        perform_transition(
            form, "match_signer", by=system, reason=_("%(name)s is a registered contact") % {"name": signer_name}
        )
    else:
        perform_transition(
            form,
            "flag_signer",
            by=system,
            reason=_("%(name)s (%(position)s, %(phone)s) is not a registered contact: after-sales verifies the signer")
            % {"name": signer_name, "position": signer_position, "phone": signer_phone},
        )
    # Through a link nobody is logged in: the technician who issued the link acts for the job.
    events.publish(events.JobCompleted(job=form.job, by=device_user or link.created_by))
    _archive_on_commit(form.job_id, by=device_user or link.created_by)
    return form


@transaction.atomic
def form_a_verify_signer(*, pk, by: User, note) -> FeedbackFormA:
    """After-sales verified who signed form A for the customer (核实签字人); the pair may then be archived."""
    form = lock(FeedbackFormA, pk)
    if not (note or "").strip():
        raise RuleViolation(_("Say how the signer was verified."))
    perform_transition(form, "verify_signer", by=by, reason=note, note=note)
    # The archive waited for this check: form B may have been approved meanwhile.
    _archive_on_commit(form.job_id, by=by)
    return form


@transaction.atomic
def form_a_revise(*, pk, by: User, reason) -> FeedbackFormA:
    """A correction of a signed form A: a new revision; the signed one stays as it was."""
    old = lock(FeedbackFormA, pk)
    _require_may_handle_form_a(by, old.job)
    if not old.is_current:
        raise TransitionRefused(_("This is not the current revision."))
    if old.status != FeedbackFormA.Status.SIGNED:
        raise TransitionRefused(_("Only a signed form needs a revision; change it directly."))
    if not (reason or "").strip():
        raise RuleViolation(_("Give the reason for the correction."))
    old.is_current = False
    old.save(update_fields=["is_current"])
    new = FeedbackFormA(
        job=old.job,
        revision=old.revision + 1,
        revision_reason=reason,
        **{name: getattr(old, name) for name in (*FORM_A_TECH_FIELDS, "task")},
    )
    return record_create(new, by=by, reason=reason)


# --- form B ---------------------------------------------------------------------------------


def service_days(arrived_at, departed_at) -> int:
    """Calendar days on site, arrival and departure days both counted."""
    if not arrived_at or not departed_at:
        return 0
    return (timezone.localdate(departed_at) - timezone.localdate(arrived_at)).days + 1


def form_b_initial(job) -> dict:
    models: dict[str, int] = {}
    for unit in job.units.select_related("product_model"):
        models[unit.product_model.code] = models.get(unit.product_model.code, 0) + 1
    form_a = job.current_form_a()
    return {
        "project_name": form_a.project_name if form_a else f"{job.customer.name} {job.get_kind_display()}",
        "period_from": timezone.localdate(job.arrived_at) if job.arrived_at else None,
        "period_to": timezone.localdate(job.departed_at) if job.departed_at else None,
        "total_days": service_days(job.arrived_at, job.departed_at) or None,
        "products": "\n".join(f"{code} × {n}" for code, n in models.items()),
        "user_reported": job.description,
        "filler_department": _("After-sales service department"),
    }


def _form_b_fill(form: FeedbackFormB, job: ServiceJob, *, by: User, data: dict) -> FeedbackFormB:
    """The rules of what the technician writes on form B (every block but the sales info is required)."""
    _require_assigned(job, by, "fieldservice.fill_feedbackformb", _("Fill form B"))
    if form.pk and form.status != FeedbackFormB.Status.DRAFT:
        raise TransitionRefused(_("Form B was submitted and can no longer be changed."))
    computed = service_days(job.arrived_at, job.departed_at)
    if computed and data.get("total_days") != computed and not (data.get("days_reason") or "").strip():
        raise RuleViolation(
            _("The days differ from the arrival and departure (%(n)d days): give a reason.") % {"n": computed}
        )
    if data.get("period_from") and data.get("period_to") and data["period_to"] < data["period_from"]:
        raise RuleViolation(_("The end is before the start."))
    if data.get("commissioned") == "yes" and not data.get("commissioning_date"):
        raise RuleViolation(_("Give the commissioning date."))
    if data.get("commissioned") == "no":
        data["commissioning_date"] = None
    if data.get("returns_for_repair"):
        serials = [s for s in (data.get("return_serials") or "").replace(",", " ").split() if s]
        if not serials:
            raise RuleViolation(_("Units go back for repair: give their serial numbers."))
        units_by_serials(" ".join(serials))
    for name, value in data.items():
        setattr(form, name, value)
    return form


@transaction.atomic
def form_b_create(*, pk, by: User, **data) -> FeedbackFormB:
    """The technician fills form B of a job (`pk`) for the first time."""
    job = lock(ServiceJob, pk)
    if FeedbackFormB.objects.filter(job=job).exists():
        raise TransitionRefused(_("Form B of this job was started already: change it on its page."))
    form = _form_b_fill(FeedbackFormB(job=job), job, by=by, data=data)
    return record_create(form, by=by, reason=_("Form B filled"))


@transaction.atomic
def form_b_update(*, pk, by: User, expected_state=None, **data) -> FeedbackFormB:
    """The technician changes form B while it is being filled (again, after it was sent back)."""
    form = lock(FeedbackFormB, pk)
    expect_state(form, expected_state)
    _form_b_fill(form, form.job, by=by, data=data)
    audit(form, by, _("Form B filled"))
    form.save()
    return form


@transaction.atomic
def form_b_submit(*, pk, by: User, signature, request=None, expected_state=None) -> FeedbackFormB:
    """The technician signs form B; a commissioning date starts the units' warranty."""
    form = lock(FeedbackFormB, pk)
    # Checked before the signature is stored: a refused signer leaves no drawing behind.
    check_transition(form, "submit", by)
    sig = _own_signature(form, purpose="form_b_technician", by=by, signature=signature, request=request)
    perform_transition(form, "submit", by=by, expected_state=expected_state, signature=sig)
    if form.commissioned == "yes" and form.commissioning_date:
        units_commission(job=form.job, on=form.commissioning_date, by=by)
    return form


def units_commission(*, job, on, by: User) -> int:
    """投运日期 → acceptance date of the job's units not yet accepted: their warranty starts."""
    count = 0
    for unit in job.units.select_for_update().filter(acceptance_date__isnull=True):
        unit.acceptance_date = on
        audit(unit, by, _("Commissioned on site (%(job)s)") % {"job": job.number})
        unit.save()
        count += 1
    return count


@transaction.atomic
def form_b_review(*, pk, by: User, opinion, signature, request=None, expected_state=None) -> FeedbackFormB:
    """The department manager's opinion, signed in own account."""
    form = lock(FeedbackFormB, pk)
    if not (opinion or "").strip():
        raise RuleViolation(_("Write the opinion."))
    check_transition(form, "review", by)
    sig = _own_signature(form, purpose="form_b_deptmgr", by=by, signature=signature, request=request)
    return perform_transition(
        form, "review", by=by, expected_state=expected_state, reason=opinion, opinion=opinion, signature=sig
    )


@transaction.atomic
def form_b_approve(*, pk, by: User, comment, signature, request=None, expected_state=None) -> FeedbackFormB:
    """Company leadership approves form B, signed in own account; the signed pair is archived."""
    form = lock(FeedbackFormB, pk)
    check_transition(form, "approve", by)
    sig = _own_signature(form, purpose="form_b_leader", by=by, signature=signature, request=request)
    perform_transition(
        form,
        "approve",
        by=by,
        expected_state=expected_state,
        reason=comment or _("Approved"),
        comment=comment,
        signature=sig,
    )
    _archive_on_commit(form.job_id, by=by)
    return form


@transaction.atomic
def form_b_send_back(*, pk, by: User, reason, expected_state=None) -> FeedbackFormB:
    form = lock(FeedbackFormB, pk)
    if not (reason or "").strip():
        raise RuleViolation(_("Give a reason."))
    return perform_transition(form, "send_back", by=by, expected_state=expected_state, reason=reason)


# --- expenses ---------------------------------------------------------------------------------


@transaction.atomic
def expense_add(*, pk, by: User, category, amount, spent_on, description="", receipts=()) -> Expense:
    """Travel expenses of a job (`pk`) can be submitted at any time of the trip."""
    job = lock(ServiceJob, pk)
    _require_assigned(job, by, "fieldservice.add_expense", _("Travel expense"))
    if amount is None or amount <= Decimal("0"):
        raise RuleViolation(_("The amount must be more than zero."))
    expense = Expense(job=job, category=category, amount=amount, spent_on=spent_on, description=description)
    record_create(expense, by=by, reason=_("Travel expense"))
    _attach(expense, receipts, by=by, allow_pdf=True)
    return expense


@transaction.atomic
def expense_mark_reimbursable(*, pk, by: User, expected_state=None) -> Expense:
    """Refused unless form A has the customer's own signature and stamp and form B is approved (its condition)."""
    expense = lock(Expense, pk)
    return perform_transition(expense, "mark_reimbursable", by=by, expected_state=expected_state)


# --- archive -----------------------------------------------------------------------------------


def _archive_on_commit(job_pk: int, *, by: User) -> None:
    """Archive the signed pair after commit, as a task: a rendering failure is recorded by the task
    backend and retried (or caught up by the archive step); the signing itself stays committed."""
    from fieldservice.tasks import archive_feedback_pair

    events.enqueue_on_commit(archive_feedback_pair, job_pk, getattr(by, "pk", None))


def archive_if_complete(*, pk, by: User | None = None):
    """Archive form A + B of a job (`pk`) as one immutable PDF once A is signed (by a registered contact
    or a signer after-sales verified) and B approved; idempotent."""
    from aftersales.pdf import archive_pdf, archives_of
    from fieldservice.pdf import ARCHIVE_KIND, render_pair_pdf

    job = ServiceJob.objects.select_related("customer").get(pk=pk)
    form_a = job.current_form_a()
    form_b = FeedbackFormB.objects.filter(job=job).first()
    approved = bool(form_b and form_b.status == FeedbackFormB.Status.APPROVED)
    # An unregistered signer waits for after-sales (核实签字人) before the pair is archived.
    if not (form_a and form_a.is_locked and form_a.signer_settled and approved):
        return None
    if archives_of(job, ARCHIVE_KIND).filter(title__endswith=f"A{form_a.revision}").exists():
        return archives_of(job, ARCHIVE_KIND).first()
    pdf = render_pair_pdf(job, form_a, form_b)
    return archive_pdf(
        job, kind=ARCHIVE_KIND, title=f"{job.number} 售后服务信息反馈单A+B A{form_a.revision}", pdf=pdf, by=by
    )
