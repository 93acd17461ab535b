"""The moved models leave this app's migration state; their tables and rows stay (now owned by the new app)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0006_move_out_tables"), ("servicedesk", "0001_initial"), ("reports", "0001_initial"), ("warranty", "0005_move_out_state")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='historicalcasenote'),
                migrations.DeleteModel(name='historicalcaserevisit'),
                migrations.DeleteModel(name='historicalcoordinationsheet'),
                migrations.DeleteModel(name='historicalfeequote'),
                migrations.DeleteModel(name='historicalreportrun'),
                migrations.DeleteModel(name='historicalservicecase'),
                migrations.DeleteModel(name='historicalslaagreement'),
                migrations.DeleteModel(name='historicalslaclock'),
                migrations.DeleteModel(name='historicalslapause'),
                migrations.DeleteModel(name='historicalslapolicy'),
                migrations.DeleteModel(name='slapause'),
                migrations.DeleteModel(name='slaclock'),
                migrations.DeleteModel(name='slaagreement'),
                migrations.DeleteModel(name='casenote'),
                migrations.DeleteModel(name='feequote'),
                migrations.DeleteModel(name='caserevisit'),
                migrations.DeleteModel(name='coordinationsheet'),
                migrations.DeleteModel(name='servicecase'),
                migrations.DeleteModel(name='slapolicy'),
                migrations.DeleteModel(name='reportrun'),
            ],
            database_operations=[],
        ),
    ]
