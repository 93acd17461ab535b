"""Wrong passwords lock the account from that address for a while; the manager can unlock it."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

PASSWORD = "pw-12345678"  # tests.conftest.make_user

pytestmark = pytest.mark.django_db


def try_login(client, username, password, ip="10.0.0.5"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, users):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert try_login(client, "gm", "wrong").status_code == 200  # the form again, with its error
    locked = try_login(client, "gm", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录已锁定" in page and "15" in page
    assert try_login(client, "gm", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_address(client, users):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "gm", "wrong")
    assert try_login(client, "gm", PASSWORD, ip="10.0.0.6").status_code == 302, "another computer"
    client.logout()
    assert try_login(client, "clerk", PASSWORD).status_code == 302, "another account"


def test_a_success_before_the_limit_forgets_the_failures(client, users):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        try_login(client, "gm", "wrong")
    assert try_login(client, "gm", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert try_login(client, "gm", "wrong").status_code == 200
    assert try_login(client, "gm", PASSWORD).status_code == 302


def test_the_after_sales_manager_unlocks_in_the_back_office(client, users):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "gm", "wrong")
    attempt = AccessAttempt.objects.get(username="gm")
    manager = users["as_manager"]
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "gm" in listing.content.decode()
    delete = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    client.logout()
    assert try_login(client, "gm", PASSWORD).status_code == 302


def test_a_clerk_cannot_unlock(client, users):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        try_login(client, "gm", "wrong")
    clerk = users["clerk"]
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
    assert AccessAttempt.objects.filter(username="gm").exists()
