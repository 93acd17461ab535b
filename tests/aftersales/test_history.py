import pytest
from django.conf import settings
from django.urls import reverse

from aftersales.models import Customer
from tests.aftersales.factories import CustomerFactory


@pytest.mark.django_db
def test_history_records_the_acting_user_of_a_request(client, users):
    clerk = users["clerk"]
    clerk.is_staff = True
    clerk.save()
    customer = CustomerFactory()
    client.force_login(clerk)
    url = reverse("admin:aftersales_customer_change", args=[customer.pk])
    data = {
        "code": customer.code,
        "name": "改名后的客户有限公司",
        "short_name": "",
        "province": "湖南省",
        "city": "长沙",
        "address": "",
        "phone": "",
        "sales_manager": "",
        "notes": "",
        "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0,
        "sites-TOTAL_FORMS": 0,
        "sites-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    customer.refresh_from_db()
    assert customer.name == "改名后的客户有限公司"
    last = customer.history.first()
    assert last.history_user == clerk
    assert customer.updated_by == clerk


def test_history_settings():
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    assert settings.SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD is True
    assert "simple_history.middleware.HistoryRequestMiddleware" in settings.MIDDLEWARE


def test_every_model_of_ours_has_history():
    from django.apps import apps

    missing = []
    for app in ("aftersales", "servicedesk", "shipping", "fieldservice", "warranty", "repairs", "reports"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model._meta.auto_created:
                continue
            if not hasattr(model, "history"):
                missing.append(f"{app}.{model.__name__}")
    assert not missing, f"models without history: {missing}"
    assert hasattr(Customer, "history")
