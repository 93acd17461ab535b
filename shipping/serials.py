"""Quick serial-number entry: parse what was typed or scanned, and check it against the request.

One unit per line: `SERIAL`, optionally followed by the model code and the production date
(`XD1200-2026-0201`, `XD1200-2026-0999 XD-1200 2026-10-01`). Stock units bring their own
model and production date; a serial the system has never seen becomes a new unit of the
model given (or of the only model requested).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from aftersales.models import ProductModel, Unit

SEPARATORS = re.compile(r"[\s,，;；\t]+")
SERIAL_MAX_LENGTH = 64  # Unit.serial_number


@dataclass
class SerialEntry:
    serial: str
    model_code: str = ""
    production_date: date | None = None
    line_no: int = 0
    error: str = ""


@dataclass
class CheckedSerial:
    entry: SerialEntry
    unit: Unit | None = None
    product_model: ProductModel | None = None
    production_date: date | None = None
    kind: str = ""  # "stock", "new", "carried" (the repaired or replacement unit) or "" when refused
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def as_json(self) -> dict:
        return {
            "line": self.entry.line_no,
            "serial": self.entry.serial,
            "ok": self.ok,
            "kind": self.kind,
            "model": self.product_model.code if self.product_model else "",
            "production_date": self.production_date.isoformat() if self.production_date else "",
            "message": self.error or self.describe(),
        }

    def describe(self) -> str:
        if self.product_model is None:
            return ""
        if self.kind == "carried":
            return _("The unit this shipment carries: %(model)s") % {"model": self.product_model.code}
        if self.kind == "stock":
            return _("In stock: %(model)s, produced %(date)s") % {
                "model": self.product_model.code,
                "date": self.production_date or "?",
            }
        return _("New unit: %(model)s, produced %(date)s") % {
            "model": self.product_model.code,
            "date": self.production_date or "?",
        }


@dataclass
class SerialCheck:
    items: list[CheckedSerial] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.items) and all(i.ok for i in self.items) and not self.differences

    def errors(self) -> list[str]:
        return [i.error for i in self.items if i.error] + self.differences


def _date(token: str) -> date | None:
    """A production date as typed, or None when it is none (parse_date raises for 2026-02-30)."""
    try:
        return parse_date(token) if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", token) else None
    except ValueError:
        return None


def parse_serial_lines(text: str) -> list[SerialEntry]:
    entries = []
    for line_no, raw in enumerate((text or "").splitlines(), start=1):
        tokens = [t for t in SEPARATORS.split(raw.strip()) if t]
        if not tokens:
            continue
        entry = SerialEntry(serial=tokens[0].upper(), line_no=line_no)
        if len(entry.serial) > SERIAL_MAX_LENGTH:
            entry.error = _("Line %(line)d: a serial number has at most %(max)d characters.") % {
                "line": line_no,
                "max": SERIAL_MAX_LENGTH,
            }
        for token in tokens[1:]:
            parsed = _date(token)
            if parsed:
                entry.production_date = parsed
            elif re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", token):
                entry.error = _("Line %(line)d: “%(token)s” is not a valid date.") % {"line": line_no, "token": token}
            elif not entry.model_code:
                entry.model_code = token.upper()
            else:
                entry.error = _("Line %(line)d: too many values (serial, model, production date).") % {"line": line_no}
        entries.append(entry)
    return entries


def check_serials(shipment, entries: list[SerialEntry], *, default_production_date: date | None = None) -> SerialCheck:
    """Check each serial (stock, new, or refused) and the totals against the requested lines.

    Reads only; the dispatch service repeats it on locked rows before writing.
    """
    from shipping.models import ShippedUnit

    lines = list(shipment.lines.select_related("product_model"))
    requested = {line.product_model.code: line.quantity for line in lines}
    only_model = lines[0].product_model if len(lines) == 1 else None
    serials = [e.serial for e in entries]
    units = {u.serial_number: u for u in Unit.objects.filter(serial_number__in=serials).select_related("product_model")}
    shipped = {
        s.unit.serial_number: s.shipment
        for s in ShippedUnit.objects.filter(unit__serial_number__in=serials).select_related("unit", "shipment")
    }
    codes = {e.model_code for e in entries if e.model_code}
    # Model codes are compared case-insensitively: scanners and people type them both ways.
    models_by_code = {pm.code.upper(): pm for pm in ProductModel.objects.all()} if codes else {}

    result = SerialCheck()
    seen: Counter = Counter()
    for entry in entries:
        item = CheckedSerial(entry=entry)
        result.items.append(item)
        seen[entry.serial] += 1
        if entry.error:
            item.error = entry.error
            continue
        if seen[entry.serial] > 1:
            item.error = _("%(serial)s is entered twice.") % {"serial": entry.serial}
            continue
        if entry.serial in shipped:
            item.error = _("%(serial)s was already shipped with %(number)s.") % {
                "serial": entry.serial,
                "number": shipped[entry.serial].number,
            }
            continue
        given_model = models_by_code.get(entry.model_code) if entry.model_code else None
        if entry.model_code and given_model is None:
            item.error = _("%(serial)s: unknown product model “%(model)s”.") % {
                "serial": entry.serial,
                "model": entry.model_code,
            }
            continue
        unit = units.get(entry.serial)
        if unit is not None:
            # A repaired unit goes back to its customer: the one unit this shipment carries.
            carried = getattr(shipment, "carried_unit_id", None) == unit.pk
            if unit.customer_id is not None and not carried:
                item.error = _("%(serial)s already belongs to %(customer)s; it is not in stock.") % {
                    "serial": entry.serial,
                    "customer": unit.customer,
                }
                continue
            if given_model and given_model.pk != unit.product_model_id:
                item.error = _("%(serial)s is a %(actual)s, not a %(given)s.") % {
                    "serial": entry.serial,
                    "actual": unit.product_model.code,
                    "given": given_model.code,
                }
                continue
            item.unit, item.product_model, item.kind = unit, unit.product_model, "carried" if carried else "stock"
            item.production_date = entry.production_date or unit.production_date or default_production_date
        else:
            item.product_model = given_model or only_model
            item.kind = "new"
            item.production_date = entry.production_date or default_production_date
            if item.product_model is None:
                item.error = _("%(serial)s is not in stock: give its model code after the serial.") % {
                    "serial": entry.serial
                }
                continue
        if item.production_date is None:
            item.error = _("%(serial)s: the production date is missing.") % {"serial": entry.serial}
    counted = Counter(i.product_model.code for i in result.items if i.product_model is not None)
    for code in sorted(set(requested) | set(counted)):
        if requested.get(code, 0) != counted.get(code, 0):
            result.differences.append(
                _("%(model)s: requested %(requested)d, entered %(entered)d.")
                % {"model": code, "requested": requested.get(code, 0), "entered": counted.get(code, 0)}
            )
    return result
