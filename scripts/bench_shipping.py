"""Benchmark of the shipment list at scale (not a test: prints timings, asserts nothing).

    python scripts/bench_shipping.py [N] [--drop]

Bulk-creates N shipments (default 1,000,000 on PostgreSQL, 200,000 on SQLite) in the
configured database, tagged with numbers FH-B…, then times the list page (first page,
page 2000 by cursor, each filter) and counts its queries. A second run reuses the rows;
--drop deletes them.
"""

import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.models import Customer, Site  # noqa: E402
from aftersales.roles import group  # noqa: E402
from shipping.models import Payment, Shipment  # noqa: E402

PREFIX = "FH-B"
BATCH = 5000
S = Shipment.Status


def bench_rows() -> int:
    return Shipment.objects.filter(number__startswith=PREFIX).count()


def drop() -> None:
    with transaction.atomic():
        Shipment.objects.filter(number__startswith=PREFIX).delete()
        Payment.objects.filter(reference__startswith="BENCH-").delete()
        Site.objects.filter(customer__code__startswith="BN").delete()
        Customer.objects.filter(code__startswith="BN").delete()


def populate(total: int) -> None:
    existing = bench_rows()
    if existing >= total:
        print(f"reusing {existing:,} bench shipments")
        return
    rng = random.Random(42)
    customers, sites, payments = [], [], []
    for i in range(300):
        c, _ = Customer.objects.get_or_create(
            code=f"BN{i:04d}", defaults={"name": f"基准客户{i:04d}有限公司", "province": "湖南省", "city": "长沙"}
        )
        s, _ = Site.objects.get_or_create(
            customer=c, name="主厂区", defaults={"province": "湖南省", "city": "长沙", "address": "岳麓区1号"}
        )
        p = Payment.objects.filter(reference=f"BENCH-{i:04d}").first() or Payment.objects.create(
            customer=c,
            amount=Decimal("100000"),
            received_on=timezone.localdate(),
            reference=f"BENCH-{i:04d}",
            status=Payment.Status.CONFIRMED,
        )
        customers.append(c)
        sites.append(s)
        payments.append(p)
    # Let created_at be spread over five years, as a real table's would be.
    field = Shipment._meta.get_field("created_at")
    field.auto_now_add = False
    now = timezone.now()
    today = timezone.localdate()
    states = (
        [S.RECEIVED] * 90
        + [S.IN_TRANSIT] * 4
        + [S.REQUESTED] * 2
        + [S.NOTE_ISSUED, S.COPIES_RECEIVED, S.DISPATCHED, S.ARRIVED]
        + [S.CANCELLED] * 1
    )
    started = time.perf_counter()
    for start in range(existing, total, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, total)):
            k = rng.randrange(300)
            status = rng.choice(states)
            created = now - timedelta(minutes=(total - n) * 2.6)
            eta = (created.date() + timedelta(days=5)) if status in (S.IN_TRANSIT, S.ARRIVED, S.RECEIVED) else None
            if status == S.IN_TRANSIT and rng.random() < 0.5:
                eta = today + timedelta(days=rng.randrange(1, 5))  # half still on time
            rows.append(
                Shipment(
                    number=f"{PREFIX}{n:08d}",
                    payment_id=payments[k].pk,
                    customer_id=customers[k].pk,
                    site_id=sites[k].pk,
                    contact_name="联系人",
                    contact_phone="13800000000",
                    requested_ship_date=created.date(),
                    status=status,
                    expected_arrival=eta,
                    created_at=created,
                )
            )
        with transaction.atomic():
            Shipment.objects.bulk_create(rows, batch_size=BATCH)
        if (start // BATCH) % 20 == 0:
            print(f"  {start + len(rows):,} rows ({time.perf_counter() - started:.0f}s)", flush=True)
    field.auto_now_add = True
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE shipping_shipment")
    print(f"created {total - existing:,} shipments in {time.perf_counter() - started:.0f}s")


def timed(client, label: str, url: str, params: dict | None = None, repeat: int = 5):
    best, queries, response = None, 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url, params or {})
            elapsed = (time.perf_counter() - t0) * 1000
        best = elapsed if best is None else min(best, elapsed)
        queries = len(ctx.captured_queries)
    assert response is not None and response.status_code == 200, label
    slowest = max((float(q["time"]) for q in ctx.captured_queries), default=0) * 1000
    print(f"{label:<38} {best:8.1f} ms  {queries:2d} queries  slowest SQL {slowest:6.1f} ms")
    return response


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--drop" in sys.argv:
        drop()
        print("bench rows deleted")
        return
    default = 1_000_000 if connection.vendor == "postgresql" else 200_000
    total = int(args[0]) if args else default
    setup_test_environment()  # the test client then exposes response.context
    settings.ALLOWED_HOSTS = ["*"]
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}, target {total:,} shipments")
    populate(total)
    user, created = get_user_model().objects.get_or_create(username="bench_clerk")
    if created:
        user.groups.add(group("clerk"))
    client = Client()
    client.force_login(user)
    url = "/shipping/"
    response = timed(client, "list, first page", url)
    cursor = response.context["page"].next_cursor
    for _ in range(3):
        response = client.get(url, {"after": cursor})
        cursor = response.context["page"].next_cursor
    timed(client, "list, page 5 (by cursor)", url, {"after": cursor})
    mid = Shipment.objects.filter(number=f"{PREFIX}{total // 2:08d}").values_list("created_at", "pk").first()
    if mid:
        from aftersales.pagination import _encode

        timed(client, "list, middle of the table (cursor)", url, {"after": _encode(list(mid))})
    timed(client, "filter status=in_transit", url, {"status": "in_transit"})
    timed(client, "filter status=requested", url, {"status": "requested"})
    timed(client, "filter customer (code)", url, {"customer": "BN0007"})
    timed(client, "filter customer (name contains)", url, {"customer": "基准客户012"})
    timed(client, "filter overdue", url, {"overdue": "on"})
    week = (timezone.localdate() - timedelta(days=7)).isoformat()
    timed(client, "filter filed in the last 7 days", url, {"created_from": week})
    timed(client, "待办 page (clerk)", "/")
    if connection.vendor == "postgresql":
        from shipping.selectors import shipment_list

        qs = shipment_list(status="in_transit").order_by("-created_at", "-pk")[:51]
        print("\nEXPLAIN status filter:\n" + qs.explain())
        qs = shipment_list(overdue=True).order_by("-created_at", "-pk")[:51]
        print("\nEXPLAIN overdue:\n" + qs.explain())


if __name__ == "__main__":
    main()
