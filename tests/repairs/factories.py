"""Builders for repairs, walking the real services so every step is a real transition."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from aftersales.servicedesk import services as desk
from aftersales.servicedesk.models import ServiceCase
from shipping import services as shipping
from shipping.serials import SerialEntry
from tests.aftersales.factories import ComponentFactory, UnitFactory
from tests.servicedesk.factories import DefectCodeFactory
from warranty.repairs import services
from warranty.repairs.models import FactoryRepair


def repair_unit(**kwargs):
    """A unit accepted 6 months ago: heater (12 months, ¥300) and shell (240 months, ¥2000)."""
    unit = UnitFactory(acceptance_date=timezone.localdate() - timedelta(days=180), **kwargs)
    heat = ComponentFactory(product_model=unit.product_model, code="HEAT", name="加热元件", unit_cost=Decimal("300"))
    shell = ComponentFactory(
        product_model=unit.product_model, code="SHELL", name="炉壳", warranty_months=240, unit_cost=Decimal("2000")
    )
    return unit, heat, shell


def decided_case(users, decision: str, unit) -> ServiceCase:
    """A case the technical department decided (publishes case.decided → our handler)."""
    case = desk.case_record(by=users["clerk"], customer=unit.customer, unit=unit, fault_description="炉温升不上去")
    desk.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    desk.case_decide(pk=case.pk, by=users["techdept"], decision=decision)
    return ServiceCase.objects.get(pk=case.pk)


STEPS = ["inbound", "received", "diagnosed", "repaired", "tested", "shipped"]


def order_in(state: str, users, *, covered: bool = True, unit=None, component=None) -> FactoryRepair:
    """A factory repair order moved to `state`; a paid one (covered=False) passes the fee gate on the way."""
    if unit is None:
        unit, component, _shell = repair_unit()
    order = services.factory_repair_create(by=users["clerk"], unit=unit, fault_description="升温慢")
    if state == "awaiting":
        return order
    services.factory_repair_record_inbound(pk=order.pk, by=users["logistics"], carrier="顺丰", waybill="SF001")
    if state == "inbound":
        return FactoryRepair.objects.get(pk=order.pk)
    services.factory_repair_receive(pk=order.pk, by=users["warehouse"], condition="外观完好", accessories="电源线")
    if state == "received":
        return FactoryRepair.objects.get(pk=order.pk)
    services.factory_repair_diagnose(
        pk=order.pk,
        by=users["qc"],
        findings="加热元件断路",
        component=component or unit.product_model.components.first(),
        defect_code=DefectCodeFactory(),
        covered=covered,
    )
    if state == "diagnosed":
        return FactoryRepair.objects.get(pk=order.pk)
    if not covered:
        services.factory_repair_quote_fee(pk=order.pk, by=users["finance"])
        if state == "quoted":
            return FactoryRepair.objects.get(pk=order.pk)
        services.factory_repair_accept_fee(pk=order.pk, by=users["clerk"], accepted_by="王经理", how="phone")
        if state == "accepted":
            return FactoryRepair.objects.get(pk=order.pk)
    services.factory_repair_repair(pk=order.pk, by=users["qc"], work_done="更换加热元件", hours=Decimal("2"))
    if state == "repaired":
        return FactoryRepair.objects.get(pk=order.pk)
    services.factory_repair_pass_test(pk=order.pk, by=users["qc"], notes="升温至1200℃正常")
    if state == "tested":
        return FactoryRepair.objects.get(pk=order.pk)
    services.factory_repair_ship_back(
        pk=order.pk, by=users["clerk"], contact_name="王经理", contact_phone="13800000000"
    )
    return FactoryRepair.objects.get(pk=order.pk)


def deliver(shipment, users):
    """Walk a unit-carrying shipment through the shipping chain to the customer's receipt."""
    today = timezone.localdate()
    shipping.shipment_issue_delivery_note(pk=shipment.pk, by=users["finance"])
    shipping.shipment_receive_copies(pk=shipment.pk, by=users["clerk"])
    unit = shipment.carried_unit
    shipping.shipment_dispatch(
        pk=shipment.pk, by=users["warehouse"], entries=[SerialEntry(serial=unit.serial_number)], ship_date=today
    )
    shipping.shipment_return_waybill(
        pk=shipment.pk, by=users["logistics"], carrier="德邦", waybill_number="DB42", expected_arrival=today
    )
    shipping.shipment_record_arrival(pk=shipment.pk, by=users["clerk"], arrived_on=today)
    return shipping.shipment_confirm_receipt(pk=shipment.pk, by=users["clerk"], confirmed_by="王经理", method="phone")


def closed_factory_repair(users, unit, component, defect, *, order=None) -> FactoryRepair:
    """A factory repair walked to its close: QC's findings name the component and the defect."""
    if order is None:
        order = services.factory_repair_create(by=users["clerk"], unit=unit, fault_description="温控失灵")
    services.factory_repair_receive(pk=order.pk, by=users["warehouse"], condition="完好", accessories="")
    services.factory_repair_diagnose(
        pk=order.pk, by=users["qc"], findings="温控仪表损坏", component=component, defect_code=defect, covered=True
    )
    services.factory_repair_repair(pk=order.pk, by=users["qc"], work_done="更换温控仪表", hours=2)
    services.factory_repair_pass_test(pk=order.pk, by=users["qc"], notes="正常")
    shipped = services.factory_repair_ship_back(pk=order.pk, by=users["clerk"], contact_name="王", contact_phone="1")
    deliver(shipped.return_shipment, users)
    order.refresh_from_db()
    assert order.status == FactoryRepair.Status.CLOSED
    return order
