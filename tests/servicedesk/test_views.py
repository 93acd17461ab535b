"""Service desk screens end to end: intake, list, detail actions, refusals (403/409/400), lookup, board."""

import uuid

import pytest
from django.urls import reverse

from aftersales.servicedesk import services
from aftersales.servicedesk.models import ServiceCase
from tests.aftersales.factories import ComponentFactory, UnitFactory
from tests.servicedesk.factories import case_in, record_case

pytestmark = pytest.mark.django_db


def action_url(case, action):
    return reverse("servicedesk:case-step", args=[case.pk, action])


def test_intake_page_for_clerk_and_403_for_technician(client_for):
    assert client_for("clerk").get(reverse("servicedesk:case-create")).status_code == 200
    assert client_for("technician").get(reverse("servicedesk:case-create")).status_code == 403


def test_intake_prefills_from_serial(client_for):
    unit = UnitFactory()
    page = client_for("clerk").get(reverse("servicedesk:case-create") + f"?serial={unit.serial_number}")
    assert unit.customer.name in page.content.decode()


def test_intake_records_once_on_double_submit(client_for, users):
    unit = UnitFactory()
    client = client_for("clerk")
    data = {
        "customer": unit.customer.pk,
        "serial_number": unit.serial_number,
        "channel": "phone",
        "category": "fault",
        "priority": "high",
        "caller_name": "张工",
        "caller_phone": "13800000000",
        "fault_description": "开机报警 E05",
        "form_token": str(uuid.uuid4()),
    }
    first = client.post(reverse("servicedesk:case-create"), data)
    second = client.post(reverse("servicedesk:case-create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ServiceCase.objects.filter(unit=unit).count() == 1


def test_intake_with_unknown_serial_rerenders_with_400(client_for):
    unit = UnitFactory()
    response = client_for("clerk").post(
        reverse("servicedesk:case-create"),
        {
            "customer": unit.customer.pk,
            "serial_number": "NOPE",
            "channel": "phone",
            "category": "fault",
            "priority": "normal",
            "fault_description": "x",
        },
    )
    assert response.status_code == 400
    assert not ServiceCase.objects.exists()


def test_intake_search_by_name_phone_and_serial(client_for):
    unit = UnitFactory(serial_number="XD1200-2024-9999")
    client = client_for("clerk")
    url = reverse("servicedesk:case-intake-search")
    by_serial = client.get(url, {"q": "2024-99"}).json()["results"]
    assert by_serial[0]["unit"] == "XD1200-2024-9999" and by_serial[0]["customer"] == unit.customer.pk
    by_name = client.get(url, {"q": unit.customer.name[:6]}).json()["results"]
    assert any(r["customer"] == unit.customer.pk for r in by_name)
    by_phone = client.get(url, {"q": unit.customer.phone[-6:]}).json()["results"]
    assert any(r["customer"] == unit.customer.pk for r in by_phone)
    units = client.get(url, {"customer": unit.customer.pk}).json()["units"]
    assert units[0]["serial"] == "XD1200-2024-9999"
    assert client_for("technician").get(url, {"q": "XD"}).status_code == 403


def test_case_list_filters_and_constant_queries(client_for, users, django_assert_max_num_queries):
    cases = [record_case(users["clerk"]) for _i in range(6)]
    services.case_hand_to_techdept(pk=cases[0].pk, by=users["clerk"])
    complaint = record_case(users["clerk"], category="complaint")
    client = client_for("clerk")
    with django_assert_max_num_queries(10):
        page = client.get(reverse("servicedesk:case-list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert all(c.number in body for c in cases)
    techdept = client.get(reverse("servicedesk:case-list"), {"status": "techdept"}).content.decode()
    assert cases[0].number in techdept and cases[1].number not in techdept
    only_complaints = client.get(reverse("servicedesk:case-list"), {"category": "complaint"}).content.decode()
    assert complaint.number in only_complaints and cases[1].number not in only_complaints
    by_customer = client.get(reverse("servicedesk:case-list"), {"customer": cases[2].customer.pk}).content.decode()
    assert cases[2].number in by_customer and cases[3].number not in by_customer
    assert client_for("purchasing").get(reverse("servicedesk:case-list")).status_code == 403


def test_case_list_clock_filter_and_keyset_pages(client_for, users, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    for _i in range(55):
        record_case(users["clerk"])
    client = client_for("clerk")
    first = client.get(reverse("servicedesk:case-list"))
    assert first.context["page"].has_next
    second = client.get(reverse("servicedesk:case-list"), {"after": first.context["page"].next_cursor})
    numbers = {c.number for c, _clocks in first.context["rows"]} | {c.number for c, _clocks in second.context["rows"]}
    assert len(numbers) == 55
    real_now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: real_now + timedelta(minutes=45))
    breached = client.get(reverse("servicedesk:case-list"), {"clock": "breached"})
    assert len(breached.context["rows"]) == 50


def test_detail_shows_actions_of_the_role(client_for, users):
    case = case_in("recorded", users)
    clerk_page = client_for("clerk").get(case.get_absolute_url()).content.decode()
    assert 'id="action-handover"' in clerk_page and 'id="action-answer"' in clerk_page
    assert 'id="action-decide"' not in clerk_page
    assert 'id="clocks"' in clerk_page
    tech_page = client_for("techdept").get(case.get_absolute_url()).content.decode()
    assert 'id="action-handover"' not in tech_page
    assert client_for("purchasing").get(case.get_absolute_url()).status_code == 403


def test_handover_and_decide_through_the_page(client_for, users):
    case = case_in("recorded", users)
    response = client_for("clerk").post(
        action_url(case, "handover"), {"expected_state": "recorded", "handover-note": "请梁工回电"}
    )
    assert response.status_code == 302
    response = client_for("techdept").post(
        action_url(case, "decide"), {"expected_state": "techdept", "decide-decision": "onsite"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "in_progress" and case.decision == "onsite"


def test_refused_role_gets_403_with_a_message(client_for, users):
    case = case_in("techdept", users)
    response = client_for("clerk").post(
        action_url(case, "decide"), {"expected_state": "techdept", "decide-decision": "remote"}
    )
    assert response.status_code == 403
    assert response.context["step_error"]
    assert ServiceCase.objects.get(pk=case.pk).status == "techdept"


def test_stale_page_gets_409_with_a_message(client_for, users):
    case = case_in("recorded", users)
    services.case_hand_to_techdept(pk=case.pk, by=users["as_manager"])
    response = client_for("clerk").post(action_url(case, "answer"), {"expected_state": "recorded", "answer-text": "x"})
    assert response.status_code == 409
    assert 'id="action-error"' in response.content.decode()
    # Answered at the POST address; the page names the record's own for the browser's address bar.
    assert f'data-page-url="{case.get_absolute_url()}"' in response.content.decode()


def test_double_submit_of_a_transition_is_done_once(client_for, users):
    case = case_in("recorded", users)
    client = client_for("clerk")
    data = {"expected_state": "recorded", "form_token": str(uuid.uuid4())}
    assert client.post(action_url(case, "handover"), data).status_code == 302
    again = client.post(action_url(case, "handover"), data, follow=True)
    assert again.status_code == 200
    assert ServiceCase.objects.get(pk=case.pk).history.filter(status="techdept").count() == 1
    # Without the token (another tab), the stale state is refused instead.
    third = client.post(action_url(case, "handover"), {"expected_state": "recorded"})
    assert third.status_code == 409


def test_invalid_action_form_gives_400(client_for, users):
    case = case_in("resolved", users)
    response = client_for("clerk").post(action_url(case, "revisit"), {"expected_state": "resolved"})
    assert response.status_code == 400


def test_messages_are_chinese(client_for, users):
    case = case_in("techdept", users)
    response = client_for("clerk").post(
        action_url(case, "decide"), {"expected_state": "techdept", "decide-decision": "remote"}
    )
    assert "您的角色" in response.context["step_error"] or "不能" in response.context["step_error"]


def test_warranty_lookup_shows_components_and_history(client_for, users):
    unit = UnitFactory()
    ComponentFactory(product_model=unit.product_model, name="加热元件", warranty_months=36)
    case = record_case(users["clerk"], unit=unit)
    client = client_for("techdept")
    page = client.get(reverse("servicedesk:warranty-lookup"), {"serial": unit.serial_number})
    body = page.content.decode()
    assert page.status_code == 200 and "加热元件" in body and case.number in body and unit.customer.name in body
    assert client.get(reverse("servicedesk:warranty-lookup"), {"serial": "NOPE"}).status_code == 404


def test_repeat_repair_flag_is_visible_to_techdept(client_for, users):
    from tests.servicedesk.factories import DefectCodeFactory
    from tests.servicedesk.test_services import repaired

    unit = UnitFactory()
    component = ComponentFactory(product_model=unit.product_model, warranty_months=60)
    defect = DefectCodeFactory()
    for _i in range(3):
        repaired(users, unit, component, defect)
    case = case_in("techdept", users, unit=unit)
    services.case_diagnose(pk=case.pk, by=users["techdept"], text="又坏", component=component, defect_code=defect)
    body = client_for("techdept").get(case.get_absolute_url()).content.decode()
    assert 'id="replace-flag"' in body
    lookup = client_for("techdept").get(reverse("servicedesk:warranty-lookup"), {"serial": unit.serial_number})
    assert "repeat-warning" in lookup.content.decode()


def test_sla_board_for_manager_only(client_for, users, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    case = record_case(users["clerk"])
    real_now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: real_now + timedelta(minutes=26))
    page = client_for("as_manager").get(reverse("servicedesk:sla-board"))
    assert page.status_code == 200
    assert case.number in page.content.decode()
    assert [c.case_id for c in page.context["sections"][1]["clocks"]] == [case.pk]  # at risk
    assert client_for("clerk").get(reverse("servicedesk:sla-board")).status_code == 403


def test_todo_shows_sla_counts_and_queues(client_for, users):
    case_in("recorded", users)
    body = client_for("clerk").get("/").content.decode()
    assert reverse("servicedesk:sla-board") in body
    assert reverse("servicedesk:case-list") + "?status=recorded" in body
    tech = client_for("techdept").get("/").content.decode()
    assert "?status=techdept" in tech


def test_attach_photo_validated(client_for, users):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    case = case_in("recorded", users)
    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("fault.png", buffer.getvalue(), content_type="image/png")
    ok = client_for("clerk").post(action_url(case, "attach"), {"attach-upload": photo, "attach-caption": "面板"})
    assert ok.status_code == 302
    fake = SimpleUploadedFile("virus.png", b"MZ not an image", content_type="image/png")
    refused = client_for("clerk").post(action_url(case, "attach"), {"attach-upload": fake})
    assert refused.status_code == 400


def test_case_list_date_filter_uses_local_days(client_for, users, monkeypatch):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    sh = ZoneInfo("Asia/Shanghai")
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 6, 0, 30, tzinfo=sh))
    early = record_case(users["clerk"])
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 5, 23, 30, tzinfo=sh))
    late = record_case(users["clerk"])
    page = client_for("clerk").get(
        reverse("servicedesk:case-list"), {"date_from": "2026-03-06", "date_to": "2026-03-06"}
    )
    numbers = [c.number for c, _clocks in page.context["rows"]]
    assert numbers == [early.number] and late.number not in numbers


def test_intake_offers_only_the_customers_contacts(client_for):
    from tests.aftersales.factories import ContactFactory

    unit = UnitFactory()
    mine = ContactFactory(customer=unit.customer, name="本客户联系人")
    other = ContactFactory(name="别的客户联系人")
    page = client_for("clerk").get(reverse("servicedesk:case-create") + f"?serial={unit.serial_number}")
    body = page.content.decode()
    assert mine.name in body and other.name not in body


def test_case_page_shows_records_linked_by_other_workflows(client_for, users):
    from aftersales.links import link_records

    case = case_in("in_progress", users)
    job = UnitFactory(serial_number="STAND-IN-JOB")  # stand-in for the fieldservice job
    link_records(case, job, "onsite", by=users["techdept"])
    body = client_for("clerk").get(case.get_absolute_url()).content.decode()
    assert "STAND-IN-JOB" in body


def test_pause_and_resume_are_offered_only_when_they_apply(client_for, users):
    case = case_in("recorded", users)
    client = client_for("clerk")
    body = client.get(case.get_absolute_url()).content.decode()
    assert 'id="action-pause"' in body and 'id="action-resume"' not in body
    services.case_pause_clock(pk=case.pk, by=users["clerk"], kind="resolution", reason="等客户")
    body = client.get(case.get_absolute_url()).content.decode()
    assert 'id="action-resume"' in body


def test_intake_with_photos_attaches_them_and_refuses_a_fake(client_for):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from aftersales.attachments import attachments_of

    unit = UnitFactory()
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    data = {
        "customer": unit.customer.pk,
        "serial_number": unit.serial_number,
        "channel": "phone",
        "category": "fault",
        "priority": "normal",
        "fault_description": "面板报警",
    }
    photos = [
        SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg"),
        SimpleUploadedFile("b.jpg", buffer.getvalue(), content_type="image/jpeg"),
    ]
    client = client_for("clerk")
    assert client.post(reverse("servicedesk:case-create"), {**data, "photos": photos}).status_code == 302
    case = ServiceCase.objects.get(unit=unit)
    assert attachments_of(case).count() == 2
    fake = SimpleUploadedFile("c.jpg", b"not an image at all", content_type="image/jpeg")
    refused = client.post(reverse("servicedesk:case-create"), {**data, "photos": [fake]})
    assert refused.status_code == 400 and ServiceCase.objects.filter(unit=unit).count() == 1


def test_coordination_sheet_written_and_answered_through_the_page(client_for, users):
    from aftersales.models import Department
    from aftersales.servicedesk.models import CoordinationSheet

    aftersales = Department.objects.create(code="AS", name="售后服务部", kind=Department.Kind.AFTERSALES)
    techdept = Department.objects.create(code="TD", name="技术部", kind=Department.Kind.TECHNICAL)
    case = case_in("techdept", users)
    written = client_for("clerk").post(
        action_url(case, "coordination"),
        {
            "coordination-from_department": aftersales.pk,
            "coordination-to_department": techdept.pk,
            "coordination-request": "请技术部电话联系客户",
        },
    )
    assert written.status_code == 302
    sheet = CoordinationSheet.objects.get(case=case)
    answered = client_for("techdept").post(
        action_url(case, "reply"), {"reply-sheet": sheet.pk, "reply-reply": "已联系，安排上门"}
    )
    assert answered.status_code == 302
    sheet.refresh_from_db()
    assert sheet.reply == "已联系，安排上门" and sheet.history.first().history_user == users["techdept"]
    again = client_for("techdept").post(action_url(case, "reply"), {"reply-sheet": sheet.pk, "reply-reply": "x"})
    assert again.status_code == 400  # no open sheet left to answer
