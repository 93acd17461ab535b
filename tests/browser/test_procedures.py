"""Procedures as written, walked at tablet size by the roles the seed names:
上门维修 — the technical department decides, arranges and dispatches the repair trip (5); the
job's dispatch starts the case's arrival clock, once (6); on site the technician records the
training given, with its attendees and their positions (15)."""

import pytest
from django.utils import timezone

from aftersales.links import linked_of_type
from aftersales.servicedesk import services as desk
from aftersales.servicedesk.models import ServiceCase
from fieldservice.models import ServiceJob, TrainingSession
from tests.browser.conftest import has_horizontal_scroll
from tests.fieldservice.factories import step_url
from tests.servicedesk.factories import record_case

pytestmark = pytest.mark.browser


def as_user(page, login, username):
    page.context.clear_cookies()
    login(page, username)


def submit(page):
    page.click("form.form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_techdept_arranges_the_repair_trip_and_the_technician_records_the_training(tablet, login, live_server, users):
    page, base = tablet, live_server.url
    case = record_case(users["clerk"])
    desk.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    today = timezone.localdate().isoformat()

    as_user(page, login, "techdept")
    page.goto(base + case.get_absolute_url())
    page.click("#action-decide summary")
    page.select_option("#id_decide-decision", "onsite")
    page.click("#action-decide button[type=submit]")
    page.wait_for_selector("#case-decision")
    [job] = linked_of_type(ServiceCase.objects.get(pk=case.pk), ServiceJob)
    assert page.locator("#action-dispatch").count() == 0, "the job's dispatch is the case's"

    # 技术部安排出差: the technical department sees field service and agrees the date.
    page.goto(base + "/field/")
    assert job.number in page.content()
    page.goto(base + step_url(job, "schedule"))
    page.fill("#id_agreed_date", today)
    submit(page)
    assert ServiceJob.objects.get(pk=job.pk).status == "scheduled"

    as_user(page, login, "sales")
    page.goto(base + step_url(job, "support"))
    page.fill("#id_purpose", "上门维修")
    page.fill("#id_proposed_start", today)
    page.fill("#id_proposed_end", today)
    page.fill("#id_estimated_cost", "900")
    submit(page)
    as_user(page, login, "gm")
    page.goto(base + job.support_requests.get().get_absolute_url())
    page.fill("#id_approve-comment", "同意")
    page.click("#approve-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    as_user(page, login, "techdept")
    page.goto(base + step_url(job, "dispatch"))
    page.check(f"input[name=technicians][value='{users['tech1'].pk}']")
    page.select_option("#id_lead", str(users["tech1"].pk))
    page.fill("#id_address", "湖南省株洲市天元区")
    page.fill("#id_contact", "王工")
    page.fill("#id_phone", "13800001111")
    submit(page)
    assert ServiceJob.objects.get(pk=job.pk).status == "dispatched"
    # One dispatch, one clock: the case's arrival clock runs from the job's dispatch.
    page.goto(base + case.get_absolute_url())
    page.wait_for_selector("#clocks tr[data-clock=arrival]")
    case = ServiceCase.objects.get(pk=case.pk)
    assert case.visit == ServiceCase.Visit.DISPATCHED
    assert case.clocks.get(kind="arrival").started_at == ServiceJob.objects.get(pk=job.pk).dispatched_at

    as_user(page, login, "tech1")
    page.goto(base + step_url(job, "trip"))
    page.fill("#id_expected_days", "1")
    page.fill("#id_departure_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_expected_return", today)
    submit(page)
    page.goto(base + job.get_absolute_url())
    page.click("#arrive-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert ServiceCase.objects.get(pk=case.pk).visit == ServiceCase.Visit.ON_SITE

    # 培训: what was taught, to whom (name and position), when and how long.
    page.goto(base + step_url(job, "training"))
    page.fill("#id_hours", "2")
    page.fill("#id_topics", "控制器参数设置与日常维护")
    page.fill("#id_attendees", "李明 设备主管\n王芳 操作员")
    submit(page)
    session = TrainingSession.objects.get(job=job)
    assert session.attendees == [{"name": "李明", "position": "设备主管"}, {"name": "王芳", "position": "操作员"}]
    page.goto(base + job.get_absolute_url())
    assert "王芳（操作员）" in page.locator("#trainings").inner_text()
    assert not has_horizontal_scroll(page)


def test_links_are_a_fingers_width_on_the_tablet(tablet, login, live_server, users):
    """Job numbers in the list, phone and PDF links: at least 44 px high on a touch screen."""
    from tests.fieldservice.factories import dispatched_job

    job = dispatched_job(users)
    page = tablet
    as_user(page, login, "clerk")
    page.goto(live_server.url + "/field/")
    number = page.locator(f"a[href='{job.get_absolute_url()}']").first
    assert number.bounding_box()["height"] >= 44
    page.goto(live_server.url + job.get_absolute_url())
    for link in page.locator("a[href^='tel:'], .facts a, .actions a").all():
        if link.is_visible():
            assert link.bounding_box()["height"] >= 44, link.inner_text()
