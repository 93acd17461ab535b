"""What repairs show on other apps' pages (aftersales.registry.page_fragments)."""

from aftersales.registry import PageFragment


def case_costs(request, case) -> dict:
    """The parts cost of the case's repairs (factory orders and on-site jobs)."""
    from warranty.repairs.selectors import case_repair_costs

    return {"cost": case_repair_costs(case)}


def job_parts(request, job) -> dict:
    """The parts used on a service job, and the form to record one for who may draw parts."""
    from warranty.repairs.views import parts_context

    model_ids = list(job.units.values_list("product_model_id", flat=True))
    return parts_context(request.user, job, model_ids)


FRAGMENTS = [
    PageFragment("servicedesk.ServiceCase", "repairs/includes/case_costs.html", case_costs),
    PageFragment("fieldservice.ServiceJob", "repairs/includes/parts.html", job_parts),
]
