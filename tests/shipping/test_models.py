from datetime import timedelta

import pytest
from django.utils import timezone

from shipping.models import Shipment
from tests.aftersales.factories import ProductModelFactory
from tests.shipping.factories import make_shipment

pytestmark = pytest.mark.django_db
S = Shipment.Status


def test_shipment_exposes_the_event_contract(users):
    shipment = make_shipment(users, S.DISPATCHED, lines=[(ProductModelFactory(), 2)])
    assert shipment.number.startswith("FH-")
    assert shipment.get_absolute_url() == f"/shipping/{shipment.pk}/"
    assert shipment.units.count() == 2
    assert {u.customer_id for u in shipment.units} == {shipment.customer_id}
    assert shipment.units.filter(product_model__needs_installation=True).exists()
    assert shipment.contact_name and shipment.contact_phone and shipment.site.customer == shipment.customer


def test_status_is_protected(users):
    shipment = make_shipment(users)
    with pytest.raises(AttributeError):
        shipment.status = S.RECEIVED


def test_overdue_only_in_transit_past_expected_date(users):
    shipment = make_shipment(users, S.IN_TRANSIT, expected_arrival=timezone.localdate() - timedelta(days=1))
    assert shipment.is_overdue
    shipment.expected_arrival = timezone.localdate()
    assert not shipment.is_overdue


def test_cancellable_only_before_dispatch(users):
    assert make_shipment(users, S.COPIES_RECEIVED).is_cancellable
    assert not make_shipment(users, S.DISPATCHED).is_cancellable
