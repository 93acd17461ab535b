"""培训: the training given on a job — topics, attendees (name, position), date, duration — on the
job page, printed with form B and counted in the technician report."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.reports import selectors as report_selectors
from aftersales.workflow import PermissionRefused, RuleViolation, TransitionRefused
from fieldservice import pdf, services
from fieldservice.models import FeedbackFormB, TrainingSession
from tests.fieldservice import factories as f
from tests.fieldservice.test_pdf import text_of

pytestmark = pytest.mark.django_db
PEOPLE = [{"name": "李明", "position": "设备主管"}, {"name": "王芳", "position": "操作员"}]


def step_url(job):
    return reverse("fieldservice:job-step", kwargs={"pk": job.pk, "step": "training"})


def test_the_technician_records_the_training_from_the_job_page(users, client_for):
    job = f.on_site_job(users)
    client = client_for("tech1")
    assert step_url(job) in client.get(job.get_absolute_url()).content.decode()
    data = {
        "held_on": timezone.localdate().isoformat(),
        "hours": "2.5",
        "topics": "仪器操作与日常维护",
        "attendees": "李明 设备主管\n王芳，操作员\n\n",
    }
    assert client.post(step_url(job), {**data, "attendees": "李明"}).status_code == 400, "the position is asked"
    assert client.post(step_url(job), data).status_code == 302
    session = TrainingSession.objects.get(job=job)
    assert session.attendees == PEOPLE and str(session.hours) == "2.5"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "仪器操作与日常维护" in page and "王芳（操作员）" in page


def test_only_a_technician_on_the_job_records_it_and_only_after_arrival(users):
    job = f.dispatched_job(users)
    today = timezone.localdate()
    kwargs = {"held_on": today, "hours": 1, "topics": "操作", "attendees": PEOPLE}
    with pytest.raises(TransitionRefused):
        services.training_record(pk=job.pk, by=users["tech1"], **kwargs)
    job = f.on_site_job(users)
    with pytest.raises(PermissionRefused):
        services.training_record(pk=job.pk, by=users["clerk"], **kwargs)
    with pytest.raises(PermissionRefused):
        services.training_record(pk=job.pk, by=users["tech2"], **kwargs)
    with pytest.raises(RuleViolation):
        services.training_record(pk=job.pk, by=users["tech1"], **{**kwargs, "held_on": today + timedelta(days=1)})


def test_printed_with_form_b_and_counted_in_the_report(users):
    job = f.on_site_job(users)
    services.training_record(
        pk=job.pk, by=users["tech1"], held_on=timezone.localdate(), hours=3, topics="软件升级培训", attendees=PEOPLE
    )
    f.customer_signed_form(users, job)
    f.submitted_form_b(users, job)
    text = text_of(pdf.render_form_b_pdf(FeedbackFormB.objects.get(job=job)))
    assert "培训记录" in text and "软件升级培训" in text
    assert "李明/设备主管" in text.replace(" ", "")
    today = timezone.localdate()
    rows = report_selectors.technician_assessment(
        report_selectors.ReportFilter(date_from=today - timedelta(days=1), date_to=today)
    )
    tech1 = next(r for r in rows if r["technician_id"] == users["tech1"].pk)
    assert (tech1["trainings"], tech1["training_hours"]) == (1, 3)
