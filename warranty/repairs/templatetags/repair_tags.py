"""{% repair_parts record %}: the parts used on any repair record (e.g. the field service job page)."""

from django import template

register = template.Library()


@register.inclusion_tag("repairs/includes/parts.html", takes_context=True)
def repair_parts(context, record):
    from warranty.repairs.views import parts_context

    user = context["request"].user
    unit = getattr(record, "unit", None)
    if unit is not None:
        model_ids = [unit.product_model_id]
    else:
        model_ids = list(record.units.values_list("product_model_id", flat=True))
    return {
        **parts_context(user, record, model_ids),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("repairs/includes/case_costs.html")
def case_repair_costs(case):
    """The parts cost of the case's repairs (factory orders and on-site jobs)."""
    from warranty.repairs.selectors import case_repair_costs as costs

    return {"cost": costs(case)}
