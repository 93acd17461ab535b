"""The tablet handed to the customer, in a real browser at tablet size (issue 12, point 6): the
screen reaches no staff page until the technician's password; an unknown signer is flagged on
form A and its PDF."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldservice.models import FeedbackFormA
from tests.browser.test_fieldservice import draw, submit
from tests.fieldservice import factories as f
from tests.fieldservice.test_pdf import text_of

pytestmark = pytest.mark.browser

STAFF_PAGES = ["/", "/cases/", "/field/", "/admin/", "/warranty/", "/shipping/"]


def fill_confirmation(page, *, name, phone, position=""):
    for field, value in (
        ("work_completed", "yes"),
        ("result", "good"),
        ("efficiency", "high"),
        ("attitude", "good"),
        ("training", "yes"),
    ):
        page.check(f"input[name={field}][value={value}]")
    today = timezone.localdate().isoformat()
    page.fill("#id_arrival_date", today)
    page.fill("#id_departure_date", today)
    page.fill("#id_acceptance_comments", "验收合格")
    page.fill("#id_signer_name", name)
    page.fill("#id_signer_phone", phone)
    page.fill("#id_signer_position", position)


def test_the_handed_over_tablet_reaches_no_staff_page_until_the_technicians_password(tablet, login, live_server, users):
    page = tablet
    base = live_server.url
    form_a = f.awaiting_customer_form(users)
    unlock = base + reverse("fieldservice:tablet-unlock")
    login(page, "tech1")
    page.goto(base + form_a.get_absolute_url())
    page.click(f"form[action='{reverse('fieldservice:forma-handover', args=[form_a.pk])}'] button")
    page.wait_for_load_state("networkidle")
    screen = page.url
    assert "/field/form-a/sign/" in screen

    # The customer's screen: no menu, no logout; every staff page leads back to it.
    assert page.locator("#main-menu").count() == 0
    assert page.locator(f"form[action='{reverse('logout')}']").count() == 0
    assert page.locator("a[href^='/admin/']").count() == 0
    page.go_back()  # to form A, whose page the browser may still hold: it is not shown
    page.wait_for_url(screen)
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_signer_name").count() == 1
    for url in [*STAFF_PAGES, form_a.get_absolute_url()]:
        page.goto(base + url)
        assert page.url == screen, url

    # A person who is not among the customer's contacts: asked for their position, then flagged.
    fill_confirmation(page, name="张三", phone="13700000000")
    draw(page)
    submit(page)
    assert "请填写您的职务" in page.inner_text("main")
    assert FeedbackFormA.objects.get(pk=form_a.pk).status == "awaiting_customer"
    page.fill("#id_signer_position", "车间主任")
    if not page.input_value("#id_signature"):
        draw(page)
    submit(page)
    assert "售后部将核实签字人" in page.inner_text("main")
    signed = FeedbackFormA.objects.get(pk=form_a.pk)
    assert (signed.status, signed.signer_check, signed.signer_position) == ("signed", "to_verify", "车间主任")

    # Done: every page now asks for the technician's password; logging out is not reachable.
    for url in [*STAFF_PAGES, form_a.get_absolute_url(), reverse("logout")]:
        page.goto(base + url)
        assert page.url == unlock, url
    assert page.locator(f"form[action='{reverse('logout')}']").count() == 0
    page.fill("#id_password", "not-my-password")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == unlock and "密码错误" in page.inner_text("main")
    page.goto(base + "/field/")
    assert page.url == unlock
    page.fill("#id_password", "pw-12345678")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == base + form_a.get_absolute_url()
    assert "平板已解锁" in page.inner_text("main")

    # Form A and its PDF flag the signer for after-sales.
    assert "非已登记联系人，待售后核实" in page.inner_text("#signer-check")
    pdf = page.request.get(base + reverse("fieldservice:forma-pdf", args=[form_a.pk]))
    assert pdf.ok
    text = text_of(pdf.body())
    assert "签字人未在客户登记联系人中，待售后核实" in text and "职务：车间主任" in text
    page.goto(base + "/field/")
    assert page.url == base + "/field/"
    assert page.locator(f"form[action='{reverse('logout')}']").count() == 1


def test_the_tablet_waits_for_the_managers_task_signature(tablet, login, live_server, users):
    page = tablet
    form_a = f.awaiting_customer_form(users, task_signed=False)
    login(page, "tech1")
    page.goto(live_server.url + form_a.get_absolute_url())
    assert "售后经理尚未在售后服务任务上签字" in page.inner_text("#customer-sign-blocked")
    assert page.locator(f"form[action='{reverse('fieldservice:forma-handover', args=[form_a.pk])}']").count() == 0
