from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from aftersales.demo import ReferenceDataMissing, seed


class Command(BaseCommand):
    help = (
        "Create the demo people, customers and records, and one demo user per role (idempotent; refused in "
        "production). Needs the reference data: python manage.py loaddata fixtures/*.json"
    )

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("seed_demo never runs with the production settings (AFTERSALES_ENV=production).")
        # History reasons written by the demo are in the site's language, not the shell's.
        try:
            with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
                seed(self.stdout)
        except ReferenceDataMissing as exc:
            raise CommandError(str(exc)) from exc
