from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from aftersales.reports.services import report_run_request
from aftersales.workflow import system_actor


class Command(BaseCommand):
    help = "Queue the after-sales monthly summary PDF (default: last month; run from cron on the 1st)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")

    def handle(self, *args, **options):
        if options["month"]:
            year, month = (int(part) for part in options["month"].split("-"))
            first = date(year, month, 1)
        else:
            first = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
        run = report_run_request(month=first, by=system_actor())  # cron: no one is logged in
        run.refresh_from_db()
        self.stdout.write(f"monthly summary {first:%Y-%m}: run {run.pk} ({run.status})")
