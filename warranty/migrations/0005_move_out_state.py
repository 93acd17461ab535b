"""The moved models leave this app's migration state; their tables and rows stay (now owned by the new app)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("warranty", "0004_move_out_tables"), ("repairs", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='historicalfactoryrepair'),
                migrations.DeleteModel(name='historicalproductreturn'),
                migrations.DeleteModel(name='historicalrepairbillingpolicy'),
                migrations.DeleteModel(name='historicalrepairfinding'),
                migrations.DeleteModel(name='historicalrepairpart'),
                migrations.DeleteModel(name='historicalreplacement'),
                migrations.DeleteModel(name='historicalunitwarrantyoverride'),
                migrations.DeleteModel(name='repairfinding'),
                migrations.DeleteModel(name='repairpart'),
                migrations.DeleteModel(name='factoryrepair'),
                migrations.DeleteModel(name='replacement'),
                migrations.DeleteModel(name='productreturn'),
                migrations.DeleteModel(name='unitwarrantyoverride'),
                migrations.DeleteModel(name='repairbillingpolicy'),
            ],
            database_operations=[],
        ),
    ]
