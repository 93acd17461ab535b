from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from aftersales.models import Department
from tests.warranty.factories import accepted_unit, appraise, quarantined_part, sheet, signature_png
from warranty import pdf, services

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def cjk_font_embedded(data: bytes) -> bool:
    reader = PdfReader(BytesIO(data))
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts") or [font]
            for d in descendants:
                d = d.get_object()
                descriptor = d.get("/FontDescriptor")
                if (
                    "CJK" in str(d.get("/BaseFont", ""))
                    and descriptor
                    and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                ):
                    return True
    return False


@pytest.fixture
def chain(users):
    unit, shell, ctrl, supplier = accepted_unit()
    s = sheet(users, unit)
    services.sheet_send(pk=s.pk, by=users["clerk"], first_answer="先停炉检查温控仪表")
    s = services.sheet_answer(pk=s.pk, by=users["qc"], opinion="退回仪表鉴定")
    part = quarantined_part(users, unit, ctrl, sheet_=s)
    a = appraise(users, part)
    a = services.appraisal_exchange(pk=a.pk, by=users["warehouse"], good_part_serial="GOOD-0099")
    return {"sheet": s, "part": part, "appraisal": a, "unit": unit}


def test_sheet_pdf_text(chain):
    data = pdf.render_sheet_pdf(chain["sheet"])
    text = text_of(data)
    assert "质量信息单" in text and chain["sheet"].number in text
    assert "先停炉检查温控仪表" in text and "退回仪表鉴定" in text and "品质管理中心处理意见" in text
    assert cjk_font_embedded(data)


def test_tag_is_a_small_label_with_qr(chain):
    data = pdf.render_tag_pdf(chain["part"])
    reader = PdfReader(BytesIO(data))
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    height_mm = float(reader.pages[0].mediabox.height) / 72 * 25.4
    assert round(width_mm) == 100 and round(height_mm) == 70
    assert len(reader.pages) == 1
    text = text_of(data)
    assert "退换零件信息单" in text and chain["part"].number in text and "隔离区A-1" in text
    assert cjk_font_embedded(data)


def test_appraisal_pdf_has_opinion_routing_and_exchange(chain):
    data = pdf.render_appraisal_pdf(chain["appraisal"])
    text = text_of(data)
    assert "售后服务三包材料退换鉴定单" in text
    assert "☑外购件" in text and "采购部、营销部" in text
    assert "元件批次缺陷" in text and "GOOD-0099" in text
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data  # QC's drawn signature
    assert cjk_font_embedded(data)


def test_incident_tracking_and_feedback_pdfs(users, chain):
    dept = Department.objects.create(code="PDP", name="生产四班", kind=Department.Kind.PRODUCTION)
    unit = chain["unit"]
    i = services.incident_create(by=users["qc"], customer=unit.customer, unit=unit, description="炉门密封失效")
    services.incident_trace(pk=i.pk, by=users["qc"], first_cause="密封圈老化", consequence="停产一天")
    services.incident_assign(pk=i.pk, by=users["leader"], department=dept)
    services.incident_dispatch(pk=i.pk, by=users["deptmgr"], people="生产四班 孙工")
    services.incident_feedback_sign(
        pk=i.pk,
        by=users["technician"],
        handling="更换密封圈，试运行正常",
        signer_name="黄建华",
        signature=signature_png(),
    )
    services.incident_cost_add(pk=i.pk, by=users["production"], kind="labour", hours=Decimal("8"), rate=Decimal("50"))
    services.incident_submit_costs(pk=i.pk, by=users["production"])
    services.incident_confirm(pk=i.pk, by=users["deptmgr"])
    i = services.incident_review(pk=i.pk, by=users["leader"])
    text = text_of(pdf.render_incident_pdf(i))
    assert "产品售后质量事故处置跟踪单" in text and "密封圈老化" in text and "生产四班" in text
    assert "工时费" in text or "labour" not in text
    assert "400.00" in text and "200.00" in text  # total and the team's 50 %
    feedback = pdf.render_feedback_pdf(i)
    ftext = text_of(feedback)
    assert "处理反馈单" in ftext and "更换密封圈，试运行正常" in ftext and "黄建华" in ftext
    assert cjk_font_embedded(feedback)


def test_capa_pdf(users, chain):
    dept = Department.objects.create(code="PUX", name="采购部X", kind=Department.Kind.PURCHASING)
    ca = services.action_create(
        by=users["qc"],
        appraisal=chain["appraisal"],
        problem="温控仪表批量失效",
        root_cause="供方来料检验缺失",
        action="增加来料抽检",
        owner_department=dept,
        due_date=timezone.localdate() + timedelta(days=30),
    )
    text = text_of(pdf.render_action_pdf(ca))
    assert "纠正与预防措施表" in text and "供方来料检验缺失" in text and "采购部X" in text


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("sheet-print", "质量信息单"),
        ("part-tag", "退换零件信息单"),
        ("appraisal-print", "售后服务三包材料退换鉴定单"),
        ("incident-print", "产品售后质量事故处置跟踪单"),
        ("incident-feedback-print", "处理反馈单"),
        ("action-print", "纠正与预防措施表"),
    ],
)
def test_blank_forms_for_paper_fallback(client_for, name, title):
    from django.urls import reverse

    response = client_for("qc").get(reverse(f"warranty:{name}", args=[0]))
    assert response.status_code == 200
    assert title in text_of(response.content)
