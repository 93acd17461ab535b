"""Event handlers: the other workflows open service jobs here (see aftersales.events)."""

from django.utils.translation import gettext as _

from aftersales import events
from aftersales.people import display_name
from aftersales.workflow import system_actor
from fieldservice.models import ServiceJob
from fieldservice.services import job_create


def _opened_for(event: events.Event, source) -> str:
    """The history reason of a job the system opens: whose step on which record led to it."""
    return _("Opened for %(number)s by %(user)s") % {
        "number": getattr(source, "number", source.pk),
        "user": display_name(event.by),
    }


def on_shipment_received(event: events.ShipmentReceived) -> ServiceJob | None:
    """Seed 三: goods received → installation, when any unit shipped needs installing."""
    shipment = event.shipment
    if getattr(shipment, "kind", "sale") == "repair_return":
        return None  # a repaired unit goes back to its place; it was installed before
    units = list(shipment.units.select_related("product_model"))
    to_install = [unit for unit in units if unit.product_model.needs_installation]
    if not to_install:
        return None
    return job_create(
        kind=ServiceJob.Kind.INSTALLATION,
        customer=shipment.customer,
        site=getattr(shipment, "site", None),
        units=to_install,
        contact_name=getattr(shipment, "contact_name", "") or "",
        contact_phone=getattr(shipment, "contact_phone", "") or "",
        description=_("Installation after delivery note %(note)s (shipment request %(number)s)")
        % {"note": getattr(shipment, "delivery_note_number", "") or "—", "number": shipment.number},
        source=shipment,
        by=system_actor(),
        reason=_opened_for(event, shipment),
    )


def on_case_decided(event: events.CaseDecided) -> ServiceJob | None:
    """Seed 四: the technical department decided on an on-site repair."""
    if event.decision != "onsite":
        return None
    case = event.case
    contact = getattr(case, "contact", None)
    unit = getattr(case, "unit", None)
    return job_create(
        kind=ServiceJob.Kind.REPAIR,
        customer=case.customer,
        site=getattr(case, "site", None) or (unit.site if unit is not None else None),
        units=[unit] if unit is not None else [],
        contact_name=getattr(contact, "name", "") or "",
        contact_phone=(getattr(contact, "mobile", "") or getattr(contact, "phone", "")) if contact else "",
        description=getattr(case, "fault_description", "") or "",
        source=case,
        by=system_actor(),
        reason=_opened_for(event, case),
    )


def on_quality_site_visit(event: events.QualitySiteVisit) -> ServiceJob:
    """A major quality problem: QC/R&D name people to go on site with after-sales."""
    sheet = event.sheet
    unit = getattr(sheet, "unit", None)
    description = _("Quality problem %(number)s") % {"number": sheet.number}
    if event.people:
        names = "、".join(display_name(person) for person in event.people)
        description += " — " + _("people named: %(names)s") % {"names": names}
    return job_create(
        kind=ServiceJob.Kind.QUALITY,
        customer=sheet.customer,
        site=getattr(sheet, "site", None),
        units=[unit] if unit is not None else [],
        description=description,
        site_team=event.people,
        source=sheet,
        by=system_actor(),
        reason=_opened_for(event, sheet),
    )
