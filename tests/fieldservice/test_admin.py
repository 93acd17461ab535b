"""The back office has no door into a service job's steps: the records are read-only there."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from fieldservice.models import ServiceJob
from tests.fieldservice import factories as f

pytestmark = pytest.mark.django_db


def test_a_job_step_posted_in_the_admin_is_refused(client, users):
    job = f.dispatched_job(users)
    manager = users["as_manager"]
    manager.is_staff = True
    manager.save()
    manager.user_permissions.add(*Permission.objects.filter(codename__in=["view_servicejob", "change_servicejob"]))
    client.force_login(manager)
    url = reverse("admin:fieldservice_servicejob_change", args=[job.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"_fsm_transition_to": "cancel", "customer": ""})
    assert response.status_code == 403
    assert ServiceJob.objects.get(pk=job.pk).status == job.status
