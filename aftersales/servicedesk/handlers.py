"""What the service desk does when other workflows report (aftersales.events).

shipment.missing_parts → a case for the free supply of the missing parts (linked "missing_parts");
job.dispatched → the arrival clock of the on-site cases linked to the job starts;
job.arrived → the arrival clock of the cases linked to the job stops;
job.completed → the cases linked to the job that are still being handled are resolved;
repair.completed → the cases of a factory repair, replacement or return are resolved.
"""

from django.utils.translation import gettext as _

from aftersales import events
from aftersales.links import linked_of_type
from aftersales.servicedesk.models import ServiceCase


def on_shipment_missing_parts(event: events.ShipmentMissingParts) -> ServiceCase:
    from aftersales.servicedesk.services import case_open_for_missing_parts

    return case_open_for_missing_parts(source=event.shipment, description=event.description, by=event.by)


def on_job_dispatched(event: events.JobDispatched) -> None:
    from aftersales.servicedesk.services import cases_record_dispatch

    cases_record_dispatch(linked_of_type(event.job, ServiceCase), dispatched_at=event.dispatched_at, by=event.by)


def on_job_arrived(event: events.JobArrived) -> None:
    from aftersales.servicedesk.services import cases_record_arrival

    cases_record_arrival(linked_of_type(event.job, ServiceCase), arrived_at=event.arrived_at, by=event.by)


def on_job_completed(event: events.JobCompleted) -> None:
    from aftersales.servicedesk.services import cases_record_completion

    job = event.job
    text = _("Service job %(number)s completed; the customer signed form A.") % {
        "number": getattr(job, "number", job.pk)
    }
    cases = linked_of_type(job, ServiceCase)
    cases_record_completion(cases, text=text, by=event.by, arrived_at=getattr(job, "arrived_at", None))


def on_repair_completed(event: events.RepairCompleted) -> None:
    from aftersales.servicedesk.services import cases_record_completion

    cases = linked_of_type(event.record, ServiceCase)
    if isinstance(event.case, ServiceCase) and all(c.pk != event.case.pk for c in cases):
        cases.append(event.case)
    cases_record_completion(cases, text=event.text, by=event.by)


def connect() -> None:
    events.subscribe(events.ShipmentMissingParts, on_shipment_missing_parts)
    events.subscribe(events.JobDispatched, on_job_dispatched)
    events.subscribe(events.JobArrived, on_job_arrived)
    events.subscribe(events.JobCompleted, on_job_completed)
    events.subscribe(events.RepairCompleted, on_repair_completed)
