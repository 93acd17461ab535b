"""Formerly seeded the working calendar (weekday hours, 2020–2026 holidays and make-up days from the
chinese_calendar package) and the default SLA policy.

That reference data now lives in fixtures/ and is loaded with `manage.py loaddata fixtures/*.json`
(see README.md, Production), so it can be reviewed, regenerated each year
(scripts/make_calendar_fixture.py) and re-loaded without a migration. This migration stays, as a
no-op, because later migrations depend on it; databases that already ran it keep their rows, and
loading the fixtures over them updates those rows by their natural keys instead of duplicating them.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0003_servicedesk")]
    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
