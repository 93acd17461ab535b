"""Every write of the service desk: record a call, respond, diagnose, quote, decide, dispatch,
resolve, revisit, close, reopen, pause clocks; import a year of the working calendar.

Each service locks the case, checks the user's permission and the state the page showed,
changes it, and records who and why (history). Transitions go through
aftersales.workflow.perform_transition.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aftersales import events
from aftersales.attachments import attachment_add
from aftersales.links import link_records
from aftersales.models import Customer
from aftersales.pdf import absolute_url
from aftersales.people import display_name
from aftersales.roles import ROLES_BY_KEY
from aftersales.servicedesk import selectors, sla
from aftersales.servicedesk.models import (
    CaseNote,
    CaseRevisit,
    ClockKind,
    ClockState,
    CoordinationSheet,
    DocumentDelivery,
    DocumentVersion,
    FeeQuote,
    FeeQuoteLine,
    RepeatRepairOverride,
    ServiceCase,
    SlaClock,
    TechnicalDocument,
)
from aftersales.servicedesk.selectors import fee_required, prior_repairs_count, repeat_repair_allowed
from aftersales.workflow import (
    RuleViolation,
    StaleRecord,
    TransitionRefused,
    audit,
    expect_state,
    lock,
    perform_transition,
    record_create,
    require_permission,
    system_actor,
)

Status = ServiceCase.Status
REPEAT_REPAIR_LIMIT = 3  # 产品质量保证及售后服务承诺 四: three repairs of one defect → new unit
FEE_GATED_DECISIONS = (ServiceCase.Decision.ONSITE, ServiceCase.Decision.FACTORY, ServiceCase.Decision.REPLACE)


# --- checks shared by the services that are not transitions --------------------------


def _require_state(case: ServiceCase, states, action: str) -> None:
    if case.status not in states:
        raise TransitionRefused(
            _("“%(action)s” is not possible now: the record is “%(state)s”.")
            % {"action": action, "state": case.get_status_display()}
        )


def _note(case, kind, text, by: User, spoke_with=""):
    return CaseNote.objects.create(case=case, kind=kind, text=text, spoke_with=spoke_with, created_by=by, updated_by=by)


def _first_response(case: ServiceCase, by: User, at=None) -> None:
    """The first contact with the customer stops the 30-minute response clock."""
    if case.first_response_at is None:
        case.first_response_at = at or timezone.now()
        sla.clock_stop(case, ClockKind.RESPONSE, at=case.first_response_at, by=by)


def _save(case: ServiceCase, by: User, reason: str) -> ServiceCase:
    audit(case, by, reason)
    case.save()
    return case


# --- recording a call -----------------------------------------------------------------


@transaction.atomic
def case_record(
    *,
    by: User,
    customer,
    fault_description: str,
    unit=None,
    contact=None,
    site=None,
    channel: str = ServiceCase.Channel.PHONE,
    category: str = ServiceCase.Category.FAULT,
    priority: str = ServiceCase.Priority.NORMAL,
    caller_name: str = "",
    caller_phone: str = "",
    contract_number: str = "",
    free_supply: bool = False,
    photos=(),
    reason: str = "",
) -> ServiceCase:
    """Record a customer call (or report, letter, visit) and start its response and resolution clocks."""
    require_permission(by, "servicedesk.add_servicecase", _("Record a call"))
    if unit is not None and unit.customer_id and unit.customer_id != customer.pk:
        raise RuleViolation(_("Unit %(serial)s belongs to another customer.") % {"serial": unit.serial_number})
    needs_unit = category not in (ServiceCase.Category.CONSULTATION, ServiceCase.Category.COMPLAINT)
    if unit is None and needs_unit and not free_supply:
        raise RuleViolation(
            _("A fault needs the unit's serial number (only consultations and complaints may go without).")
        )
    if contact is not None and contact.customer_id != customer.pk:
        raise RuleViolation(_("The contact belongs to another customer."))
    if site is None and unit is not None:
        site = unit.site
    case = ServiceCase(
        customer=customer,
        unit=unit,
        contact=contact,
        site=site,
        channel=channel,
        category=category,
        priority=priority,
        caller_name=caller_name or (contact.name if contact else ""),
        caller_phone=caller_phone or (contact.mobile or contact.phone if contact else ""),
        contract_number=contract_number,
        fault_description=fault_description,
        free_supply=free_supply,
    )
    record_create(case, by=by, reason=reason or _("Call recorded"))
    for upload in photos:
        try:
            attachment_add(case, upload, by=by)
        except ValidationError as exc:
            raise RuleViolation(" ".join(exc.messages)) from exc
    calendar = sla.WorkingCalendar()
    sla.clock_start(case, ClockKind.RESPONSE, at=case.created_at, by=by, calendar=calendar)
    sla.clock_start(case, ClockKind.RESOLUTION, at=case.created_at, by=by, calendar=calendar)
    return case


@transaction.atomic
def case_add_note(
    *, pk, by: User, text: str, kind: str = CaseNote.Kind.RESPONSE, spoke_with: str = "", expected_state=None
) -> ServiceCase:
    """Record a contact with the customer (stops the response clock the first time) or a note."""
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.respond_servicecase", _("Record a response"))
    expect_state(case, expected_state)
    _require_state(case, [s for s in Status if s != Status.CLOSED], _("Record a response"))
    _note(case, kind, text, by, spoke_with)
    if kind == CaseNote.Kind.RESPONSE:
        _first_response(case, by)
    return _save(case, by, _("Response recorded") if kind == CaseNote.Kind.RESPONSE else _("Note added"))


@transaction.atomic
def case_attach(*, pk, by: User, upload, caption: str = ""):
    """Attach a photo or scan to a case."""
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.respond_servicecase", _("Attach a file"))
    try:
        return attachment_add(case, upload, by=by, caption=caption)
    except ValidationError as exc:
        raise RuleViolation(" ".join(exc.messages)) from exc


# --- clerk ----------------------------------------------------------------------------


@transaction.atomic
def case_answer(*, pk, by: User, text: str, expected_state=None) -> ServiceCase:
    """Answer a general question and close the case as answered."""
    case = lock(ServiceCase, pk)
    if not text.strip():
        raise RuleViolation(_("Write down the answer given to the customer."))
    now = timezone.now()
    expect_state(case, expected_state)
    perform_transition(case, "answer", by=by, reason=_("Answered and closed"), text=text, now=now)
    _note(case, CaseNote.Kind.ANSWER, text, by, case.caller_name)
    _first_response(case, by, now)
    sla.clock_stop(case, ClockKind.RESOLUTION, at=now, by=by)
    return _save(case, by, _("Answered and closed"))


@transaction.atomic
def case_hand_to_techdept(*, pk, by: User, note: str = "", expected_state=None) -> ServiceCase:
    """提交技术部: the clerk cannot answer; the technical department takes over."""
    case = lock(ServiceCase, pk)
    perform_transition(
        case,
        "hand_to_techdept",
        by=by,
        expected_state=expected_state,
        reason=note or _("Handed to the technical department"),
    )
    if note:
        _note(case, CaseNote.Kind.NOTE, note, by)
    return case


# --- technical department -------------------------------------------------------------


def _repeat_repair_due(case: ServiceCase) -> bool:
    """承诺 四: the defect was repaired three times in warranty (by any workflow): a new unit is due."""
    return bool(case.in_warranty and case.defect_code_id and prior_repairs_count(case) >= REPEAT_REPAIR_LIMIT)


@transaction.atomic
def case_diagnose(
    *,
    pk,
    by: User,
    text: str,
    spoke_with: str = "",
    component=None,
    defect_code=None,
    cause_covered: bool = True,
    expected_state=None,
) -> ServiceCase:
    """The technical department's phone diagnosis: component, defect, warranty, repeat-repair rule."""
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.diagnose_servicecase", _("Record the diagnosis"))
    expect_state(case, expected_state)
    _require_state(case, [Status.TECHDEPT, Status.IN_PROGRESS], _("Record the diagnosis"))
    unit = case.unit
    if component is not None and unit is not None and component.product_model_id != unit.product_model_id:
        raise RuleViolation(_("The component is not part of this unit's model."))
    case.component, case.defect_code, case.cause_covered = component, defect_code, cause_covered
    if unit is not None:
        on = timezone.localtime(case.created_at).date()
        case.in_warranty = unit.is_in_warranty(component=component, on=on)
    case.replace_recommended = _repeat_repair_due(case)
    _note(case, CaseNote.Kind.DIAGNOSIS, text, by, spoke_with)
    _first_response(case, by)
    return _save(case, by, _("Diagnosis recorded"))


@transaction.atomic
def case_quote_fee(
    *,
    pk,
    by: User,
    told_to: str,
    parts=(),
    amount=None,
    difference_reason: str = "",
    told_at=None,
    details: str = "",
    expected_state=None,
) -> FeeQuote:
    """Record the fee of a paid repair, built from the parts at cost with no labour, and that the customer was told.

    承诺 四 (质保期外只收取零配件成本费用，不收取人工技术和服务费用): `parts` are (component,
    quantity) pairs priced at the component's cost price; a fee told that differs from their
    total needs its reason.
    """
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.quotefee_servicecase", _("Record the fee told to the customer"))
    expect_state(case, expected_state)
    _require_state(case, [Status.TECHDEPT, Status.IN_PROGRESS], _("Record the fee told to the customer"))
    lines = []
    for component, quantity in parts:
        if not quantity or quantity < 1:
            raise RuleViolation(_("Each part needs a quantity of at least one."))
        if case.unit is not None and component.product_model_id != case.unit.product_model_id:
            raise RuleViolation(_("The component is not part of this unit's model."))
        lines.append(FeeQuoteLine(component=component, quantity=quantity, unit_cost=component.unit_cost))
    parts_total = sum((line.amount for line in lines), Decimal("0"))
    amount = parts_total if amount is None else amount
    if amount < 0:
        raise RuleViolation(_("The fee cannot be negative."))
    difference_reason = difference_reason.strip()
    if amount != parts_total and not difference_reason:
        raise RuleViolation(
            _("The fee of ¥%(amount)s differs from the parts at cost (¥%(parts)s): give the reason.")
            % {"amount": amount, "parts": parts_total}
        )
    if not told_to.strip():
        raise RuleViolation(_("Record whom at the customer you told the fee."))
    told_at = told_at or timezone.now()
    if told_at > timezone.now():
        raise RuleViolation(_("The customer cannot have been told in the future."))
    reason = FeeQuote.Reason.NOT_COVERED if not case.cause_covered else FeeQuote.Reason.OUT_OF_WARRANTY
    told = _("Fee of ¥%(amount)s told to %(person)s") % {"amount": amount, "person": told_to}
    if amount != parts_total:
        told += " · " + _("differs from the parts at cost (¥%(parts)s): %(reason)s") % {
            "parts": parts_total,
            "reason": difference_reason,
        }
    quote = record_create(
        FeeQuote(
            case=case,
            reason=reason,
            amount=amount,
            parts_total=parts_total,
            difference_reason=difference_reason if amount != parts_total else "",
            details=details,
            told_to=told_to,
            told_by=by,
            told_at=told_at,
        ),
        by=by,
        reason=told,
    )
    for line in lines:
        line.quote = quote
        record_create(line, by=by, reason=told)
    _save(case, by, told)
    return quote


@transaction.atomic
def case_decide(*, pk, by: User, decision: str, note: str = "", expected_state=None) -> ServiceCase:
    """The technical department decides how the case is handled; other workflows pick it up (case.decided)."""
    case = lock(ServiceCase, pk)
    if decision not in ServiceCase.Decision.values:
        raise RuleViolation(_("Choose a decision."))
    expect_state(case, expected_state)
    # The repairs counted now, not at the diagnosis: a factory repair may have closed since.
    case.replace_recommended = _repeat_repair_due(case)
    if decision in ServiceCase.REPAIR_DECISIONS and case.replace_recommended and not repeat_repair_allowed(case):
        raise RuleViolation(
            _(
                "This defect was already repaired %(n)d times within warranty: the unit is replaced with a new one "
                "of the same brand and model. Only the after-sales manager may allow another repair, with a reason."
            )
            % {"n": prior_repairs_count(case)}
        )
    if decision in FEE_GATED_DECISIONS and fee_required(case) and not case.fee_quotes.exists():
        raise RuleViolation(
            _("This is a paid repair (out of warranty or not covered): record the fee told to the customer first.")
        )
    label = ServiceCase.Decision(decision).label
    perform_transition(
        case, "decide", by=by, reason=_("Decided: %(decision)s") % {"decision": label}, decision=decision
    )
    if note:
        _note(case, CaseNote.Kind.NOTE, note, by)
    # Fieldservice (onsite) and warranty (claim) create and link their records here.
    events.publish(events.CaseDecided(case=case, decision=decision, by=by))
    return case


@transaction.atomic
def case_override_repeat_repair(*, pk, by: User, reason: str, expected_state=None) -> RepeatRepairOverride:
    """The after-sales manager allows one more repair of a defect repaired three times, with the reason."""
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.overriderepeat_servicecase", _("Allow another repair"))
    expect_state(case, expected_state)
    _require_state(case, [Status.TECHDEPT], _("Allow another repair"))
    case.replace_recommended = _repeat_repair_due(case)
    if not case.replace_recommended:
        raise RuleViolation(_("This case is not due for a new unit: no exception is needed."))
    if repeat_repair_allowed(case):
        raise RuleViolation(_("Another repair of this defect is already allowed on this case."))
    reason = reason.strip()
    if not reason:
        raise RuleViolation(_("Give the reason for allowing another repair."))
    repairs = prior_repairs_count(case)
    allowed = _("Another repair allowed (repaired %(n)d times): %(reason)s") % {"n": repairs, "reason": reason}
    override = record_create(
        RepeatRepairOverride(
            case=case, component=case.component, defect_code=case.defect_code, repairs=repairs, reason=reason
        ),
        by=by,
        reason=allowed,
    )
    _note(case, CaseNote.Kind.NOTE, allowed, by)
    _save(case, by, allowed)
    return override


@transaction.atomic
def case_confirm_dispatch(*, pk, by: User, at=None, expected_state=None) -> ServiceCase:
    """Dispatch agreed with the customer (双方确认派工): the arrival clock starts."""
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.dispatch_servicecase", _("Confirm dispatch"))
    expect_state(case, expected_state)
    _require_state(case, [Status.IN_PROGRESS], _("Confirm dispatch"))
    if case.decision != ServiceCase.Decision.ONSITE:
        raise RuleViolation(_("Only an on-site repair is dispatched."))
    if selectors.has_service_job(case):
        raise RuleViolation(_("This case has a service job: its dispatch starts the arrival clock."))
    if case.visit == ServiceCase.Visit.ON_SITE:
        raise RuleViolation(_("The technician has already arrived."))
    at = at or timezone.now()
    perform_transition(case, "confirm_dispatch", by=by, reason=_("Dispatch confirmed"), at=at)
    sla.clock_start(case, ClockKind.ARRIVAL, at=at, by=by)
    return case


def _arrived(case: ServiceCase, name: str, arrived_at, by: User, clock_by, reason) -> None:
    perform_transition(case, name, by=by, reason=reason, at=arrived_at)
    sla.clock_stop(case, ClockKind.ARRIVAL, at=arrived_at, by=clock_by)


@transaction.atomic
def case_record_arrival(*, pk, by: User, arrived_at=None, expected_state=None) -> ServiceCase:
    """The technician reached the site (when the service job does not report it)."""
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.dispatch_servicecase", _("Record the arrival"))
    expect_state(case, expected_state)
    if case.visit != ServiceCase.Visit.DISPATCHED:
        raise RuleViolation(_("There is no dispatch waiting for an arrival."))
    arrived_at = arrived_at or timezone.now()
    if arrived_at < case.dispatch_confirmed_at:
        raise RuleViolation(_("The arrival cannot be before the dispatch."))
    _arrived(case, "record_arrival", arrived_at, by, by, _("Technician arrived on site"))
    return case


@transaction.atomic
def case_resolve(*, pk, by: User, text: str, expected_state=None, at=None) -> ServiceCase:
    """Record how the fault was resolved; the resolution clock stops."""
    case = lock(ServiceCase, pk)
    if not text.strip():
        raise RuleViolation(_("Describe the resolution."))
    at = at or timezone.now()
    perform_transition(case, "resolve", by=by, expected_state=expected_state, reason=_("Resolved"), text=text, now=at)
    _first_response(case, by, at)
    sla.clock_stop(case, ClockKind.RESOLUTION, at=at, by=by)
    return case


@transaction.atomic
def case_revisit(
    *, pk, by: User, spoke_with: str, satisfaction: str, comments: str = "", expected_state=None
) -> ServiceCase:
    """回访: ask the customer whether the fault is gone and how satisfied they are."""
    case = lock(ServiceCase, pk)
    if satisfaction not in ServiceCase.Satisfaction.values:
        raise RuleViolation(_("Choose the customer's satisfaction."))
    if not spoke_with.strip():
        raise RuleViolation(_("Record whom you spoke with."))
    perform_transition(case, "revisit", by=by, expected_state=expected_state, reason=_("Customer revisited"))
    record_create(
        CaseRevisit(case=case, spoke_with=spoke_with, satisfaction=satisfaction, comments=comments),
        by=by,
        reason=_("Customer revisited"),
    )
    return case


@transaction.atomic
def case_close(*, pk, by: User, expected_state=None) -> ServiceCase:
    case = lock(ServiceCase, pk)
    return perform_transition(case, "close", by=by, expected_state=expected_state, reason=_("Closed"))


@transaction.atomic
def case_reopen(*, pk, by: User, reason: str, expected_state=None) -> ServiceCase:
    """Reopen with a reason; the resolution clock starts again."""
    case = lock(ServiceCase, pk)
    if not reason.strip():
        raise RuleViolation(_("Give the reason for reopening."))
    perform_transition(
        case,
        "reopen",
        by=by,
        expected_state=expected_state,
        reason=_("Reopened: %(reason)s") % {"reason": reason},
        why=reason,
    )
    sla.clock_start(case, ClockKind.RESOLUTION, by=by)
    return case


# --- clocks -----------------------------------------------------------------------------


@transaction.atomic
def case_pause_clock(*, pk, by: User, kind: str, reason: str, expected_state=None) -> SlaClock:
    """Pause a clock, only with a reason (e.g. waiting for the customer); the pause is in the history."""
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.pauseclock_servicecase", _("Pause a clock"))
    expect_state(case, expected_state)
    if not reason.strip():
        raise RuleViolation(_("A clock is paused only with a reason."))
    clock = SlaClock.objects.filter(case=case, kind=kind, stopped_at__isnull=True).first()
    if clock is None or clock.paused_at is not None:
        raise RuleViolation(_("This clock is not running."))
    sla.clock_pause(clock, reason=reason, by=by)
    _save(case, by, _("%(clock)s clock paused: %(reason)s") % {"clock": clock.get_kind_display(), "reason": reason})
    return clock


@transaction.atomic
def case_resume_clock(*, pk, by: User, kind: str, expected_state=None) -> SlaClock:
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.pauseclock_servicecase", _("Resume a clock"))
    expect_state(case, expected_state)
    clock = SlaClock.objects.filter(case=case, kind=kind, stopped_at__isnull=True, paused_at__isnull=False).first()
    if clock is None:
        raise RuleViolation(_("This clock is not paused."))
    sla.clock_resume(clock, by=by)
    _save(case, by, _("%(clock)s clock resumed") % {"clock": clock.get_kind_display()})
    return clock


# --- coordination sheet -----------------------------------------------------------------


@transaction.atomic
def coordination_sheet_create(
    *, pk, by: User, from_department, to_department, request: str, reply_by=None
) -> CoordinationSheet:
    """部门协调单: ask another department to help with a case."""
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.add_coordinationsheet", _("Write a coordination sheet"))
    if from_department == to_department:
        raise RuleViolation(_("Choose another department to coordinate with."))
    written = _("Coordination sheet to %(dept)s") % {"dept": to_department}
    sheet = record_create(
        CoordinationSheet(
            case=case, from_department=from_department, to_department=to_department, request=request, reply_by=reply_by
        ),
        by=by,
        reason=written,
    )
    _save(case, by, written)
    return sheet


@transaction.atomic
def coordination_sheet_reply(*, pk, by: User, sheet, reply: str) -> CoordinationSheet:
    """The receiving department answers a coordination sheet of the case."""
    case = lock(ServiceCase, pk)
    require_permission(by, "servicedesk.add_coordinationsheet", _("Answer a coordination sheet"))
    locked = CoordinationSheet.objects.select_for_update().get(pk=sheet.pk)
    if locked.case_id != case.pk:
        raise RuleViolation(_("The sheet belongs to another case."))
    if locked.reply:
        raise StaleRecord(_("This sheet has already been answered."))
    if not reply.strip():
        raise RuleViolation(_("Write the reply."))
    locked.reply = reply
    audit(locked, by, _("Coordination sheet answered"))
    locked.save()
    _save(case, by, _("Coordination sheet answered by %(dept)s") % {"dept": locked.to_department})
    return locked


# --- events from other workflows ------------------------------------------------------------


def case_open_for_missing_parts(*, source, description: str, by: User) -> ServiceCase:
    """开箱缺件: missing parts found at unpacking are supplied free; a case tracks the supply.

    The system opens it (no role records this call: the shipment's step decided it), and the
    history row names the user who reported the missing parts.
    """
    case = case_record(
        by=system_actor(),
        reason=_("Missing parts reported by %(user)s on %(number)s")
        % {"user": display_name(by), "number": getattr(source, "number", source.pk)},
        customer=source.customer,
        site=getattr(source, "site", None),
        channel=ServiceCase.Channel.INTERNAL,
        category=ServiceCase.Category.FAULT,
        caller_name=getattr(source, "contact_name", "") or "",
        caller_phone=getattr(source, "contact_phone", "") or "",
        fault_description=_("Missing parts at unpacking (%(number)s): %(description)s")
        % {"number": getattr(source, "number", source.pk), "description": description},
        free_supply=True,
    )
    link_records(source, case, "missing_parts", by=by)
    return case


def cases_record_dispatch(cases, *, dispatched_at, by: User) -> list[ServiceCase]:
    """A linked service job sent its technicians: the arrival clock of each on-site case starts."""
    done = []
    for case in cases:
        locked = lock(ServiceCase, case.pk)
        waiting = locked.status == Status.IN_PROGRESS and locked.decision == ServiceCase.Decision.ONSITE
        if waiting and locked.visit == ServiceCase.Visit.NONE:
            reason = _("Technicians dispatched on the service job (by %(user)s)") % {"user": display_name(by)}
            perform_transition(locked, "job_dispatched", by=system_actor(), reason=reason, at=dispatched_at)
            sla.clock_start(locked, ClockKind.ARRIVAL, at=dispatched_at, by=by)
            done.append(locked)
    return done


def cases_record_arrival(cases, *, arrived_at, by: User) -> list[ServiceCase]:
    """A linked service job reports arrival: stop the arrival clock of each case still waiting."""
    done = []
    for case in cases:
        locked = lock(ServiceCase, case.pk)
        if locked.visit != ServiceCase.Visit.ON_SITE:
            reason = _("Technician arrived on site (reported by %(user)s)") % {"user": display_name(by)}
            _arrived(locked, "job_arrived", arrived_at, system_actor(), by, reason)
            done.append(locked)
    return done


def cases_record_completion(cases, *, text: str, by: User, arrived_at=None) -> list[ServiceCase]:
    """A linked job or repair is completed (form A signed, repair done): resolve the cases still open.

    The completion is the resolution (the customer signed it, or the repair order closed), so the
    system actor records it, naming whose step it was. A job that completes was on site: an
    on-site case that had not heard of the arrival records it first (`arrived_at`, the job's).
    """
    done = []
    for case in cases:
        locked = lock(ServiceCase, case.pk)
        if locked.status != Status.IN_PROGRESS:
            continue
        now = timezone.now()
        system = system_actor()
        reported = {"user": display_name(by)}
        if locked.decision == ServiceCase.Decision.ONSITE and locked.visit != ServiceCase.Visit.ON_SITE:
            reason = _("Technician arrived on site (reported by %(user)s)") % reported
            _arrived(locked, "job_arrived", arrived_at or now, system, by, reason)
        reason = _("Resolved: %(text)s (reported by %(user)s)") % {"text": text, **reported}
        perform_transition(locked, "resolve_on_completion", by=system, reason=reason, text=text, now=now)
        _first_response(locked, by, now)
        sla.clock_stop(locked, ClockKind.RESOLUTION, at=now, by=by)
        done.append(locked)
    return done


# --- SLA notifications ------------------------------------------------------------------------


def as_manager_emails() -> list[str]:
    group_name = ROLES_BY_KEY["as_manager"].group_name
    users = get_user_model().objects.filter(groups__name=group_name, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def sla_notifications_send(now=None) -> int:
    """One email per clock when it enters “at risk” or “breached” — never again for the same state."""
    # Runs from cron: the mail goes out in the office's language.
    with translation.override(settings.LANGUAGE_CODE):
        return _sla_notifications_send(now)


def _sla_mail(clock: SlaClock, state: str, recipients: list[str]) -> None:
    case = clock.case
    subject = _("[SLA] %(number)s %(clock)s clock %(state)s") % {
        "number": case.number,
        "clock": clock.get_kind_display(),
        "state": ClockState(state).label,
    }
    body = _("Service case %(number)s (%(customer)s)\n%(clock)s clock: %(state)s\nDeadline: %(deadline)s\n%(url)s") % {
        "number": case.number,
        "customer": case.customer,
        "clock": clock.get_kind_display(),
        "state": ClockState(state).label,
        "deadline": timezone.localtime(clock.deadline).strftime("%Y-%m-%d %H:%M"),
        "url": absolute_url(reverse("servicedesk:case-detail", args=[case.pk])),
    }
    send_mail(subject, body, None, recipients)


def _sla_notifications_send(now=None) -> int:
    now = now or timezone.now()
    recipients = as_manager_emails()
    sent = 0
    clocks = (
        SlaClock.objects.filter(stopped_at__isnull=True, paused_at__isnull=True, at_risk_at__lte=now)
        .select_related("case", "case__customer")
        .order_by("deadline")
    )
    for clock in clocks.iterator(chunk_size=500):
        state = clock.state(now)
        if state not in (ClockState.AT_RISK, ClockState.BREACHED) or clock.notified_state == state:
            continue
        # The conditional update makes two overlapping runs send the mail once; it commits only
        # with the mail, so a failed send raises (the task backend records it) and the next run retries.
        with transaction.atomic():
            claimed = SlaClock.objects.filter(pk=clock.pk, notified_state=clock.notified_state).update(
                notified_state=state
            )
            if not claimed:
                continue
            if recipients:
                _sla_mail(clock, state, recipients)
            sent += 1
    return sent


# --- 技术文件更新: technical documents to the customers ---------------------------------------

DOCUMENT_MAX_BYTES = 50 * 1024 * 1024


@transaction.atomic
def document_create(*, by: User, product_model, title: str, kind: str) -> TechnicalDocument:
    """A technical document of a product model (manual, drawing, firmware notes)."""
    require_permission(by, "servicedesk.add_technicaldocument", _("Add a technical document"))
    if not title.strip():
        raise RuleViolation(_("Give the document a title."))
    if TechnicalDocument.objects.filter(product_model=product_model, title=title.strip()).exists():
        raise RuleViolation(_("This product model already has a document with this title: add a version to it."))
    document = TechnicalDocument(product_model=product_model, title=title.strip(), kind=kind)
    return record_create(document, by=by, reason=_("Technical document added"))


@transaction.atomic
def document_version_add(*, pk, by: User, version: str, file, notes: str = "") -> DocumentVersion:
    """A new version of the document (`pk`), not yet sent: publishing sends it."""
    require_permission(by, "servicedesk.add_documentversion", _("Add a document version"))
    document = lock(TechnicalDocument, pk)
    if not version.strip():
        raise RuleViolation(_("Give the version."))
    if document.versions.filter(version=version.strip()).exists():
        raise RuleViolation(_("Version %(version)s exists already.") % {"version": version.strip()})
    if file is None or not file.size:
        raise RuleViolation(_("Choose the file of this version."))
    if file.size > DOCUMENT_MAX_BYTES:
        raise RuleViolation(_("The file is larger than 50 MB."))
    added = DocumentVersion(document=document, version=version.strip(), notes=notes, file=file)
    return record_create(added, by=by, reason=_("Version %(version)s added") % {"version": added.version})


@transaction.atomic
def document_publish(*, pk, by: User) -> DocumentVersion:
    """Publish the newest unpublished version of the document (`pk`): every customer with units of
    its product model gets it by mail after commit, and each sending is tracked."""
    require_permission(by, "servicedesk.publish_documentversion", _("Publish a document version"))
    document = lock(TechnicalDocument, pk)
    version = document.versions.filter(published_at=None).order_by("-created_at", "-pk").first()
    if version is None:
        raise TransitionRefused(_("There is no new version to publish."))
    version.published_at = timezone.now()
    audit(version, by, _("Version %(version)s published to the customers") % {"version": version.version})
    version.save()
    customers = Customer.objects.filter(units__product_model_id=document.product_model_id).distinct().order_by("pk")
    from aftersales.servicedesk.tasks import document_delivery_send

    for customer in customers.iterator(chunk_size=500):
        delivery = record_create(
            DocumentDelivery(version=version, customer=customer), by=by, reason=_("Sending to the customer")
        )
        events.enqueue_on_commit(document_delivery_send, delivery.pk)
    return version


def document_delivery_send(delivery_id: int) -> DocumentDelivery:
    """Mail one customer's copy (the task's body): to the contacts with an e-mail address, the file
    attached. Idempotent: a copy already sent is not sent again; a mail failure raises (retried)."""
    delivery = DocumentDelivery.objects.select_related("version__document__product_model", "customer").get(
        pk=delivery_id
    )
    if delivery.sent_at is not None:
        return delivery
    version = delivery.version
    emails = sorted(set(delivery.customer.contacts.exclude(email="").values_list("email", flat=True)))
    if not emails:
        with translation.override(settings.LANGUAGE_CODE):  # kept as text: in the office's language
            problem = _("No contact of this customer has an e-mail address: send it by other means.")
        DocumentDelivery.objects.filter(pk=delivery.pk).update(problem=problem)
        return delivery
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Technical document %(title)s, version %(version)s") % {
            "title": version.document,
            "version": version.version,
        }
        body = _("Dear customer,\n\nattached is version %(version)s of %(title)s.\n%(notes)s\n\n%(company)s") % {
            "version": version.version,
            "title": version.document,
            "notes": version.notes,
            "company": settings.COMPANY_NAME,
        }
    message = EmailMessage(subject, body, None, emails)
    with version.file.open("rb") as fh:
        message.attach((version.file.name or "document").rsplit("/", 1)[-1], fh.read())
    message.send()
    DocumentDelivery.objects.filter(pk=delivery.pk).update(
        sent_at=timezone.now(), recipients=", ".join(emails)[:500], problem=""
    )
    delivery.refresh_from_db()
    return delivery


# --- 技术支持程序 3.2–3.3: escalation to the product director ----------------------------------


@transaction.atomic
def case_escalate(*, pk, by: User, reason: str, expected_state=None) -> ServiceCase:
    """The technical department lacks the capability: the product director is asked to act."""
    if not reason.strip():
        raise RuleViolation(_("Say what the technical department cannot do."))
    case = lock(ServiceCase, pk)
    expect_state(case, expected_state)
    return perform_transition(
        case, "escalate", by=by, reason=_("Escalated to the product director: %(why)s") % {"why": reason}, why=reason
    )


@transaction.atomic
def case_direct_support(*, pk, by: User, people, direction: str, expected_state=None) -> ServiceCase:
    """The product director directs the product department: who goes, what to do."""
    people = list(people)
    if not people or not direction.strip():
        raise RuleViolation(_("Name the people the product department sends and what they are to do."))
    case = lock(ServiceCase, pk)
    expect_state(case, expected_state)
    names = "、".join(display_name(p) for p in people)
    perform_transition(
        case, "direct", by=by, reason=_("Product department sends %(names)s") % {"names": names}, direction=direction
    )
    case.directed_people.set(people)
    return case


@transaction.atomic
def case_file_support(*, pk, by: User, result: str, documents=(), expected_state=None) -> ServiceCase:
    """The results and documents of the technical support are filed (备案) on the case and the
    record is archived (归档) as an immutable PDF with its SHA-256."""
    from aftersales.pdf import archive_pdf
    from aftersales.servicedesk.pdf import render_support_filing

    if not result.strip():
        raise RuleViolation(_("Write the result of the technical support."))
    case = lock(ServiceCase, pk)
    expect_state(case, expected_state)
    perform_transition(case, "file_support", by=by, reason=_("Technical support results filed"), result=result)
    for upload in documents:
        try:
            attachment_add(case, upload, by=by)
        except ValidationError as exc:
            raise RuleViolation(" ".join(exc.messages)) from exc
    title = _("Technical support filing %(number)s") % {"number": case.number}
    archive_pdf(case, kind="support_filing", title=title, pdf=render_support_filing(case), by=by)
    return case
