"""待安装 is a state of the shipment's installation, left when a job opens or the installation is recorded."""

import pytest
from django.db import transaction
from django.urls import reverse

from aftersales import events
from aftersales.workflow import PermissionRefused, TransitionRefused, is_system_actor, perform_transition
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
    shipment = services.shipment_record_installation(pk=shipment.pk, by=users["clerk"], note="客户自行安装 12月1日")
    assert shipment.installation == Installation.INSTALLED and not shipment.installation_pending
    assert shipment.history.first().history_user == users["clerk"]
    assert "客户自行安装 12月1日" in shipment.history.first().history_change_reason
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


def test_the_clerk_records_the_installation_from_the_shipment_page(users, nobody_listening, client):
    shipment = received(users)
    url = reverse("shipping:shipment-step", kwargs={"pk": shipment.pk, "step": "installation"})
    client.force_login(users["clerk"])
    page = client.get(shipment.get_absolute_url()).content.decode()
    assert url in page
    assert client.post(url, {"installation-note": ""}).status_code == 400  # who and when are asked
    response = client.post(url, {"installation-note": "外包安装队 李师傅"})
    assert response.status_code == 302
    assert Shipment.objects.get(pk=shipment.pk).installation == Installation.INSTALLED
    assert url not in client.get(shipment.get_absolute_url()).content.decode()
    assert client.post(url, {"installation-note": "again"}).status_code == 409


def test_the_warehouse_may_not_record_the_installation(users, nobody_listening, client):
    shipment = received(users)
    url = reverse("shipping:shipment-step", kwargs={"pk": shipment.pk, "step": "installation"})
    client.force_login(users["warehouse"])
    assert url not in client.get(shipment.get_absolute_url()).content.decode()
    assert client.post(url, {"installation-note": "x"}).status_code == 403
    assert Shipment.objects.get(pk=shipment.pk).installation == Installation.PENDING


def test_only_the_system_records_an_installation_done_by_a_job(users, nobody_listening):
    events.subscribe(events.ShipmentReceived, lambda event: UnitFactory())
    shipment = received(users)
    with pytest.raises(PermissionRefused), transaction.atomic():
        perform_transition(
            Shipment.objects.select_for_update().get(pk=shipment.pk), "installed_by_job", by=users["clerk"]
        )
