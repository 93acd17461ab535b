"""产品质量保证承诺 四 in a real browser at tablet size: a demo unit's 温控仪表 came back from three
factory repairs with QC's defect CTRL-01; on the fourth call the technical department's diagnosis
shows the repeat-repair warning and an on-site repair is refused; the after-sales manager allows
another repair with a reason; techdept decides on-site; the unit history shows the exception."""

import pytest

from aftersales.demo import seed
from aftersales.models import DefectCode
from aftersales.servicedesk.models import ServiceCase
from tests.browser.conftest import has_horizontal_scroll
from tests.repairs.factories import closed_factory_repair

pytestmark = pytest.mark.browser
SERIAL = "XD1200-2024-0031"


@pytest.fixture
def demo(users, reference_data):
    seed(password="pw-12345678")


def test_the_fourth_repair_goes_to_a_new_unit_unless_the_manager_allows_it(tablet, login, live_server, demo, users):
    case = ServiceCase.objects.get(unit__serial_number=SERIAL, status=ServiceCase.Status.TECHDEPT)
    unit = case.unit
    ctrl = unit.product_model.components.get(code="CTRL")
    defect = DefectCode.objects.get(code="CTRL-01")
    assert unit.is_in_warranty(ctrl)
    for _i in range(3):
        closed_factory_repair(users, unit, ctrl, defect)

    page = tablet
    login(page, "techdept")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    # Before the diagnosis the page already says what this unit went through.
    assert "CTRL-01" in page.locator("#repeat-warning-1").inner_text()
    page.locator("#action-diagnose").evaluate("details => { details.open = true; }")
    page.fill("#id_diagnose-text", "客户描述温控仪无显示，与前三次相同")
    page.select_option("#id_diagnose-component", str(ctrl.pk))
    page.select_option("#id_diagnose-defect_code", str(defect.pk))
    page.click("#diagnose-form button[type=submit]")
    page.wait_for_selector("#replace-flag")
    assert "3" in page.locator("#replace-flag").inner_text()
    assert page.locator("#action-override-repeat").count() == 0, "only the after-sales manager allows an exception"
    assert not has_horizontal_scroll(page)

    page.locator("#action-decide").evaluate("details => { details.open = true; }")
    page.select_option("#id_decide-decision", "onsite")
    page.click("#decide-form button[type=submit]")
    page.wait_for_selector("#action-error")
    assert "售后经理" in page.locator("#action-error").inner_text()
    assert ServiceCase.objects.get(pk=case.pk).status == ServiceCase.Status.TECHDEPT

    page.context.clear_cookies()
    login(page, "as_manager")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.locator("#action-override-repeat").evaluate("details => { details.open = true; }")
    page.fill("#id_override-repeat-reason", "新机需两个月交货，客户书面同意再修一次")
    button = page.locator("#override-repeat-form button[type=submit]")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_selector("#repeat-override")
    assert "新机需两个月交货" in page.locator("#repeat-override").inner_text()

    page.context.clear_cookies()
    login(page, "techdept")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.locator("#action-decide").evaluate("details => { details.open = true; }")
    page.select_option("#id_decide-decision", "onsite")
    page.click("#decide-form button[type=submit]")
    page.wait_for_selector("#case-decision")
    assert "上门维修" in page.locator("#case-decision").inner_text()

    page.goto(f"{live_server.url}/warranty-lookup/?serial={SERIAL}")
    body = page.locator("body").inner_text()
    assert "三包换新例外" in body and "新机需两个月交货" in body
    assert not has_horizontal_scroll(page)
