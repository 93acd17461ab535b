"""Demo data of repairs (idempotent): the default billing policy and one factory repair order."""

from django.contrib.auth import get_user_model

from aftersales.models import Unit
from warranty.repairs import services
from warranty.repairs.models import FactoryRepair, RepairBillingPolicy


def seed(stdout=None) -> None:
    RepairBillingPolicy.objects.get_or_create(customer=None, defaults={"parts_at_cost_no_labour": True})
    clerk = get_user_model().objects.filter(username="clerk").first()
    unit = Unit.objects.filter(serial_number="XD1200-2025-0102", customer__isnull=False).first()
    if clerk is None or unit is None or FactoryRepair.objects.filter(unit=unit).exists():
        return
    order = services.factory_repair_create(by=clerk, unit=unit, fault_description="升温速率不稳定，客户同意返厂检修")
    services.factory_repair_record_inbound(pk=order.pk, by=clerk, carrier="顺丰速运", waybill="SF1234567890")
    if stdout:
        stdout.write(f"repairs demo: factory repair order {order.number}\n")
