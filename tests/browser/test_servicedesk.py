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


def dispatch_linked_job(case):
    """The after-sales office dispatches the job the decision opened (approval first, as the seed says)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from aftersales.links import linked_of_type
    from fieldservice import services as field
    from fieldservice.models import ServiceJob

    users = {u.username: u for u in get_user_model().objects.all()}
    [job] = linked_of_type(case, ServiceJob)
    today = timezone.localdate()
    field.job_schedule(pk=job.pk, by=users["clerk"], agreed_date=today)
    request = field.support_request_create(
        pk=job.pk, by=users["sales"], purpose="上门维修", proposed_start=today, proposed_end=today, estimated_cost=800
    )
    field.support_request_approve(pk=request.pk, by=users["gm"], comment="同意")
    field.job_dispatch(
        pk=job.pk,
        by=users["clerk"],
        technicians=[users["tech1"]],
        lead=users["tech1"],
        address="株洲",
        contact="王工",
        phone="13800001111",
    )
    return job


def bring_on_site(job):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from fieldservice import services as field

    tech = get_user_model().objects.get(username="tech1")
    field.job_start_trip(
        pk=job.pk,
        by=tech,
        expected_days=1,
        travellers="孙浩",
        departure_at=timezone.now(),
        destination="株洲",
        purpose="维修",
        expected_return=timezone.localdate(),
    )
    field.job_arrive(pk=job.pk, by=tech)


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
    # The decision opened a service job: its dispatch is the case's (one dispatch, one clock),
    # so the case page offers no dispatch of its own; dispatching the job starts the clock.
    assert page.locator("#action-dispatch").count() == 0
    job = dispatch_linked_job(case)
    page.reload()
    page.wait_for_selector("#clocks tr[data-clock=arrival]")
    states = page.locator("#clocks tr.clock").evaluate_all("rows => rows.map(r => r.dataset.state)")
    assert len(states) == 3 and "running" in states
    assert page.locator("#action-resolve").count() == 0, "an on-site repair is resolved after the arrival"
    bring_on_site(job)
    page.reload()
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
