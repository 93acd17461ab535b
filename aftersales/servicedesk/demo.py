"""Demo data of the service desk: defect codes, a contract SLA, and cases in several states (idempotent)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from aftersales.models import Component, Customer, DefectCode, Unit
from aftersales.servicedesk import services
from aftersales.servicedesk.models import ServiceCase, SlaAgreement, SlaPolicy

DEFECTS = [
    ("HEAT-01", "加热元件断路", "HEAT"),
    ("TC-01", "热电偶读数漂移", None),
    ("CTRL-01", "温控仪死机/无显示", None),
    ("VAC-01", "真空度达不到", None),
]

CASES = [
    # serial, category, description, steps
    ("XD1200-2024-0031", "fault", "炉温升到800℃后不再上升，温控仪显示 E03。", ["handover"]),
    ("ZK1600-2023-0005", "fault", "真空泵运行噪声大，真空度只能到 10Pa。", []),
    ("XD1200-2021-0007", "fault", "加热元件一组不亮，炉温升温很慢。", ["handover", "diagnose"]),
    ("TGA800-2024-0210", "consultation", "询问热重分析仪的校准周期和标准物质。", ["answer"]),
]


def seed(stdout=None) -> None:
    # History reasons are stored as written: in the office's language, not the command's.
    with translation.override(settings.LANGUAGE_CODE):
        _seed(stdout)


def _seed(stdout=None) -> None:
    User = get_user_model()
    clerk = User.objects.get(username="clerk")
    techdept = User.objects.get(username="techdept")
    for code, name, component_code in DEFECTS:
        component = Component.objects.filter(code=component_code).first() if component_code else None
        DefectCode.objects.update_or_create(code=code, defaults={"name": name, "component": component})
    fast = SlaPolicy.objects.get(name="重点客户承诺（4小时到场）")  # fixtures/sla_policies.json
    customer = Customer.objects.filter(code="C002").first()
    if customer:
        SlaAgreement.objects.get_or_create(customer=customer, contract_number="", defaults={"policy": fast})
    created = 0
    for serial, category, description, steps in CASES:
        unit = Unit.objects.filter(serial_number=serial).first()
        if unit is None or unit.customer is None:
            continue
        if ServiceCase.objects.filter(unit=unit, fault_description=description).exists():
            continue
        case = services.case_record(
            by=clerk,
            customer=unit.customer,
            unit=unit,
            contact=unit.customer.contacts.first(),
            category=category,
            fault_description=description,
        )
        created += 1
        for step in steps:
            if step == "handover":
                services.case_hand_to_techdept(pk=case.pk, by=clerk, note="客户要求尽快处理")
            elif step == "answer":
                services.case_answer(pk=case.pk, by=clerk, text="校准周期一年，已告知使用标准物质铟、锌。")
            elif step == "diagnose":
                component = unit.product_model.components.filter(code="HEAT").first()
                services.case_diagnose(
                    pk=case.pk,
                    by=techdept,
                    text="电话确认一组加热元件断路，需要更换。",
                    spoke_with=case.caller_name,
                    component=component,
                    defect_code=DefectCode.objects.get(code="HEAT-01"),
                )
    if stdout:
        stdout.write(f"service desk: {created} demo cases created\n")
