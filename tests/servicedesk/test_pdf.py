"""Printable records of a case: acceptance report and department coordination sheet."""

import pytest
from django.urls import reverse

from aftersales.models import Department
from aftersales.servicedesk import services
from aftersales.servicedesk.pdf import render_acceptance_report, render_coordination_sheet
from tests.aftersales.test_pdf import pdf_fonts, pdf_text, squash
from tests.servicedesk.factories import record_case

pytestmark = pytest.mark.django_db


def test_acceptance_report_has_the_paper_fields(users):
    Department.objects.create(code="AS", name="售后服务部", kind=Department.Kind.AFTERSALES)
    users["clerk"].last_name, users["clerk"].first_name = "王", "芳"
    users["clerk"].save()
    case = record_case(users["clerk"], fault_description="温控仪显示E03，炉温不升")
    text = squash(pdf_text(render_acceptance_report(case)))
    for label in ("受理售后技术服务的报告", "受理部门", "受理人", "填报时间", "编号", "售后服务部", "王芳"):
        assert label in text
    assert case.number in text and "温控仪显示E03" in text
    assert any("CJK" in name and embedded for name, embedded in pdf_fonts(render_acceptance_report(case)))


def test_coordination_sheet_pdf(users, client_for):
    aftersales = Department.objects.create(code="AS", name="售后服务部", kind=Department.Kind.AFTERSALES)
    qc = Department.objects.create(code="QC", name="品质管理中心", kind=Department.Kind.QC)
    case = record_case(users["clerk"])
    sheet = services.coordination_sheet_create(
        pk=case.pk, by=users["clerk"], from_department=aftersales, to_department=qc, request="请协助鉴定加热元件"
    )
    text = squash(pdf_text(render_coordination_sheet(sheet)))
    for label in ("部门协调单", "品质管理中心", "请协助鉴定加热元件", case.number):
        assert label in text
    response = client_for("clerk").get(reverse("servicedesk:coordinationsheet-pdf", args=[sheet.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client_for("purchasing").get(reverse("servicedesk:case-acceptance-pdf", args=[case.pk])).status_code == 403
