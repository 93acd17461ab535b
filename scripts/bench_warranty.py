"""Benchmark of the warranty list pages: bulk-create rows, then time each list's queries.

    python scripts/bench_warranty.py [ROWS]   (default 1,000,000 on PostgreSQL, 200,000 on SQLite)

Prints timings; asserts nothing. Rows are created with bulk_create (numbers made up front).
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

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.models import Customer, Supplier  # noqa: E402
from aftersales.pagination import keyset_page  # noqa: E402
from warranty import selectors  # noqa: E402
from warranty.models import QualitySheet, ReturnedPart, SupplierClaim  # noqa: E402

BATCH = 5000


def bulk(model, make, rows: int, prefix: str) -> None:
    have = model.objects.filter(number__startswith=f"{prefix}-BENCH").count()
    start = time.perf_counter()
    for offset in range(have, rows, BATCH):
        model.objects.bulk_create([make(i) for i in range(offset, min(rows, offset + BATCH))])
    print(f"  {model.__name__}: {rows - have} rows created in {time.perf_counter() - start:.1f}s")


def timed(label: str, fn, repeat: int = 5) -> None:
    best = float("inf")
    with CaptureQueriesContext(connection) as ctx:
        for _i in range(repeat):
            start = time.perf_counter()
            fn()
            elapsed = time.perf_counter() - start
            best = min(best, elapsed)
    print(f"  {label:<48} best {best * 1000:8.1f} ms  ({len(ctx.captured_queries) // repeat} queries)")


def main() -> None:
    default = 1_000_000 if connection.vendor == "postgresql" else 200_000
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else default
    customer = Customer.objects.first() or Customer.objects.create(
        code="BENCH", name="基准测试客户", province="湖南省", city="长沙"
    )
    supplier = Supplier.objects.first() or Supplier.objects.create(code="SBENCH", name="基准测试供方")
    now = timezone.now()
    print(f"{connection.vendor}: {rows:,} rows per table")
    statuses = [s for s, _l in QualitySheet.Status.choices]
    bulk(
        QualitySheet,
        lambda i: QualitySheet(
            number=f"ZX-BENCH-{i:08d}",
            customer=customer,
            description="基准",
            status=statuses[i % 3],
            created_at=now - timedelta(seconds=i),
        ),
        rows,
        "ZX",
    )
    part_statuses = [s for s, _l in ReturnedPart.Status.choices]
    bulk(
        ReturnedPart,
        lambda i: ReturnedPart(
            number=f"TH-BENCH-{i:08d}",
            customer=customer,
            part_name="基准件",
            status=part_statuses[i % 7],
            quarantined_at=now - timedelta(seconds=i) if i % 7 == 2 else None,
        ),
        rows,
        "TH",
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE")
    reset_queries()
    print("list pages (50 rows, keyset):")
    first = keyset_page(selectors.sheet_list(), size=50)
    timed("sheets, first page", lambda: keyset_page(selectors.sheet_list(), size=50))
    timed("sheets, next page", lambda: keyset_page(selectors.sheet_list(), cursor=first.next_cursor, size=50))
    timed("sheets filtered by status", lambda: keyset_page(selectors.sheet_list(status="sent"), size=50))
    deep = first
    for _i in range(200):
        deep = keyset_page(selectors.sheet_list(), cursor=deep.next_cursor, size=50)
    timed("sheets, page 200", lambda: keyset_page(selectors.sheet_list(), cursor=deep.next_cursor, size=50))
    timed("parts filtered by status", lambda: keyset_page(selectors.part_list(status="received"), size=50))
    timed(
        "quarantine zone (oldest first)",
        lambda: keyset_page(selectors.quarantine_list(), ordering=("quarantined_at", "pk"), size=50),
    )
    timed("search by number", lambda: keyset_page(selectors.sheet_list(q="ZX-BENCH-00012345"), size=50))
    timed("search by customer code (no match)", lambda: keyset_page(selectors.sheet_list(q="C999"), size=50))
    timed(
        "search by customer code (all rows match)",
        lambda: keyset_page(selectors.sheet_list(q=customer.code), size=50),
    )
    timed("supplier claims overdue", lambda: keyset_page(selectors.supplier_claim_list(overdue=True), size=50))
    print(f"(supplier claims: {SupplierClaim.objects.count()} rows; supplier {supplier})")


if __name__ == "__main__":
    main()
