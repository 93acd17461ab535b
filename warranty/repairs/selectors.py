"""Reads of repairs: bills, parts and their costs, lists, and the unit history entries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from aftersales.models import Unit
from aftersales.registry import CountedRepair, HistoryEntry
from warranty.repairs.models import (
    FactoryRepair,
    ProductReturn,
    RepairBillingPolicy,
    RepairFinding,
    RepairPart,
    Replacement,
)


def parts_of(record) -> QuerySet:
    """The parts used on one repair record (factory order or service job)."""
    return RepairPart.objects.filter(
        repair_type=ContentType.objects.get_for_model(record), repair_id=record.pk
    ).select_related("component", "drawn_by")


def parts_cost(record) -> Decimal:
    return sum((p.cost for p in parts_of(record)), Decimal("0"))


@dataclass(frozen=True)
class Bill:
    parts: Decimal
    labour: Decimal
    free: bool

    @property
    def total(self) -> Decimal:
        return Decimal("0") if self.free else self.parts + self.labour


def bill_for(order: FactoryRepair) -> Bill:
    """What the customer pays: nothing under warranty; else parts at cost, labour only if the policy charges it."""
    parts = parts_cost(order)
    policy = RepairBillingPolicy.for_customer(order.customer)
    labour = Decimal("0")
    if not policy.parts_at_cost_no_labour and order.labour_hours:
        labour = (policy.labour_rate * order.labour_hours).quantize(Decimal("0.01"))
    return Bill(parts=parts, labour=labour, free=not order.is_paid)


def case_repair_costs(case) -> Decimal:
    """The parts cost of every repair of a case: its factory orders and its linked service jobs."""
    from aftersales.links import linked_records

    records: list[Any] = list(FactoryRepair.objects.filter(case=case))
    seen: set[tuple[type, Any]] = {(FactoryRepair, r.pk) for r in records}
    for linked in linked_records(case):
        record: Any = linked.record
        key = (type(record), record.pk)
        if key not in seen and hasattr(record, "units"):
            records.append(record)
            seen.add(key)
    return sum((parts_cost(r) for r in records), Decimal("0"))


def factory_repair_list(status: str = "") -> QuerySet:
    qs = FactoryRepair.objects.select_related("customer", "unit", "unit__product_model")
    return qs.filter(status=status) if status else qs


def replacement_list(status: str = "") -> QuerySet:
    qs = Replacement.objects.select_related("customer", "old_unit", "new_unit")
    return qs.filter(status=status) if status else qs


def product_return_list(status: str = "") -> QuerySet:
    qs = ProductReturn.objects.select_related("customer", "unit")
    return qs.filter(status=status) if status else qs


def unit_repair_history(unit: Unit) -> list[HistoryEntry]:
    """Every factory repair, part replaced, replacement (old ↔ new) and return of a unit."""
    entries = []
    for order in FactoryRepair.objects.filter(unit=unit).order_by("-created_at")[:100]:
        entries.append(
            HistoryEntry(
                when=order.created_at,
                kind=str(FactoryRepair._meta.verbose_name),
                label=order.number,
                url=order.get_absolute_url(),
                state=order.get_status_display(),
                note=order.findings[:60] or order.fault_description[:60],
            )
        )
    for part in RepairPart.objects.filter(unit=unit).select_related("component").order_by("-drawn_at")[:200]:
        note = _("%(part)s × %(quantity)d") % {"part": part.component.name, "quantity": part.quantity}
        if part.part_serial:
            note += f" ({part.part_serial})"
        entries.append(
            HistoryEntry(when=part.drawn_at, kind=str(_("part replaced")), label=part.component.code, note=note)
        )
    replacements = Replacement.objects.filter(old_unit=unit) | Replacement.objects.filter(new_unit=unit)
    for rec in replacements.select_related("old_unit", "new_unit").order_by("-created_at")[:50]:
        entries.append(
            HistoryEntry(
                when=rec.swapped_at or rec.created_at,
                kind=str(Replacement._meta.verbose_name),
                label=rec.number,
                url=rec.get_absolute_url(),
                state=rec.get_status_display(),
                note=f"{rec.old_unit.serial_number} → {rec.new_unit.serial_number if rec.new_unit else '?'}",
            )
        )
    for ret in ProductReturn.objects.filter(unit=unit).order_by("-created_at")[:50]:
        entries.append(
            HistoryEntry(
                when=ret.created_at,
                kind=str(ProductReturn._meta.verbose_name),
                label=ret.number,
                url=ret.get_absolute_url(),
                state=ret.get_status_display(),
                note=ret.reason[:60],
            )
        )
    return entries


def factory_repairs_counted(unit: Unit) -> list[CountedRepair]:
    """The factory repairs of a unit within warranty, by QC's findings (component + defect), for the registry.

    A repair counts once the work is done (not cancelled); a repair order opened for a case
    reports the case's key, so the case and its repair are one repair, with QC's diagnosis.
    """
    findings = (
        RepairFinding.objects.filter(
            repair__unit=unit,
            repair__repaired_at__isnull=False,
            in_warranty=True,
            covered=True,
            defect_code__isnull=False,
        )
        .exclude(repair__status=FactoryRepair.Status.CANCELLED)
        .values_list("repair_id", "repair__case_id", "component_id", "defect_code_id", "repair__repaired_at")
    )
    own = FactoryRepair._meta.label_lower
    case_label = FactoryRepair._meta.get_field("case").related_model._meta.label_lower
    return [
        CountedRepair(
            key=f"{case_label}:{case_id}" if case_id else f"{own}:{repair_id}",
            component_id=component_id,
            defect_code_id=defect_id,
            when=repaired_at,
            authority=20,
        )
        for repair_id, case_id, component_id, defect_id, repaired_at in findings
    ]


def unit_warranty_overrides(unit: Unit) -> dict:
    """Component id → (starts, ends) for the foundation's warranty lookup."""
    from warranty.repairs.models import UnitWarrantyOverride

    return {o.component_id: (o.starts, o.ends) for o in UnitWarrantyOverride.objects.filter(unit=unit)}
