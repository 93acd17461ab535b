"""售后部向物流人员、库房人员各提交1份《发货单》: each department acknowledges its own copy."""

import pytest
from django.urls import reverse
from django.utils import translation

from aftersales.workflow import PermissionRefused, TransitionRefused
from shipping import services
from shipping.models import Shipment
from shipping.todo import sections
from tests.shipping.factories import make_shipment

pytestmark = pytest.mark.django_db
S = Shipment.Status


def step_url(shipment, step):
    return reverse("shipping:shipment-step", kwargs={"pk": shipment.pk, "step": step})


def todo_titles(user):
    with translation.override("zh-hans"):
        return {str(section.title): section for section in sections(user)}


def test_each_department_acknowledges_its_own_copy_from_its_todo(users, client_for):
    shipment = make_shipment(users, S.COPIES_RECEIVED)
    for role, step in (("warehouse", "warehouse_copy"), ("logistics", "logistics_copy")):
        card = todo_titles(users[role])["待确认收到的发货单"]
        assert shipment.number in str(card.items)
        page = client_for(role).get(shipment.get_absolute_url()).content.decode()
        assert step_url(shipment, step) in page
        assert client_for(role).post(step_url(shipment, step)).status_code == 302
        assert "待确认收到的发货单" not in todo_titles(users[role])
    shipment = Shipment.objects.get(pk=shipment.pk)
    assert shipment.warehouse_copy_by == users["warehouse"] and shipment.warehouse_copy_at is not None
    assert shipment.logistics_copy_by == users["logistics"] and shipment.logistics_copy_at is not None
    page = client_for("clerk").get(shipment.get_absolute_url()).content.decode()
    assert "尚未确认" not in page


def test_nobody_acknowledges_another_departments_copy_or_one_not_handed_over(users, client_for):
    shipment = make_shipment(users, S.COPIES_RECEIVED)
    assert client_for("logistics").post(step_url(shipment, "warehouse_copy")).status_code == 403
    assert client_for("clerk").post(step_url(shipment, "logistics_copy")).status_code == 403
    with pytest.raises(PermissionRefused):
        services.shipment_acknowledge_copy(pk=shipment.pk, by=users["warehouse"], copy="logistics")
    early = make_shipment(users, S.NOTE_ISSUED)
    with pytest.raises(TransitionRefused):
        services.shipment_acknowledge_copy(pk=early.pk, by=users["warehouse"], copy="warehouse")
    services.shipment_acknowledge_copy(pk=shipment.pk, by=users["warehouse"], copy="warehouse")
    with pytest.raises(TransitionRefused):
        services.shipment_acknowledge_copy(pk=shipment.pk, by=users["warehouse"], copy="warehouse")
    assert client_for("warehouse").post(step_url(shipment, "warehouse_copy")).status_code == 409


def test_a_cancelled_shipment_waits_for_no_copy(users):
    shipment = make_shipment(users, S.COPIES_RECEIVED)
    services.shipment_cancel(pk=shipment.pk, by=users["sales"], reason="客户取消")
    assert "待确认收到的发货单" not in todo_titles(users["warehouse"])
