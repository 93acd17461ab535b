"""An installation at tablet size, from the market-support request to the archived PDF."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.models import ArchivedDocument
from fieldservice import services
from fieldservice.models import Expense, FeedbackFormA, FeedbackFormB, ServiceJob
from tests.aftersales.factories import ContactFactory, CustomerFactory, ProductModelFactory, SiteFactory, UnitFactory
from tests.browser.conftest import TABLET_LANDSCAPE, has_horizontal_scroll
from tests.fieldservice.factories import png_bytes, step_url

pytestmark = pytest.mark.browser


def draw(page, selector="canvas.signature-pad"):
    canvas = page.locator(selector)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"], box["y"]
    page.mouse.move(x + 20, y + 30)
    page.mouse.down()
    page.mouse.move(x + 90, y + 80, steps=6)
    page.mouse.move(x + 160, y + 20, steps=6)
    page.mouse.move(x + 240, y + 70, steps=6)
    page.mouse.up()
    page.wait_for_function("document.getElementById('id_signature').value.startsWith('data:image/png')")


def as_user(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def submit(page):
    page.click("form.form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_installation_on_a_tablet(tablet, login, live_server, users):
    page = tablet
    base = live_server.url
    customer = CustomerFactory()
    site = SiteFactory(customer=customer)
    unit = UnitFactory(
        customer=customer, site=site, product_model=ProductModelFactory(needs_installation=True), acceptance_date=None
    )
    # As if shipping had confirmed the customer's receipt.
    job = services.job_create(
        kind="installation",
        customer=customer,
        site=site,
        units=[unit],
        contact_name="王工",
        contact_phone="13800001111",
        by=users["clerk"],
    )
    ContactFactory(customer=customer, name="李客户", mobile="13912345678", title="设备科科长")
    today = timezone.localdate().isoformat()
    job_url = base + job.get_absolute_url()

    as_user(page, login, "clerk")
    page.goto(base + step_url(job, "schedule"))
    page.fill("#id_agreed_date", today)
    submit(page)

    as_user(page, login, "sales")
    page.goto(base + step_url(job, "support"))
    page.fill("#id_purpose", "新设备安装调试")
    page.fill("#id_proposed_start", today)
    page.fill("#id_proposed_end", today)
    page.fill("#id_estimated_cost", "2800")
    submit(page)
    assert page.url.endswith(job.get_absolute_url())

    as_user(page, login, "gm")
    page.goto(base + job.support_requests.get().get_absolute_url())
    page.fill("#id_approve-comment", "同意")
    page.click("#approve-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    as_user(page, login, "clerk")
    page.goto(base + step_url(job, "dispatch"))
    page.check(f"input[name=technicians][value='{users['tech1'].pk}']")
    page.select_option("#id_lead", str(users["tech1"].pk))
    page.fill("#id_bring", "安装工具")
    submit(page)
    assert ServiceJob.objects.get(pk=job.pk).status == "dispatched"

    as_user(page, login, "tech1")
    page.goto(base + step_url(job, "trip"))
    page.fill("#id_expected_days", "2")
    page.fill("#id_departure_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_expected_return", today)
    submit(page)
    page.goto(base + step_url(job, "report"))
    page.fill("#id_text", "已出发，下午到达")
    page.set_input_files("#id_photos", files=[{"name": "road.png", "mimeType": "image/png", "buffer": png_bytes()}])
    submit(page)
    assert job.reports.count() == 1
    page.goto(job_url)
    page.click("#arrive-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert ServiceJob.objects.get(pk=job.pk).status == "on_site"
    assert not has_horizontal_scroll(page)

    page.click("#action-form-a summary")
    page.click("#form-a-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    form_a = FeedbackFormA.objects.get(job=job)

    # The after-sales manager signs the task: the customer signs only after that signature.
    as_user(page, login, "as_manager")
    page.goto(base + step_url(form_a, "sign-task"))
    page.fill("#id_task", "新设备安装调试，培训操作人员")
    draw(page)
    submit(page)
    assert FeedbackFormA.objects.get(pk=form_a.pk).manager_signature is not None
    as_user(page, login, "tech1")
    page.goto(base + form_a.get_absolute_url())
    page.click(f"a[href='{step_url(form_a, 'edit')}']")
    page.fill("#id_expected_work_time", "1天")
    page.fill("#id_service_content", "完成安装调试，培训操作人员两名。")
    page.reload()  # a dropped connection: what was typed is still there
    assert page.input_value("#id_service_content") == "完成安装调试，培训操作人员两名。"
    submit(page)
    page.goto(base + step_url(form_a, "sign-content"))
    draw(page)
    drawn = page.input_value("#id_signature")
    page.reload()  # the drawn signature survives a reload too
    assert page.input_value("#id_signature") == drawn
    assert not has_horizontal_scroll(page)
    submit(page)
    assert FeedbackFormA.objects.get(pk=form_a.pk).status == "awaiting_customer"
    page.click(f"form[action='{reverse('fieldservice:forma-handover', args=[form_a.pk])}'] button")
    page.wait_for_load_state("networkidle")
    assert not has_horizontal_scroll(page)
    # The customer, in person, on the tablet.
    for name, value in (
        ("work_completed", "yes"),
        ("result", "very_good"),
        ("efficiency", "high"),
        ("attitude", "good"),
        ("training", "yes"),
    ):
        page.check(f"input[name={name}][value={value}]")
    page.fill("#id_arrival_date", today)
    page.fill("#id_departure_date", today)
    page.fill("#id_acceptance_comments", "验收合格")
    page.fill("#id_signer_name", "李客户")
    page.fill("#id_signer_phone", "13912345678")
    page.set_input_files("#id_stamp", files=[{"name": "stamp.png", "mimeType": "image/png", "buffer": png_bytes()}])
    draw(page)
    submit(page)
    form_a = FeedbackFormA.objects.get(pk=form_a.pk)
    assert form_a.status == "signed" and form_a.customer_signature.signer_name == "李客户"
    assert form_a.customer_signature.method == "tablet" and form_a.signer_check == "on_record"
    assert "已登记联系人" in page.inner_text("main")
    # The technician takes the tablet back with their password.
    page.click(f"a[href='{reverse('fieldservice:tablet-unlock')}']")
    page.fill("#id_password", "pw-12345678")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(form_a.get_absolute_url())

    page.goto(job_url)
    page.click("#depart-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(base + step_url(job, "form-b"))
    page.fill("#id_service_fee", "0")
    page.check("input[name=commissioned][value=yes]")
    page.fill("#id_commissioning_date", today)
    page.fill("#id_user_reported", "新设备安装")
    page.fill("#id_found_on_site", "现场条件具备")
    page.fill("#id_handling", "安装调试完成，运行正常")
    page.fill("#id_open_issues", "无")
    submit(page)
    assert FeedbackFormB.objects.filter(job=job).exists(), page.inner_text("main")
    form_b = FeedbackFormB.objects.get(job=job)
    page.goto(base + step_url(form_b, "submit"))
    draw(page)
    submit(page)
    assert FeedbackFormB.objects.get(job=job).status == "submitted"
    page.goto(base + step_url(job, "expense"))
    page.select_option("#id_category", "lodging")
    page.fill("#id_amount", "260")
    page.fill("#id_spent_on", today)
    submit(page)
    expense = Expense.objects.get(job=job)

    as_user(page, login, "deptmgr")
    page.goto(base + step_url(form_b, "review"))
    page.fill("#id_opinion", "工作认真")
    draw(page)
    submit(page)
    as_user(page, login, "leader")
    page.set_viewport_size(TABLET_LANDSCAPE)
    page.goto(base + step_url(form_b, "approve"))
    page.fill("#id_comment", "批准")
    draw(page)
    submit(page)
    assert FeedbackFormB.objects.get(job=job).status == "approved"

    as_user(page, login, "finance")
    page.goto(job_url + "#expenses")
    page.click(f"#expenses a.button[href='{expense.get_absolute_url()}']")
    page.click("#reimburse-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert Expense.objects.get(pk=expense.pk).status == "reimbursable"
    assert not has_horizontal_scroll(page)

    as_user(page, login, "clerk")
    page.goto(job_url)
    doc = ArchivedDocument.objects.get(kind="fieldservice.feedback_ab")
    with page.expect_download() as info:
        page.click(f"a[href='{reverse('aftersales:archive-download', args=[doc.pk])}']")
    path = info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert ServiceJob.objects.get(pk=job.pk).units.get().acceptance_date == timezone.localdate()


def test_customer_signs_on_own_phone(browser, live_server, users):
    from tests.fieldservice import factories as f

    form_a = f.awaiting_customer_form(users)
    f.register_signer(form_a.job, name="周经理", phone="13700000000")
    url = services.form_a_customer_link(pk=form_a.pk, by=users["tech1"])
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + path)
        for name, value in (
            ("work_completed", "yes"),
            ("result", "good"),
            ("efficiency", "high"),
            ("attitude", "good"),
            ("training", "no"),
        ):
            page.check(f"input[name={name}][value={value}]")
        today = timezone.localdate().isoformat()
        page.fill("#id_arrival_date", today)
        page.fill("#id_departure_date", today)
        page.fill("#id_acceptance_comments", "满意")
        page.fill("#id_signer_name", "周经理")
        page.fill("#id_signer_phone", "13700000000")
        draw(page)
        submit(page)
        signed = FeedbackFormA.objects.get(pk=form_a.pk)
        assert signed.status == "signed" and signed.customer_signature.method == "link"
        assert signed.customer_signature.captured_by is None
        response = page.goto(live_server.url + path)  # the link works once
        assert response.status == 410
        tampered = page.goto(live_server.url + path[:-4] + "xyz/")
        assert tampered.status == 410
    finally:
        context.close()


def test_technician_screens_fit_portrait_and_landscape(tablet, login, live_server, users):
    from tests.browser.conftest import TABLET_PORTRAIT
    from tests.fieldservice import factories as f

    job = f.on_site_job(users)
    form_a = f.awaiting_customer_form(users, job)
    login(tablet, "tech1")
    urls = [
        reverse("fieldservice:job-list"),
        job.get_absolute_url(),
        step_url(job, "report"),
        form_a.get_absolute_url(),
        step_url(job, "form-b"),
        step_url(job, "expense"),
    ]
    for size in (TABLET_PORTRAIT, TABLET_LANDSCAPE):
        tablet.set_viewport_size(size)
        for url in urls:
            tablet.goto(live_server.url + url)
            assert not has_horizontal_scroll(tablet), (size, url)
            small = tablet.evaluate(
                """Array.from(document.querySelectorAll('main button, main a.button, main input[type=radio]'))
                .filter(el => el.offsetParent !== null)
                .map(el => el.closest('label') || el)
                .filter(el => el.getBoundingClientRect().height < 40)
                .map(el => el.outerHTML.slice(0, 80))"""
            )
            assert not small, (url, small)
