import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aftersales.models import Customer, Unit


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="zh-hans"' in body and "登录" in body and "用户名" in body


@pytest.mark.django_db
def test_english_is_available_through_the_language_switch(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    body = client.get("/login/").content.decode()
    assert "Log in" in body and 'lang="en"' in body


@pytest.mark.django_db
def test_todo_needs_login_and_shows_for_each_role(client, client_for):
    assert client.get("/").status_code == 302
    response = client_for("clerk").get("/")
    assert response.status_code == 200
    assert "待办" in response.content.decode()


@pytest.mark.django_db
def test_404_and_403_pages_are_chinese(client_for):
    c = client_for("tech1")
    response = c.get("/no-such-page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
    response = c.get("/files/attachment/999999/")
    assert response.status_code == 404


@pytest.mark.django_db
def test_no_asset_comes_from_the_internet(client_for):
    body = client_for("clerk").get("/").content.decode()
    assert "http://" not in body.replace("http://testserver", "") and "https://" not in body


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_refused_in_production(settings, reference_data):
    call_command("seed_demo")
    counts = (Customer.objects.count(), Unit.objects.count())
    call_command("seed_demo")
    assert (Customer.objects.count(), Unit.objects.count()) == counts
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for name in (
        "clerk",
        "as_manager",
        "sales",
        "gm",
        "finance",
        "warehouse",
        "logistics",
        "techdept",
        "tech1",
        "tech2",
        "qc",
        "rnd",
        "production",
        "purchasing",
        "deptmgr",
        "leader",
    ):
        assert users.get(username=name).groups.exists(), name
    assert users.get(username="admin").is_superuser
    assert users.get(username="gm").check_password("demo12345")
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("seed_demo")


def test_date_inputs_render_iso_in_chinese_and_english():
    from datetime import date, datetime

    from django import forms
    from django.utils import translation

    class F(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            html = str(F(initial={"day": date(2026, 11, 28), "at": datetime(2026, 11, 28, 9, 30)}))
            assert 'value="2026-11-28"' in html, lang
            assert 'value="2026-11-28T09:30"' in html, lang
            assert F(data={"day": "2026-11-28", "at": "2026-11-28T09:30"}).is_valid()
