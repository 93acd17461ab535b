from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from fieldservice.models import ServiceJob
from tests.repairs.factories import decided_case, order_in, repair_unit
from warranty.repairs import pdf, services
from warranty.repairs.models import FactoryRepair, ProductReturn, RepairPart, Replacement

pytestmark = pytest.mark.django_db


def _act(client, order, step, **data):
    url = reverse("repairs:repair-step", args=[order.pk, step])
    return client.post(url, {"expected_state": order.status, **{f"{step}-{k}": v for k, v in data.items()}})


def test_create_by_serial_and_detail(client_for, users):
    unit, _h, _s = repair_unit()
    clerk = client_for("clerk")
    response = clerk.post(reverse("repairs:repair-create"), {"unit": unit.serial_number.lower(), "text": "升温慢"})
    order = FactoryRepair.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    page = clerk.get(order.get_absolute_url())
    assert page.status_code == 200 and unit.serial_number in page.content.decode()
    assert client_for("qc").get(reverse("repairs:repair-create")).status_code == 403
    assert client_for("sales").get(order.get_absolute_url()).status_code == 403


def test_list_pages_and_constant_queries(client_for, users, django_assert_max_num_queries):
    for _i in range(3):
        order_in("awaiting", users)
    client = client_for("techdept")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("repairs:repair-list"))
    assert response.status_code == 200 and response.content.decode().count("FX-") == 3
    for key in ("replacement", "return"):
        assert client.get(reverse(f"repairs:{key}-list")).status_code == 200


def test_receive_wrong_role_403_stale_409_message(client_for, users):
    order = order_in("inbound", users)
    assert _act(client_for("qc"), order, "receive", condition="完好").status_code == 403
    response = _act(client_for("warehouse"), order, "receive", condition="完好", accessories="电源线")
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "received" and order.received_by == users["warehouse"]
    # The same page posted again: told someone changed it first, not a 500.
    stale = client_for("warehouse").post(
        reverse("repairs:repair-step", args=[order.pk, "receive"]),
        {"expected_state": "inbound", "receive-condition": "完好"},
    )
    assert stale.status_code == 409 and "他人先行更新" in stale.content.decode()


def test_invalid_form_rerenders_400(client_for, users):
    order = order_in("inbound", users)
    assert _act(client_for("warehouse"), order, "receive", condition="").status_code == 400


def test_get_on_step_is_405(client_for, users):
    order = order_in("inbound", users)
    assert client_for("warehouse").get(reverse("repairs:repair-step", args=[order.pk, "receive"])).status_code == 405


def test_part_added_on_factory_order_and_on_job_page(client_for, users):
    unit, heat, _shell = repair_unit()
    order = order_in("diagnosed", users, unit=unit, component=heat)
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(FactoryRepair)
    url = reverse("repairs:repairpart-add", args=[ct.pk, order.pk])
    assert client_for("finance").post(url, {"component": heat.pk, "quantity": 1}).status_code == 403
    response = client_for("warehouse").post(url, {"component": heat.pk, "quantity": 1, "part_serial": "H-5"})
    assert response.status_code == 302 and RepairPart.objects.get().part_serial == "H-5"
    assert "H-5" in client_for("qc").get(order.get_absolute_url()).content.decode()

    other_unit, other_heat, _s = repair_unit()
    decided_case(users, "onsite", other_unit)
    job = ServiceJob.objects.get()
    job_ct = ContentType.objects.get_for_model(ServiceJob)
    page = client_for("as_manager").get(job.get_absolute_url())
    assert page.status_code == 200 and 'id="repair-parts"' in page.content.decode()
    tech = client_for("technician")
    url = reverse("repairs:repairpart-add", args=[job_ct.pk, job.pk])
    assert tech.post(url, {"component": other_heat.pk, "quantity": 2}).status_code == 403  # not on this job
    from fieldservice.models import Assignment

    Assignment.objects.create(job=job, technician=users["technician"])
    # The job page carries repairs' parts form (a page fragment), posting to repairs with its token.
    parts_section = tech.get(job.get_absolute_url()).content.decode().split('id="repair-parts"')[1]
    assert reverse("repairs:repairpart-add", args=[job_ct.pk, job.pk]) in parts_section
    assert 'name="csrfmiddlewaretoken"' in parts_section.split("</form>")[0]
    tech.post(reverse("repairs:repairpart-add", args=[job_ct.pk, job.pk]), {"component": other_heat.pk, "quantity": 2})
    assert RepairPart.objects.filter(repair_id=job.pk, repair_type=job_ct).get().quantity == 2


def test_replacement_and_return_pages(client_for, users):
    unit, _h, _s = repair_unit()
    decided_case(users, "replace", unit)
    rec = Replacement.objects.get()
    assert unit.serial_number in client_for("warehouse").get(rec.get_absolute_url()).content.decode()
    unit2, _h2, _s2 = repair_unit()
    decided_case(users, "return", unit2)
    ret = ProductReturn.objects.get()
    services.product_return_approve(pk=ret.pk, by=users["gm"])
    client = client_for("warehouse")
    response = client.post(reverse("repairs:return-step", args=[ret.pk, "receive"]), {"expected_state": "requested"})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == "received"


def _text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _has_cjk_font(content: bytes) -> bool:
    reader = PdfReader(BytesIO(content))
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            if "CJK" in str(font.get_object().get("/BaseFont", "")):
                return True
    return False


def test_factory_repair_pdf_has_diagnosis_parts_and_fee(users, client_for):
    unit, heat, _shell = repair_unit()
    order = order_in("accepted", users, unit=unit, component=heat, covered=False)
    services.repair_part_add(repair=order, by=users["qc"], component=heat, part_serial="H-77")
    order = FactoryRepair.objects.get(pk=order.pk)
    content = pdf.render_factory_repair_pdf(order)
    text = _text(content)
    assert "返厂维修单" in text and order.number in text and unit.serial_number in text
    assert "加热元件断路" in text and "H-77" in text and "收费维修" in text and "王经理" in text
    assert _has_cjk_font(content)
    response = client_for("qc").get(reverse("repairs:repair-print", args=[order.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_replacement_and_return_pdfs(users):
    from tests.aftersales.factories import UnitFactory

    unit, _h, _s = repair_unit()
    decided_case(users, "replace", unit)
    rec = Replacement.objects.get()
    new = UnitFactory(product_model=unit.product_model, customer=None, site=None)
    rec = services.replacement_assign(pk=rec.pk, by=users["warehouse"], new_unit=new)
    text = _text(pdf.render_swap_pdf(rec))
    assert "产品更换记录" in text and unit.serial_number in text and new.serial_number in text
    ret = services.product_return_create(by=users["clerk"], unit=repair_unit()[0], reason="客户退货")
    services.product_return_approve(pk=ret.pk, by=users["gm"], comment="客户仪表未使用，同意退货")
    ret = services.product_return_receive(pk=ret.pk, by=users["warehouse"])
    ret = services.product_return_check(pk=ret.pk, by=users["qc"], condition="完好")
    from django.utils import timezone

    ret = services.product_return_refund(
        pk=ret.pk, by=users["finance"], amount=Decimal("1000"), refund_date=timezone.localdate(), reference="R-1"
    )
    text = _text(pdf.render_swap_pdf(ret))
    assert "产品返回记录" in text and "R-1" in text and "1000" in text
    # 4.1.3.2: the general manager's approval is on the printed record, with who and when.
    assert "总经理审批意见" in text and "总经理已批准：客户仪表未使用，同意退货" in text


def test_warranty_lookup_shows_repair_and_part(client_for, users):
    unit, heat, _shell = repair_unit()
    order = order_in("diagnosed", users, unit=unit, component=heat)
    services.repair_part_add(repair=order, by=users["qc"], component=heat)
    from aftersales.registry import unit_history

    labels = [e.label for e in unit_history(unit)]
    assert order.number in labels and heat.code in labels


def test_todo_sections_for_the_roles_concerned(users):
    from django.utils import translation

    from warranty.repairs.todo import sections

    order = order_in("inbound", users)
    with translation.override("en"):
        warehouse = [(str(s.title), [i.url for i in s.items]) for s in sections(users["warehouse"])]
        sales = [str(s.title) for s in sections(users["sales"])]
    assert ("Factory repairs: units to receive", [order.get_absolute_url()]) in warehouse
    assert not any("Factory repairs" in t for t in sales)


def test_case_page_shows_parts_cost(client_for, users):
    unit, heat, _shell = repair_unit()
    case = decided_case(users, "factory", unit)
    order = FactoryRepair.objects.get(case=case)
    services.factory_repair_receive(pk=order.pk, by=users["warehouse"], condition="完好")
    services.factory_repair_diagnose(
        pk=order.pk, by=users["qc"], findings="断路", component=heat, defect_code=None, covered=True
    )
    services.repair_part_add(repair=order, by=users["qc"], component=heat)
    page = client_for("clerk").get(case.get_absolute_url()).content.decode()
    assert 'id="case-repair-costs"' in page and "300" in page


# --- the general manager's approval (售后服务管理 4.1.3.2) ------------------------------------------


@pytest.mark.parametrize("key", ["replacement", "return"])
def test_the_general_manager_sees_the_record_and_approves_it(client_for, users, key):
    unit, _h, _s = repair_unit()
    decided_case(users, "replace" if key == "replacement" else "return", unit)
    record = (Replacement if key == "replacement" else ProductReturn).objects.get()
    gm = client_for("gm")
    page = gm.get(record.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "待总经理审批" in html and reverse(f"repairs:{key}-step", args=[record.pk, "approve"]) in html
    # The page posts back the record's status (not the decision's small machine) as the state it showed.
    assert 'name="expected_state" value="requested"' in html
    # Who only reads sees no decision.
    assert "/do/approve/" not in client_for("warehouse").get(record.get_absolute_url()).content.decode()
    url = reverse(f"repairs:{key}-step", args=[record.pk, "approve"])
    assert client_for("clerk").post(url, {"expected_state": "requested", "approve-comment": "x"}).status_code == 403
    assert client_for("warehouse").post(url, {"expected_state": "requested"}).status_code == 403
    # A page shown before someone else moved the record: 409, not a decision on a record not seen.
    stale = gm.post(url, {"expected_state": "assigned", "approve-comment": "同意"})
    assert stale.status_code == 409
    done = gm.post(url, {"expected_state": "requested", "approve-comment": "同意处理"})
    assert done.status_code == 302 and done["Location"] == record.get_absolute_url()
    record.refresh_from_db()
    assert (record.approval, record.approval_by, record.approval_comment) == ("approved", users["gm"], "同意处理")
    html = gm.get(record.get_absolute_url()).content.decode()
    assert "总经理已批准" in html and "同意处理" in html


def test_the_next_step_before_the_approval_is_409_with_the_reason(client_for, users):
    unit, _h, _s = repair_unit()
    decided_case(users, "return", unit)
    ret = ProductReturn.objects.get()
    response = client_for("warehouse").post(
        reverse("repairs:return-step", args=[ret.pk, "receive"]), {"expected_state": "requested"}
    )
    assert response.status_code == 409 and "总经理尚未批准" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == "requested"
    # The general manager rejects with the reason: the record ends, the reason is on the page.
    reject = reverse("repairs:return-step", args=[ret.pk, "reject"])
    assert client_for("gm").post(reject, {"expected_state": "requested", "reject-comment": ""}).status_code == 400
    response = client_for("gm").post(reject, {"expected_state": "requested", "reject-comment": "非质量问题"})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert (ret.status, ret.approval) == ("rejected", "rejected")
    assert "非质量问题" in client_for("clerk").get(ret.get_absolute_url()).content.decode()
