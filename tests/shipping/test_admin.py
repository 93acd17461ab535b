"""The back office cannot skip a shipping rule: steps only through the services, records
read-only once under way."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from shipping.models import Shipment
from tests.aftersales.factories import CustomerFactory
from tests.shipping.factories import make_shipment

pytestmark = pytest.mark.django_db


def staff(user, *codenames):
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return type(user).objects.get(pk=user.pk)  # fresh permission cache


def change_url(shipment):
    return reverse("admin:shipping_shipment_change", args=[shipment.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_it_runs_an_opted_in_step_through_the_service(client, users):
    shipment = make_shipment(users)
    client.force_login(staff(users["finance"]))
    page = client.get(change_url(shipment))
    assert b'value="issue_delivery_note"' in page.content
    client.post(change_url(shipment), {"_fsm_transition_to": "issue_delivery_note"})
    shipment.refresh_from_db()
    assert shipment.status == Shipment.Status.NOTE_ISSUED
    # The service drew the delivery note number in the same transaction.
    assert shipment.delivery_note_number.startswith("FD")
    assert shipment.history.first().history_user == users["finance"]


def test_it_neither_shows_nor_accepts_a_step_that_is_not_opted_in(client, users):
    shipment = make_shipment(users, Shipment.Status.COPIES_RECEIVED)
    client.force_login(staff(users["clerk"]))
    page = client.get(change_url(shipment))
    assert b'value="dispatch"' not in page.content
    response = client.post(change_url(shipment), {"_fsm_transition_to": "dispatch"}, follow=True)
    assert Shipment.objects.get(pk=shipment.pk).status == Shipment.Status.COPIES_RECEIVED
    assert any("后台" in m or "back office" in m for m in messages_of(response))
    # Nor through the transition form URL.
    url = reverse("admin:shipping_shipment_transition", args=[shipment.pk, "dispatch"])
    client.post(url, {"ship_date": "2026-01-01"})
    assert Shipment.objects.get(pk=shipment.pk).status == Shipment.Status.COPIES_RECEIVED


def test_it_refuses_a_step_to_the_wrong_role(client, users):
    shipment = make_shipment(users)
    client.force_login(staff(users["clerk"]))
    response = client.post(change_url(shipment), {"_fsm_transition_to": "issue_delivery_note"}, follow=True)
    assert Shipment.objects.get(pk=shipment.pk).status == Shipment.Status.REQUESTED
    assert any("角色" in m or "role may not" in m for m in messages_of(response))


def test_a_dispatched_shipment_is_read_only(client, users):
    shipment = make_shipment(users, Shipment.Status.DISPATCHED)
    editor = staff(users["clerk"], "change_shipment")
    client.force_login(editor)
    page = client.get(change_url(shipment))
    assert page.status_code == 200 and b'name="customer"' not in page.content
    other = CustomerFactory()
    response = client.post(change_url(shipment), {"customer": other.pk, "site": "", "payment": ""})
    assert response.status_code == 403
    assert Shipment.objects.get(pk=shipment.pk).customer_id == shipment.customer_id
    # While still a request the same user may correct it: the refusal comes from the state.
    assert b'name="customer"' in client.get(change_url(make_shipment(users))).content


def test_history_cannot_be_posted_back(client, users):
    shipment = make_shipment(users, Shipment.Status.NOTE_ISSUED)
    client.force_login(staff(users["clerk"], "change_shipment"))
    version = shipment.history.last()
    url = reverse("admin:shipping_shipment_simple_history", args=[shipment.pk, version.history_id])
    assert client.post(url, {"customer": shipment.customer_id}).status_code == 403
    assert Shipment.objects.get(pk=shipment.pk).status == Shipment.Status.NOTE_ISSUED
