"""待办 for the shipping chain: each role sees the step that waits for it; overdue arrivals first."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.registry import TodoItem, TodoSection
from aftersales.roles import has_role
from shipping.models import Payment, Shipment
from shipping.selectors import overdue_shipments

LIMIT = 5
COUNT_CAP = 100  # counted with LIMIT: "100" means "100 or more", never a full scan


# When each step began: "waiting since" on the 待办 card (rows are still taken oldest first by
# the (status, created_at) index, so the card stays a cheap query at any table size).
STEP_STARTED = {
    Shipment.Status.REQUESTED: "created_at",
    Shipment.Status.NOTE_ISSUED: "note_issued_at",
    Shipment.Status.COPIES_RECEIVED: "copies_received_at",
    Shipment.Status.DISPATCHED: "dispatched_at",
    Shipment.Status.IN_TRANSIT: "waybill_returned_at",
    Shipment.Status.ARRIVED: "updated_at",
    Shipment.Status.RECEIVED: "receipt_confirmed_at",
}


def _section(title, qs, *, url, order, flag="", note=None) -> TodoSection | None:
    items = list(qs.select_related("customer").order_by("created_at", "pk")[:LIMIT])
    if not items:
        return None
    count = len(items) if len(items) < LIMIT else qs.order_by()[:COUNT_CAP].count()
    return TodoSection(
        title=title,
        items=[
            TodoItem(
                label=f"{s.number} · {s.customer.name}",
                url=s.get_absolute_url(),
                since=getattr(s, STEP_STARTED.get(s.status, "created_at")) or s.created_at,
                note=note(s) if note else s.get_status_display(),
                flag=flag,
            )
            for s in items
        ],
        count=count,
        url=url,
        flag=flag,
        order=order,
    )


def _copies_to_acknowledge(copy: str, base: str) -> TodoSection | None:
    """The 发货单 copies after-sales handed over that this department has not acknowledged."""
    waiting = Shipment.objects.filter(copies_received_at__isnull=False, **{f"{copy}_copy_at__isnull": True}).exclude(
        status=Shipment.Status.CANCELLED
    )
    return _section(
        gettext_lazy("Delivery note copies to acknowledge"),
        waiting,
        url=base,
        order=18,
        note=lambda s: s.delivery_note_number or s.get_status_display(),
    )


def sections(user) -> list[TodoSection]:
    result = []
    base = reverse("shipping:shipment-list")
    S = Shipment.Status

    def by_status(title, status, order):
        return _section(title, Shipment.objects.filter(status=status), url=f"{base}?status={status}", order=order)

    if has_role(user, "clerk", "as_manager"):
        result.append(
            _section(
                gettext_lazy("Shipments overdue (not arrived)"),
                overdue_shipments(),
                url=f"{base}?overdue=1",
                order=10,
                flag="overdue",
                note=lambda s: (
                    _("expected %(date)s, waybill %(waybill)s")
                    % {"date": s.expected_arrival, "waybill": s.waybill_number}
                ),
            )
        )
    if has_role(user, "clerk"):
        result += [
            by_status(gettext_lazy("Delivery notes to receive"), S.NOTE_ISSUED, 21),
            by_status(gettext_lazy("Shipments to record units"), S.COPIES_RECEIVED, 22),
            by_status(gettext_lazy("Shipments in transit"), S.IN_TRANSIT, 23),
            by_status(gettext_lazy("Receipts to confirm"), S.ARRIVED, 24),
            _section(
                gettext_lazy("Shipments waiting for installation"),
                Shipment.objects.filter(status=S.RECEIVED, installation=Shipment.Installation.PENDING),
                url=f"{base}?status=received",
                order=25,
                flag="warning",
                note=lambda s: _("waiting for installation"),
            ),
        ]
    if has_role(user, "warehouse"):
        result.append(by_status(gettext_lazy("Shipments to record units"), S.COPIES_RECEIVED, 22))
        result.append(_copies_to_acknowledge("warehouse", base))
    if has_role(user, "finance"):
        result.append(by_status(gettext_lazy("Delivery notes to issue"), S.REQUESTED, 20))
        payments = list(
            Payment.objects.filter(status=Payment.Status.RECORDED).select_related("customer").order_by("pk")[:LIMIT]
        )
        if payments:
            result.append(
                TodoSection(
                    title=gettext_lazy("Payments to confirm"),
                    items=[
                        TodoItem(label=str(p), url=reverse("shipping:payment-list"), since=p.created_at)
                        for p in payments
                    ],
                    url=reverse("shipping:payment-list"),
                    order=19,
                )
            )
    if has_role(user, "logistics"):
        result.append(by_status(gettext_lazy("Waybills to hand back"), S.DISPATCHED, 22))
        result.append(_copies_to_acknowledge("logistics", base))
    return [s for s in result if s is not None]
