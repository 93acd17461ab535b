"""Rename the tables of the models that move to the repairs app (their new default names)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("warranty", "0003_repairs")]

    operations = [
        migrations.AlterModelTable(name='factoryrepair', table='repairs_factoryrepair'),
        migrations.AlterModelTable(name='historicalfactoryrepair', table='repairs_historicalfactoryrepair'),
        migrations.AlterModelTable(name='historicalproductreturn', table='repairs_historicalproductreturn'),
        migrations.AlterModelTable(name='historicalrepairbillingpolicy', table='repairs_historicalrepairbillingpolicy'),
        migrations.AlterModelTable(name='historicalrepairfinding', table='repairs_historicalrepairfinding'),
        migrations.AlterModelTable(name='historicalrepairpart', table='repairs_historicalrepairpart'),
        migrations.AlterModelTable(name='historicalreplacement', table='repairs_historicalreplacement'),
        migrations.AlterModelTable(name='historicalunitwarrantyoverride', table='repairs_historicalunitwarrantyoverride'),
        migrations.AlterModelTable(name='productreturn', table='repairs_productreturn'),
        migrations.AlterModelTable(name='repairbillingpolicy', table='repairs_repairbillingpolicy'),
        migrations.AlterModelTable(name='repairfinding', table='repairs_repairfinding'),
        migrations.AlterModelTable(name='repairpart', table='repairs_repairpart'),
        migrations.AlterModelTable(name='replacement', table='repairs_replacement'),
        migrations.AlterModelTable(name='unitwarrantyoverride', table='repairs_unitwarrantyoverride'),
    ]
