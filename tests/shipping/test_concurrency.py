"""Two people recording the same new serial at the same moment (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from aftersales.models import Unit
from aftersales.workflow import WorkflowError
from shipping import services
from shipping.models import ShippedUnit
from shipping.serials import SerialEntry
from tests.aftersales.factories import ProductModelFactory
from tests.shipping.factories import make_shipment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("stock", [True, False], ids=["stock unit", "new serial"])
def test_same_serial_on_two_shipments_at_once(users, stock):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")
    pm = ProductModelFactory()
    if stock:
        Unit.objects.create(serial_number="RACE-1", product_model=pm, production_date=timezone.localdate())
    first = make_shipment(users, "copies_received", lines=[(pm, 1)])
    second = make_shipment(users, "copies_received", lines=[(pm, 1)])
    barrier = threading.Barrier(2)
    outcomes: list = []

    def run(shipment):
        try:
            barrier.wait()
            services.shipment_dispatch(
                pk=shipment.pk,
                by=users["clerk"],
                entries=[SerialEntry("RACE-1")],
                ship_date=timezone.localdate(),
                default_production_date=timezone.localdate(),
            )
            outcomes.append("ok")
        except WorkflowError as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(s,)) for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok"
    assert outcomes.count("ok") == 1, outcomes
    assert "RACE-1" in next(o for o in outcomes if o != "ok")
    assert ShippedUnit.objects.filter(unit__serial_number="RACE-1").count() == 1
