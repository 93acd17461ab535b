"""待办 of factory repair, replacement and return: each role sees the step that waits for it."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aftersales.registry import TodoItem, TodoSection
from aftersales.roles import has_role
from warranty.repairs.models import Approval, FactoryRepair, ProductReturn, Replacement

LIMIT = 8
FX = FactoryRepair.Status

# role → (title, model, states, order)
STEPS: list[tuple[str, Any, Any, tuple, int]] = [
    ("warehouse", _("Factory repairs: units to receive"), FactoryRepair, (FX.AWAITING, FX.INBOUND), 61),
    (
        "qc",
        _("Factory repairs: to diagnose, repair or test"),
        FactoryRepair,
        (FX.RECEIVED, FX.ACCEPTED, FX.REPAIRED),
        62,
    ),
    ("finance", _("Factory repairs: fee to record"), FactoryRepair, (FX.DIAGNOSED,), 63),
    ("clerk", _("Factory repairs: fee acceptance or shipping back"), FactoryRepair, (FX.QUOTED, FX.TESTED), 64),
    ("warehouse", _("Replacements: assign or receive the old unit"), Replacement, ("requested", "shipped"), 65),
    ("clerk", _("Replacements: ship the new unit"), Replacement, ("assigned",), 66),
    ("warehouse", _("Product returns: receive the unit"), ProductReturn, ("requested",), 67),
    ("qc", _("Product returns: check the condition"), ProductReturn, ("received",), 68),
    ("finance", _("Product returns: refund"), ProductReturn, ("checked",), 69),
]
# The general manager's decisions: records still waiting for the approval (4.1.3.2).
APPROVALS: list[tuple[Any, Any, int]] = [
    (Replacement, _("Replacements to approve"), 57),
    (ProductReturn, _("Product returns to approve"), 58),
]
LIST_URLS = {FactoryRepair: "repairs:repair-list", Replacement: "repairs:replacement-list"}


def sections(user) -> list[TodoSection]:
    result = []
    for role, title, model, states, order in STEPS:
        if not has_role(user, role):
            continue
        qs = model._default_manager.filter(status__in=states).select_related("customer").order_by("created_at")
        if model is FactoryRepair and role == "finance":
            qs = qs.filter(is_paid=True)
        rows = list(qs[:LIMIT])
        if not rows:
            continue
        items = [
            TodoItem(
                label=f"{obj.number} · {obj.customer}",
                url=obj.get_absolute_url(),
                since=obj.created_at,
                note=obj.get_status_display(),
            )
            for obj in rows
        ]
        url = reverse(LIST_URLS.get(model, "repairs:return-list"))
        result.append(TodoSection(title=title, items=items, url=url, order=order))
    if has_role(user, "gm"):
        for model, title, order in APPROVALS:
            rows = list(
                model._default_manager.filter(approval=Approval.PENDING)
                .exclude(status__in=["cancelled", "rejected"])
                .select_related("customer")
                .order_by("created_at")[:LIMIT]
            )
            if rows:
                items = [
                    TodoItem(
                        label=f"{obj.number} · {obj.customer}",
                        url=obj.get_absolute_url(),
                        since=obj.created_at,
                        note=obj.reason[:60],
                    )
                    for obj in rows
                ]
                url = reverse(LIST_URLS.get(model, "repairs:return-list"))
                result.append(TodoSection(title=title, items=items, url=url, order=order))
    return result
