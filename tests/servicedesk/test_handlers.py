"""Event handlers of the service desk, called directly with stand-ins built on foundation models."""

import pytest
from django.utils import timezone

from aftersales import events
from aftersales.links import link_records, linked_of_type
from aftersales.servicedesk import handlers, services
from aftersales.servicedesk.models import ServiceCase, SlaClock
from tests.aftersales.factories import UnitFactory
from tests.servicedesk.factories import record_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_field_service")]


def test_handlers_are_subscribed():
    assert handlers.on_shipment_missing_parts in events.subscribers(events.ShipmentMissingParts)
    assert handlers.on_job_arrived in events.subscribers(events.JobArrived)
    assert handlers.on_job_completed in events.subscribers(events.JobCompleted)


def test_missing_parts_open_a_free_supply_case_linked_to_the_shipment(users):
    shipment = UnitFactory()  # stand-in: a record with .customer and .site
    shipment.number, shipment.contact_name, shipment.contact_phone = "FH-20261128-0001", "赵工", "13900000000"
    case = handlers.on_shipment_missing_parts(
        events.ShipmentMissingParts(shipment=shipment, description="缺少热电偶2支", by=users["clerk"])
    )
    assert isinstance(case, ServiceCase)
    assert case.free_supply and case.customer == shipment.customer and case.caller_phone == "13900000000"
    assert "缺少热电偶2支" in case.fault_description and "FH-20261128-0001" in case.fault_description
    assert linked_of_type(shipment, ServiceCase, kind="missing_parts") == [case]


def onsite_case(users):
    case = record_case(users["clerk"])
    services.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    return case


def test_job_arrived_stops_the_arrival_clock_of_linked_cases(users):
    case = onsite_case(users)
    unlinked = onsite_case(users)
    job = UnitFactory()  # stand-in for the service job
    link_records(case, job, "onsite", by=users["techdept"])
    arrived = timezone.now()
    assert handlers.on_job_arrived(events.JobArrived(job=job, arrived_at=arrived, by=users["technician"])) is None
    clock = SlaClock.objects.get(case=case, kind="arrival")
    assert clock.stopped_at == arrived and clock.met is True
    assert ServiceCase.objects.get(pk=case.pk).arrived_at == arrived
    assert SlaClock.objects.get(case=unlinked, kind="arrival").stopped_at is None


def test_job_completed_resolves_linked_cases_still_being_handled(users):
    case = onsite_case(users)
    job = UnitFactory()
    job.number = "FW-1"
    link_records(case, job, "onsite")
    handlers.on_job_completed(events.JobCompleted(job=job, by=users["technician"]))
    case = ServiceCase.objects.get(pk=case.pk)
    assert case.status == ServiceCase.Status.RESOLVED and "FW-1" in case.resolution
    assert SlaClock.objects.get(case=case, kind="resolution").stopped_at is not None
    handlers.on_job_completed(events.JobCompleted(job=job, by=users["technician"]))  # a second report changes nothing
    assert ServiceCase.objects.get(pk=case.pk).status == ServiceCase.Status.RESOLVED
