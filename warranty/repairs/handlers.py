"""What repairs do when other workflows report (aftersales.events).

case.decided "factory" / "replace" / "return" → factory repair order / replacement / product return;
shipment.received of a repair-return shipment → the factory repair order closes, the case resolves.
"""

from django.utils.translation import gettext as _

from aftersales import events
from aftersales.models import Unit
from aftersales.people import display_name
from aftersales.registry import register_history_source
from aftersales.workflow import system_actor
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
    # The technical department's decision is the authority here: the system opens the record for
    # it, and the record's history names who decided.
    opened = {
        "by": system_actor(),
        "case": real_case,
        "change_reason": _("Opened for the decision of %(user)s on case %(number)s")
        % {"user": display_name(by), "number": getattr(case, "number", "") or str(case)},
    }
    if decision == "factory":
        return services.factory_repair_create(unit=unit, fault_description=text, **opened)
    if decision == "replace":
        return services.replacement_create(unit=unit, reason=text, **opened)
    return services.product_return_create(unit=unit, reason=text, **opened)


def on_shipment_received(event: events.ShipmentReceived):
    kind = getattr(event.shipment, "kind", "")
    if kind == "repair_return":
        return services.factory_repair_close_on_receipt(shipment=event.shipment, by=event.by)
    if kind == "replacement":
        return services.replacement_delivered_on_receipt(shipment=event.shipment, by=event.by)
    return None


def connect() -> None:
    from aftersales.models.masterdata import register_warranty_override_source

    events.subscribe(events.CaseDecided, on_case_decided)
    events.subscribe(events.ShipmentReceived, on_shipment_received)
    register_history_source(selectors.unit_repair_history)
    register_warranty_override_source(selectors.unit_warranty_overrides)
