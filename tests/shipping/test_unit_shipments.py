"""Repair returns and replacements ride the shipping chain without a payment, carrying one unit by serial."""

import pytest
from django.db import IntegrityError, transaction

from aftersales.events import ShipmentReceived, subscribers
from aftersales.workflow import RuleViolation
from shipping import services
from shipping.models import Shipment
from shipping.serials import SerialEntry
from tests.aftersales.factories import UnitFactory

pytestmark = pytest.mark.django_db


def test_unit_shipment_needs_no_payment_and_carries_its_unit(users):
    unit = UnitFactory()
    shipment = services.shipment_file_for_unit(
        unit=unit, kind="repair_return", site=unit.site, contact_name="王", contact_phone="1", by=users["clerk"]
    )
    assert shipment.payment is None and list(shipment.units) == [unit]
    assert shipment.lines.get().product_model == unit.product_model
    services.shipment_issue_delivery_note(pk=shipment.pk, by=users["finance"])
    services.shipment_receive_copies(pk=shipment.pk, by=users["clerk"])
    with pytest.raises(RuleViolation):
        services.shipment_dispatch(
            pk=shipment.pk, by=users["warehouse"], entries=[SerialEntry(serial="OTHER")], ship_date=unit.ship_date
        )
    shipment = services.shipment_dispatch(
        pk=shipment.pk,
        by=users["warehouse"],
        entries=[SerialEntry(serial=unit.serial_number)],
        ship_date=unit.ship_date,
    )
    assert shipment.status == Shipment.Status.DISPATCHED and not shipment.shipped_units.exists()
    assert subscribers(ShipmentReceived)  # the repair order's handler listens


def test_sale_kind_refused_and_sale_without_payment_refused_by_the_database(users):
    unit = UnitFactory()
    with pytest.raises(RuleViolation):
        services.shipment_file_for_unit(
            unit=unit, kind="sale", site=unit.site, contact_name="王", contact_phone="1", by=users["clerk"]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Shipment.objects.create(
            customer=unit.customer,
            site=unit.site,
            contact_name="x",
            contact_phone="1",
            requested_ship_date=unit.ship_date,
        )


def test_the_quick_entry_accepts_the_repaired_unit_going_back(users, client_for):
    """At dispatch the repaired unit is at its customer (not in stock) — and it is the one to ship."""
    from django.urls import reverse

    unit = UnitFactory()
    shipment = services.shipment_file_for_unit(
        unit=unit, kind="repair_return", site=unit.site, contact_name="王", contact_phone="1", by=users["clerk"]
    )
    url = reverse("shipping:shipment-serial-check", args=[shipment.pk])
    answer = client_for("warehouse").post(url, {"serials": unit.serial_number}).json()
    assert answer["ok"] is True and answer["differences"] == []
    assert unit.product_model.code in answer["items"][0]["message"]
    other = UnitFactory()  # another customer's unit is still refused
    refused = client_for("warehouse").post(url, {"serials": other.serial_number}).json()
    assert refused["ok"] is False


def test_a_shipment_without_payment_shows_no_empty_payment_line(users, client_for):
    unit = UnitFactory()
    shipment = services.shipment_file_for_unit(
        unit=unit, kind="repair_return", site=unit.site, contact_name="王", contact_phone="1", by=users["clerk"]
    )
    page = client_for("clerk").get(shipment.get_absolute_url()).content.decode()
    assert "货款到账" not in page and "¥ ·" not in page
    assert unit.serial_number in page
