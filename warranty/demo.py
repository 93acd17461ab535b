"""Demo records of warranty and quality (idempotent: run again, nothing is duplicated)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.models import Component, Department, Unit
from warranty import services
from warranty.models import AllocationRule, QualityIncident, QualitySheet

DEMO_MARK = "【演示】"


def _signature() -> str:
    import base64
    from io import BytesIO

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (240, 80), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 60), (70, 15), (130, 65), (230, 20)], fill=(0, 0, 0, 255), width=4)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def seed(stdout=None) -> None:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "clerk",
                "qc",
                "warehouse",
                "purchasing",
                "leader",
                "deptmgr",
                "production",
                "sales",
                "tech1",
            ]
        )
    }
    if len(users) < 9 or QualitySheet.objects.filter(description__startswith=DEMO_MARK).exists():
        return
    if not AllocationRule.objects.exists():
        AllocationRule.objects.create(name="默认：责任班组承担50%，外购件由供方承担")
    unit = Unit.objects.filter(serial_number="XD1200-2024-0031").select_related("product_model").first()
    if unit is None or unit.customer is None:
        return
    ctrl = Component.objects.filter(product_model=unit.product_model, code="CTRL").first()
    shell = Component.objects.filter(product_model=unit.product_model, code="SHELL").first()
    clerk, qc, wh = users["clerk"], users["qc"], users["warehouse"]

    # 1. A sheet answered by QC, its bought-in controller appraised, exchanged, supplier notified.
    sheet = services.sheet_create(
        by=clerk, customer=unit.customer, unit=unit, description=DEMO_MARK + "温控仪表无显示，炉温失控"
    )
    services.sheet_send(pk=sheet.pk, by=clerk, first_answer="已告知客户停炉，仪表寄回公司鉴定，先提供备用表")
    services.sheet_answer(pk=sheet.pk, by=qc, opinion="仪表退回财务部仓库隔离区，由品质管理中心鉴定")
    part = services.part_create(
        by=clerk,
        customer=unit.customer,
        unit=unit,
        component=ctrl,
        sheet=sheet,
        part_name="温控仪表",
        part_serial="CT-23-1187",
        fault="上电无显示",
    )
    services.part_grade(pk=part.pk, by=clerk, grade="company", analysis="电源模块疑似失效，属三包范围")
    services.part_quarantine(pk=part.pk, by=wh, location="隔离区A-01", given_by="王芳")
    part = type(part).objects.get(pk=part.pk)
    appraisal = services.appraisal_appraise(
        pk=part.appraisal.pk,
        by=qc,
        place="warehouse",
        own_defect=True,
        origin="bought_in",
        cause="电源模块电容击穿，供方来料缺陷",
        outcome="replace",
        signature=_signature(),
    )
    services.appraisal_exchange(pk=appraisal.pk, by=wh, good_part_serial="CT-26-0042")
    services.supplier_claim_notify(
        pk=appraisal.supplier_claim.pk, by=users["purchasing"], on=timezone.localdate() - timedelta(days=10)
    )
    claim = services.customer_claim_create(
        by=users["sales"],
        customer=unit.customer,
        reason="停炉两天的产量损失",
        amount_claimed=Decimal("6000"),
        appraisal=appraisal,
        sheet=sheet,
    )
    # 4.8: marketing agreed the amount; it waits for leadership's approval, then finance pays.
    services.customer_claim_agree(pk=claim.pk, by=users["sales"], amount=Decimal("4500"), note="按一天产量损失协商")
    # 2. A major problem waiting for QC and R&D to name the site team; a part waiting in quarantine.
    major = services.sheet_create(
        by=clerk, customer=unit.customer, unit=unit, is_major=True, description=DEMO_MARK + "炉壳焊缝开裂，有漏气"
    )
    services.sheet_send(pk=major.pk, by=clerk, first_answer="立即停炉，公司派人到现场")
    waiting = services.part_create(
        by=clerk,
        customer=unit.customer,
        unit=unit,
        component=shell,
        sheet=major,
        part_name="炉门密封组件",
    )
    services.part_grade(pk=waiting.pk, by=clerk, grade="unclear", analysis="需品质鉴定是否属本公司质量问题")
    services.part_quarantine(pk=waiting.pk, by=wh, location="隔离区A-02", given_by="王芳")
    # 3. A quality incident waiting for the leaders to name the responsible department.
    incident = services.incident_create(
        by=users["tech1"], customer=unit.customer, unit=unit, sheet=major, description=DEMO_MARK + "炉壳焊缝开裂"
    )
    services.incident_trace(pk=incident.pk, by=qc, first_cause="焊接工艺参数偏差", consequence="客户停产一天")
    dept = Department.objects.filter(code="PD").first()
    if dept is not None:
        services.action_create(
            by=qc,
            incident=incident,
            problem="炉壳焊缝开裂",
            root_cause="焊接电流偏大",
            action="修订焊接工艺卡并培训焊工",
            owner_department=dept,
            due_date=timezone.localdate() + timedelta(days=30),
        )
    if stdout:
        stdout.write(
            f"warranty demo: {QualitySheet.objects.count()} quality sheets, "
            f"{QualityIncident.objects.count()} incidents\n"
        )
