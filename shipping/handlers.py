"""What shipping does when other workflows report (aftersales.events).

UnitShip → a repaired or replacement unit goes to the customer: a shipment of that one unit;
JobCompleted → the installation job of a delivery is done: its shipment's installation is recorded.
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


def on_job_completed(event: events.JobCompleted):
    from shipping.services import shipments_installed_by_job

    if getattr(event.job, "kind", "") != "installation":
        return None
    return shipments_installed_by_job(job=event.job, by=event.by) or None


def connect() -> None:
    events.subscribe(events.UnitShip, on_unit_ship)
    events.subscribe(events.JobCompleted, on_job_completed)
