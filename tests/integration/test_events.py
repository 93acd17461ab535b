"""The workflows start each other's records through events (aftersales.events): one contract
test per event and subscriber, running the real publishing service into the real subscriber (no
mocks) and reading the content of the record it opened."""

import dataclasses
import typing

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from aftersales import events
from aftersales.links import linked_of_type
from aftersales.people import display_name
from aftersales.servicedesk import services as desk
from aftersales.servicedesk.models import ServiceCase
from aftersales.servicedesk.models.sla import ClockKind
from aftersales.workflow import RuleViolation, is_system_actor
from fieldservice import services as field
from fieldservice.models import ServiceJob
from shipping import services as ship
from shipping.models import Shipment
from tests.aftersales.factories import ProductModelFactory
from tests.conftest import make_user
from tests.fieldservice.factories import customer_signed_form
from tests.servicedesk.factories import record_case
from tests.shipping.factories import make_shipment
from warranty import services as quality
from warranty.models import QualitySheet
from warranty.repairs.models import FactoryRepair

pytestmark = pytest.mark.django_db


def test_receipt_confirmed_opens_the_installation_job(users):
    shipment = make_shipment(users, Shipment.Status.RECEIVED, lines=[(ProductModelFactory(needs_installation=True), 2)])
    jobs = linked_of_type(shipment, ServiceJob)
    assert len(jobs) == 1
    job = jobs[0]
    assert job.kind == ServiceJob.Kind.INSTALLATION
    assert set(job.units.values_list("pk", flat=True)) == set(shipment.units.values_list("pk", flat=True))
    assert job.units.count() == 2
    assert (job.customer, job.site) == (shipment.customer, shipment.site)
    assert (job.contact_name, job.contact_phone) == ("黄建华", "13807331001")
    assert shipment.number in job.description and job.source_label == shipment.number
    # The 发货单 is the FD- delivery note; the FH- number is the 发货申请单 (the request).
    assert shipment.delivery_note_number.startswith("FD") and shipment.delivery_note_number in job.description
    assert is_system_actor(job.created_by), "the system opens it for the receipt"
    opened = job.history.earliest("history_date").history_change_reason
    assert shipment.number in opened and display_name(users["clerk"]) in opened, "who confirmed the receipt"
    assert not Shipment.objects.get(pk=shipment.pk).installation_pending, "the job replaces 待安装"


def test_the_installation_job_completed_records_the_shipment_installed(users):
    shipment = make_shipment(users, Shipment.Status.RECEIVED, lines=[(ProductModelFactory(needs_installation=True), 1)])
    assert shipment.installation == Shipment.Installation.JOB_OPENED
    [job] = linked_of_type(shipment, ServiceJob)
    job = bring_job_on_site(users, job)
    customer_signed_form(users, job=job)
    shipment = Shipment.objects.get(pk=shipment.pk)
    assert shipment.installation == Shipment.Installation.INSTALLED
    last = shipment.history.first()
    assert is_system_actor(last.history_user)
    assert job.number in last.history_change_reason and display_name(users["tech1"]) in last.history_change_reason


def test_a_repair_job_completed_leaves_shipments_alone(users):
    shipment = make_shipment(users, Shipment.Status.RECEIVED, lines=[(ProductModelFactory(needs_installation=True), 1)])
    case = onsite_case(users)
    job = bring_job_on_site(users, linked_of_type(case, ServiceJob)[0])
    customer_signed_form(users, job=job)
    assert Shipment.objects.get(pk=shipment.pk).installation == Shipment.Installation.JOB_OPENED


def test_receipt_of_units_without_installation_opens_no_job(users):
    shipment = make_shipment(
        users, Shipment.Status.RECEIVED, lines=[(ProductModelFactory(needs_installation=False), 1)]
    )
    assert linked_of_type(shipment, ServiceJob) == []


def test_missing_parts_at_unpacking_open_a_service_case(users):
    shipment = make_shipment(users, Shipment.Status.RECEIVED)
    ship.shipment_report_missing_parts(pk=shipment.pk, by=users["clerk"], description="缺少热电偶两支")
    cases = linked_of_type(shipment, ServiceCase)
    assert len(cases) == 1
    case = cases[0]
    assert (case.customer, case.site) == (shipment.customer, shipment.site)
    assert "缺少热电偶两支" in case.fault_description and shipment.number in case.fault_description
    assert case.free_supply and (case.caller_name, case.caller_phone) == ("黄建华", "13807331001")
    # The system opens it (the reporter's role need not record calls); the history names the reporter.
    assert is_system_actor(case.created_by)
    opened = case.history.earliest("history_date")
    assert opened.history_user == case.created_by
    assert display_name(users["clerk"]) in opened.history_change_reason
    assert shipment.number in opened.history_change_reason


def onsite_case(users):
    case = record_case(users["clerk"])
    desk.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    desk.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    return ServiceCase.objects.get(pk=case.pk)


def test_onsite_decision_opens_a_repair_job_linked_to_the_case(users):
    case = onsite_case(users)
    jobs = linked_of_type(case, ServiceJob)
    assert len(jobs) == 1 and jobs[0].kind == ServiceJob.Kind.REPAIR
    job = jobs[0]
    assert list(job.units.all()) == [case.unit]
    assert job.customer == case.customer and job.description == case.fault_description
    assert is_system_actor(job.created_by)
    opened = job.history.earliest("history_date").history_change_reason
    assert case.number in opened and display_name(users["techdept"]) in opened, "who decided"


def test_factory_decision_opens_a_factory_repair_order_for_the_cases_unit(users):
    case = record_case(users["clerk"])
    desk.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    desk.case_decide(pk=case.pk, by=users["techdept"], decision="factory")
    case = ServiceCase.objects.get(pk=case.pk)
    orders = linked_of_type(case, FactoryRepair)
    assert len(orders) == 1
    assert orders[0].unit == case.unit and orders[0].fault_description == case.fault_description
    assert is_system_actor(orders[0].created_by)
    assert display_name(users["techdept"]) in orders[0].history.earliest().history_change_reason
    assert linked_of_type(case, ServiceJob) == [] and linked_of_type(case, QualitySheet) == []


def bring_job_on_site(users, job):
    """Approval, dispatch and the trip through the real services, then arrival on site."""
    today = timezone.localdate()
    field.job_schedule(pk=job.pk, by=users["clerk"], agreed_date=today)
    req = field.support_request_create(
        pk=job.pk, by=users["sales"], purpose="上门维修", proposed_start=today, proposed_end=today, estimated_cost=1000
    )
    field.support_request_approve(pk=req.pk, by=users["gm"], comment="同意")
    field.job_dispatch(
        pk=job.pk,
        by=users["clerk"],
        technicians=[users["tech1"]],
        lead=users["tech1"],
        address="株洲",
        contact="王工",
        phone="13800001111",
    )
    field.job_start_trip(
        pk=job.pk,
        by=users["tech1"],
        expected_days=1,
        travellers="孙浩",
        departure_at=timezone.now(),
        destination="株洲",
        purpose="维修",
        expected_return=today,
    )
    field.job_arrive(pk=job.pk, by=users["tech1"])
    return ServiceJob.objects.get(pk=job.pk)


def test_dispatching_the_job_starts_the_cases_arrival_clock_once(users):
    """One dispatch, one clock: the job's dispatch is the case's; the desk's own step is refused."""
    case = onsite_case(users)
    job = bring_job_on_site(users, linked_of_type(case, ServiceJob)[0])
    case = ServiceCase.objects.get(pk=case.pk)
    clock = case.clocks.get(kind=ClockKind.ARRIVAL)
    assert clock.started_at == job.dispatched_at == case.dispatch_confirmed_at
    dispatched = case.history.filter(visit=ServiceCase.Visit.DISPATCHED).earliest("history_date")
    assert is_system_actor(dispatched.history_user) and display_name(users["clerk"]) in dispatched.history_change_reason
    with pytest.raises(RuleViolation, match="service job|服务工单"):
        desk.case_confirm_dispatch(pk=case.pk, by=users["clerk"])


def test_technician_arrival_stops_the_cases_arrival_clock(users):
    case = onsite_case(users)
    bring_job_on_site(users, linked_of_type(case, ServiceJob)[0])
    job = ServiceJob.objects.get(pk=linked_of_type(case, ServiceJob)[0].pk)
    case = ServiceCase.objects.get(pk=case.pk)
    clock = case.clocks.get(kind=ClockKind.ARRIVAL)
    assert clock.stopped_at == job.arrived_at == case.arrived_at and clock.met is True


def test_customer_signing_form_a_resolves_the_linked_case(users):
    case = onsite_case(users)
    job = bring_job_on_site(users, linked_of_type(case, ServiceJob)[0])
    customer_signed_form(users, job=job)
    case = ServiceCase.objects.get(pk=case.pk)
    assert case.status == ServiceCase.Status.RESOLVED
    assert job.number in case.resolution
    assert case.clocks.get(kind=ClockKind.RESOLUTION).stopped_at is not None


def test_claim_decision_opens_a_quality_information_sheet(users):
    case = record_case(users["clerk"])
    desk.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    desk.case_decide(pk=case.pk, by=users["techdept"], decision="claim")
    sheets = linked_of_type(case, QualitySheet)
    assert len(sheets) == 1 and sheets[0].unit == case.unit
    sheet = sheets[0]
    assert sheet.customer == case.customer and sheet.description == case.fault_description
    # The system opens the sheet for the technical department's decision; its history names who decided.
    assert is_system_actor(sheet.created_by)
    opened = sheet.history.earliest()
    assert (
        display_name(users["techdept"]) in opened.history_change_reason and case.number in opened.history_change_reason
    )


def test_major_quality_problem_sends_people_on_site_with_a_job(users):
    case = record_case(users["clerk"])
    sheet = quality.sheet_create(
        by=users["clerk"], customer=case.customer, unit=case.unit, description="批量炉管开裂", is_major=True
    )
    quality.sheet_send(pk=sheet.pk, by=users["clerk"], first_answer="已安排品质中心跟进")
    wu = make_user("wujing", "qc", last_name="吴", first_name="静")
    zheng = make_user("zhengtao", "rnd", last_name="郑", first_name="涛")
    # 4.2 两单位尽快指定专人: each unit names its own; the visit goes out when the second has.
    quality.sheet_name_qc_team(pk=sheet.pk, by=users["qc"], people=[wu])
    assert linked_of_type(QualitySheet.objects.get(pk=sheet.pk), ServiceJob) == []
    quality.sheet_name_rnd_team(pk=sheet.pk, by=users["rnd"], people=[zheng])
    sheet = QualitySheet.objects.get(pk=sheet.pk)
    jobs = linked_of_type(sheet, ServiceJob)
    assert len(jobs) == 1 and jobs[0].kind == ServiceJob.Kind.QUALITY
    job = jobs[0]
    # The bug this guards: the names used to arrive as one string and be iterated letter by letter.
    assert set(job.site_team.all()) == {wu, zheng} and job.site_team.count() == 2
    assert {t.team: t.names for t in sheet.site_teams.all()} == {"qc": "吴静", "rnd": "郑涛"}
    assert "吴静、郑涛" in job.description and "吴, 静" not in job.description
    assert (job.customer, list(job.units.all())) == (case.customer, [case.unit])


def sample_event(event_type, user):
    values = {"by": user, "people": (user,), "arrived_at": timezone.now(), "decision": "onsite"}
    return event_type(**{f.name: values.get(f.name, "x") for f in dataclasses.fields(event_type)})


@pytest.mark.parametrize("event_type", events.EVENTS)
def test_each_event_is_a_frozen_typed_dataclass(event_type):
    assert dataclasses.is_dataclass(event_type) and event_type.__dataclass_params__.frozen
    hints = typing.get_type_hints(event_type, localns={"User": User})
    assert set(hints) == {f.name for f in dataclasses.fields(event_type)} and hints["by"] is User
    event = sample_event(event_type, User(username="someone"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.by = None
    assert events.subscribers(event_type), "every event has a subscriber in the installed apps"


def test_people_and_decisions_are_not_strings_to_iterate():
    assert typing.get_type_hints(events.QualitySiteVisit, localns={"User": User})["people"] == tuple[User, ...]
    with pytest.raises(TypeError):
        events.QualitySiteVisit(sheet="ZX-1", people="吴静、郑涛", by=User())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        events.CaseDecided(case="WX-1", decision=None, by=User())  # type: ignore[arg-type]


def test_every_published_event_is_declared_in_the_core():
    assert set(events._handlers) <= set(events.EVENTS)
