"""The tablet handed to the customer: a locked session, the signer checked against the contacts on
record, the after-sales manager's task signature first (issue 12, point 6)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales import signing_lock
from fieldservice.models import FeedbackFormA
from tests.fieldservice import factories as f
from tests.fieldservice.factories import step_url

pytestmark = pytest.mark.django_db

UNLOCK = reverse("fieldservice:tablet-unlock")
STAFF_PAGES = ["/", "/cases/", "/field/", "/admin/", "/admin/auth/user/", "/warranty/", "/shipping/"]


def _customer_post(**extra):
    today = timezone.localdate().isoformat()
    data = {
        **{k: v for k, v in f.CUSTOMER_DATA.items() if v is not None},
        "arrival_date": today,
        "departure_date": today,
        **f.SIGNER,
        "signature": f.signature_data_url(),
    }
    data.update(extra)
    return data


def _hand_over(client, form):
    response = client.post(reverse("fieldservice:forma-handover", args=[form.pk]))
    assert response.status_code == 302
    return response.url


@pytest.fixture
def tech_client(client_for):
    """tech1's tablet (the lock lives in its session)."""
    return client_for("tech1")


def test_it_locks_the_session_to_the_signing_screen_until_the_customer_signed(users, tech_client):
    form = f.awaiting_customer_form(users)
    f.register_signer(form.job)
    screen = _hand_over(tech_client, form)
    page = tech_client.get(screen)
    html = page.content.decode()
    assert page.status_code == 200
    # No staff menu, no logout, no back office on the customer's screen.
    assert 'id="main-menu"' not in html and reverse("logout") not in html and "/admin/" not in html
    for url in STAFF_PAGES:
        response = tech_client.get(url)
        assert (response.status_code, response.url) == (302, screen), url
    response = tech_client.post(reverse("logout"))
    assert (response.status_code, response.url) == (302, screen)
    assert tech_client.get(screen).status_code == 200  # still logged in, still locked
    # The static files of the screen are served.
    assert tech_client.get("/static/js/signature-pad.js").status_code == 200

    response = tech_client.post(screen, _customer_post())
    assert response.status_code == 200 and "已登记联系人" in response.content.decode()
    assert FeedbackFormA.objects.get(pk=form.pk).status == "signed"
    # The customer finished: every page now asks for the technician's password.
    for url in [*STAFF_PAGES, form.get_absolute_url()]:
        response = tech_client.get(url)
        assert (response.status_code, response.url) == (302, UNLOCK), url
    assert tech_client.post(reverse("logout")).url == UNLOCK
    unlock = tech_client.get(UNLOCK)
    assert unlock.status_code == 200 and "tech1" in unlock.content.decode()
    assert reverse("logout") not in unlock.content.decode()


def test_it_refuses_a_wrong_password_and_releases_with_the_right_one(users, tech_client):
    form = f.awaiting_customer_form(users)
    screen = _hand_over(tech_client, form)
    for _ in range(2):
        response = tech_client.post(UNLOCK, {"password": "guess-1234"})
        assert response.status_code == 403 and "密码错误" in response.content.decode()
    assert tech_client.post(UNLOCK, {"password": ""}).status_code == 400
    assert tech_client.get("/field/").url == screen  # still locked
    response = tech_client.post(UNLOCK, {"password": "pw-12345678"})
    assert (response.status_code, response.url) == (302, form.get_absolute_url())
    assert tech_client.get("/field/").status_code == 200
    assert tech_client.get(form.get_absolute_url()).status_code == 200
    assert tech_client.get(UNLOCK).status_code == 302  # nothing to unlock
    # Back on the (unused) signing screen, the session locks again.
    assert tech_client.get(screen).status_code == 200
    assert tech_client.get("/field/").url == screen


def test_it_logs_the_session_out_after_five_wrong_passwords(users, tech_client):
    form = f.awaiting_customer_form(users)
    _hand_over(tech_client, form)
    for _ in range(signing_lock.MAX_TRIES - 1):
        assert tech_client.post(UNLOCK, {"password": "guess-1234"}).status_code == 403
    response = tech_client.post(UNLOCK, {"password": "guess-1234"})
    assert (response.status_code, response.url) == (302, reverse("login"))
    response = tech_client.get("/field/")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    # The right password now helps nobody: the session is gone.
    assert tech_client.post(UNLOCK, {"password": "pw-12345678"}).url.startswith(reverse("login"))


def test_another_session_of_the_same_account_is_not_locked(users, tech_client, client_for):
    form = f.awaiting_customer_form(users)
    _hand_over(tech_client, form)
    assert client_for("tech1").get("/field/").status_code == 200


def test_it_refuses_the_hand_over_and_the_link_before_the_managers_task_signature(users, client_for):
    form = f.awaiting_customer_form(users, task_signed=False)
    tech = client_for("tech1")
    for name in ("fieldservice:forma-handover", "fieldservice:forma-link"):
        response = tech.post(reverse(name, args=[form.pk]))
        assert response.status_code == 409 and "售后经理尚未在售后服务任务上签字" in response.content.decode()
    assert tech.get("/field/").status_code == 200  # a refused hand-over locks nothing
    page = tech.get(form.get_absolute_url()).content.decode()
    assert 'id="customer-sign-blocked"' in page
    assert reverse("fieldservice:forma-handover", args=[form.pk]) not in page
    page = client_for("as_manager").get(reverse("aftersales:todo")).content.decode()
    assert "待签字的反馈单A售后服务任务" in page and form.job.number in page
    response = client_for("as_manager").post(
        step_url(form, "sign-task"), {"task": "安装调试", "signature": f.signature_data_url()}
    )
    assert response.status_code == 302
    page = tech.get(form.get_absolute_url()).content.decode()
    assert 'id="customer-sign-blocked"' not in page
    assert reverse("fieldservice:forma-handover", args=[form.pk]) in page


def test_an_unknown_signer_gives_a_position_and_is_flagged_for_review(users, tech_client, client_for):
    form = f.awaiting_customer_form(users)
    screen = _hand_over(tech_client, form)
    response = tech_client.post(screen, _customer_post(signer_name="张三", signer_phone="13700000000"))
    assert response.status_code == 400 and "请填写您的职务" in response.content.decode()
    response = tech_client.post(
        screen, _customer_post(signer_name="张三", signer_phone="13700000000", signer_position="车间主任")
    )
    assert response.status_code == 200 and "售后部将核实签字人" in response.content.decode()
    form = FeedbackFormA.objects.get(pk=form.pk)
    assert (form.signer_check, form.signer_position) == ("to_verify", "车间主任")
    assert tech_client.post(UNLOCK, {"password": "pw-12345678"}).status_code == 302

    page = tech_client.get(form.get_absolute_url()).content.decode()
    assert "非已登记联系人，待售后核实" in page and "车间主任" in page
    verify = step_url(form, "verify-signer")
    assert verify not in page  # not the technician's step
    todo = client_for("clerk").get(reverse("aftersales:todo")).content.decode()
    assert "待核实的反馈单A签字人" in todo and form.get_absolute_url() in todo
    for who in ("tech1", "deptmgr", "leader", "finance"):
        assert client_for(who).post(verify, {"verify-signer-note": "x"}).status_code == 403, who
    assert client_for("clerk").post(verify, {"verify-signer-note": ""}).status_code == 400
    response = client_for("clerk").post(verify, {"verify-signer-note": "电话联系王工，确认张三为车间主任"})
    assert response.status_code == 302
    assert FeedbackFormA.objects.get(pk=form.pk).signer_check == "verified"
    page = client_for("clerk").get(form.get_absolute_url()).content.decode()
    assert "已由clerk于" in page and "确认张三为车间主任" in page and verify not in page
    assert client_for("as_manager").post(verify, {"verify-signer-note": "再核实"}).status_code == 409


def test_the_customer_link_checks_the_signer_too(users, client_for, client):
    form = f.awaiting_customer_form(users)
    url = client_for("tech1").post(reverse("fieldservice:forma-link", args=[form.pk])).context["url"]
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path).content.decode()
    assert 'name="signer_position"' in page and reverse("logout") not in page
    assert client.post(path, _customer_post()).status_code == 400
    response = client.post(path, _customer_post(signer_position="采购员"))
    assert response.status_code == 200 and "售后部将核实签字人" in response.content.decode()
    form = FeedbackFormA.objects.get(pk=form.pk)
    assert (form.signer_check, form.customer_signature.method) == ("to_verify", "link")


def test_the_customer_link_recognises_a_registered_contact(users, client_for, client):
    form = f.awaiting_customer_form(users)
    f.register_signer(form.job, phone="139 1234 5678")
    url = client_for("tech1").post(reverse("fieldservice:forma-link", args=[form.pk])).context["url"]
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    response = client.post(path, _customer_post())
    assert response.status_code == 200 and "已登记联系人" in response.content.decode()
    assert FeedbackFormA.objects.get(pk=form.pk).signer_check == "on_record"
