"""Benchmark of field service (not a test): form A rendering, archived-PDF serving, job list.

    python scripts/bench_fieldservice.py [--jobs N] [--repeat R]

Prints the median time to render form A (template + signatures + QR + WeasyPrint) next to a
bare WeasyPrint render of the same HTML, the median time to serve an archived PDF through
the permission-checked download view, and the job list's queries over N bulk-created jobs
(default 1,000,000 on PostgreSQL, 200,000 on SQLite). Everything runs in one transaction
that is rolled back, and files go to a temporary MEDIA_ROOT: the database is left as it was.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-fs-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import StreamingHttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.pagination import keyset_page  # noqa: E402
from aftersales.roles import group  # noqa: E402


class Rollback(Exception):
    pass


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def user(username: str, role: str):
    obj, _created = get_user_model().objects.get_or_create(username=username, defaults={"last_name": username})
    obj.groups.add(group(role))
    return obj


def main() -> None:
    parser = argparse.ArgumentParser()
    default_jobs = 1_000_000 if connection.vendor == "postgresql" else 200_000
    parser.add_argument("--jobs", type=int, default=default_jobs)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    try:
        with transaction.atomic():
            run(args)
            raise Rollback
    except Rollback:
        pass


def run(args) -> None:
    from weasyprint import CSS, HTML

    from aftersales.pdf import PRINT_CSS
    from fieldservice import services
    from fieldservice.models import ServiceJob
    from fieldservice.pdf import form_a_html, render_form_a_pdf
    from tests.fieldservice import factories as f

    users = {
        name: user(f"bench_{name}", role)
        for name, role in (
            ("clerk", "clerk"),
            ("sales", "sales"),
            ("gm", "gm"),
            ("tech1", "technician"),
            ("deptmgr", "deptmgr"),
            ("leader", "leader"),
            ("finance", "finance"),
        )
    }
    job = f.on_site_job(users)
    form_a = f.customer_signed_form(users, job)
    f.approved_form_b(users, job)
    doc = services.archive_if_complete(pk=job.pk, by=users["clerk"])

    html = form_a_html(form_a)

    def bare_render():
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])

    render_form_a_pdf(form_a)  # warm the fonts
    bare_render()
    # Interleaved so that caches and CPU frequency favour neither side.
    ours_times, bare_times = [], []
    for _ in range(args.repeat):
        ours_times.append(median_ms(lambda: render_form_a_pdf(form_a), 1))
        bare_times.append(median_ms(bare_render, 1))
    ours, bare = statistics.median(ours_times), statistics.median(bare_times)
    print(f"form A PDF: median {ours:.0f} ms (bare WeasyPrint of the same HTML: {bare:.0f} ms), {args.repeat} runs")

    client = Client()
    client.force_login(users["clerk"])
    url = reverse("aftersales:archive-download", args=[doc.pk])

    def serve():
        response = client.get(url)
        assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
        b"".join(response.streaming_content)

    print(f"archived A+B PDF ({doc.size} bytes): served in median {median_ms(serve, args.repeat * 3):.1f} ms")

    start = time.perf_counter()
    now = timezone.now()
    batch: list = []
    statuses = [s for s, _label in ServiceJob.Status.choices]
    for i in range(args.jobs):
        batch.append(
            ServiceJob(
                number=f"FB-{i:09d}",
                kind="repair",
                customer=job.customer,
                status=statuses[i % len(statuses)],
                created_at=now,
                updated_at=now,
            )
        )
        if len(batch) == 5000:
            ServiceJob.objects.bulk_create(batch)
            batch = []
    if batch:
        ServiceJob.objects.bulk_create(batch)
    print(f"bulk-created {args.jobs} jobs in {time.perf_counter() - start:.1f} s ({connection.vendor})")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE fieldservice_servicejob")

    from fieldservice.selectors import jobs_for, jobs_report_overdue

    clerk = get_user_model().objects.get(pk=users["clerk"].pk)
    first = keyset_page(jobs_for(clerk), size=50)

    def page_two():
        keyset_page(jobs_for(clerk), cursor=first.next_cursor, size=50)

    print(
        f"job list, first page: median {median_ms(lambda: keyset_page(jobs_for(clerk), size=50), args.repeat):.1f} ms"
    )
    print(f"job list, next page (keyset): median {median_ms(page_two, args.repeat):.1f} ms")
    print(
        "job list filtered by state: median "
        f"{median_ms(lambda: keyset_page(jobs_for(clerk, status='on_site'), size=50), args.repeat):.1f} ms"
    )
    tech = get_user_model().objects.get(pk=users["tech1"].pk)
    print(f"technician's jobs: median {median_ms(lambda: keyset_page(jobs_for(tech), size=50), args.repeat):.1f} ms")
    print(
        "待办 overdue trips (LIMIT 10): median "
        f"{median_ms(lambda: list(jobs_report_overdue(limit=10)), args.repeat):.1f} ms"
    )


if __name__ == "__main__":
    main()
