"""The scheduled monthly summary (django-tasks; `manage.py monthly_summary` enqueues it from cron)."""

from django_tasks import task


@task()
def monthly_summary(run_id: int) -> str:
    """Generate the monthly after-sales summary PDF of one ReportRun."""
    from aftersales.reports.services import report_run_generate

    return report_run_generate(run_id=run_id).status
