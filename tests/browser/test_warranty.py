"""A 三包 return on a tablet: sheet → tag → quarantine → QC appraisal → supplier deadline → exchange."""

import pytest

from tests.aftersales.factories import SupplierFactory, UnitFactory
from tests.browser.conftest import has_horizontal_scroll
from tests.warranty.factories import ComponentFactory

pytestmark = pytest.mark.browser


def draw_signature(page):
    page.locator("canvas.signature-pad").scroll_into_view_if_needed()
    box = page.locator("canvas.signature-pad").bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 120)
    page.mouse.down()
    for x, y in ((80, 40), (140, 150), (220, 60), (300, 130)):
        page.mouse.move(box["x"] + x, box["y"] + y, steps=5)
    page.mouse.up()


def submit_action(page, name):
    page.locator(f"#{name}-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_bought_in_return_chain_on_tablet(tablet, login, live_server, users):
    from django.utils import timezone

    unit = UnitFactory(
        serial_number="XD1200-2024-0031", acceptance_date=timezone.localdate() - timezone.timedelta(days=200)
    )
    supplier = SupplierFactory(name="江苏精达仪表有限公司")
    ctrl = ComponentFactory(
        product_model=unit.product_model, name="温控仪表", warranty_months=36, is_bought_in=True, supplier=supplier
    )
    page = tablet
    base = live_server.url

    # The clerk records the customer's quality complaint and the first answer.
    login(page, "clerk")
    page.goto(f"{base}/warranty/sheets/new/")
    page.fill("#id_unit", unit.serial_number)
    page.fill("#id_description", "温控仪表无显示，炉温失控")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    sheet_url = page.url
    page.fill("#id_send-first_answer", "已告知客户停炉，仪表寄回鉴定")
    submit_action(page, "send")
    assert not has_horizontal_scroll(page)

    # The returned controller is registered, graded as our defect and tagged.
    page.click("text=登记退回零部件")
    page.select_option("#id_component", str(ctrl.pk))
    page.fill("#id_part_name", "温控仪表")
    page.fill("#id_part_serial", "CT-23-1187")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    part_url = page.url
    page.check('input[name="grade_part-grade"][value="company"]')
    page.fill("#id_grade_part-analysis", "电源模块疑似失效")
    submit_action(page, "grade_part")
    assert "已贴标签" in page.content()

    # The warehouse receives it into the quarantine zone.
    page.context.clear_cookies()
    login(page, "warehouse")
    page.goto(part_url)
    page.fill("#id_quarantine-location", "隔离区A-01")
    page.fill("#id_quarantine-given_by", "王芳")
    submit_action(page, "quarantine")
    page.goto(f"{base}/warranty/quarantine/")
    assert "隔离区A-01" in page.content() and "品质管理中心鉴定" in page.content()
    assert not has_horizontal_scroll(page)

    # QC appraises it as a bought-in defect and signs with a finger.
    page.context.clear_cookies()
    login(page, "qc")
    page.goto(part_url)
    page.click("main a[href*='/warranty/appraisals/']")
    page.wait_for_load_state("networkidle")
    appraisal_url = page.url
    # Appraising has a page of its own: QC signs with a finger.
    page.click("#action-appraise a")
    page.check('input[name="place"][value="warehouse"]')
    page.check('input[name="own_defect"][value="1"]')
    page.select_option("#id_origin", "bought_in")
    page.fill("#id_cause", "电源模块电容击穿，供方来料缺陷")
    page.select_option("#id_outcome", "replace")
    draw_signature(page)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "产品自身质量问题，待换件" in page.content()

    # Purchasing notifies the supplier and sees the one-month deadline on 待办.
    page.context.clear_cookies()
    login(page, "purchasing")
    page.goto(appraisal_url)
    page.click("main a[href*='/warranty/supplier-claims/']")
    page.wait_for_load_state("networkidle")
    today = timezone.localdate()
    page.fill("#id_notify-on", today.isoformat())
    submit_action(page, "notify")
    page.goto(f"{base}/")
    from aftersales.models.masterdata import add_months

    assert add_months(today, 1).isoformat() in page.content()

    # The warehouse hands out the good part against the appraisal form.
    page.context.clear_cookies()
    login(page, "warehouse")
    page.goto(appraisal_url)
    page.fill("#id_exchange-good_part_serial", "CT-26-0042")
    submit_action(page, "exchange")
    content = page.content()
    assert "合格品已发放" in content and "CT-26-0042" in content

    # The sheet shows the whole chain: the part, and through it the appraisal and the supplier claim.
    page.goto(sheet_url)
    assert "料废" in page.content()
    page.goto(part_url)
    content = page.content()
    assert "隔离区A-01" in content and "王芳" in content and "合格品已发放" in content
    assert not has_horizontal_scroll(page)


def test_customer_signs_incident_feedback_on_the_tablet(tablet, login, live_server, users):
    from aftersales.models import Department
    from warranty import services
    from warranty.models import QualityIncident

    unit = UnitFactory(serial_number="XD1200-2021-0007")
    dept = Department.objects.create(code="PDB", name="生产一班", kind=Department.Kind.PRODUCTION)
    i = services.incident_create(by=users["clerk"], customer=unit.customer, unit=unit, description="炉壳焊缝开裂")
    services.incident_trace(pk=i.pk, by=users["qc"], first_cause="焊接电流偏大", consequence="停产一天")
    services.incident_assign(pk=i.pk, by=users["leader"], department=dept)
    services.incident_dispatch(pk=i.pk, by=users["deptmgr"], people="生产一班 李工")
    page = tablet
    login(page, "tech1")
    page.goto(f"{live_server.url}{i.get_absolute_url()}")
    assert not has_horizontal_scroll(page)
    page.click("#action-file_feedback a")
    page.fill("#id_handling", "现场补焊，试压合格")
    page.fill("#id_signer_name", "黄建华")
    draw_signature(page)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "反馈单已经客户签字" in page.content()
    assert QualityIncident.objects.get(pk=i.pk).feedback_signer == "黄建华"
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/warranty/incidents/")
    assert i.number in page.content() and not has_horizontal_scroll(page)
