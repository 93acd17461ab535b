"""The back office has no door into a repair's steps: the records are read-only there."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.repairs.factories import order_in
from warranty.repairs.models import FactoryRepair

pytestmark = pytest.mark.django_db


def test_a_repair_step_posted_in_the_admin_is_refused(client, users):
    order = order_in("received", users)
    qc = users["qc"]
    qc.is_staff = True
    qc.save()
    qc.user_permissions.add(*Permission.objects.filter(codename__in=["view_factoryrepair", "change_factoryrepair"]))
    client.force_login(qc)
    url = reverse("admin:repairs_factoryrepair_change", args=[order.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"_fsm_transition_to": "diagnose", "findings": "改"})
    assert response.status_code == 403
    assert FactoryRepair.objects.get(pk=order.pk).status == FactoryRepair.Status.RECEIVED


def test_closing_on_receipt_is_the_system_actors_step(users):
    from aftersales.workflow import is_system_actor
    from shipping.models import Shipment
    from tests.repairs.factories import deliver

    order = order_in("shipped", users)
    deliver(Shipment.objects.get(pk=order.return_shipment_id), users)
    order = FactoryRepair.objects.get(pk=order.pk)
    assert order.status == FactoryRepair.Status.CLOSED
    last = order.history.first()
    assert is_system_actor(last.history_user) and "clerk" in last.history_change_reason
