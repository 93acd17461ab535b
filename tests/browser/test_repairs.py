"""Factory repair in a real browser at tablet size: techdept decides return-to-factory repair on a
demo case, the warehouse receives the unit, QC diagnoses a covered defect and repairs it with a
part, the unit ships back through the shipping chain and the case resolves; the warranty lookup
shows the repair and the part."""

import pytest

from aftersales.demo import seed
from aftersales.servicedesk.models import ServiceCase
from tests.browser.conftest import TABLET_LANDSCAPE, has_horizontal_scroll
from tests.repairs.factories import deliver
from warranty.repairs.models import FactoryRepair

pytestmark = pytest.mark.browser
SERIAL = "XD1200-2024-0031"


@pytest.fixture
def demo(users, reference_data):
    seed(password="pw-12345678")


def _act(page, name: str, fill=None):
    page.locator(f"#action-{name}").evaluate("details => { details.open = true; }")
    form = page.locator(f"#{name}-form")
    for selector, value in (fill or {}).items():
        # A step card's fields carry the step's name: name=condition is posted as receive-condition.
        field = form.locator(selector.replace("[name=", f"[name={name}-"))
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_factory_repair_from_decision_to_resolved_case(tablet, login, live_server, demo, users):
    page = tablet
    case = ServiceCase.objects.get(unit__serial_number=SERIAL, status=ServiceCase.Status.TECHDEPT)
    login(page, "techdept")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.click("#action-decide summary")
    page.select_option("#id_decide-decision", "factory")
    page.click("#action-decide button[type=submit]")
    page.wait_for_selector("#case-decision")
    order = FactoryRepair.objects.get(case=case)

    page.context.clear_cookies()
    login(page, "warehouse")
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    assert not has_horizontal_scroll(page)
    button = page.locator("#receive-form button[type=submit]")
    assert button.bounding_box()["height"] >= 44
    _act(
        page, "receive", {"textarea[name=condition]": "包装完好，外观无损", "input[name=accessories]": "电源线、说明书"}
    )
    assert "仓库已收货" in page.locator("h1").inner_text()

    page.context.clear_cookies()
    login(page, "qc")
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    # A covered defect of a component still in warranty: a free repair, no fee gate.
    heat = next(c for c in order.unit.product_model.components.all() if order.unit.is_in_warranty(c))
    _act(
        page,
        "diagnose",
        {"textarea[name=findings]": "一组加热元件断路", "select[name=component]": str(heat.pk)},
    )
    assert "已诊断" in page.locator("h1").inner_text()
    page.click("#repair-parts summary")
    form = page.locator("#repair-parts form")
    form.locator("select[name=component]").select_option(str(heat.pk))
    form.locator("input[name=part_serial]").fill("HEAT-2026-0815")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "HEAT-2026-0815" in page.locator("#repair-parts").inner_text()
    _act(page, "repair", {"textarea[name=work_done]": "更换加热元件一组", "input[name=hours]": "2"})
    _act(page, "pass_test", {"textarea[name=notes]": "升温至1200℃，恒温2小时正常"})

    page.context.clear_cookies()
    login(page, "clerk")
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    _act(page, "ship_back", {"input[name=contact_name]": "王经理", "input[name=contact_phone]": "13800000000"})
    order.refresh_from_db()
    assert order.status == FactoryRepair.Status.SHIPPED
    deliver(order.return_shipment, users)
    page.reload()
    assert "已关闭" in page.locator("h1").inner_text()
    case.refresh_from_db()
    assert case.status == ServiceCase.Status.RESOLVED

    page.goto(f"{live_server.url}/warranty-lookup/?serial={SERIAL}")
    body = page.locator("body").inner_text()
    assert order.number in body and "更换零部件" in body
    page.set_viewport_size(TABLET_LANDSCAPE)
    assert not has_horizontal_scroll(page)
