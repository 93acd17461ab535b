"""No model's history can be posted back in the admin (a revert would bypass the state machines)."""

import pytest
from django.contrib import admin
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
