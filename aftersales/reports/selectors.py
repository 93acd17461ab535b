"""One function per report. Every figure is aggregated in the database (values/annotate/aggregate,
TruncMonth) over an indexed date range; Python only reshapes the handful of aggregated rows."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from aftersales.pagination import keyset_page
from aftersales.servicedesk.models import (
    CaseRevisit,
    ClockKind,
    DocumentDelivery,
    DocumentVersion,
    RepeatRepairOverride,
    ServiceCase,
    SlaClock,
)
from fieldservice.models import (
    Assignment,
    FeedbackFormA,
    FeedbackFormB,
    ProgressReport,
    ServiceJob,
    TrainingSession,
)
from shipping.models import Shipment, ShipmentLine
from warranty.models import (
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    QualityIncident,
    QualitySanction,
    SupplierClaim,
)

GOOD_RESULTS = (FeedbackFormA.Result.VERY_GOOD, FeedbackFormA.Result.GOOD)


@dataclass(frozen=True)
class ReportFilter:
    """The common filter: period (inclusive dates) and optional customer, region, model, technician, department."""

    date_from: date
    date_to: date
    customer_id: int | None = None
    province: str = ""
    product_model_id: int | None = None
    technician_id: int | None = None
    department_id: int | None = None

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        """Exclusive upper bound: the first moment after date_to (keeps the range sargable)."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    def in_period(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def in_dates(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.date_from, f"{field}__lte": self.date_to})


def month_range(month: date) -> ReportFilter:
    """The filter of one calendar month."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return ReportFilter(date_from=first, date_to=following - timedelta(days=1))


def _job_filters(f: ReportFilter, prefix: str = "") -> Q:
    """Customer, region, product model and technician of a service job (reached through `prefix`)."""
    q = Q()
    if f.customer_id:
        q &= Q(**{f"{prefix}customer_id": f.customer_id})
    if f.province:
        q &= Q(**{f"{prefix}customer__province": f.province})
    return q


def _job_exists(f: ReportFilter, job_ref: str) -> list:
    """Exists() conditions for the many-valued job filters, so joins never multiply rows."""
    conditions = []
    if f.technician_id:
        conditions.append(Exists(Assignment.objects.filter(job_id=OuterRef(job_ref), technician_id=f.technician_id)))
    if f.product_model_id:
        conditions.append(
            Exists(
                ServiceJob.units.through.objects.filter(
                    servicejob_id=OuterRef(job_ref), unit__product_model_id=f.product_model_id
                )
            )
        )
    return conditions


def _person(prefix: str) -> list[str]:
    return [f"{prefix}_id", f"{prefix}__last_name", f"{prefix}__first_name", f"{prefix}__username"]


def person_label(row: dict, prefix: str) -> str:
    name = f"{row.get(f'{prefix}__last_name') or ''}{row.get(f'{prefix}__first_name') or ''}"
    return name or row.get(f"{prefix}__username") or "—"


def _pct(part: int | float | None, whole: int | float | None) -> float | None:
    return round(100.0 * (part or 0) / whole, 1) if whole else None


def _distribution(qs: QuerySet, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in qs.values(field).annotate(n=Count("pk")).order_by()}


# --- customer satisfaction (form A) --------------------------------------------------------


def signed_forms_a(f: ReportFilter) -> QuerySet:
    """Current, customer-signed forms A of the period (the customer's own rating, 4.6 of XX生物科技)."""
    qs = FeedbackFormA.objects.filter(
        f.in_period("signed_at"),
        _job_filters(f, "job__"),
        *_job_exists(f, "job_id"),
        status=FeedbackFormA.Status.SIGNED,
        is_current=True,
    )
    return qs


def satisfaction(f: ReportFilter) -> dict[str, Any]:
    qs = signed_forms_a(f)
    good = Count("pk", filter=Q(result__in=GOOD_RESULTS))
    totals = qs.aggregate(forms=Count("pk"), good=good)
    by_month = list(
        qs.annotate(month=TruncMonth("signed_at"))
        .values("month")
        .annotate(forms=Count("pk"), good=good)
        .order_by("month")
    )
    by_region = list(
        qs.values("job__customer__province").annotate(forms=Count("pk"), good=good).order_by("job__customer__province")
    )
    tech_rows = (
        Assignment.objects.filter(job__in=qs.values("job_id"))
        .values(*_person("technician"))
        .annotate(
            forms=Count("job__forms_a", filter=Q(job__forms_a__in=qs.values("pk"))),
            good=Count(
                "job__forms_a",
                filter=Q(job__forms_a__in=qs.values("pk"), job__forms_a__result__in=GOOD_RESULTS),
            ),
        )
        .order_by("technician__last_name", "technician__first_name", "technician_id")
    )
    return {
        "forms": totals["forms"],
        "good": totals["good"],
        "good_pct": _pct(totals["good"], totals["forms"]),
        "result": _distribution(qs, "result"),
        "efficiency": _distribution(qs, "efficiency"),
        "attitude": _distribution(qs, "attitude"),
        "training": _distribution(qs, "training"),
        "by_month": [{**r, "good_pct": _pct(r["good"], r["forms"])} for r in by_month],
        "by_region": [
            {"region": r["job__customer__province"], **r, "good_pct": _pct(r["good"], r["forms"])} for r in by_region
        ],
        "by_technician": [
            {"technician": person_label(r, "technician"), **r, "good_pct": _pct(r["good"], r["forms"])}
            for r in tech_rows
        ],
        "comments": list(
            qs.exclude(acceptance_comments="")
            .order_by("-signed_at", "-pk")
            .values("job__number", "job__customer__name", "signed_at", "result", "acceptance_comments")[:200]
        ),
    }


# --- service commitments (SLA clocks) ------------------------------------------------------


class MedianSeconds(Aggregate):
    """PostgreSQL's exact median of a duration, in seconds."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (%(expressions)s)))"
    output_field = FloatField()


ELAPSED = ExpressionWrapper(F("stopped_at") - F("started_at"), output_field=DurationField())


def sla_clocks(f: ReportFilter) -> QuerySet:
    """Clocks of the cases opened in the period (the case's created_at index bounds the scan)."""
    q = f.in_period("case__created_at")
    if f.customer_id:
        q &= Q(case__customer_id=f.customer_id)
    if f.province:
        q &= Q(case__customer__province=f.province)
    if f.product_model_id:
        q &= Q(case__unit__product_model_id=f.product_model_id)
    return SlaClock.objects.filter(q)


def _median_fallback(qs: QuerySet) -> float | None:
    """Median without loading the rows: count, then read the one or two middle rows in order."""
    stopped = qs.filter(stopped_at__isnull=False).annotate(elapsed=ELAPSED)
    n = stopped.count()
    if not n:
        return None
    middle = list(stopped.order_by("elapsed").values_list("elapsed", flat=True)[(n - 1) // 2 : n // 2 + 1])
    return sum(d.total_seconds() for d in middle) / len(middle)


def commitments(f: ReportFilter) -> dict[str, Any]:
    now = timezone.now()
    qs = sla_clocks(f)
    counts: dict[str, Any] = {
        # Not named "met": an annotation of that name would shadow the field in the filters below.
        "kept": Count("pk", filter=Q(met=True)),
        "missed": Count("pk", filter=Q(met=False, stopped_at__isnull=False)),
        "breached_open": Count("pk", filter=Q(stopped_at__isnull=True, deadline__lte=now)),
        "running": Count("pk", filter=Q(stopped_at__isnull=True, deadline__gt=now)),
    }
    is_pg = connection.vendor == "postgresql"
    if is_pg:
        counts["median_s"] = MedianSeconds(ELAPSED, filter=Q(stopped_at__isnull=False))
    month = TruncMonth("case__created_at")
    rows = list(qs.annotate(month=month).values("month", "kind").annotate(**counts).order_by("month", "kind"))
    kinds = list(qs.values("kind").annotate(**counts).order_by("kind"))
    if not is_pg:
        for row in kinds:
            row["median_s"] = _median_fallback(qs.filter(kind=row["kind"]))
        for row in rows:
            row["median_s"] = _median_fallback(qs.annotate(month=month).filter(kind=row["kind"], month=row["month"]))
    for row in rows + kinds:
        row["met"] = row.pop("kept")
        decided = row["met"] + row["missed"] + row["breached_open"]
        row["met_pct"] = _pct(row["met"], decided)
        row["median_h"] = round(row["median_s"] / 3600, 1) if row.get("median_s") is not None else None
    return {"by_kind": kinds, "by_month": rows, "documents": documents_sent(f)}


def documents_sent(f: ReportFilter) -> list[dict[str, Any]]:
    """技术文件更新: each version published in the period, to how many customers it went, how many wait."""
    versions = DocumentVersion.objects.filter(f.in_period("published_at"))
    if f.product_model_id:
        versions = versions.filter(document__product_model_id=f.product_model_id)
    deliveries = DocumentDelivery.objects.filter(version_id=OuterRef("pk"))
    sent = deliveries.filter(sent_at__isnull=False).values("version_id").annotate(n=Count("pk")).values("n")
    unsent = deliveries.filter(sent_at__isnull=True).values("version_id").annotate(n=Count("pk")).values("n")
    return [
        dict(row)
        for row in versions.annotate(sent=Subquery(sent), unsent=Subquery(unsent))
        .order_by("published_at", "pk")
        .values("document__product_model__code", "document__title", "version", "published_at", "sent", "unsent")[:500]
    ]


# --- technician assessment (form B, 考核依据) ----------------------------------------------


def technician_assessment(f: ReportFilter) -> list[dict[str, Any]]:
    """Per technician: jobs, days on site and fees (form B), satisfaction (form A), open issues, reports."""
    jobs = ServiceJob.objects.filter(f.in_period("created_at"), _job_filters(f), *_job_exists(f, "pk"))
    assignments = Assignment.objects.filter(job__in=jobs.values("pk"))
    if f.technician_id:
        assignments = assignments.filter(technician_id=f.technician_id)
    person = _person("technician")
    order = ("technician__last_name", "technician__first_name", "technician_id")
    base = {
        r["technician_id"]: r
        for r in assignments.values(*person)
        .annotate(
            jobs=Count("job_id", distinct=True),
            forms_b=Count("job__form_b"),
            days=Sum("job__form_b__total_days"),
            fees=Sum("job__form_b__service_fee"),
            approved=Count("job__form_b", filter=Q(job__form_b__status=FeedbackFormB.Status.APPROVED)),
            open_issues=Count("job__form_b", filter=~Q(job__form_b__open_issues__in=["", "无"])),
            trips=Count("job_id", filter=Q(job__trip_departure_at__isnull=False), distinct=True),
        )
        .order_by(*order)
    }
    forms_a = FeedbackFormA.objects.filter(status=FeedbackFormA.Status.SIGNED, is_current=True)
    rated = (
        assignments.filter(job__forms_a__in=forms_a)
        .values("technician_id")
        .annotate(
            rated=Count("job__forms_a"), good=Count("job__forms_a", filter=Q(job__forms_a__result__in=GOOD_RESULTS))
        )
    )
    reports = (
        ProgressReport.objects.filter(job__in=jobs.values("pk"))
        .values(technician_id=F("job__assignments__technician_id"))
        .annotate(reports=Count("pk"), reported_trips=Count("job_id", distinct=True))
        .order_by()
    )
    # 培训: sessions recorded on the jobs by the technician who recorded them (the trainer).
    trainings = (
        TrainingSession.objects.filter(job__in=jobs.values("pk"))
        .values(technician_id=F("created_by_id"))
        .annotate(sessions=Count("pk"), training_hours=Sum("hours"))
        .order_by()
    )
    extra: dict[int, dict] = {}
    for t in trainings:
        extra.setdefault(t["technician_id"], {}).update(sessions=t["sessions"], training_hours=t["training_hours"])
    for r in rated.order_by():
        extra.setdefault(r["technician_id"], {}).update(rated=r["rated"], good=r["good"])
    for rep in reports:
        extra.setdefault(rep["technician_id"], {}).update(reports=rep["reports"], reported_trips=rep["reported_trips"])
    result = []
    for tech_id, row in base.items():
        more = extra.get(tech_id, {})
        rated_n, good_n = more.get("rated", 0), more.get("good", 0)
        result.append(
            {
                "technician_id": tech_id,
                "technician": person_label(row, "technician"),
                "jobs": row["jobs"],
                "forms_b": row["forms_b"],
                "approved": row["approved"],
                "days": row["days"] or 0,
                "fees": row["fees"] or 0,
                "rated": rated_n,
                "good_pct": _pct(good_n, rated_n),
                "open_issues": row["open_issues"],
                "trips": row["trips"],
                "reports": more.get("reports", 0),
                "trips_without_report": max(row["trips"] - more.get("reported_trips", 0), 0),
                "trainings": more.get("sessions", 0),
                "training_hours": more.get("training_hours") or 0,
            }
        )
    return result


# --- shipments -----------------------------------------------------------------------------

LEAD_TIME = ExpressionWrapper(F("arrived_on") - F("payment__received_on"), output_field=DurationField())
IN_TRANSIT = (Shipment.Status.DISPATCHED, Shipment.Status.IN_TRANSIT)


def shipments(f: ReportFilter) -> dict[str, Any]:
    """Lead time from payment (货款到账) to arrival, by month of receipt; overdue and late arrivals."""
    q = _job_filters(f)
    if f.product_model_id:
        q &= Q(Exists(ShipmentLine.objects.filter(shipment_id=OuterRef("pk"), product_model_id=f.product_model_id)))
    received = Shipment.objects.filter(q, f.in_period("receipt_confirmed_at"), status=Shipment.Status.RECEIVED)
    late = Q(arrived_on__gt=F("expected_arrival"))
    agg = {"received": Count("pk"), "late": Count("pk", filter=late), "lead": Avg(LEAD_TIME)}
    totals: dict[str, Any] = dict(received.aggregate(**agg))
    by_month: list[dict[str, Any]] = [
        dict(row)
        for row in received.annotate(month=TruncMonth("receipt_confirmed_at"))
        .values("month")
        .annotate(**agg)
        .order_by("month")
    ]
    today = timezone.localdate()
    overdue = Shipment.objects.filter(q, status__in=IN_TRANSIT, expected_arrival__lt=today)
    for row in [totals, *by_month]:
        row["lead_days"] = round(row["lead"].total_seconds() / 86400, 1) if row["lead"] is not None else None
    # 承诺 4: shipments due under their contract in the period that arrived late, or have not yet.
    late_rows: list[dict[str, Any]] = []
    late_total = Decimal("0")
    for shipment in (
        Shipment.objects.filter(q, f.in_dates("contract_delivery_date"))
        .exclude(status=Shipment.Status.CANCELLED)
        .filter(
            Q(arrived_on__gt=F("contract_delivery_date")) | Q(arrived_on__isnull=True, contract_delivery_date__lt=today)
        )
        .select_related("customer")
        .order_by("contract_delivery_date", "pk")
        .iterator(chunk_size=500)
    ):
        late_delivery = shipment.late_delivery(today)
        if late_delivery is not None and late_delivery.days:
            late_rows.append({"shipment": shipment, "late": late_delivery})
            late_total += late_delivery.penalty
    return {
        **totals,
        "by_month": by_month,
        "late_deliveries": late_rows,
        "late_penalty_total": late_total,
        "overdue_count": overdue.count(),
        "overdue": list(
            overdue.order_by("expected_arrival", "pk").values(
                "pk", "number", "customer__name", "carrier", "waybill_number", "expected_arrival"
            )[:100]
        ),
    }


# --- warranty and quality ------------------------------------------------------------------


def warranty(f: ReportFilter) -> dict[str, Any]:
    today = timezone.localdate()
    part_q = Q()
    if f.customer_id:
        part_q &= Q(part__customer_id=f.customer_id)
    if f.province:
        part_q &= Q(part__customer__province=f.province)
    if f.product_model_id:
        part_q &= Q(part__unit__product_model_id=f.product_model_id)
    appraisals = Appraisal.objects.filter(part_q, f.in_period("appraised_at"))
    claims = SupplierClaim.objects.filter(f.in_period("created_at"))
    if f.customer_id or f.province or f.product_model_id:
        claims = claims.filter(appraisal__in=appraisals.values("pk"))
    cust_claims = CustomerClaim.objects.filter(f.in_period("created_at"), _job_filters(f))
    incidents = QualityIncident.objects.filter(f.in_period("created_at"), _job_filters(f))
    actions = CorrectiveAction.objects.exclude(status=CorrectiveAction.Status.CLOSED)
    if f.department_id:
        incidents = incidents.filter(responsible_department_id=f.department_id)
        actions = actions.filter(owner_department_id=f.department_id)
    met = Q(received_on__isnull=False, received_on__lte=F("deadline"))
    missed = Q(received_on__gt=F("deadline")) | Q(received_on__isnull=True, deadline__lt=today)
    overrides = RepeatRepairOverride.objects.filter(f.in_period("created_at"), _job_filters(f, "case__"))
    if f.product_model_id:
        overrides = overrides.filter(case__unit__product_model_id=f.product_model_id)
    return {
        # 产品质量保证承诺 四: each repair allowed by the manager instead of a new unit.
        "repeat_overrides": overrides.count(),
        "repeat_override_rows": list(
            overrides.order_by("created_at", "pk").values(
                "case__number",
                "case__unit__serial_number",
                "component__name",
                "defect_code__code",
                "repairs",
                "reason",
                "created_at",
                *_person("created_by"),
            )[:100]
        ),
        "returns": appraisals.count(),
        "by_outcome": list(appraisals.values("outcome").annotate(n=Count("pk")).order_by("-n", "outcome")),
        "by_origin": list(appraisals.values("origin").annotate(n=Count("pk")).order_by("-n", "origin")),
        "by_supplier": list(
            appraisals.filter(origin="bought_in")
            .values("supplier__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "supplier__name")
        ),
        "by_component": list(
            appraisals.values("part__part_name").annotate(n=Count("pk")).order_by("-n", "part__part_name")[:20]
        ),
        "supplier_claims": claims.aggregate(
            claims=Count("pk"), met=Count("pk", filter=met), missed=Count("pk", filter=missed)
        ),
        "customer_claims": cust_claims.aggregate(
            claims=Count("pk"), claimed=Sum("amount_claimed"), agreed=Sum("amount_agreed"), paid=Sum("amount_paid")
        ),
        "incidents": list(
            incidents.values("responsible_department__name")
            .annotate(
                incidents=Count("pk"),
                total=Sum("total_cost"),
                team=Sum("team_share"),
                supplier=Sum("supplier_share"),
                company=Sum("company_share"),
            )
            .order_by("responsible_department__name")
        ),
        "incident_cost": incidents.aggregate(total=Sum("total_cost"))["total"] or 0,
        # 质量奖罚: the approved rewards and penalties of the period's incidents.
        "sanctions": list(
            QualitySanction.objects.filter(incident__in=incidents.values("pk"), decision="approved")
            .order_by("incident__number", "pk")
            .values("incident__number", "kind", "department__name", "person", "amount", "reason")[:500]
        ),
        "open_actions": actions.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today))),
        "open_action_rows": list(
            actions.order_by("due_date", "pk").values(
                "number", "owner_department__name", "due_date", "status", "problem"
            )[:100]
        ),
    }


# --- the complaint ledger (台帐, 售后服务承诺 (4)) -------------------------------------------


def complaints(f: ReportFilter) -> QuerySet:
    """Every complaint of the period with its handling and result, newest first (keyset-paged)."""
    latest_revisit = CaseRevisit.objects.filter(case_id=OuterRef("pk")).order_by("-created_at", "-pk")
    qs = ServiceCase.objects.filter(f.in_period("created_at"), _job_filters(f), category=ServiceCase.Category.COMPLAINT)
    if f.product_model_id:
        qs = qs.filter(unit__product_model_id=f.product_model_id)
    return qs.select_related("customer", "unit__product_model").annotate(
        satisfaction=Subquery(latest_revisit.values("satisfaction")[:1]),
        answered_at=Subquery(
            SlaClock.objects.filter(case_id=OuterRef("pk"), kind=ClockKind.RESPONSE).values("stopped_at")[:1]
        ),
    )


def complaint_page(f: ReportFilter, cursor: str | None = None, size: int = 50):
    return keyset_page(complaints(f), ordering=("-created_at", "-pk"), cursor=cursor, size=size)


# --- key figures: this month against last month --------------------------------------------


def key_figures(f: ReportFilter) -> dict[str, Any]:
    """The figures managers watch, for one period (the dashboard compares two months)."""
    now = timezone.now()
    cases = ServiceCase.objects.filter(_job_filters(f))
    clocks = SlaClock.objects.filter(f.in_period("case__created_at"))
    sla = clocks.aggregate(
        kept=Count("pk", filter=Q(met=True)),
        decided=Count("pk", filter=Q(stopped_at__isnull=False) | Q(deadline__lte=now)),
    )
    forms = signed_forms_a(f).aggregate(forms=Count("pk"), good=Count("pk", filter=Q(result__in=GOOD_RESULTS)))
    incidents = QualityIncident.objects.filter(f.in_period("created_at"), _job_filters(f))
    claims = CustomerClaim.objects.filter(f.in_period("created_at"), _job_filters(f))
    cost = (incidents.aggregate(t=Sum("total_cost"))["t"] or 0) + (claims.aggregate(t=Sum("amount_paid"))["t"] or 0)
    return {
        "opened": cases.filter(f.in_period("created_at")).count(),
        "closed": cases.filter(f.in_period("closed_at")).count(),
        "sla_met_pct": _pct(sla["kept"], sla["decided"]),
        "satisfaction_pct": _pct(forms["good"], forms["forms"]),
        "shipments_received": Shipment.objects.filter(
            _job_filters(f), f.in_period("receipt_confirmed_at"), status=Shipment.Status.RECEIVED
        ).count(),
        "overdue": clocks.filter(stopped_at__isnull=True, deadline__lte=now).count(),
        "warranty_cost": cost,
    }


def cases_by_month(f: ReportFilter) -> list[dict[str, Any]]:
    """Cases opened per month of the period (the dashboard's trend)."""
    return [
        dict(row)
        for row in ServiceCase.objects.filter(f.in_period("created_at"), _job_filters(f))
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    ]
