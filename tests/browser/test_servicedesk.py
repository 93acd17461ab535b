"""Service desk in a real browser at tablet size: the clerk records a call for a demo unit found by
its serial number and hands it to the technical department; techdept decides on-site repair."""

import pytest

from aftersales.demo import seed
from aftersales.servicedesk.models import ServiceCase
from tests.browser.conftest import TABLET_LANDSCAPE, has_horizontal_scroll

pytestmark = pytest.mark.browser
SERIAL = "XD1200-2024-0031"


@pytest.fixture
def demo(users, reference_data):
    seed(password="pw-12345678")


def test_clerk_records_a_call_and_techdept_decides_onsite(tablet, login, live_server, demo):
    page = tablet
    login(page, "clerk")
    page.goto(f"{live_server.url}/cases/new/")
    assert not has_horizontal_scroll(page)
    page.fill("#id_search", "2024-0031")
    result = page.locator("#intake-results button", has_text=SERIAL)
    result.first.click()
    assert page.input_value("#id_serial_number") == SERIAL
    assert page.locator("#intake-customer-name").inner_text() != ""
    page.select_option("#id_priority", "high")
    page.fill("#id_fault_description", "炉温升到800℃后不再上升，温控仪显示 E03。")
    page.click("#intake-form button[type=submit]")
    page.wait_for_selector("#case-status")
    case = ServiceCase.objects.get(unit__serial_number=SERIAL, priority="high")
    assert page.locator("h1").inner_text().find(case.number) >= 0
    assert page.locator("#clocks tr[data-clock=response]").count() == 1
    assert not has_horizontal_scroll(page)

    page.click("#action-handover summary")
    page.click("#action-handover button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert page.locator("#case-status").inner_text() == "已提交技术部"

    page.context.clear_cookies()
    login(page, "techdept")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    page.click("#action-decide summary")
    page.select_option("#id_decide-decision", "onsite")
    page.click("#action-decide button[type=submit]")
    page.wait_for_selector("#case-decision")
    assert "上门维修" in page.locator("#case-decision").inner_text()
    assert page.locator("#case-status").inner_text() == "处理中"
    # Dispatch confirmed with the customer: the arrival clock starts and shows on the case.
    page.click("#action-dispatch summary")
    page.click("#action-dispatch button[type=submit]")
    page.wait_for_selector("#clocks tr[data-clock=arrival]")
    states = page.locator("#clocks tr.clock").evaluate_all("rows => rows.map(r => r.dataset.state)")
    assert len(states) == 3 and "running" in states
    assert not has_horizontal_scroll(page)
    page.set_viewport_size(TABLET_LANDSCAPE)
    assert not has_horizontal_scroll(page)
    button = page.locator("#action-resolve button[type=submit]")
    page.click("#action-resolve summary")
    assert button.bounding_box()["height"] >= 44


def test_case_list_and_lookup_fit_a_tablet(tablet, login, live_server, demo):
    login(tablet, "clerk")
    tablet.goto(f"{live_server.url}/cases/")
    assert tablet.locator("#case-table tbody tr").count() >= 1
    assert not has_horizontal_scroll(tablet)
    tablet.goto(f"{live_server.url}/warranty-lookup/?serial={SERIAL}")
    assert tablet.locator("#warranty-table tr").count() >= 2
    assert not has_horizontal_scroll(tablet)
