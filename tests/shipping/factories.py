"""Shipping test data: payments, and shipments driven through the real services to any step."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from shipping import services
from shipping.models import Payment, Shipment
from shipping.serials import SerialEntry
from tests.aftersales.factories import CustomerFactory, ProductModelFactory, SiteFactory, UnitFactory


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    customer = factory.SubFactory(CustomerFactory)
    amount = Decimal("120000.00")
    received_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=3))
    reference = factory.Sequence(lambda n: f"HK-{n:06d}")
    status = Payment.Status.CONFIRMED


def stock_units(product_model, count: int, prefix: str = "STK"):
    """Units in stock: no customer, no site, produced a month ago."""
    start = UnitFactory._meta.model.objects.count()
    return [
        UnitFactory(
            serial_number=f"{prefix}-{start + i:05d}",
            product_model=product_model,
            customer=None,
            site=None,
            ship_date=None,
            production_date=timezone.localdate() - timedelta(days=30),
        )
        for i in range(count)
    ]


ORDER = [
    Shipment.Status.REQUESTED,
    Shipment.Status.NOTE_ISSUED,
    Shipment.Status.COPIES_RECEIVED,
    Shipment.Status.DISPATCHED,
    Shipment.Status.IN_TRANSIT,
    Shipment.Status.ARRIVED,
    Shipment.Status.RECEIVED,
]


def make_shipment(users, status=Shipment.Status.REQUESTED, *, lines=None, payment=None, expected_arrival=None):
    """A shipment at `status`, every step done by the role the seed names."""
    payment = payment or PaymentFactory()
    site = SiteFactory(customer=payment.customer)
    if lines is None:
        lines = [(ProductModelFactory(), 2)]
    shipment = services.shipment_file(
        payment=payment,
        site=site,
        lines=[services.RequestedLine(pm, qty) for pm, qty in lines],
        requested_ship_date=timezone.localdate() + timedelta(days=3),
        contact_name="黄建华",
        contact_phone="13807331001",
        by=users["sales"],
    )
    target = ORDER.index(status) if status in ORDER else None
    if status == Shipment.Status.CANCELLED:
        return services.shipment_cancel(pk=shipment.pk, by=users["sales"], reason="客户推迟")
    today = timezone.localdate()
    steps = [
        lambda: services.shipment_issue_delivery_note(pk=shipment.pk, by=users["finance"]),
        lambda: services.shipment_receive_copies(pk=shipment.pk, by=users["clerk"]),
        lambda: services.shipment_dispatch(
            pk=shipment.pk,
            by=users["clerk"],
            entries=[
                SerialEntry(serial=u.serial_number)
                for pm, qty in lines
                for u in stock_units(pm, qty, prefix=f"S{shipment.pk}-{pm.pk}")
            ],
            ship_date=today - timedelta(days=4),
        ),
        lambda: services.shipment_return_waybill(
            pk=shipment.pk,
            by=users["logistics"],
            carrier="德邦物流",
            waybill_number=f"DB{shipment.pk:08d}",
            expected_arrival=expected_arrival or today + timedelta(days=2),
        ),
        lambda: services.shipment_record_arrival(pk=shipment.pk, by=users["clerk"], arrived_on=today),
        lambda: services.shipment_confirm_receipt(
            pk=shipment.pk, by=users["clerk"], confirmed_by="黄建华", method="phone"
        ),
    ]
    for index, step in enumerate(steps[:target]):
        if ORDER[index + 1] == Shipment.Status.DISPATCHED:
            # The warehouse and logistics hold their copies of the 发货单 before the units leave.
            services.shipment_acknowledge_copy(pk=shipment.pk, by=users["warehouse"], copy="warehouse")
            services.shipment_acknowledge_copy(pk=shipment.pk, by=users["logistics"], copy="logistics")
        step()
    return Shipment.objects.get(pk=shipment.pk)
