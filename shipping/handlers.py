"""What shipping does when other workflows report (aftersales.events).

UnitShip → a repaired or replacement unit goes to the customer: a shipment of that one unit.
"""

from aftersales import events


def on_unit_ship(event: events.UnitShip):
    from shipping.services import shipment_file_for_unit

    return shipment_file_for_unit(
        unit=event.unit,
        kind=event.kind,
        site=event.site,
        contact_name=event.contact_name,
        contact_phone=event.contact_phone,
        notes=event.notes,
        by=event.by,
    )


def connect() -> None:
    events.subscribe(events.UnitShip, on_unit_ship)
