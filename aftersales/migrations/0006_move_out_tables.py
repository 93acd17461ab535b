"""Rename the tables of the models that move to the servicedesk and reports apps (their new default names)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0005_report_runs")]

    operations = [
        migrations.AlterModelTable(name='historicalreportrun', table='reports_historicalreportrun'),
        migrations.AlterModelTable(name='reportrun', table='reports_reportrun'),
        migrations.AlterModelTable(name='historicalservicecase', table='servicedesk_historicalservicecase'),
        migrations.AlterModelTable(name='historicalslapolicy', table='servicedesk_historicalslapolicy'),
        migrations.AlterModelTable(name='servicecase', table='servicedesk_servicecase'),
        migrations.AlterModelTable(name='historicalfeequote', table='servicedesk_historicalfeequote'),
        migrations.AlterModelTable(name='historicalcoordinationsheet', table='servicedesk_historicalcoordinationsheet'),
        migrations.AlterModelTable(name='historicalcaserevisit', table='servicedesk_historicalcaserevisit'),
        migrations.AlterModelTable(name='historicalcasenote', table='servicedesk_historicalcasenote'),
        migrations.AlterModelTable(name='feequote', table='servicedesk_feequote'),
        migrations.AlterModelTable(name='coordinationsheet', table='servicedesk_coordinationsheet'),
        migrations.AlterModelTable(name='caserevisit', table='servicedesk_caserevisit'),
        migrations.AlterModelTable(name='casenote', table='servicedesk_casenote'),
        migrations.AlterModelTable(name='slaclock', table='servicedesk_slaclock'),
        migrations.AlterModelTable(name='historicalslapause', table='servicedesk_historicalslapause'),
        migrations.AlterModelTable(name='slapause', table='servicedesk_slapause'),
        migrations.AlterModelTable(name='slapolicy', table='servicedesk_slapolicy'),
        migrations.AlterModelTable(name='slaagreement', table='servicedesk_slaagreement'),
        migrations.AlterModelTable(name='historicalslaclock', table='servicedesk_historicalslaclock'),
        migrations.AlterModelTable(name='historicalslaagreement', table='servicedesk_historicalslaagreement'),
    ]
