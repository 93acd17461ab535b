"""A report run moves only through its generation, as the system actor; the back office has no door."""

import pytest
from django.contrib import admin
from django.db import transaction

from aftersales.reports.models import ReportRun
from aftersales.workflow import PermissionRefused, lock, perform_transition
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_admin_has_no_report_run_page():
    assert not admin.site.is_registered(ReportRun)


def test_no_user_finishes_a_run_by_hand(users):
    from datetime import date

    run = ReportRun.objects.create(month=date(2026, 1, 1), created_by=users["as_manager"])
    boss = make_user("boss", is_superuser=True, is_staff=True)
    with pytest.raises(PermissionRefused), transaction.atomic():
        perform_transition(lock(ReportRun, run.pk), "start", by=boss)
    assert ReportRun.objects.get(pk=run.pk).status == ReportRun.Status.QUEUED
