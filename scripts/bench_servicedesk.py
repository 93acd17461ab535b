"""Benchmark of the service case list at scale (not a test; never asserts timings).

Bulk-creates N service cases with their clocks (default 1,000,000 on PostgreSQL, 200,000 on
SQLite), then times the list page's queries — first page, filters by status, category,
customer, clock state, and a deep keyset page — and prints the query count per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/as_servicedesk \
        .venv/bin/python scripts/bench_servicedesk.py [N] [--reuse]
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

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.models import Customer, ProductModel, Unit  # noqa: E402
from aftersales.servicedesk.models import ServiceCase, SlaClock, SlaPolicy  # noqa: E402

BATCH = 10_000
CUSTOMERS = 200
STATUSES = ServiceCase.Status.values
CATEGORIES = ServiceCase.Category.values


def populate(total: int) -> None:
    existing = ServiceCase.objects.filter(number__startswith="WX-BENCH-").count()
    if existing >= total:
        print(f"{existing} bench cases already there")
        return
    model, _c = ProductModel.objects.get_or_create(code="BENCH-1", defaults={"name": "基准炉", "brand": "基准"})
    customers = []
    for i in range(CUSTOMERS):
        c, _c = Customer.objects.get_or_create(
            code=f"BENCH{i:04d}", defaults={"name": f"基准客户{i}", "province": "湖南省", "city": "长沙"}
        )
        customers.append(c)
    units = []
    for i, c in enumerate(customers):
        u, _c = Unit.objects.get_or_create(
            serial_number=f"BENCH-{i:05d}", defaults={"product_model": model, "customer": c}
        )
        units.append(u)
    policy = SlaPolicy.objects.get(is_default=True)
    if connection.vendor == "postgresql":
        populate_sql(existing, total, customers, units, policy)
        return
    # bulk_create would stamp every row "now"; a spread of dates is what the list pages through.
    ServiceCase._meta.get_field("created_at").auto_now_add = False
    now = timezone.now()
    start = time.perf_counter()
    for offset in range(existing, total, BATCH):
        size = min(BATCH, total - offset)
        cases = []
        for j in range(offset, offset + size):
            created = now - timedelta(minutes=j * 3)
            cases.append(
                ServiceCase(
                    number=f"WX-BENCH-{j:08d}",
                    customer=customers[j % CUSTOMERS],
                    unit=units[j % CUSTOMERS],
                    status=STATUSES[j % len(STATUSES)],
                    category=CATEGORIES[j % len(CATEGORIES)],
                    fault_description="基准数据",
                    created_at=created,
                )
            )
        with transaction.atomic():
            ServiceCase.objects.bulk_create(cases, batch_size=2000)
            clocks = []
            for case in ServiceCase.objects.filter(number__in=[c.number for c in cases]).only("pk", "created_at"):
                for kind, seconds in (("response", 1800), ("resolution", 3 * 86400)):
                    clocks.append(
                        SlaClock(
                            case_id=case.pk,
                            kind=kind,
                            policy=policy,
                            budget_seconds=seconds,
                            started_at=case.created_at,
                            deadline=case.created_at + timedelta(seconds=seconds),
                            at_risk_at=case.created_at + timedelta(seconds=seconds * 0.75),
                            stopped_at=None if case.pk % 7 == 0 else case.created_at + timedelta(minutes=20),
                            met=None if case.pk % 7 == 0 else True,
                        )
                    )
            SlaClock.objects.bulk_create(clocks, batch_size=5000)
        done = offset + size
        if done % 100_000 == 0 or done == total:
            print(f"  {done:>9,} cases ({time.perf_counter() - start:.0f}s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE aftersales_servicecase; ANALYZE aftersales_slaclock;")


def _column_defaults(model, overrides: dict[str, str]) -> tuple[list[str], list[str], list]:
    """Column names and SQL expressions for every concrete column: overrides, else the field default."""
    columns, expressions, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in overrides:
            # the statement has parameters, so a modulo operator is written %%
            expressions.append(overrides[field.name].replace(" % ", " %% "))
        elif field.null:
            expressions.append("NULL")
        else:
            expressions.append("%s")
            default = field.get_default()
            params.append(default if default is not None else "")
    return columns, expressions, params


def populate_sql(existing: int, total: int, customers, units, policy) -> None:
    """PostgreSQL: generate the rows inside the server (a million in well under a minute)."""
    start = time.perf_counter()
    statuses = "ARRAY[" + ",".join(f"'{s}'" for s in STATUSES) + "]"
    categories = "ARRAY[" + ",".join(f"'{c}'" for c in CATEGORIES) + "]"
    first_customer, first_unit = customers[0].pk, units[0].pk
    overrides = {
        "number": "'WX-BENCH-' || lpad(g::text, 8, '0')",
        "status": f"({statuses})[1 + g % {len(STATUSES)}]",
        "category": f"({categories})[1 + g % {len(CATEGORIES)}]",
        # customers and units were created in one run, so their ids are consecutive
        "customer": f"{first_customer} + g % {CUSTOMERS}",
        "unit": f"{first_unit} + g % {CUSTOMERS}",
        "fault_description": "'基准数据'",
        "created_at": "now() - g * interval '3 minutes'",
        "updated_at": "now()",
    }
    columns, expressions, params = _column_defaults(ServiceCase, overrides)
    table = ServiceCase._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(expressions)} "
            f"FROM generate_series({existing}, {total - 1}) AS g",
            params,
        )
        clock_overrides = {
            "case": "c.id",
            "kind": "k.kind",
            "policy": str(policy.pk),
            "budget_seconds": "k.seconds",
            "started_at": "c.created_at",
            "deadline": "c.created_at + k.seconds * interval '1 second'",
            "at_risk_at": "c.created_at + k.seconds * interval '0.75 second'",
            "stopped_at": "CASE WHEN c.id % 7 = 0 THEN NULL ELSE c.created_at + interval '20 minutes' END",
            "met": "CASE WHEN c.id % 7 = 0 THEN NULL ELSE true END",
            "created_at": "now()",
            "updated_at": "now()",
        }
        columns, expressions, params = _column_defaults(SlaClock, clock_overrides)
        cursor.execute(
            f"INSERT INTO {SlaClock._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(expressions)} "
            f"FROM {table} c CROSS JOIN (VALUES ('response', 1800), ('resolution', 259200)) AS k(kind, seconds) "
            f"WHERE c.number >= %s AND c.number LIKE 'WX-BENCH-%%'",
            [*params, f"WX-BENCH-{existing:08d}"],
        )
        cursor.execute(f"ANALYZE {table}; ANALYZE {SlaClock._meta.db_table};")
    print(f"  {total:,} cases with clocks ({time.perf_counter() - start:.0f}s)", flush=True)


def measure(client: Client, label: str, url: str, runs: int = 5) -> str | None:
    timings = []
    response = client.get(url)  # warm-up; the timed runs follow
    for _i in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    slowest_sql = max(ctx.captured_queries, key=lambda q: float(q["time"]))
    timings.sort()
    print(
        f"{label:<34} median {timings[len(timings) // 2]:7.1f} ms   best {timings[0]:7.1f} ms   "
        f"queries {len(ctx.captured_queries):2d}   slowest query {float(slowest_sql['time']) * 1000:6.1f} ms"
    )
    page = response.context["page"] if response.context else None
    return page.next_cursor if page else None


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    default = 1_000_000 if connection.vendor == "postgresql" else 200_000
    total = int(args[0]) if args else default
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; target {total:,} service cases")
    populate(total)
    user, _c = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True})
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    customer = Customer.objects.get(code="BENCH0007")
    print(f"cases in table: {ServiceCase.objects.count():,}; clocks: {SlaClock.objects.count():,}")
    cursor = measure(client, "first page", "/cases/")
    measure(client, "page 2 (keyset)", f"/cases/?after={cursor}")
    measure(client, "status=techdept", "/cases/?status=techdept")
    measure(client, "category=complaint", "/cases/?category=complaint")
    measure(client, "customer", f"/cases/?customer={customer.pk}")
    measure(client, "customer + status", f"/cases/?customer={customer.pk}&status=closed")
    measure(client, "clock=breached", "/cases/?clock=breached")
    measure(client, "clock=at_risk", "/cases/?clock=at_risk")
    measure(client, "date range", "/cases/?date_from=2024-01-01&date_to=2024-01-31")
    deep = ServiceCase.objects.order_by("-created_at", "-pk").values_list("created_at", "pk")[total // 2]
    from aftersales.pagination import _encode

    measure(client, "deep page (middle of the table)", f"/cases/?after={_encode(list(deep))}")
    measure(client, "SLA board", "/sla/")


if __name__ == "__main__":
    main()
