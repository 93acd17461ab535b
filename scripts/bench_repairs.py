"""Benchmark of the factory repair list (not a test: prints timings, asserts nothing).

    python scripts/bench_repairs.py [N]

Bulk-creates N factory repair orders (default 1,000,000 on PostgreSQL, 200,000 on SQLite)
inside one transaction that is rolled back at the end, then times the list page (first page,
a deep page by cursor, a status filter) through the real view and counts its queries.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from aftersales.models import Customer, ProductModel, Unit  # noqa: E402
from aftersales.pagination import keyset_page  # noqa: E402
from aftersales.roles import group  # noqa: E402
from warranty.repairs.models import FactoryRepair  # noqa: E402

BATCH = 5000
STATES = [s.value for s in FactoryRepair.Status]


class Rollback(Exception):
    pass


def timed(label: str, fn) -> None:
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    ms = (time.perf_counter() - start) * 1000
    print(f"{label:<40} {ms:8.1f} ms  {len(ctx.captured_queries)} queries  HTTP {response.status_code}")


def run(total: int) -> None:
    customer = Customer.objects.create(code="BN-FX", name="基准客户", province="湖南省", city="株洲", address="x")
    model = ProductModel.objects.create(code="BN-FX-M", name="基准型号", brand="基准")
    units = Unit.objects.bulk_create(
        [Unit(serial_number=f"BN-FX-{i:07d}", product_model=model, customer=customer) for i in range(1000)]
    )
    start = time.perf_counter()
    for offset in range(0, total, BATCH):
        FactoryRepair.objects.bulk_create(
            [
                FactoryRepair(
                    number=f"FX-B{offset + i:09d}",
                    unit=units[(offset + i) % len(units)],
                    customer=customer,
                    fault_description="基准",
                    status=STATES[(offset + i) % len(STATES)],
                )
                for i in range(min(BATCH, total - offset))
            ]
        )
    print(f"created {total:,} orders in {time.perf_counter() - start:.0f} s")
    user = get_user_model().objects.create_user("bench-fx")
    user.groups.add(group("techdept"))
    client = Client()
    client.force_login(user)
    url = reverse("repairs:repair-list")
    client.get(url)  # warm-up
    timed("first page", lambda: client.get(url))
    qs = FactoryRepair.objects.all()
    cursor = None
    for _ in range(200):
        cursor = keyset_page(qs, cursor=cursor).next_cursor
    timed("page 201 by cursor", lambda: client.get(url, {"after": cursor or ""}))
    timed("status=diagnosed", lambda: client.get(url, {"status": "diagnosed"}))


def main() -> None:
    default = 200_000 if connection.vendor == "sqlite" else 1_000_000
    total = int(sys.argv[1]) if len(sys.argv) > 1 else default
    setup_test_environment()
    try:
        with transaction.atomic():
            run(total)
            raise Rollback
    except Rollback:
        print("rolled back")


if __name__ == "__main__":
    main()
