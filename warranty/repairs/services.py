"""Every write of factory repair, replacement and return: lock, check, transition, save with who and why."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales import events
from aftersales.links import link_records
from aftersales.models import Component, DefectCode, Unit
from aftersales.people import display_name
from aftersales.workflow import (
    RuleViolation,
    audit,
    check_transition,
    expect_state,
    lock,
    perform_transition,
    record_create,
    require_permission,
    system_actor,
)
from warranty.repairs.models import (
    FactoryRepair,
    ProductReturn,
    RepairBillingPolicy,
    RepairFinding,
    RepairPart,
    Replacement,
    UnitWarrantyOverride,
)
from warranty.repairs.selectors import bill_for


def _resolve_cases(record, text: str, by: User) -> None:
    """The linked service cases are resolved when the repair, replacement or return is done (service desk)."""
    events.publish(events.RepairCompleted(record=record, case=record.case, text=text, by=by))


def _ship_unit(*, unit: Unit, kind: str, site, contact_name: str, contact_phone: str, notes: str, by: User) -> Any:
    """The shipping chain files the shipment of one unit (its UnitShip handler)."""
    shipments = events.publish(
        events.UnitShip(
            unit=unit,
            kind=kind,
            site=site,
            contact_name=contact_name,
            contact_phone=contact_phone,
            notes=notes,
            by=by,
        )
    )
    if not shipments:
        raise RuleViolation(_("No workflow ships units: the shipping app is not installed."))
    return shipments[0]


def _precheck(obj, name: str, by: User, expected_state) -> None:
    """Stale page and role first, before a step files records in another workflow."""
    expect_state(obj, expected_state)
    check_transition(obj, name, by)


def _save_unit(unit: Unit, by: User, reason: str) -> None:
    unit.updated_by = by
    audit(unit, by, reason)
    unit.save()


# --- factory repair (返厂维修) -------------------------------------------------------------


@transaction.atomic
def factory_repair_create(
    *, by: User, unit: Unit, fault_description: str, case: Any = None, change_reason: str = ""
) -> FactoryRepair:
    """Open a factory repair order for a unit (by serial), from a case's decision or directly."""
    require_permission(by, "repairs.add_factoryrepair", _("Open a factory repair order"))
    if unit.customer_id is None:
        raise RuleViolation(_("Unit %(serial)s is not at a customer.") % {"serial": unit.serial_number})
    if not fault_description.strip():
        raise RuleViolation(_("Describe the fault."))
    open_order = FactoryRepair.objects.filter(unit=unit).exclude(
        status__in=[FactoryRepair.Status.CLOSED, FactoryRepair.Status.CANCELLED]
    )
    if open_order.exists():
        raise RuleViolation(
            _("Unit %(serial)s already has an open factory repair order.") % {"serial": unit.serial_number}
        )
    order = FactoryRepair(
        unit=unit,
        customer_id=unit.customer_id,
        site_id=unit.site_id,
        case=case,
        fault_description=fault_description.strip(),
    )
    return record_create(
        order,
        by=by,
        reason=change_reason or _("Factory repair order opened"),
        link_from=case,
        link_kind="factory_repair",
    )


@transaction.atomic
def factory_repair_record_inbound(*, pk, by: User, carrier: str, waybill: str, expected_state=None) -> FactoryRepair:
    """The unit is on its way to the factory: the inbound waybill."""
    if not carrier.strip() or not waybill.strip():
        raise RuleViolation(_("Give the carrier and the waybill number."))
    return perform_transition(
        lock(FactoryRepair, pk),
        "record_inbound",
        by=by,
        expected_state=expected_state,
        reason=_("Inbound waybill %(waybill)s (%(carrier)s)")
        % {"waybill": waybill.strip(), "carrier": carrier.strip()},
        carrier=carrier.strip(),
        waybill=waybill.strip(),
    )


@transaction.atomic
def factory_repair_receive(
    *, pk, by: User, condition: str, accessories: str = "", expected_state=None
) -> FactoryRepair:
    """The warehouse receives the unit: its condition on arrival and the accessories that came with it."""
    if not condition.strip():
        raise RuleViolation(_("Describe the condition on arrival."))
    return perform_transition(
        lock(FactoryRepair, pk),
        "receive",
        by=by,
        expected_state=expected_state,
        reason=_("Unit received at the warehouse"),
        condition=condition.strip(),
        accessories=accessories.strip(),
    )


@transaction.atomic
def factory_repair_diagnose(
    *,
    pk,
    by: User,
    findings: str,
    component: Component,
    defect_code: DefectCode | None,
    covered: bool,
    expected_state=None,
) -> FactoryRepair:
    """QC diagnoses: the defect of a component, in or out of warranty (the unit's own record), covered or not."""
    order = lock(FactoryRepair, pk)
    if not findings.strip():
        raise RuleViolation(_("Describe the findings."))
    if component.product_model_id != order.unit.product_model_id:
        raise RuleViolation(_("The component is not part of this unit's model."))
    if defect_code is not None and defect_code.component_id not in (None, component.pk):
        raise RuleViolation(_("The defect code belongs to another component."))
    on = timezone.localtime(order.created_at).date()
    in_warranty = order.unit.is_in_warranty(component=component, on=on)
    paid = not (in_warranty and covered)
    order = perform_transition(
        order,
        "diagnose",
        by=by,
        expected_state=expected_state,
        reason=_("Diagnosed: paid repair") if paid else _("Diagnosed: free repair under warranty"),
        findings=findings.strip(),
        is_paid=paid,
    )
    finding = RepairFinding(
        repair=order, component=component, defect_code=defect_code, in_warranty=in_warranty, covered=covered
    )
    record_create(finding, by=by, reason=_("Finding recorded"))
    return order


@transaction.atomic
def factory_repair_quote_fee(*, pk, by: User, amount: Decimal | None = None, expected_state=None) -> FactoryRepair:
    """Finance records the fee of a paid repair (by default the bill the policy gives)."""
    order = lock(FactoryRepair, pk)
    if order.status == FactoryRepair.Status.DIAGNOSED and not order.is_paid:
        raise RuleViolation(_("This repair is free under warranty; there is no fee."))
    if amount is None:
        amount = bill_for(order).total
    if amount < 0:
        raise RuleViolation(_("The fee cannot be negative."))
    return perform_transition(
        order,
        "quote_fee",
        by=by,
        expected_state=expected_state,
        reason=_("Fee ¥%(amount)s recorded") % {"amount": amount},
        amount=amount,
    )


@transaction.atomic
def factory_repair_accept_fee(
    *, pk, by: User, accepted_by: str, how: str, accepted_at=None, expected_state=None
) -> FactoryRepair:
    """The clerk records who at the customer accepted the fee, when and how — the repair may start."""
    if not accepted_by.strip():
        raise RuleViolation(_("Who at the customer accepted the fee?"))
    if how not in FactoryRepair.AcceptanceMethod.values:
        raise RuleViolation(_("Choose how the fee was accepted."))
    accepted_at = accepted_at or timezone.now()
    if accepted_at > timezone.now():
        raise RuleViolation(_("The acceptance cannot be in the future."))
    return perform_transition(
        lock(FactoryRepair, pk),
        "accept_fee",
        by=by,
        expected_state=expected_state,
        reason=_("Fee accepted by %(name)s") % {"name": accepted_by.strip()},
        accepted_by=accepted_by.strip(),
        accepted_at=accepted_at,
        how=how,
    )


@transaction.atomic
def factory_repair_repair(
    *, pk, by: User, work_done: str, hours: Decimal, technician=None, expected_state=None
) -> FactoryRepair:
    """QC records the repair; a paid repair only after the customer accepted the fee."""
    order = lock(FactoryRepair, pk)
    if not work_done.strip():
        raise RuleViolation(_("Describe the work done."))
    if hours is None or hours <= 0:
        raise RuleViolation(_("Give the hours worked."))
    if order.status == FactoryRepair.Status.DIAGNOSED and not order.fee_gate_passed:
        raise RuleViolation(_("This is a paid repair: the customer must accept the fee before the repair starts."))
    return perform_transition(
        order,
        "repair",
        by=by,
        expected_state=expected_state,
        reason=_("Repaired"),
        work_done=work_done.strip(),
        hours=hours,
        technician=technician or by,
    )


@transaction.atomic
def factory_repair_pass_test(*, pk, by: User, notes: str, expected_state=None) -> FactoryRepair:
    """The repaired unit passed its test."""
    if not notes.strip():
        raise RuleViolation(_("Describe the test."))
    return perform_transition(
        lock(FactoryRepair, pk), "pass_test", by=by, expected_state=expected_state, notes=notes.strip()
    )


@transaction.atomic
def factory_repair_ship_back(
    *, pk, by: User, contact_name: str, contact_phone: str, expected_state=None
) -> FactoryRepair:
    """File the return shipment (kind repair_return) in the shipping chain; its receipt closes the order."""
    order = lock(FactoryRepair, pk)
    _precheck(order, "ship_back", by, expected_state)
    site = order.site or order.unit.site
    if site is None:
        raise RuleViolation(_("The unit has no site to ship to."))
    shipment = _ship_unit(
        unit=order.unit,
        kind="repair_return",
        site=site,
        contact_name=contact_name,
        contact_phone=contact_phone,
        notes=_("Repaired unit of %(number)s") % {"number": order.number},
        by=by,
    )
    order = perform_transition(
        order,
        "ship_back",
        by=by,
        expected_state=expected_state,
        reason=_("Return shipment %(number)s filed") % {"number": shipment.number},
        shipment=shipment,
    )
    link_records(order, shipment, "repair_return", by=by)
    return order


def factory_repair_close_on_receipt(*, shipment, by: User) -> FactoryRepair | None:
    """The customer confirmed the receipt of the return shipment: the order closes, the case is resolved."""
    order = FactoryRepair.objects.select_for_update().filter(return_shipment_id=shipment.pk).first()
    if order is None or order.status != FactoryRepair.Status.SHIPPED:
        return None
    perform_transition(
        order,
        "close",
        by=system_actor(),
        reason=_("Closed: the customer received the unit (receipt confirmed by %(user)s)") % {"user": display_name(by)},
    )
    _resolve_cases(
        order,
        _("Factory repair %(number)s done; the unit is back with the customer.") % {"number": order.number},
        by,
    )
    return order


@transaction.atomic
def factory_repair_cancel(*, pk, by: User, reason: str, expected_state=None) -> FactoryRepair:
    if not reason.strip():
        raise RuleViolation(_("Give the reason."))
    return perform_transition(
        lock(FactoryRepair, pk), "cancel", by=by, expected_state=expected_state, reason=reason.strip(), why=reason
    )


# --- parts used on any repair ------------------------------------------------------------


REPAIRING_STATES = {
    "factoryrepair": (FactoryRepair.Status.DIAGNOSED, FactoryRepair.Status.ACCEPTED, FactoryRepair.Status.REPAIRED),
}


@transaction.atomic
def repair_part_add(
    *,
    repair,
    by: User,
    component: Component,
    quantity: int = 1,
    part_serial: str = "",
    unit_cost: Decimal | None = None,
    unit: Unit | None = None,
    drawn_at=None,
) -> RepairPart:
    """Record a part drawn from the warehouse for a repair (factory order or on-site job)."""
    require_permission(by, "repairs.draw_repairpart", _("Record a part used"))
    repair = lock(type(repair), repair.pk)
    allowed = REPAIRING_STATES.get(repair._meta.model_name)
    if allowed is not None and repair.status not in allowed:
        raise RuleViolation(_("Parts are recorded while the unit is being repaired."))
    if isinstance(repair, FactoryRepair):
        if repair.is_paid and not repair.fee_gate_passed:
            raise RuleViolation(_("This is a paid repair: the customer must accept the fee before the repair starts."))
        unit = repair.unit
    elif unit is None:
        units = list(getattr(repair, "units", Unit.objects.none()).all())
        unit = units[0] if len(units) == 1 else None
    if unit is not None and component.product_model_id != unit.product_model_id:
        raise RuleViolation(_("The part is not a component of the unit's model."))
    if quantity is None or quantity <= 0:
        raise RuleViolation(_("The quantity must be at least 1."))
    if part_serial.strip() and quantity != 1:
        raise RuleViolation(_("A serialised part is recorded one at a time."))
    cost = component.unit_cost if unit_cost is None else unit_cost
    if cost < 0:
        raise RuleViolation(_("The unit cost cannot be negative."))
    part = RepairPart(
        repair_type=ContentType.objects.get_for_model(repair),
        repair_id=repair.pk,
        unit=unit,
        component=component,
        quantity=quantity,
        part_serial=part_serial.strip(),
        unit_cost=cost,
        drawn_by=by,
        drawn_at=drawn_at or timezone.now(),
    )
    return record_create(part, by=by, reason=_("Part drawn from the warehouse"))


# --- the general manager's approval of a return or exchange (售后服务管理 4.1.3.2) ---------------


def _decide(model, pk, by: User, *, approve: bool, comment: str, expected_state) -> Any:
    """The general manager approves or rejects with a comment; a rejection ends the record."""
    record = lock(model, pk)
    comment = comment.strip()
    if not approve and not comment:
        raise RuleViolation(_("Give the reason for the rejection."))
    # The page showed the record's status; the decision is the small machine beside it.
    expect_state(record, expected_state)
    if approve:
        return perform_transition(
            record,
            "approve",
            by=by,
            reason=_("Approved by the general manager: %(comment)s") % {"comment": comment}
            if comment
            else _("Approved by the general manager"),
            comment=comment,
        )
    record = perform_transition(
        record,
        "reject",
        by=by,
        reason=_("Rejected by the general manager: %(comment)s") % {"comment": comment},
        comment=comment,
    )
    return perform_transition(
        record,
        "close_rejected",
        by=system_actor(),
        reason=_("Closed: rejected by %(user)s") % {"user": display_name(by)},
    )


@transaction.atomic
def replacement_approve(*, pk, by: User, comment: str = "", expected_state=None) -> Replacement:
    """The general manager approves the exchange: the new unit may ship."""
    return _decide(Replacement, pk, by, approve=True, comment=comment, expected_state=expected_state)


@transaction.atomic
def replacement_reject(*, pk, by: User, comment: str, expected_state=None) -> Replacement:
    """The general manager rejects the exchange, with the reason; the record ends."""
    return _decide(Replacement, pk, by, approve=False, comment=comment, expected_state=expected_state)


@transaction.atomic
def product_return_approve(*, pk, by: User, comment: str = "", expected_state=None) -> ProductReturn:
    """The general manager approves the return: the unit may come back and be refunded."""
    return _decide(ProductReturn, pk, by, approve=True, comment=comment, expected_state=expected_state)


@transaction.atomic
def product_return_reject(*, pk, by: User, comment: str, expected_state=None) -> ProductReturn:
    """The general manager rejects the return, with the reason; the record ends."""
    return _decide(ProductReturn, pk, by, approve=False, comment=comment, expected_state=expected_state)


# --- replacement (产品更换) ----------------------------------------------------------------


@transaction.atomic
def replacement_create(*, by: User, unit: Unit, reason: str, case: Any = None, change_reason: str = "") -> Replacement:
    """Open a replacement record for a unit at a customer."""
    require_permission(by, "repairs.add_replacement", _("Open a replacement"))
    if unit.customer_id is None:
        raise RuleViolation(_("Unit %(serial)s is not at a customer.") % {"serial": unit.serial_number})
    if not reason.strip():
        raise RuleViolation(_("Give the reason."))
    record = Replacement(
        customer_id=unit.customer_id,
        site_id=unit.site_id,
        old_unit=unit,
        case=case,
        reason=reason.strip(),
        fresh_warranty=RepairBillingPolicy.for_customer(unit.customer).fresh_warranty_on_replacement,
    )
    return record_create(
        record, by=by, reason=change_reason or _("Replacement opened"), link_from=case, link_kind="replacement"
    )


@transaction.atomic
def replacement_assign(
    *, pk, by: User, new_unit: Unit, fresh_warranty: bool | None = None, expected_state=None
) -> Replacement:
    """The warehouse assigns a stock unit of the same brand and model (产品质量保证及售后服务承诺 四)."""
    record = lock(Replacement, pk)
    new_unit = lock(Unit, new_unit.pk)
    old = record.old_unit
    if new_unit.pk == old.pk:
        raise RuleViolation(_("The new unit must be another unit."))
    if new_unit.product_model_id != old.product_model_id:
        raise RuleViolation(
            _("The new unit must be of the same brand and model (%(model)s).") % {"model": old.product_model.code}
        )
    if new_unit.customer_id is not None:
        raise RuleViolation(_("Unit %(serial)s is not in stock.") % {"serial": new_unit.serial_number})
    if fresh_warranty is None:
        fresh_warranty = record.fresh_warranty
    return perform_transition(
        record,
        "assign",
        by=by,
        expected_state=expected_state,
        reason=_("New unit %(serial)s assigned") % {"serial": new_unit.serial_number},
        new_unit=new_unit,
        fresh_warranty=fresh_warranty,
    )


def _inherit_warranty(record: Replacement, by: User, today: date) -> None:
    """The new unit keeps the old unit's warranty window per component (unless a fresh one starts)."""
    new = record.new_unit
    assert new is not None
    for w in record.old_unit.component_warranties(today):
        if w.starts is None or w.ends is None:
            continue
        UnitWarrantyOverride.objects.update_or_create(
            unit=new,
            component=w.component,
            defaults={
                "starts": w.starts,
                "ends": w.ends,
                "reason": _("Inherited from %(serial)s (%(number)s)")
                % {"serial": record.old_unit.serial_number, "number": record.number},
                "created_by": by,
                "updated_by": by,
            },
        )


@transaction.atomic
def replacement_ship(*, pk, by: User, contact_name: str, contact_phone: str, expected_state=None) -> Replacement:
    """The new unit goes to the customer through the shipping chain and joins their installed base."""
    record = lock(Replacement, pk)
    _precheck(record, "ship", by, expected_state)
    new = record.new_unit
    site = record.site or record.old_unit.site
    if new is None or site is None:
        raise RuleViolation(_("Assign the new unit and the site first."))
    shipment = _ship_unit(
        unit=new,
        kind="replacement",
        site=site,
        contact_name=contact_name,
        contact_phone=contact_phone,
        notes=_("Replaces %(serial)s (%(number)s)")
        % {"serial": record.old_unit.serial_number, "number": record.number},
        by=by,
    )
    record = perform_transition(
        record,
        "ship",
        by=by,
        expected_state=expected_state,
        reason=_("New unit %(new)s replaces %(old)s")
        % {"new": new.serial_number, "old": record.old_unit.serial_number},
        shipment=shipment,
    )
    today = timezone.localdate()
    if not record.fresh_warranty:
        _inherit_warranty(record, by, today)
    new.customer_id, new.site_id = record.customer_id, site.pk
    # A fresh warranty starts with the swap; an inherited one runs on the old unit's windows.
    new.acceptance_date = today
    _save_unit(new, by, _("Replacement for %(serial)s") % {"serial": record.old_unit.serial_number})
    link_records(record, shipment, "replacement", by=by)
    return record


@transaction.atomic
def replacement_receive_old(*, pk, by: User, condition: str, disposition: str, expected_state=None) -> Replacement:
    """The old unit is back: quarantine or factory repair; it leaves the customer's installed base."""
    record = lock(Replacement, pk)
    if not condition.strip():
        raise RuleViolation(_("Describe the condition on arrival."))
    if disposition not in Replacement.Disposition.values:
        raise RuleViolation(_("Choose where the old unit goes."))
    record = perform_transition(
        record,
        "receive_old",
        by=by,
        expected_state=expected_state,
        reason=_("Old unit %(serial)s received back") % {"serial": record.old_unit.serial_number},
        condition=condition.strip(),
        disposition=disposition,
    )
    old = lock(Unit, record.old_unit_id)
    old.customer, old.site = None, None
    _save_unit(old, by, _("Replaced by %(serial)s (%(number)s)") % {"serial": record.new_unit, "number": record.number})
    return record


def replacement_delivered_on_receipt(*, shipment, by: User) -> Replacement | None:
    """The customer confirmed the receipt of the new unit: the replacement is done and its case resolved."""
    record = Replacement.objects.select_for_update().filter(shipment_id=shipment.pk).first()
    if record is None or record.status != Replacement.Status.SHIPPED:
        return None
    perform_transition(
        record,
        "delivered",
        by=system_actor(),
        reason=_("The customer received the new unit (receipt confirmed by %(user)s)") % {"user": display_name(by)},
    )
    _resolve_cases(
        record,
        _("Replaced by a new unit %(serial)s (%(number)s).") % {"serial": record.new_unit, "number": record.number},
        by,
    )
    return record


@transaction.atomic
def replacement_cancel(*, pk, by: User, expected_state=None) -> Replacement:
    return perform_transition(lock(Replacement, pk), "cancel", by=by, expected_state=expected_state)


# --- product return (产品返回, 包退) -------------------------------------------------------


@transaction.atomic
def product_return_create(
    *, by: User, unit: Unit, reason: str, case: Any = None, change_reason: str = ""
) -> ProductReturn:
    """Open a product return for a unit at a customer."""
    require_permission(by, "repairs.add_productreturn", _("Open a product return"))
    if unit.customer_id is None:
        raise RuleViolation(_("Unit %(serial)s is not at a customer.") % {"serial": unit.serial_number})
    if not reason.strip():
        raise RuleViolation(_("Give the reason."))
    record = ProductReturn(
        customer_id=unit.customer_id,
        site_id=unit.site_id,
        unit=unit,
        case=case,
        reason=reason.strip(),
    )
    return record_create(
        record, by=by, reason=change_reason or _("Product return opened"), link_from=case, link_kind="product_return"
    )


@transaction.atomic
def product_return_receive(*, pk, by: User, expected_state=None) -> ProductReturn:
    return perform_transition(lock(ProductReturn, pk), "receive", by=by, expected_state=expected_state)


@transaction.atomic
def product_return_check(*, pk, by: User, condition: str, expected_state=None) -> ProductReturn:
    if not condition.strip():
        raise RuleViolation(_("Describe the condition."))
    return perform_transition(
        lock(ProductReturn, pk), "check_condition", by=by, expected_state=expected_state, condition=condition.strip()
    )


@transaction.atomic
def product_return_refund(
    *, pk, by: User, amount: Decimal, refund_date: date, reference: str, expected_state=None
) -> ProductReturn:
    """Finance records the refund; the unit leaves the customer's installed base (history kept)."""
    if amount is None or amount <= 0:
        raise RuleViolation(_("The refund must be more than zero."))
    if not reference.strip():
        raise RuleViolation(_("Give the refund reference."))
    if refund_date > timezone.localdate():
        raise RuleViolation(_("The refund date cannot be in the future."))
    record = perform_transition(
        lock(ProductReturn, pk),
        "refund",
        by=by,
        expected_state=expected_state,
        reason=_("Refund ¥%(amount)s, %(reference)s") % {"amount": amount, "reference": reference.strip()},
        amount=amount,
        refund_date=refund_date,
        reference=reference.strip(),
    )
    unit = lock(Unit, record.unit_id)
    unit.customer, unit.site = None, None
    _save_unit(unit, by, _("Returned (%(number)s)") % {"number": record.number})
    _resolve_cases(record, _("Product returned and refunded (%(number)s).") % {"number": record.number}, by)
    return record


@transaction.atomic
def product_return_cancel(*, pk, by: User, expected_state=None) -> ProductReturn:
    return perform_transition(lock(ProductReturn, pk), "cancel", by=by, expected_state=expected_state)
