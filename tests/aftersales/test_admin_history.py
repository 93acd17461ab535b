"""No model's history can be posted back in the admin (a revert would bypass the state machines)."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from aftersales.admin_base import HistoryAdmin
from tests.aftersales.factories import CustomerFactory
from tests.conftest import make_user


def test_every_history_admin_refuses_the_revert():
    leaks = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(model_admin, HistoryAdmin)
    ]
    assert leaks == []


@pytest.mark.django_db
def test_posting_an_old_version_back_is_forbidden(client):
    customer = CustomerFactory(name="旧名")
    customer.name = "新名"
    customer.save()
    client.force_login(make_user("boss", is_superuser=True, is_staff=True))
    version = customer.history.last()
    url = reverse("admin:aftersales_customer_simple_history", args=[customer.pk, version.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "旧名"}).status_code == 403
    customer.refresh_from_db()
    assert customer.name == "新名"


@pytest.mark.django_db
def test_the_back_office_names_the_background_tasks_in_chinese(client):
    client.force_login(make_user("boss2", is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert "后台任务" in page and "Tasks Database Backend" not in page
    assert "Model name" not in page and "模型名称" in page


STAFF_ROLES = ("clerk", "as_manager", "leader")  # the roles with a back-office account in the demo


def _history_pages(world) -> list[tuple]:
    """(model admin, record, URL of its oldest version's form) for every history admin with a row."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, SimpleHistoryAdmin):
            continue
        row = model._default_manager.filter(pk__in=model.history.values("id")).order_by("pk").first()
        if row is None:
            continue
        oldest = row.history.order_by("history_date", "history_id").first()
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history"
        pages.append((model_admin, row, reverse(name, args=[row.pk, oldest.history_id])))
    return pages


def _state(row) -> tuple:
    model = type(row)
    return (model._default_manager.filter(pk=row.pk).values().get(), model.history.filter(id=row.pk).count())


@pytest.mark.django_db
def test_no_staff_role_can_post_an_old_version_back_on_any_model(users):
    """The attack of issue 12: GET a record's oldest version in the admin, POST it back (with its
    own fields, or with nothing but the CSRF token) as each staff role and as a superuser."""
    from tests.security.fuzzing import forms_of
    from tests.security.world import build_world

    world = build_world(users)
    for role in STAFF_ROLES:
        users[role].is_staff = True
        users[role].save(update_fields=["is_staff"])
    pages = _history_pages(world)
    # Every history admin is tried on a real row (the workflow records built through the services,
    # signed and locked ones included), except the test app's and the parts drawn for a repair.
    without_row = {
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    } - {type(row)._meta.label for _admin, row, _url in pages}
    assert without_row <= {"testapp.Ticket", "repairs.RepairPart"}

    boss = Client()
    boss.force_login(world["superuser"])
    leaks = []
    for _admin, row, url in pages:
        shown = boss.get(url)
        assert shown.status_code == 200, url
        old_version = {f.name: f.value for form in forms_of(shown.content.decode(), url) for f in form.fields}
        before = _state(row)
        for role in (*STAFF_ROLES, "superuser"):
            client = boss if role == "superuser" else Client()
            if role != "superuser":
                client.force_login(users[role])
            for body in (old_version, {"_save": "保存"}, {}):
                status = client.post(url, body).status_code
                if status != 403 or _state(row) != before:
                    leaks.append(f"{role} POST {url} → {status}")
    assert leaks == []
