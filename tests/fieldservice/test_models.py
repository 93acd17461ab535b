from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.workflow import RuleViolation
from fieldservice import services
from fieldservice.models import FeedbackFormA, ServiceJob, report_interval
from tests.fieldservice import factories as f

pytestmark = pytest.mark.django_db


def test_service_days_counts_both_ends():
    start = timezone.make_aware(timezone.datetime(2026, 3, 1, 9, 0))
    assert services.service_days(start, start + timedelta(hours=3)) == 1
    assert services.service_days(start, start + timedelta(days=2, hours=5)) == 3
    assert services.service_days(start, None) == 0


def test_report_interval_setting(settings):
    assert report_interval() == timedelta(hours=24)
    settings.FIELDSERVICE_REPORT_INTERVAL_HOURS = 6
    assert report_interval() == timedelta(hours=6)


def test_status_is_protected(users):
    job = f.new_job(users)
    with pytest.raises(AttributeError):
        job.status = ServiceJob.Status.ARCHIVED


def test_signed_form_a_refuses_any_save(users):
    form = FeedbackFormA.objects.get(pk=f.customer_signed_form(users).pk)
    form.acceptance_comments = "改过的意见"
    with pytest.raises(RuleViolation):
        form.save()
    assert FeedbackFormA.objects.get(pk=form.pk).acceptance_comments == "设备运行正常，验收合格。"


def test_reimbursement_needs_in_person_signature(users):
    form = f.customer_signed_form(users)
    assert form.customer_signed_in_person()
    assert not form.job.reimbursement_allowed()  # form B not approved
