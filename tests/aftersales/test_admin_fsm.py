"""The django-fsm-2 4.2.4 admin hole: a hand-made POST of _fsm_transition_to ran a
transition without its permission. Our WorkflowAdmin checks it."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.conftest import make_user
from tests.testapp.models import Ticket


def staff_with(*codenames):
    user = make_user("staff-" + "-".join(codenames), is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.mark.django_db
def test_handmade_admin_post_without_transition_permission_is_refused(client):
    ticket = Ticket.objects.create(title="t")
    client.force_login(staff_with("view_ticket", "change_ticket"))
    url = reverse("admin:testapp_ticket_change", args=[ticket.pk])
    response = client.post(url, {"title": "t", "_fsm_transition_to": "approve"}, follow=True)
    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == "new", "the transition ran without its permission"
    messages = [str(m) for m in response.context["messages"]]
    assert any("approve" in m or "批准" in m for m in messages)


@pytest.mark.django_db
def test_admin_transition_runs_with_permission_and_records_user(client):
    ticket = Ticket.objects.create(title="t")
    user = staff_with("view_ticket", "change_ticket", "approve_ticket")
    client.force_login(user)
    url = reverse("admin:testapp_ticket_change", args=[ticket.pk])
    client.post(url, {"title": "t", "_fsm_transition_to": "approve"})
    ticket.refresh_from_db()
    assert ticket.status == "approved"
    assert ticket.history.first().history_user == user


@pytest.mark.django_db
def test_admin_refuses_names_that_are_not_transitions(client):
    ticket = Ticket.objects.create(title="t")
    client.force_login(staff_with("view_ticket", "change_ticket", "approve_ticket"))
    url = reverse("admin:testapp_ticket_change", args=[ticket.pk])
    response = client.post(url, {"title": "t", "_fsm_transition_to": "delete"}, follow=True)
    assert response.status_code == 200
    assert Ticket.objects.filter(pk=ticket.pk).exists()
