"""Service case workflow: every transition with an allowed and a refused role, the paid-repair
gate, the repeat-repair rule, stale pages, and the case.decided event."""

from datetime import date
from decimal import Decimal

import pytest

from aftersales import events
from aftersales.servicedesk import services
from aftersales.servicedesk.models import CaseNote, ClockKind, ServiceCase, SlaClock
from aftersales.workflow import PermissionRefused, RuleViolation, StaleRecord, TransitionRefused
from tests.aftersales.factories import ComponentFactory, UnitFactory
from tests.servicedesk.factories import DefectCodeFactory, case_in, record_case

pytestmark = pytest.mark.django_db
S = ServiceCase.Status


def status_of(case):
    return ServiceCase.objects.get(pk=case.pk).status


def test_recording_a_call_starts_response_and_resolution_clocks(users):
    case = record_case(users["clerk"], channel="phone", category="fault")
    assert case.number.startswith("WX-")
    assert case.status == S.RECORDED
    assert case.site == case.unit.site
    kinds = set(SlaClock.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {ClockKind.RESPONSE, ClockKind.RESOLUTION}
    response = SlaClock.objects.get(case=case, kind="response")
    assert (response.deadline - response.started_at).total_seconds() == 30 * 60


def test_recording_is_refused_to_a_technician(users):
    with pytest.raises(PermissionRefused):
        record_case(users["technician"])


def test_a_fault_needs_a_unit_but_a_consultation_does_not(users):
    unit = UnitFactory()
    with pytest.raises(RuleViolation):
        services.case_record(by=users["clerk"], customer=unit.customer, fault_description="x", category="fault")
    case = services.case_record(
        by=users["clerk"], customer=unit.customer, fault_description="怎么校准？", category="consultation"
    )
    assert case.unit is None


def test_unit_of_another_customer_is_refused(users):
    unit = UnitFactory()
    other = UnitFactory()
    with pytest.raises(RuleViolation):
        services.case_record(by=users["clerk"], customer=other.customer, unit=unit, fault_description="x")


@pytest.mark.parametrize(
    "state, call, allowed, refused, target",
    [
        ("recorded", lambda pk, by: services.case_answer(pk=pk, by=by, text="已解答"), "clerk", "techdept", S.CLOSED),
        ("recorded", lambda pk, by: services.case_hand_to_techdept(pk=pk, by=by), "clerk", "technician", S.TECHDEPT),
        (
            "techdept",
            lambda pk, by: services.case_decide(pk=pk, by=by, decision="remote"),
            "techdept",
            "clerk",
            S.IN_PROGRESS,
        ),
        (
            "in_progress",
            lambda pk, by: services.case_resolve(pk=pk, by=by, text="已修好"),
            "techdept",
            "sales",
            S.RESOLVED,
        ),
        (
            "resolved",
            lambda pk, by: services.case_revisit(pk=pk, by=by, spoke_with="李工", satisfaction="very_good"),
            "clerk",
            "techdept",
            S.REVISITED,
        ),
        ("revisited", lambda pk, by: services.case_close(pk=pk, by=by), "clerk", "technician", S.CLOSED),
        (
            "closed",
            lambda pk, by: services.case_reopen(pk=pk, by=by, reason="故障再次出现"),
            "as_manager",
            "techdept",
            S.RECORDED,
        ),
    ],
)
def test_each_transition_has_an_allowed_and_a_refused_role(users, state, call, allowed, refused, target):
    case = case_in(state, users)
    with pytest.raises(PermissionRefused):
        call(case.pk, users[refused])
    assert status_of(case) == state
    call(case.pk, users[allowed])
    assert status_of(case) == target


@pytest.mark.parametrize(
    "state, call, allowed, refused",
    [
        ("techdept", lambda pk, by: services.case_diagnose(pk=pk, by=by, text="电话诊断"), "techdept", "clerk"),
        (
            "techdept",
            lambda pk, by: services.case_quote_fee(pk=pk, by=by, told_to="王工"),
            "techdept",
            "technician",
        ),
        ("recorded", lambda pk, by: services.case_add_note(pk=pk, by=by, text="已回电"), "clerk", "sales"),
        (
            "recorded",
            lambda pk, by: services.case_pause_clock(pk=pk, by=by, kind="resolution", reason="等客户"),
            "clerk",
            "sales",
        ),
    ],
)
def test_actions_that_are_not_transitions_check_the_role_too(users, state, call, allowed, refused):
    case = case_in(state, users)
    with pytest.raises(PermissionRefused):
        call(case.pk, users[refused])
    call(case.pk, users[allowed])


def test_transition_in_the_wrong_state_is_refused(users):
    case = case_in("recorded", users)
    with pytest.raises(TransitionRefused):
        services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")


def test_stale_page_is_refused_with_409(users):
    case = case_in("recorded", users)
    services.case_hand_to_techdept(pk=case.pk, by=users["clerk"], expected_state="recorded")
    with pytest.raises(StaleRecord) as exc:
        services.case_answer(pk=case.pk, by=users["as_manager"], text="x", expected_state="recorded")
    assert exc.value.http_status == 409


def test_answer_closes_as_answered_and_stops_clocks(users):
    case = case_in("recorded", users)
    services.case_answer(pk=case.pk, by=users["clerk"], text="校准周期一年")
    case.refresh_from_db()
    assert case.closure == "answered" and case.first_response_at
    assert not SlaClock.objects.filter(case=case, stopped_at__isnull=True).exists()
    assert case.notes.filter(kind=CaseNote.Kind.ANSWER).exists()


def test_first_response_stops_the_response_clock(users):
    case = case_in("techdept", users)
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="电话沟通", spoke_with="张工")
    clock = SlaClock.objects.get(case=case, kind="response")
    assert clock.stopped_at is not None and clock.met is True


def test_reopen_needs_a_reason_and_restarts_the_resolution_clock(users):
    case = case_in("closed", users)
    with pytest.raises(RuleViolation):
        services.case_reopen(pk=case.pk, by=users["clerk"], reason=" ")
    services.case_reopen(pk=case.pk, by=users["clerk"], reason="客户来电说又坏了")
    case.refresh_from_db()
    assert case.reopen_count == 1 and case.reopen_reason == "客户来电说又坏了"
    assert SlaClock.objects.get(case=case, kind="resolution").stopped_at is None
    assert "客户来电说又坏了" in case.history.first().history_change_reason


# --- paid repair gate ---------------------------------------------------------------------


def expired_unit():
    unit = UnitFactory(acceptance_date=date(2019, 1, 1))
    ComponentFactory(product_model=unit.product_model, code="HEAT", warranty_months=12, unit_cost=Decimal("600"))
    return unit


def test_paid_repair_cannot_proceed_to_repair_until_the_fee_is_told(users):
    case = case_in("techdept", users, unit=expired_unit())
    component = case.unit.product_model.components.get(code="HEAT")
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="加热元件坏", component=component)
    case.refresh_from_db()
    assert case.in_warranty is False
    with pytest.raises(RuleViolation) as exc:
        services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    assert "fee" in exc.value.message or "费用" in exc.value.message
    assert status_of(case) == S.TECHDEPT
    quote = services.case_quote_fee(pk=case.pk, by=users["techdept"], parts=[(component, 2)], told_to="刘主任")
    assert quote.amount == quote.parts_total == Decimal("1200.00")
    assert quote.reason == "expired" and quote.told_by == users["techdept"] and quote.told_at
    services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    assert status_of(case) == S.IN_PROGRESS


def test_cause_not_covered_makes_an_in_warranty_repair_paid(users):
    case = case_in("techdept", users)
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="用户误操作烧坏", cause_covered=False)
    with pytest.raises(RuleViolation):
        services.case_decide(pk=case.pk, by=users["techdept"], decision="factory")
    # Solving it by phone is not a paid repair.
    services.case_decide(pk=case.pk, by=users["techdept"], decision="remote")


def test_in_warranty_repair_needs_no_fee(users):
    case = case_in("techdept", users)
    services.case_diagnose(
        pk=case.pk, by=users["techdept"], text="元件坏", component=case.unit.product_model.components.first()
    )
    services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    assert status_of(case) == S.IN_PROGRESS


def test_fee_told_in_the_future_is_refused(users):
    from datetime import timedelta

    from django.utils import timezone

    case = case_in("techdept", users)
    with pytest.raises(RuleViolation):
        services.case_quote_fee(
            pk=case.pk,
            by=users["techdept"],
            told_to="x",
            told_at=timezone.now() + timedelta(hours=2),
        )


# --- repeat repair rule ---------------------------------------------------------------------


def repaired(users, unit, component, defect):
    case = case_in("techdept", users, unit=unit)
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="同样故障", component=component, defect_code=defect)
    # Guided on the phone: an on-site repair would be resolved by its service job.
    services.case_decide(pk=case.pk, by=users["techdept"], decision="remote")
    services.case_resolve(pk=case.pk, by=users["techdept"], text="更换元件")
    return case


def test_third_repair_of_the_same_defect_flags_replacement(users):
    unit = UnitFactory()
    component = ComponentFactory(product_model=unit.product_model, warranty_months=60)
    defect = DefectCodeFactory(component=component)
    other_defect = DefectCodeFactory()
    for _i in range(2):
        repaired(users, unit, component, defect)
    repaired(users, unit, component, other_defect)
    case = case_in("techdept", users, unit=unit)
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="又坏了", component=component, defect_code=defect)
    case.refresh_from_db()
    assert case.replace_recommended is False  # two repairs of this defect so far
    repaired_case = repaired(users, unit, component, defect)
    assert ServiceCase.objects.get(pk=repaired_case.pk).replace_recommended is False
    fourth = case_in("techdept", users, unit=unit)
    services.case_diagnose(pk=fourth.pk, by=users["techdept"], text="第四次", component=component, defect_code=defect)
    fourth.refresh_from_db()
    assert fourth.replace_recommended is True


def test_repairs_out_of_warranty_do_not_count(users):
    unit = expired_unit()
    component = unit.product_model.components.get(code="HEAT")
    defect = DefectCodeFactory()
    for _i in range(3):
        case = case_in("techdept", users, unit=unit)
        services.case_diagnose(pk=case.pk, by=users["techdept"], text="x", component=component, defect_code=defect)
        services.case_decide(pk=case.pk, by=users["techdept"], decision="remote")
        services.case_resolve(pk=case.pk, by=users["techdept"], text="y")
    case = case_in("techdept", users, unit=unit)
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="x", component=component, defect_code=defect)
    case.refresh_from_db()
    assert case.replace_recommended is False


# --- case.decided event ------------------------------------------------------------------------


def test_decision_publishes_case_decided(users, monkeypatch):
    seen = []
    monkeypatch.setattr(events, "_handlers", {events.CaseDecided: [seen.append]})
    case = case_in("techdept", users)
    services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    assert len(seen) == 1
    assert seen[0].case.pk == case.pk and seen[0].decision == "onsite" and seen[0].by == users["techdept"]


def test_decision_works_with_no_subscriber(users, monkeypatch):
    from collections import defaultdict

    monkeypatch.setattr(events, "_handlers", defaultdict(list))
    case = case_in("techdept", users)
    services.case_decide(pk=case.pk, by=users["techdept"], decision="claim")
    assert status_of(case) == S.IN_PROGRESS


def test_a_failing_subscriber_rolls_the_decision_back(users, monkeypatch):
    def broken(event):
        raise RuleViolation("no")

    monkeypatch.setattr(events, "_handlers", {events.CaseDecided: [broken]})
    case = case_in("techdept", users)
    with pytest.raises(RuleViolation):
        services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    assert status_of(case) == S.TECHDEPT
