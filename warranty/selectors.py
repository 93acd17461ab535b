"""Reads of the warranty app: list querysets with their filters, the quarantine zone, 待办."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from aftersales.models import SigningLink, Unit
from aftersales.signatures import signing_link_url
from warranty.models import (
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    Notice,
    QualityIncident,
    QualitySheet,
    ReturnedPart,
    SupplierClaim,
)


def _search(qs: QuerySet, q: str, *fields: str) -> QuerySet:
    """Exact match on the document number, or else on the related serial number / codes.

    A related field is matched through a subquery of ids (unit_id IN (…)) rather than an OR
    over a join, so each branch uses its own index even with a million rows.
    """
    q = (q or "").strip()
    if not q:
        return qs
    if q.upper().startswith(f"{qs.model.NUMBER_PREFIX}-"):
        return qs.filter(number=q.upper())
    cond = Q()
    for field in fields:
        if field == "number":
            continue
        if "__" in field:
            relation, _sep, attr = field.rpartition("__")
            related = qs.model
            for part in relation.split("__"):
                related = related._meta.get_field(part).related_model
            # Ids first (a serial or code is unique): no match anywhere means no rows, and the
            # database never walks the whole date index looking for one.
            ids = list(related._default_manager.filter(**{attr: q}).values_list("pk", flat=True)[:100])
            if ids:
                cond |= Q(**{f"{relation}__in": ids})
        else:
            cond |= Q(**{field: q})
    return qs.filter(cond) if cond else qs.none()


def sheet_list(*, status: str = "", q: str = "") -> QuerySet:
    qs = QualitySheet.objects.select_related("customer", "unit")
    if status:
        qs = qs.filter(status=status)
    return _search(qs, q, "number", "unit__serial_number", "customer__code")


def part_list(*, status: str = "", q: str = "") -> QuerySet:
    qs = ReturnedPart.objects.select_related("customer", "unit", "component")
    if status:
        qs = qs.filter(status=status)
    return _search(qs, q, "number", "unit__serial_number", "part_serial")


def quarantine_list() -> QuerySet:
    """What sits in the quarantine zone, oldest first, with its appraisal (who it waits for)."""
    return ReturnedPart.objects.filter(status=ReturnedPart.Status.QUARANTINED).select_related(
        "customer", "unit", "appraisal"
    )


def waiting_for(part: ReturnedPart) -> str:
    from django.utils.translation import gettext as _

    appraisal = getattr(part, "appraisal", None)
    if appraisal is None:
        return _("after-sales (appraisal form)")
    if appraisal.status == Appraisal.Status.FILED:
        return _("QC appraisal")
    if appraisal.status == Appraisal.Status.APPRAISED_OWN:
        return _("warehouse: exchange for a good part")
    if appraisal.status == Appraisal.Status.APPRAISED_NOT:
        return _("after-sales: tell the customer")
    return ""


def appraisal_list(*, status: str = "", origin: str = "", q: str = "") -> QuerySet:
    qs = Appraisal.objects.select_related("part", "part__customer", "part__unit", "supplier")
    if status:
        qs = qs.filter(status=status)
    if origin:
        qs = qs.filter(origin=origin)
    return _search(qs, q, "number", "part__number", "part__unit__serial_number")


def supplier_claim_list(*, status: str = "", overdue: bool = False, q: str = "") -> QuerySet:
    qs = SupplierClaim.objects.select_related("supplier", "appraisal")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=SupplierClaim.Status.NOTIFIED, deadline__lt=timezone.localdate())
    return _search(qs, q, "number", "supplier__code")


def customer_claim_list(*, status: str = "", q: str = "") -> QuerySet:
    qs = CustomerClaim.objects.select_related("customer", "appraisal")
    if status:
        qs = qs.filter(status=status)
    return _search(qs, q, "number", "customer__code")


def incident_list(*, status: str = "", q: str = "") -> QuerySet:
    qs = QualityIncident.objects.select_related("customer", "unit", "responsible_department")
    if status:
        qs = qs.filter(status=status)
    return _search(qs, q, "number", "unit__serial_number", "customer__code")


def action_list(*, status: str = "", overdue: bool = False, q: str = "") -> QuerySet:
    qs = CorrectiveAction.objects.select_related("owner_department")
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=CorrectiveAction.Status.OPEN, due_date__lt=timezone.localdate())
    return _search(qs, q, "number")


def open_notices(role: str, limit: int = 10) -> list[Notice]:
    return list(
        Notice.objects.filter(role=role, read_at__isnull=True)
        .select_related("appraisal")
        .order_by("created_at")[:limit]
    )


def unit_serials(limit: int = 500) -> QuerySet:
    """Serial numbers of the units at customers, offered as the user types one."""
    return (
        Unit.objects.filter(customer__isnull=False)
        .values_list("serial_number", flat=True)
        .order_by("serial_number")[:limit]
    )


def open_signing_link(record, *, purpose: str, made_by) -> str:
    """The URL of the signing link `made_by` made for the record, while it can still be used."""
    link = (
        SigningLink.objects.filter(
            record_type=ContentType.objects.get_for_model(record),
            record_id=record.pk,
            purpose=purpose,
            created_by=made_by,
            used_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return signing_link_url(link) if link else ""
