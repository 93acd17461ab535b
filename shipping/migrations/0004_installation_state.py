import django_fsm
from django.db import migrations, models

CHOICES = [
    ("none", "no installation waiting"),
    ("pending", "waiting for installation"),
    ("job_opened", "installation job opened"),
    ("installed", "installation recorded"),
]


def installation_from_flag(apps, schema_editor):
    """待安装 was a flag set and never cleared: a flagged shipment is waiting for installation."""
    for name in ("Shipment", "HistoricalShipment"):
        apps.get_model("shipping", name).objects.filter(installation_pending=True).update(installation="pending")


class Migration(migrations.Migration):
    dependencies = [
        ("shipping", "0003_repairs"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalshipment",
            name="installation",
            field=django_fsm.FSMField(
                choices=CHOICES, default="none", max_length=50, protected=True, verbose_name="installation"
            ),
        ),
        migrations.AddField(
            model_name="shipment",
            name="installation",
            field=django_fsm.FSMField(
                choices=CHOICES, default="none", max_length=50, protected=True, verbose_name="installation"
            ),
        ),
        migrations.RunPython(installation_from_flag, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="shipment", name="ship_install_pending_idx"),
        migrations.RemoveField(model_name="historicalshipment", name="installation_pending"),
        migrations.RemoveField(model_name="shipment", name="installation_pending"),
        migrations.AddIndex(
            model_name="shipment",
            index=models.Index(
                condition=models.Q(("installation", "pending")),
                fields=["created_at", "id"],
                name="ship_install_pending_idx",
            ),
        ),
    ]
