"""SLA clocks: budgets per policy and place, the Chinese working calendar, pauses, notifications."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from aftersales.models import NeighbouringCity, OfficeCity
from aftersales.servicedesk import services
from aftersales.servicedesk.models import SlaAgreement, SlaClock, SlaPause, SlaPolicy
from aftersales.servicedesk.sla import policy_for
from aftersales.workflow import RuleViolation
from tests.aftersales.factories import ComponentFactory, CustomerFactory, SiteFactory, UnitFactory
from tests.servicedesk.factories import record_case

SH = ZoneInfo("Asia/Shanghai")
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_field_service")]


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def clock_at(monkeypatch):
    """clock_at(dt) makes timezone.now() return dt (model defaults and services alike)."""

    def set_now(dt):
        monkeypatch.setattr(timezone, "now", lambda: dt)

    return set_now


@pytest.fixture
def office():
    o = OfficeCity.objects.create(name="长沙", province="湖南省")
    NeighbouringCity.objects.create(office=o, name="株洲", province="湖南省")
    return o


def unit_in(city):
    customer = CustomerFactory(city=city)
    unit = UnitFactory(customer=customer, site=SiteFactory(customer=customer, city=city))
    ComponentFactory(product_model=unit.product_model, warranty_months=36)
    return unit


def onsite_case(users, unit):
    case = record_case(users["clerk"], unit=unit)
    services.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    return case


def clock(case, kind):
    return SlaClock.objects.get(case=case, kind=kind)


def test_friday_17h_before_national_day_gets_eight_working_hours_over_the_make_up_sunday(users, office, clock_at):
    clock_at(at(2025, 9, 26, 17, 0))
    case = onsite_case(users, unit_in("株洲"))
    services.case_confirm_dispatch(pk=case.pk, by=users["as_manager"])
    arrival = clock(case, "arrival")
    assert arrival.working_time is True
    # 1h on Friday, Saturday off, 7h on the make-up Sunday 28 Sep 2025.
    assert arrival.deadline == at(2025, 9, 28, 17, 0)
    assert arrival.schedule_missing is False


def test_dispatch_on_the_eve_of_the_holiday_week_reaches_past_it(users, office, clock_at):
    clock_at(at(2025, 9, 30, 14, 0))
    case = onsite_case(users, unit_in("长沙"))
    services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    assert clock(case, "arrival").deadline == at(2025, 10, 9, 14, 0)


def test_outside_the_office_area_it_is_24_hours(users, office, clock_at):
    clock_at(at(2025, 9, 26, 17, 0))
    case = onsite_case(users, unit_in("乌鲁木齐"))
    services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    arrival = clock(case, "arrival")
    assert arrival.working_time is False
    assert arrival.deadline == at(2025, 9, 27, 17, 0)


def test_contract_policy_of_four_hours_applies_everywhere(users, office):
    unit = unit_in("株洲")
    fast = SlaPolicy.objects.create(name="4小时", arrival_contract_hours=4)
    SlaAgreement.objects.create(customer=unit.customer, contract_number="HT-2025-01", policy=fast)
    case = record_case(users["clerk"], unit=unit, contract_number="HT-2025-01")
    assert policy_for(case) == fast
    other = record_case(users["clerk"], unit=unit)
    assert policy_for(other).is_default
    services.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    arrival = clock(case, "arrival")
    assert arrival.budget_seconds == 4 * 3600 and not arrival.working_time


def test_dispatch_only_for_onsite_and_arrival_stops_the_clock(users, office):
    case = record_case(users["clerk"], unit=unit_in("株洲"))
    services.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    services.case_decide(pk=case.pk, by=users["techdept"], decision="remote")
    with pytest.raises(RuleViolation):
        services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    case = onsite_case(users, unit_in("株洲"))
    services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    services.case_record_arrival(pk=case.pk, by=users["clerk"])
    arrival = clock(case, "arrival")
    assert arrival.stopped_at is not None and arrival.met is True


def test_resolution_is_three_calendar_days_and_a_complaint_one_day(users, clock_at):
    clock_at(at(2026, 3, 6, 10, 0))
    case = record_case(users["clerk"])
    assert clock(case, "resolution").deadline == at(2026, 3, 9, 10, 0)
    complaint = record_case(users["clerk"], category="complaint")
    assert clock(complaint, "resolution").deadline == at(2026, 3, 7, 10, 0)


def test_three_day_deadline_into_2027_does_not_crash_and_warns(users, clock_at, client_for):
    clock_at(at(2026, 12, 30, 10, 0))
    case = record_case(users["clerk"])
    resolution = clock(case, "resolution")
    assert resolution.deadline == at(2027, 1, 2, 10, 0)
    assert resolution.schedule_missing is True
    page = client_for("clerk").get(case.get_absolute_url())
    assert page.status_code == 200
    assert 'id="schedule-missing"' in page.content.decode()
    todo = client_for("as_manager").get("/")
    assert "2027" in todo.content.decode()


def test_working_hour_clock_into_2027_counts_weekdays(users, office, clock_at):
    clock_at(at(2026, 12, 31, 17, 0))
    case = onsite_case(users, unit_in("株洲"))
    services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    arrival = clock(case, "arrival")
    assert arrival.deadline == at(2027, 1, 1, 17, 0)
    assert arrival.schedule_missing is True


def test_pause_needs_a_reason_and_moves_the_deadline(users, clock_at):
    clock_at(at(2026, 3, 6, 10, 0))
    case = record_case(users["clerk"])
    with pytest.raises(RuleViolation):
        services.case_pause_clock(pk=case.pk, by=users["clerk"], kind="resolution", reason="")
    services.case_pause_clock(pk=case.pk, by=users["clerk"], kind="resolution", reason="等客户寄回零件")
    assert clock(case, "resolution").state() == "paused"
    clock_at(at(2026, 3, 6, 15, 0))
    services.case_resume_clock(pk=case.pk, by=users["clerk"], kind="resolution")
    resolution = clock(case, "resolution")
    assert resolution.deadline == at(2026, 3, 9, 15, 0)
    pause = SlaPause.objects.get(clock=resolution)
    assert pause.reason == "等客户寄回零件" and pause.ended_at == at(2026, 3, 6, 15, 0)
    reasons = [h.history_change_reason for h in case.history.all()]
    assert any("等客户寄回零件" in (r or "") for r in reasons)


def test_clock_states(users, clock_at):
    start = at(2026, 3, 6, 10, 0)
    clock_at(start)
    case = record_case(users["clerk"])
    response = clock(case, "response")
    assert response.state(start + timedelta(minutes=10)) == "running"
    assert response.state(start + timedelta(minutes=25)) == "at_risk"
    assert response.state(start + timedelta(minutes=31)) == "breached"


def test_one_email_per_clock_state_change(users, clock_at, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    manager = users["as_manager"]
    manager.email = "manager@example.com"
    manager.save()
    start = at(2026, 3, 6, 10, 0)
    clock_at(start)
    case = record_case(users["clerk"])
    clock_at(start + timedelta(minutes=5))
    call_command("sla_check")
    assert len(mail.outbox) == 0
    clock_at(start + timedelta(minutes=25))
    call_command("sla_check")
    assert len(mail.outbox) == 1
    assert case.number in mail.outbox[0].subject and mail.outbox[0].to == ["manager@example.com"]
    assert "服务时限" in mail.outbox[0].subject  # cron runs in English; the mail is in Chinese
    call_command("sla_check")
    assert len(mail.outbox) == 1  # not at every run
    clock_at(start + timedelta(minutes=31))
    call_command("sla_check")
    call_command("sla_check")
    assert len(mail.outbox) == 2
    assert clock(case, "response").notified_state == "breached"


def test_stopped_clocks_are_not_notified(users, clock_at, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users["as_manager"].email = "m@example.com"
    users["as_manager"].save()
    start = at(2026, 3, 6, 10, 0)
    clock_at(start)
    case = record_case(users["clerk"])
    services.case_add_note(pk=case.pk, by=users["clerk"], text="已回电")
    clock_at(start + timedelta(minutes=40))
    assert services.sla_notifications_send() == 0
    assert mail.outbox == []
