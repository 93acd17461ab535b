"""The three clocks of a service case: which policy applies, when each is due, pauses.

Called by the services (which hold the case's row lock); nothing here commits on its own.
"""

from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from aftersales.models import is_in_office_area
from aftersales.servicedesk.models import ClockKind, ServiceCase, SlaAgreement, SlaClock, SlaPause, SlaPolicy
from aftersales.workcalendar import WorkingCalendar
from aftersales.workflow import audit  # noqa: F401  (re-exported for the services)


def policy_for(case: ServiceCase) -> SlaPolicy:
    """The contract's policy, else the customer's, else the default one."""
    agreements = SlaAgreement.objects.filter(customer_id=case.customer_id).select_related("policy")
    by_contract = {a.contract_number: a.policy for a in agreements}
    if case.contract_number and case.contract_number in by_contract:
        return by_contract[case.contract_number]
    if "" in by_contract:
        return by_contract[""]
    policy = SlaPolicy.objects.filter(is_default=True).first()
    if policy is None:
        # fixtures/sla_policies.json creates it; a deleted default must not stop the call desk.
        policy, _created = SlaPolicy.objects.get_or_create(name="标准服务承诺", defaults={"is_default": True})
    return policy


def case_city(case: ServiceCase) -> str:
    if case.site is not None:
        return case.site.city
    unit = case.unit
    if unit is not None and unit.site is not None:
        return unit.site.city
    return case.customer.city


def budget(case: ServiceCase, kind: str, policy: SlaPolicy) -> tuple[int, bool]:
    """(seconds allowed, counted in working hours?) for one clock of a case."""
    if kind == ClockKind.RESPONSE:
        return policy.response_minutes * 60, False
    if kind == ClockKind.RESOLUTION:
        if case.category == ServiceCase.Category.COMPLAINT:
            return policy.complaint_answer_hours * 3600, False
        return policy.resolution_days * 86400, False
    if policy.arrival_contract_hours:
        return policy.arrival_contract_hours * 3600, False
    if is_in_office_area(case_city(case)):
        return policy.arrival_office_working_hours * 3600, True
    return policy.arrival_elsewhere_hours * 3600, False


def _later(start, seconds: float, working: bool, calendar: WorkingCalendar):
    if working:
        return calendar.add_working_seconds(start, seconds)
    return start + timedelta(seconds=seconds)


def clock_start(
    case: ServiceCase, kind: str, *, at=None, by: User | None = None, calendar: WorkingCalendar | None = None
) -> SlaClock:
    """Start (or restart, e.g. after reopening) one clock of the case."""
    at = at or timezone.now()
    calendar = calendar or WorkingCalendar()
    policy = policy_for(case)
    seconds, working = budget(case, kind, policy)
    deadline = _later(at, seconds, working, calendar)
    at_risk_at = _later(at, seconds * float(1 - policy.at_risk_share), working, calendar)
    calendar.note_years(at, deadline)
    values = {
        "policy": policy,
        "working_time": working,
        "budget_seconds": seconds,
        "started_at": at,
        "deadline": deadline,
        "at_risk_at": at_risk_at,
        "paused_at": None,
        "stopped_at": None,
        "met": None,
        "notified_state": "",
        "schedule_missing": bool(calendar.missing_years),
    }
    clock = SlaClock.objects.filter(case=case, kind=kind).first()
    if clock is None:
        clock = SlaClock(case=case, kind=kind, created_by=by)
    for name, value in values.items():
        setattr(clock, name, value)
    audit(clock, by)
    clock.save()
    return clock


def clock_stop(case: ServiceCase, kind: str, *, at=None, by: User | None = None) -> SlaClock | None:
    """Stop a running clock: met when stopped by its deadline (a pause in progress ends too)."""
    clock = SlaClock.objects.filter(case=case, kind=kind, stopped_at__isnull=True).first()
    if clock is None:
        return None
    at = at or timezone.now()
    if clock.paused_at is not None:
        clock_resume(clock, at=at, by=by)
    clock.stopped_at, clock.met = at, at <= clock.deadline
    audit(clock, by)
    clock.save()
    return clock


def clock_pause(clock: SlaClock, *, reason: str, at=None, by: User | None = None) -> SlaPause:
    at = at or timezone.now()
    clock.paused_at = at
    audit(clock, by, reason)
    clock.save()
    return SlaPause.objects.create(clock=clock, reason=reason, started_at=at, created_by=by, updated_by=by)


def clock_resume(clock: SlaClock, *, at=None, by: User | None = None) -> SlaClock:
    """End the pause: the deadline and the at-risk moment move by the paused (working) time."""
    at = at or timezone.now()
    calendar = WorkingCalendar()
    paused_from = clock.paused_at
    if paused_from is None:
        return clock
    if clock.working_time:
        seconds = calendar.working_seconds_between(paused_from, at)
    else:
        seconds = (at - paused_from).total_seconds()
    clock.deadline = _later(clock.deadline, seconds, clock.working_time, calendar)
    clock.at_risk_at = _later(clock.at_risk_at, seconds, clock.working_time, calendar)
    calendar.note_years(paused_from, clock.deadline)
    clock.schedule_missing = clock.schedule_missing or bool(calendar.missing_years)
    clock.paused_at = None
    audit(clock, by)
    clock.save()
    SlaPause.objects.filter(clock=clock, ended_at__isnull=True).update(ended_at=at, resumed_by=by, updated_by=by)
    return clock


def open_clocks_in_state(state: str, now=None):
    """Running clocks at risk or breached, as an indexed range query."""
    now = now or timezone.now()
    qs = SlaClock.objects.filter(stopped_at__isnull=True, paused_at__isnull=True)
    if state == "breached":
        return qs.filter(deadline__lte=now)
    if state == "at_risk":
        return qs.filter(at_risk_at__lte=now, deadline__gt=now)
    raise ValueError(state)


def clock_state_q(state: str, now=None, prefix: str = "") -> Q:
    """The same condition for filtering cases by their clocks (prefix "clocks__")."""
    now = now or timezone.now()
    base = {f"{prefix}stopped_at__isnull": True, f"{prefix}paused_at__isnull": True}
    if state == "breached":
        return Q(**base, **{f"{prefix}deadline__lte": now})
    if state == "at_risk":
        return Q(**base, **{f"{prefix}at_risk_at__lte": now, f"{prefix}deadline__gt": now})
    if state == "paused":
        return Q(**{f"{prefix}stopped_at__isnull": True, f"{prefix}paused_at__isnull": False})
    if state == "missed":
        return Q(**{f"{prefix}met": False})
    raise ValueError(state)
