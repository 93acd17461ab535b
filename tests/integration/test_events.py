"""The workflows start each other's records through events (aftersales.events); these tests
run the real services of both sides, end to end."""

import pytest
from django.utils import timezone

from aftersales.links import linked_of_type
from aftersales.servicedesk import services as desk
from aftersales.servicedesk.models import ServiceCase
from aftersales.servicedesk.models.sla import ClockKind
from fieldservice import services as field
from fieldservice.models import ServiceJob
from shipping import services as ship
from shipping.models import Shipment
from tests.aftersales.factories import ProductModelFactory
from tests.fieldservice.factories import customer_signed_form
from tests.servicedesk.factories import record_case
from tests.shipping.factories import make_shipment
from warranty import services as quality
from warranty.models import QualitySheet

pytestmark = pytest.mark.django_db


def test_receipt_confirmed_opens_the_installation_job(users):
    shipment = make_shipment(users, Shipment.Status.RECEIVED, lines=[(ProductModelFactory(needs_installation=True), 2)])
    jobs = linked_of_type(shipment, ServiceJob)
    assert len(jobs) == 1
    job = jobs[0]
    assert job.kind == ServiceJob.Kind.INSTALLATION
    assert set(job.units.values_list("pk", flat=True)) == set(shipment.units.values_list("pk", flat=True))
    assert job.customer == shipment.customer
    assert not Shipment.objects.get(pk=shipment.pk).installation_pending, "the job replaces 待安装"


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
    assert cases[0].customer == shipment.customer
    assert "缺少热电偶两支" in cases[0].fault_description


def onsite_case(users):
    case = record_case(users["clerk"])
    desk.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    desk.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    return ServiceCase.objects.get(pk=case.pk)


def test_onsite_decision_opens_a_repair_job_linked_to_the_case(users):
    case = onsite_case(users)
    jobs = linked_of_type(case, ServiceJob)
    assert len(jobs) == 1 and jobs[0].kind == ServiceJob.Kind.REPAIR
    assert list(jobs[0].units.all()) == [case.unit]


def bring_job_on_site(users, job):
    """Approval, dispatch and the trip through the real services, then arrival on site."""
    today = timezone.localdate()
    field.job_schedule(pk=job.pk, by=users["clerk"], agreed_date=today)
    req = field.support_request_create(
        job=job, by=users["sales"], purpose="上门维修", proposed_start=today, proposed_end=today, estimated_cost=1000
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


def test_technician_arrival_stops_the_cases_arrival_clock(users):
    case = onsite_case(users)
    desk.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    bring_job_on_site(users, linked_of_type(case, ServiceJob)[0])
    clock = ServiceCase.objects.get(pk=case.pk).clocks.get(kind=ClockKind.ARRIVAL)
    assert clock.stopped_at is not None and clock.met is True


def test_customer_signing_form_a_resolves_the_linked_case(users):
    case = onsite_case(users)
    job = bring_job_on_site(users, linked_of_type(case, ServiceJob)[0])
    customer_signed_form(users, job=job)
    case = ServiceCase.objects.get(pk=case.pk)
    assert case.status == ServiceCase.Status.RESOLVED
    assert case.clocks.get(kind=ClockKind.RESOLUTION).stopped_at is not None


def test_claim_decision_opens_a_quality_information_sheet(users):
    case = record_case(users["clerk"])
    desk.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    desk.case_decide(pk=case.pk, by=users["techdept"], decision="claim")
    sheets = linked_of_type(case, QualitySheet)
    assert len(sheets) == 1 and sheets[0].unit == case.unit


def test_major_quality_problem_sends_people_on_site_with_a_job(users):
    case = record_case(users["clerk"])
    sheet = quality.sheet_create(
        by=users["clerk"], customer=case.customer, unit=case.unit, description="批量炉管开裂", is_major=True
    )
    quality.sheet_send(pk=sheet.pk, by=users["clerk"], first_answer="已安排品质中心跟进")
    quality.sheet_name_site_team(pk=sheet.pk, by=users["qc"], people="吴静、郑涛")
    jobs = linked_of_type(QualitySheet.objects.get(pk=sheet.pk), ServiceJob)
    assert len(jobs) == 1 and jobs[0].kind == ServiceJob.Kind.QUALITY
