"""Demo shipments: a confirmed payment and shipments at different steps, from the stock units."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.models import Customer, ProductModel
from shipping import services
from shipping.models import Payment
from shipping.serials import SerialEntry

MARKER = "DEMO-HK-2026-001"


def seed(stdout=None) -> None:
    """Idempotent: the demo payment's bank reference marks that the demo shipments exist."""
    if Payment.objects.filter(reference=MARKER).exists():
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["sales", "finance", "clerk", "warehouse", "logistics"])
    }
    if len(users) < 5:
        return
    today = timezone.localdate()
    xd, tga = ProductModel.objects.get(code="XD-1200"), ProductModel.objects.get(code="TGA-800")
    sales, finance, clerk, logistics = users["sales"], users["finance"], users["clerk"], users["logistics"]
    warehouse = users["warehouse"]

    def pay(code, amount, days_ago, reference):
        return services.payment_record(
            customer=Customer.objects.get(code=code),
            amount=Decimal(amount),
            received_on=today - timedelta(days=days_ago),
            reference=reference,
            by=finance,
            confirm=True,
        )

    def file(payment, lines, days):
        return services.shipment_file(
            payment=payment,
            site=payment.customer.sites.first(),
            lines=[services.RequestedLine(pm, qty) for pm, qty in lines],
            requested_ship_date=today + timedelta(days=days),
            contact_name=payment.customer.contacts.first().name,
            contact_phone=payment.customer.contacts.first().mobile,
            by=sales,
        )

    def ship(shipment, serials, days_ago):
        services.shipment_issue_delivery_note(pk=shipment.pk, by=finance)
        services.shipment_receive_copies(pk=shipment.pk, by=clerk)
        services.shipment_acknowledge_copy(pk=shipment.pk, by=warehouse, copy="warehouse")
        services.shipment_acknowledge_copy(pk=shipment.pk, by=logistics, copy="logistics")
        services.shipment_dispatch(
            pk=shipment.pk,
            by=clerk,
            entries=[SerialEntry(serial=s) for s in serials],
            ship_date=today - timedelta(days=days_ago),
        )

    # 1. In transit and past its expected arrival: shows as overdue on the list and 待办.
    overdue = file(pay("C001", "256000.00", 12, MARKER), [(xd, 2)], -8)
    ship(overdue, ["XD1200-2026-0201", "XD1200-2026-0202"], 7)
    services.shipment_return_waybill(
        pk=overdue.pk,
        by=logistics,
        carrier="德邦物流",
        waybill_number="DB8812345670",
        expected_arrival=today - timedelta(days=2),
    )
    services.tracking_note_add(
        pk=overdue.pk, by=clerk, noted_on=today - timedelta(days=1), text="德邦查询：货物已到株洲转运中心，待派送。"
    )
    # 2. Received by the customer: the thermogravimetric analyser waits for installation.
    received = file(pay("C004", "168000.00", 20, "DEMO-HK-2026-002"), [(tga, 1)], -15)
    ship(received, ["TGA800-2026-0301"], 14)
    services.shipment_return_waybill(
        pk=received.pk,
        by=logistics,
        carrier="顺丰速运",
        waybill_number="SF1400 2233 8890",
        expected_arrival=today - timedelta(days=11),
    )
    services.shipment_record_arrival(pk=received.pk, by=clerk, arrived_on=today - timedelta(days=11))
    services.shipment_confirm_receipt(
        pk=received.pk,
        by=clerk,
        confirmed_by="何志强",
        method="phone",
        confirmed_at=timezone.now() - timedelta(days=10),
    )
    # 3. Just filed: finance is to issue the delivery note. The payment also covers a later request.
    file(pay("C003", "380000.00", 2, "DEMO-HK-2026-003"), [(xd, 1), (tga, 1)], 5)
    if stdout:
        stdout.write("shipping demo: 3 payments, 3 shipments (overdue, received/待安装, requested)\n")
