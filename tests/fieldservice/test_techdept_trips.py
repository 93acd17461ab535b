"""上门维修: 技术部安排出差 — the technical department arranges repair trips; installations stay with after-sales."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.workflow import PermissionRefused
from fieldservice import services
from fieldservice.models import ServiceJob
from tests.fieldservice.factories import new_job

pytestmark = pytest.mark.django_db


def approve(users, job):
    today = timezone.localdate()
    request = services.support_request_create(
        pk=job.pk,
        by=users["sales"],
        purpose="上门维修",
        proposed_start=today,
        proposed_end=today + timedelta(days=1),
        estimated_cost=Decimal("800"),
    )
    services.support_request_approve(pk=request.pk, by=users["gm"], comment="同意")


def dispatch(users, job, by):
    return services.job_dispatch(
        pk=job.pk,
        by=by,
        technicians=[users["tech1"]],
        lead=users["tech1"],
        address="株洲",
        contact="王工",
        phone="13800001111",
    )


def test_techdept_schedules_and_dispatches_a_repair_trip(users, client_for):
    job = new_job(users, kind=ServiceJob.Kind.REPAIR)
    client = client_for("techdept")
    assert client.get(reverse("fieldservice:job-list")).status_code == 200
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    schedule = reverse("fieldservice:job-step", kwargs={"pk": job.pk, "step": "schedule"})
    assert schedule in page.content.decode()
    services.job_schedule(pk=job.pk, by=users["techdept"], agreed_date=timezone.localdate())
    approve(users, job)
    job = dispatch(users, job, users["techdept"])
    assert job.status == ServiceJob.Status.DISPATCHED
    assert job.history.first().history_user == users["techdept"]


def test_techdept_does_not_arrange_installations(users, client_for):
    job = new_job(users, kind=ServiceJob.Kind.INSTALLATION)
    schedule = reverse("fieldservice:job-step", kwargs={"pk": job.pk, "step": "schedule"})
    assert schedule not in client_for("techdept").get(job.get_absolute_url()).content.decode()
    response = client_for("techdept").post(schedule, {"agreed_date": timezone.localdate().isoformat()})
    assert response.status_code == 403
    services.job_schedule(pk=job.pk, by=users["clerk"], agreed_date=timezone.localdate())
    approve(users, job)
    with pytest.raises(PermissionRefused):
        dispatch(users, job, users["techdept"])
    assert dispatch(users, job, users["clerk"]).status == ServiceJob.Status.DISPATCHED
