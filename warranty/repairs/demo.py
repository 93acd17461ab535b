"""Demo data of repairs (idempotent): the default billing policy, one factory repair order and one
replacement waiting for the general manager's approval (售后服务管理 4.1.3.2)."""

from django.contrib.auth import get_user_model

from aftersales.models import Unit
from warranty.repairs import services
from warranty.repairs.models import FactoryRepair, RepairBillingPolicy, Replacement


def seed(stdout=None) -> None:
    RepairBillingPolicy.objects.get_or_create(customer=None, defaults={"parts_at_cost_no_labour": True})
    clerk = get_user_model().objects.filter(username="clerk").first()
    if clerk is None:
        return
    unit = Unit.objects.filter(serial_number="XD1200-2025-0102", customer__isnull=False).first()
    if unit is not None and not FactoryRepair.objects.filter(unit=unit).exists():
        order = services.factory_repair_create(
            by=clerk, unit=unit, fault_description="升温速率不稳定，客户同意返厂检修"
        )
        services.factory_repair_record_inbound(pk=order.pk, by=clerk, carrier="顺丰速运", waybill="SF1234567890")
        if stdout:
            stdout.write(f"repairs demo: factory repair order {order.number}\n")
    swap = Unit.objects.filter(serial_number="ZK1600-2023-0005", customer__isnull=False).first()
    if swap is not None and not Replacement.objects.filter(old_unit=swap).exists():
        record = services.replacement_create(
            by=clerk, unit=swap, reason="真空泵反复故障，现场无法修复，申请更换同型号新炉"
        )
        if stdout:
            stdout.write(f"repairs demo: replacement {record.number} waits for the general manager\n")
