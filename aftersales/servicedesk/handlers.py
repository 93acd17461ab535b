"""What the service desk does when other workflows report (aftersales.events).

shipment.missing_parts → a case for the free supply of the missing parts (linked "missing_parts");
job.arrived → the arrival clock of the cases linked to the job stops;
job.completed → the cases linked to the job that are still being handled are resolved.
"""

from django.utils.translation import gettext as _

from aftersales import events
from aftersales.links import link_records, linked_of_type
from aftersales.servicedesk.models import ServiceCase


def on_shipment_missing_parts(*, shipment, description, by, **_extra):
    from aftersales.servicedesk.services import case_open_for_missing_parts

    case = case_open_for_missing_parts(source=shipment, description=description, by=by)
    link_records(shipment, case, "missing_parts", by=by)
    return case


def on_job_arrived(*, job, arrived_at, by, **_extra):
    from aftersales.servicedesk.services import cases_record_arrival

    cases_record_arrival(linked_of_type(job, ServiceCase), arrived_at=arrived_at, by=by)
    return None


def on_job_completed(*, job, by, **_extra):
    from aftersales.servicedesk.services import cases_record_completion

    text = _("Service job %(number)s completed; the customer signed form A.") % {
        "number": getattr(job, "number", job.pk)
    }
    cases_record_completion(linked_of_type(job, ServiceCase), text=text, by=by)
    return None


def connect() -> None:
    events.subscribe("shipment.missing_parts", on_shipment_missing_parts)
    events.subscribe("job.arrived", on_job_arrived)
    events.subscribe("job.completed", on_job_completed)
