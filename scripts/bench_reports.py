"""Benchmark of the management reports at scale (not a test; never asserts timings).

Seeds N service cases with their clocks (through scripts/bench_servicedesk.py), then, in the
database, matching records: a service job with assignment, forms A and B per 10 cases,
progress reports, a shipment per 20 cases, a returned part with its appraisal per 50 and a
quality incident per 100. Prints each report's time and query count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/as_reports \
        .venv/bin/python scripts/bench_reports.py [N]        (default 1,000,000; 200,000 on SQLite)
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")

import django  # noqa: E402

django.setup()

from bench_servicedesk import _column_defaults, populate  # noqa: E402  (scripts/ is sys.path[0])
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.models import Customer, Department, Site, Supplier  # noqa: E402
from aftersales.roles import group  # noqa: E402
from aftersales.servicedesk.models import ServiceCase  # noqa: E402
from fieldservice.models import Assignment, FeedbackFormA, FeedbackFormB, ProgressReport, ServiceJob  # noqa: E402
from shipping.models import Payment, Shipment  # noqa: E402
from warranty.models import Appraisal, QualityIncident, ReturnedPart  # noqa: E402

PG = connection.vendor == "postgresql"


def series(n: int) -> str:
    """Rows 0..n-1 as g(n): a recursive CTE both PostgreSQL and SQLite run in the server."""
    return f"WITH RECURSIVE g(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM g WHERE n < {n - 1}) "


def minutes_ago(expr: str) -> str:
    if PG:
        return f"now() - ({expr}) * interval '1 minute'"
    return f"datetime('now', '-' || ({expr}) || ' minutes')"


def plus_days(ts: str, days: str) -> str:
    return f"({ts}::date + ({days})::int)" if PG else f"date({ts}, '+' || ({days}) || ' days')"


def as_date(ts: str) -> str:
    return f"({ts})::date" if PG else f"date({ts})"


def case_of(expr: str, values: list[str]) -> str:
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE ({expr}) % {len(values)} {whens} END"


def insert(model, overrides: dict[str, str], source: str, where: str = "", params=()) -> None:
    columns, expressions, defaults = _column_defaults(model, overrides)
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"{source if source.startswith('WITH') else ''}SELECT {', '.join(expressions)} "
        f"FROM {'g' if source.startswith('WITH') else source} {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*defaults, *params])


def populate_related(total: int) -> None:
    if ServiceJob.objects.filter(number__startswith="FW-BENCH-").exists():
        print("related bench records already there")
        return
    start = time.perf_counter()
    customers = list(Customer.objects.filter(code__startswith="BENCH").order_by("pk").values_list("pk", flat=True))
    first_customer, n_customers = customers[0], len(customers)
    techs = []
    for i in range(5):
        user, _c = get_user_model().objects.get_or_create(username=f"bench_tech{i}", defaults={"last_name": f"技{i}"})
        user.groups.add(group("technician"))
        techs.append(user.pk)
    site, _c = Site.objects.get_or_create(customer_id=first_customer, name="基准现场", defaults={"city": "长沙"})
    supplier, _c = Supplier.objects.get_or_create(code="BENCH-S", defaults={"name": "基准供应商"})
    depts = [
        Department.objects.get_or_create(code=f"BENCH-D{i}", defaults={"name": f"基准部门{i}"})[0].pk for i in range(3)
    ]
    jobs, ships, parts, incidents = total // 10, total // 20, total // 50, total // 100
    now_ts = "now()" if PG else "datetime('now')"
    with transaction.atomic():
        insert(
            ServiceJob,
            {
                "number": "'FW-BENCH-' || n",
                "kind": "'repair'",
                "status": "'archived'",
                "customer": f"{first_customer} + n % {n_customers}",
                "trip_departure_at": minutes_ago("n * 30 + 600"),
                "created_at": minutes_ago("n * 30"),
                "updated_at": now_ts,
                "verify_code": "gen_random_uuid()" if PG else "lower(hex(randomblob(16)))",
            },
            series(jobs),
        )
        job_src = f"{ServiceJob._meta.db_table} j"
        job_where = "WHERE j.number LIKE 'FW-BENCH-%%'"
        tech = "CASE j.id % 5 " + " ".join(f"WHEN {i} THEN {t}" for i, t in enumerate(techs)) + " END"
        insert(
            Assignment,
            {
                "job": "j.id",
                "technician": tech,
                "is_lead": "true" if PG else "1",
                "created_at": "j.created_at",
                "updated_at": now_ts,
            },
            job_src,
            job_where,
        )
        insert(
            FeedbackFormA,
            {
                "job": "j.id",
                "status": "'signed'",
                "is_current": "true" if PG else "1",
                "result": case_of("j.id", FeedbackFormA.Result.values),
                "efficiency": case_of("j.id / 3", FeedbackFormA.Efficiency.values),
                "attitude": case_of("j.id / 7", FeedbackFormA.Attitude.values),
                "training": case_of("j.id / 11", FeedbackFormA.Training.values),
                "acceptance_comments": "CASE WHEN j.id % 9 = 0 THEN '服务及时' ELSE '' END",
                "signed_at": "j.created_at",
                "created_at": "j.created_at",
                "updated_at": now_ts,
            },
            job_src,
            job_where,
        )
        insert(
            FeedbackFormB,
            {
                "job": "j.id",
                "status": "'approved'",
                "project_name": "'基准项目'",
                "period_from": as_date("j.created_at"),
                "period_to": as_date("j.created_at"),
                "total_days": "1 + j.id % 5",
                "service_fee": "500 + (j.id % 7) * 100",
                "open_issues": "CASE WHEN j.id % 3 = 0 THEN '待跟进' ELSE '' END",
                "created_at": "j.created_at",
                "updated_at": now_ts,
            },
            job_src,
            job_where,
        )
        insert(
            ProgressReport,
            {"job": "j.id", "text": "'进展'", "created_at": "j.created_at", "updated_at": now_ts},
            job_src,
            job_where + " AND j.id %% 2 = 0",
        )
        insert(
            Payment,
            {
                "customer": f"{first_customer} + n % {n_customers}",
                "amount": "100000",
                "received_on": as_date(minutes_ago("n * 60 + 14400")),
                "reference": "'PAY-BENCH-' || n",
                "status": "'confirmed'",
                "created_at": minutes_ago("n * 60 + 14400"),
                "updated_at": now_ts,
            },
            series(ships),
        )
        insert(
            Shipment,
            {
                "number": "'FH-BENCH-' || p.id",
                "payment": "p.id",
                "customer": "p.customer_id",
                "site": str(site.pk),
                "contact_name": "'张'",
                "contact_phone": "'1'",
                "requested_ship_date": "p.received_on",
                "status": "CASE WHEN p.id % 10 = 0 THEN 'in_transit' ELSE 'received' END",
                "expected_arrival": plus_days("p.received_on", "10"),
                "arrived_on": f"CASE WHEN p.id % 10 = 0 THEN NULL ELSE {plus_days('p.received_on', 'p.id % 15')} END",
                "receipt_confirmed_at": "CASE WHEN p.id % 10 = 0 THEN NULL ELSE "
                + ("p.created_at + interval '10 days'" if PG else "datetime(p.created_at, '+10 days')")
                + " END",
                "created_at": "p.created_at",
                "updated_at": now_ts,
            },
            f"{Payment._meta.db_table} p",
            "WHERE p.reference LIKE 'PAY-BENCH-%%'",
        )
        insert(
            ReturnedPart,
            {
                "number": "'TH-BENCH-' || n",
                "status": "'exchanged'",
                "customer": f"{first_customer} + n % {n_customers}",
                "part_name": case_of("n", ["温控器", "加热丝", "炉膛", "热电偶"]),
                "created_at": minutes_ago("n * 150"),
                "updated_at": now_ts,
            },
            series(parts),
        )
        insert(
            Appraisal,
            {
                "number": "'JD-BENCH-' || r.id",
                "status": "'own_defect'",
                "part": "r.id",
                "origin": case_of("r.id", ["self_made", "bought_in"]),
                "supplier": f"CASE WHEN r.id % 2 = 1 THEN {supplier.pk} ELSE NULL END",
                "outcome": case_of("r.id", ["repair", "replace", "refund", "none"]),
                "appraised_at": "r.created_at",
                "created_at": "r.created_at",
                "updated_at": now_ts,
            },
            f"{ReturnedPart._meta.db_table} r",
            "WHERE r.number LIKE 'TH-BENCH-%%'",
        )
        dept = "CASE n % 3 " + " ".join(f"WHEN {i} THEN {d}" for i, d in enumerate(depts)) + " END"
        insert(
            QualityIncident,
            {
                "number": "'SG-BENCH-' || n",
                "status": "'reviewed'",
                "customer": f"{first_customer} + n % {n_customers}",
                "description": "'基准事故'",
                "responsible_department": dept,
                "total_cost": "1000 + n % 500",
                "team_share": "500",
                "created_at": minutes_ago("n * 300"),
                "updated_at": now_ts,
            },
            series(incidents),
        )
    if PG:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  related records ({time.perf_counter() - start:.0f}s)", flush=True)


def measure(client: Client, label: str, url: str, runs: int = 3) -> None:
    client.get(url)  # warm-up
    timings = []
    for _i in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    slowest = max(float(q["time"]) for q in ctx.captured_queries)
    timings.sort()
    print(
        f"{label:<36} median {timings[len(timings) // 2]:8.1f} ms   queries {len(ctx.captured_queries):3d}   "
        f"slowest query {slowest * 1000:7.1f} ms",
        flush=True,
    )


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    total = int(args[0]) if args else (1_000_000 if PG else 200_000)
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; target {total:,} service cases")
    populate(total)
    populate_related(total)
    user, _c = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    print(
        f"cases: {ServiceCase.objects.count():,}; jobs: {ServiceJob.objects.count():,}; "
        f"shipments: {Shipment.objects.count():,}; appraisals: {Appraisal.objects.count():,}"
    )
    today = timezone.localdate()
    year = f"date_from={today - timedelta(days=365):%Y-%m-%d}&date_to={today:%Y-%m-%d}"
    customer = Customer.objects.get(code="BENCH0007")
    measure(client, "dashboard (this vs last month)", "/reports/")
    measure(client, "待办 with key figures", "/")
    for slug in ("satisfaction", "commitments", "technicians", "shipments", "warranty"):
        measure(client, f"{slug} (6 months)", f"/reports/{slug}/")
        measure(client, f"{slug} (12 months)", f"/reports/{slug}/?{year}")
        measure(client, f"{slug} (12 months, one customer)", f"/reports/{slug}/?{year}&customer={customer.pk}")
    measure(client, "complaint ledger (12 months)", f"/reports/complaints/?{year}")
    measure(client, "satisfaction xlsx (12 months)", f"/reports/satisfaction/?{year}&export=xlsx")


if __name__ == "__main__":
    main()
