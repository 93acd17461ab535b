"""待安装 is a state of the shipment's installation, left when a job opens or the installation is recorded."""

import pytest

from aftersales import events
from aftersales.workflow import PermissionRefused, TransitionRefused, is_system_actor
from shipping import services
from shipping.models import Shipment
from tests.aftersales.factories import ProductModelFactory, UnitFactory
from tests.shipping.factories import make_shipment

pytestmark = pytest.mark.django_db
Installation = Shipment.Installation


@pytest.fixture
def nobody_listening(monkeypatch):
    monkeypatch.setattr(events, "_handlers", events.defaultdict(list))


def received(users, needs_installation=True):
    return make_shipment(
        users, Shipment.Status.RECEIVED, lines=[(ProductModelFactory(needs_installation=needs_installation), 1)]
    )


def test_without_a_job_it_waits_then_the_installation_is_recorded(users, nobody_listening):
    shipment = received(users)
    assert shipment.installation == Installation.PENDING and shipment.installation_pending
    assert is_system_actor(shipment.history.first().history_user)
    with pytest.raises(PermissionRefused):
        services.shipment_record_installation(pk=shipment.pk, by=users["warehouse"])
    shipment = services.shipment_record_installation(pk=shipment.pk, by=users["clerk"])
    assert shipment.installation == Installation.INSTALLED and not shipment.installation_pending
    assert shipment.history.first().history_user == users["clerk"]
    with pytest.raises(TransitionRefused):
        services.shipment_record_installation(pk=shipment.pk, by=users["clerk"])


def test_units_without_installation_do_not_wait(users, nobody_listening):
    assert received(users, needs_installation=False).installation == Installation.NONE


def test_an_opened_job_takes_the_place_of_the_wait(users, nobody_listening):
    events.subscribe(events.ShipmentReceived, lambda event: UnitFactory())  # stands in for the job
    shipment = received(users)
    assert shipment.installation == Installation.JOB_OPENED
    with pytest.raises(TransitionRefused):
        services.shipment_record_installation(pk=shipment.pk, by=users["clerk"])


def test_the_clerks_todo_lists_only_the_waiting(users, nobody_listening):
    from shipping.todo import sections

    waiting, done = received(users), received(users)
    services.shipment_record_installation(pk=done.pk, by=users["clerk"])
    section = next(s for s in sections(users["clerk"]) if s.order == 25)
    assert section.count == 1 and waiting.number in str(section.items)
