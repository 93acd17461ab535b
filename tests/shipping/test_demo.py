import pytest
from django.urls import reverse

from aftersales import events
from aftersales.demo import seed
from aftersales.models import Unit
from shipping.models import Payment, Shipment

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_uses_stock_units(monkeypatch, reference_data):
    monkeypatch.setattr(events, "_handlers", events.defaultdict(list))
    seed()
    seed()
    assert Shipment.objects.count() == 3
    assert Payment.objects.filter(status=Payment.Status.CONFIRMED).count() == 3
    statuses = set(Shipment.objects.values_list("status", flat=True))
    assert statuses == {Shipment.Status.IN_TRANSIT, Shipment.Status.RECEIVED, Shipment.Status.REQUESTED}
    late = Shipment.objects.get(status=Shipment.Status.IN_TRANSIT)
    assert late.is_overdue
    assert set(late.units.values_list("serial_number", flat=True)) == {"XD1200-2026-0201", "XD1200-2026-0202"}
    assert Unit.objects.get(serial_number="XD1200-2026-0201").customer == late.customer
    # Stock is left for a trial run of the chain.
    assert Unit.objects.filter(serial_number__startswith="XD1200-2026-02", customer__isnull=True).count() == 4


def test_admin_pages_load(admin_client, users):
    from tests.shipping.factories import make_shipment

    shipment = make_shipment(users)
    assert admin_client.get(reverse("admin:shipping_shipment_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:shipping_shipment_change", args=[shipment.pk])).status_code == 200
    assert admin_client.get(reverse("admin:shipping_payment_changelist")).status_code == 200
