"""Reads of the shipping workflow: the list (keyset-paged, constant queries) and the detail."""

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from aftersales.models import Customer
from aftersales.pagination import decode_cursor
from shipping.models import Payment, Shipment, ShipmentLine, ShippedUnit


def shipment_list(
    *,
    status: str = "",
    customer: str = "",
    created_from: date | None = None,
    created_to: date | None = None,
    overdue: bool = False,
) -> QuerySet[Shipment]:
    """Shipments for the list; each filter matches an index that ends in (created_at, id)."""
    qs = (
        (overdue_shipments() if overdue else Shipment.objects)
        .select_related("customer", "site")
        .only(
            "number",
            "status",
            "created_at",
            "requested_ship_date",
            "expected_arrival",
            "waybill_number",
            "installation",
            "customer__name",
            "site__name",
        )
    )
    if status and not overdue:
        qs = qs.filter(status=status)
    if customer:
        qs = qs.filter(customer_id__in=matching_customer_ids(customer))
    # Day bounds as datetimes (not created_at__date) so the (…, created_at, id) indexes apply.
    if created_from:
        qs = qs.filter(created_at__gte=_day_start(created_from))
    if created_to:
        qs = qs.filter(created_at__lt=_day_start(created_to + timedelta(days=1)))
    return qs


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def matching_customer_ids(text: str, limit: int = 50) -> list[int]:
    """Customers whose code is `text` or whose name contains it (a bounded list for the IN filter)."""
    text = text.strip()
    exact = list(Customer.objects.filter(code__iexact=text).values_list("pk", flat=True)[:1])
    if exact:
        return exact
    return list(Customer.objects.filter(name__icontains=text).order_by("pk").values_list("pk", flat=True)[:limit])


def overdue_shipments() -> QuerySet[Shipment]:
    """In transit past the expected arrival, with no arrival recorded (index status, expected_arrival)."""
    return Shipment.objects.filter(status=Shipment.Status.IN_TRANSIT, expected_arrival__lt=timezone.localdate())


def shipment_detail(pk: int) -> Shipment:
    return (
        Shipment.objects.select_related(
            "customer", "site", "payment", "created_by", "carried_unit", "warehouse_copy_by", "logistics_copy_by"
        )
        .prefetch_related(
            Prefetch("lines", queryset=ShipmentLine.objects.select_related("product_model")),
            Prefetch(
                "shipped_units", queryset=ShippedUnit.objects.select_related("unit__product_model", "unit__customer")
            ),
            "tracking_notes",
            "missing_parts",
        )
        .get(pk=pk)
    )


def confirmed_payments(customer_id: int | None = None) -> QuerySet[Payment]:
    qs = Payment.objects.filter(status=Payment.Status.CONFIRMED).select_related("customer")
    return qs.filter(customer_id=customer_id) if customer_id else qs


def bound_by_cursor(qs: QuerySet[Shipment], cursor: str | None) -> QuerySet[Shipment]:
    """Add `created_at <= cursor's created_at` so the database seeks in the index to the page.

    keyset_page filters `created_at < x OR (created_at = x AND id < y)`; PostgreSQL cannot
    use that OR as an index condition and would walk the index from the newest row, so a
    deep page (row 500,000) took ~90 ms. The redundant bound makes it a seek (~1 ms).
    """
    values = decode_cursor(cursor, qs.model, ("-created_at", "-pk"))
    if values:
        qs = qs.filter(created_at__lte=values[0])
    return qs
