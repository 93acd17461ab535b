"""Writes of the reports: requesting and generating the monthly summary (ReportRun)."""

import logging
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales import events
from aftersales.pdf import archive_pdf
from aftersales.reports.models import ReportRun
from aftersales.workflow import lock, perform_transition, record_create, system_actor

log = logging.getLogger(__name__)


@transaction.atomic
def report_run_request(*, month: date, by: User) -> ReportRun:
    """Queue the monthly summary of `month`; the task starts once the row is committed."""
    from aftersales.reports.tasks import monthly_summary

    run = record_create(ReportRun(month=month.replace(day=1)), by=by, reason=_("Monthly summary ordered"))
    events.enqueue_on_commit(monthly_summary, run.pk)
    return run


def _progress(run_id: int, percent: int) -> None:
    # A plain UPDATE outside the run's lock, so the polling page sees it before the PDF is done.
    ReportRun.objects.filter(pk=run_id).update(progress=percent)


def report_run_generate(*, run_id: int) -> ReportRun:
    """Compute the figures, render and archive the PDF; a failure is recorded on the run, never lost."""
    from aftersales.reports.pdf import render_monthly_summary_pdf

    with transaction.atomic():
        run = lock(ReportRun, run_id)
        if run.status != ReportRun.Status.QUEUED:
            return run
        perform_transition(run, "start", by=system_actor(), reason=_("Generation started"))
    try:
        pdf = render_monthly_summary_pdf(run.month, progress=lambda p: _progress(run_id, p))
        with transaction.atomic():
            run = lock(ReportRun, run_id)
            title = _("After-sales monthly summary %(month)s") % {"month": f"{run.month:%Y-%m}"}
            doc = archive_pdf(run, kind="monthly_summary", title=title, pdf=pdf, by=run.created_by)
            return perform_transition(run, "finish", by=system_actor(), reason=_("Summary ready"), document=doc)
    except Exception as exc:
        log.exception("monthly summary %s failed", run_id)
        with transaction.atomic():
            run = lock(ReportRun, run_id)
            return perform_transition(
                run, "fail", by=system_actor(), reason=_("Generation failed"), error=str(exc)[:2000]
            )
