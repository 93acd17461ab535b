"""The site visit of an on-site repair is a state machine: dispatch confirmed → technician on site."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from aftersales import events
from aftersales.links import link_records
from aftersales.servicedesk import handlers, services
from aftersales.servicedesk.models import ServiceCase
from aftersales.workflow import RuleViolation, TransitionRefused, is_system_actor
from tests.aftersales.factories import UnitFactory
from tests.servicedesk.factories import record_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_field_service")]
Visit = ServiceCase.Visit


def decided_onsite(users):
    case = record_case(users["clerk"])
    services.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    return services.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")


def test_it_walks_dispatch_then_arrival(users):
    case = decided_onsite(users)
    assert case.visit == Visit.NONE
    with pytest.raises(RuleViolation):
        services.case_record_arrival(pk=case.pk, by=users["clerk"])
    case = services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    assert case.visit == Visit.DISPATCHED and case.dispatch_confirmed_at is not None
    # A second confirmation would restart the arrival clock: the state machine refuses it.
    with pytest.raises(TransitionRefused):
        services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    case = services.case_record_arrival(pk=case.pk, by=users["clerk"])
    assert case.visit == Visit.ON_SITE and case.arrived_at is not None
    assert case.status == ServiceCase.Status.IN_PROGRESS
    with pytest.raises(RuleViolation):
        services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])


def test_the_job_reports_the_arrival_as_the_system_actor(users):
    case = decided_onsite(users)
    job = UnitFactory()  # stand-in for the service job
    link_records(case, job, "onsite", by=users["techdept"])
    handlers.on_job_arrived(events.JobArrived(job=job, arrived_at=timezone.now(), by=users["technician"]))
    case = ServiceCase.objects.get(pk=case.pk)
    assert case.visit == Visit.ON_SITE
    last = case.history.first()
    assert is_system_actor(last.history_user) and display_in(users["technician"], last.history_change_reason)


def display_in(user, text):
    return (user.last_name or user.username) in text


def test_the_migration_maps_the_old_timestamps_to_states(users):
    from importlib import import_module

    migration = import_module("aftersales.servicedesk.migrations.0002_case_visit_state")
    dispatched, arrived, untouched = (decided_onsite(users) for _i in range(3))
    now = timezone.now()
    ServiceCase.objects.filter(pk=dispatched.pk).update(dispatch_confirmed_at=now)
    ServiceCase.objects.filter(pk=arrived.pk).update(dispatch_confirmed_at=now, arrived_at=now)
    migration.visit_from_timestamps(apps, None)
    visits = dict(ServiceCase.objects.values_list("pk", "visit"))
    assert visits == {dispatched.pk: "dispatched", arrived.pk: "on_site", untouched.pk: "none"}


def test_an_on_site_repair_is_resolved_only_after_the_arrival(users, client_for):
    """Seed 四: the technician goes on site; the case cannot be closed out from the desk before."""
    case = decided_onsite(users)
    with pytest.raises(TransitionRefused, match="到场|arrived"):
        services.case_resolve(pk=case.pk, by=users["techdept"], text="电话里说好了")
    resolve_url = reverse("servicedesk:case-step", kwargs={"pk": case.pk, "step": "resolve"})
    page = client_for("techdept").get(case.get_absolute_url()).content.decode()
    assert resolve_url not in page, "no button for a step that would be refused"
    assert client_for("techdept").post(resolve_url, {"resolve-text": "电话里说好了"}).status_code == 409
    services.case_confirm_dispatch(pk=case.pk, by=users["clerk"])
    with pytest.raises(TransitionRefused):
        services.case_resolve(pk=case.pk, by=users["techdept"], text="还没到")
    services.case_record_arrival(pk=case.pk, by=users["clerk"])
    assert resolve_url in client_for("techdept").get(case.get_absolute_url()).content.decode()
    case = services.case_resolve(pk=case.pk, by=users["techdept"], text="更换元件")
    assert case.status == ServiceCase.Status.RESOLVED


def test_a_remote_solution_needs_no_visit(users):
    case = record_case(users["clerk"])
    services.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    services.case_decide(pk=case.pk, by=users["techdept"], decision="remote")
    assert (
        services.case_resolve(pk=case.pk, by=users["techdept"], text="电话指导").status == ServiceCase.Status.RESOLVED
    )
