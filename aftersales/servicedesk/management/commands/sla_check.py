from django.core.management.base import BaseCommand

from aftersales.servicedesk.tasks import sla_notify


class Command(BaseCommand):
    help = (
        "Queue the SLA check: one email per clock entering at risk or breached (run from cron, e.g. every 5 minutes)."
    )

    def handle(self, *args, **options):
        result = sla_notify.enqueue()
        self.stdout.write(f"sla_notify queued: {result.id} ({result.status})")
