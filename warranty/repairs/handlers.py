"""What repairs do when other workflows report (aftersales.events).

case.decided "factory" / "replace" / "return" → factory repair order / replacement / product return;
shipment.received of a repair-return shipment → the factory repair order closes, the case resolves.
"""

from aftersales import events
from aftersales.models import Unit
from aftersales.registry import register_history_source
from warranty.repairs import selectors, services
from warranty.repairs.models import FactoryRepair


def _case_unit(case) -> Unit | None:
    unit = getattr(case, "unit", None)
    return unit if isinstance(unit, Unit) else None


def on_case_decided(event: events.CaseDecided):
    """Seed 一.4–6: 质检部返厂维修, 产品更换, 产品返回 — only for a case that names the unit."""
    case, decision, by = event.case, event.decision, event.by
    unit = _case_unit(case)
    if unit is None or decision not in ("factory", "replace", "return"):
        return None
    # Only a real service case is kept on the record (the case model is the service desk's).
    case_model = FactoryRepair._meta.get_field("case").related_model
    real_case = case if isinstance(case, case_model) else None
    text = getattr(case, "fault_description", "") or str(case)
    # The technical department's decision is the authority here; the records are opened for it.
    if decision == "factory":
        return services.factory_repair_create(by=by, unit=unit, fault_description=text, case=real_case, checked=False)
    if decision == "replace":
        return services.replacement_create(by=by, unit=unit, reason=text, case=real_case, checked=False)
    return services.product_return_create(by=by, unit=unit, reason=text, case=real_case, checked=False)


def on_shipment_received(event: events.ShipmentReceived):
    if getattr(event.shipment, "kind", "") != "repair_return":
        return None
    return services.factory_repair_close_on_receipt(shipment=event.shipment, by=event.by)


def connect() -> None:
    from aftersales.models.masterdata import register_warranty_override_source

    events.subscribe(events.CaseDecided, on_case_decided)
    events.subscribe(events.ShipmentReceived, on_shipment_received)
    register_history_source(selectors.unit_repair_history)
    register_warranty_override_source(selectors.unit_warranty_overrides)
