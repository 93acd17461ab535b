"""One record of each main model, built through the real services, so every URL has a real pk."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftersales.models import Department
from aftersales.pdf import archive_pdf
from aftersales.servicedesk import services as desk
from fieldservice import services as field
from shipping.models import Payment, Shipment
from tests.aftersales.factories import ContactFactory, CustomerFactory
from tests.conftest import make_user
from tests.fieldservice.factories import (
    approved_form_b,
    awaiting_customer_form,
    customer_signed_form,
    on_site_job,
    png_upload,
)
from tests.repairs.factories import decided_case, order_in, repair_unit
from tests.servicedesk.factories import DefectCodeFactory, case_in
from tests.shipping.factories import PaymentFactory, make_shipment
from tests.warranty.factories import accepted_unit, appraise, quarantined_part, sheet
from warranty import services as warranty


def build_world(users) -> dict:
    """{"case": ServiceCase, "shipment": ..., "form_a": ..., "link_token": ...}: one of each, with real pks."""
    from aftersales.reports.models import ReportRun
    from warranty.repairs.models import ProductReturn, Replacement

    superuser = make_user("root", is_superuser=True, is_staff=True)
    w: dict = {"superuser": superuser}

    aftersales_dept = Department.objects.create(code="AS", name="售后服务部", kind=Department.Kind.AFTERSALES)
    techdept = Department.objects.create(code="TD", name="技术部", kind=Department.Kind.TECHNICAL)
    w["case"] = case_in("techdept", users)
    w["coordination"] = desk.coordination_sheet_create(
        pk=w["case"].pk, by=users["clerk"], from_department=aftersales_dept, to_department=techdept, request="请协助"
    )

    w["payment"] = PaymentFactory()
    w["payment_recorded"] = PaymentFactory(status=Payment.Status.RECORDED)
    w["shipment"] = make_shipment(users, Shipment.Status.REQUESTED, payment=w["payment"])
    w["shipment_ready"] = make_shipment(users, Shipment.Status.COPIES_RECEIVED)  # the serial entry

    # Field service: a job with its support request, form A signed by the customer (with a stamp
    # photo), form B approved, an expense with a receipt; a second job whose form A waits for the
    # customer behind a live link and a live tablet token.
    w["form_a"] = customer_signed_form(users)
    job = w["form_a"].job
    w["form_b"] = approved_form_b(users, job)
    w["job"] = type(job).objects.get(pk=job.pk)
    w["support"] = job.support_requests.first()
    w["expense"] = field.expense_add(
        pk=job.pk,
        by=users["tech1"],
        category="transport",
        amount=Decimal("120"),
        spent_on=timezone.localdate(),
        receipts=[png_upload("receipt.png")],
    )
    waiting = awaiting_customer_form(users, on_site_job(users))
    w["waiting_form_a"] = waiting
    w["link_token"] = field.form_a_customer_link(pk=waiting.pk, by=users["tech1"]).rstrip("/").rsplit("/", 1)[-1]
    w["tablet_token"] = field.form_a_tablet_handover(pk=waiting.pk, by=users["tech1"])

    unit, shell, ctrl, supplier = accepted_unit()
    w["sheet"] = sheet(users, unit)
    part = quarantined_part(users, unit, ctrl, sheet_=w["sheet"])
    w["part"] = part
    w["appraisal"] = appraise(users, part)
    w["supplierclaim"] = w["appraisal"].supplier_claim
    w["customerclaim"] = warranty.customer_claim_create(
        by=users["sales"],
        customer=unit.customer,
        reason="停产损失",
        amount_claimed=Decimal("5000"),
        appraisal=w["appraisal"],
    )
    w["incident"] = warranty.incident_create(by=users["qc"], customer=unit.customer, description="漏气", unit=unit)
    w["action"] = warranty.action_create(
        by=users["qc"],
        appraisal=w["appraisal"],
        problem="p",
        root_cause="r",
        action="a",
        owner_department=Department.objects.create(code="QA", name="质量部"),
        due_date=timezone.localdate() + timedelta(days=7),
    )

    w["repair"] = order_in("received", users)
    decided_case(users, "replace", repair_unit()[0])
    decided_case(users, "return", repair_unit()[0])
    w["replacement"] = Replacement.objects.get()
    w["return"] = ProductReturn.objects.get()

    w["report_run"] = ReportRun.objects.create(month=date(2026, 1, 1), created_by=users["gm"])
    w["archive"] = archive_pdf(w["case"], kind="fuzz", title="fuzz", pdf=b"%PDF-1.4\n%%EOF\n", by=users["clerk"])
    from aftersales.attachments import attachments_of
    from aftersales.signatures import signatures_of

    w["attachment"] = attachments_of(w["expense"]).first()
    w["signature"] = signatures_of(w["waiting_form_a"]).first()
    w["repair_ct"] = ContentType.objects.get_for_model(w["repair"]).pk
    w["customer"] = CustomerFactory()
    w["progress_report"] = field.report_add(pk=waiting.job_id, by=users["tech1"], text="到达现场")
    w["training"] = field.training_record(
        pk=waiting.job_id,
        by=users["tech1"],
        held_on=timezone.localdate(),
        hours=Decimal("2"),
        topics="操作培训",
        attendees=[{"name": "张三", "position": "操作工"}],
    )
    w["document"] = desk.document_create(
        by=superuser, product_model=unit.product_model, title="说明书", kind=_first_kind()
    )
    w["document_file"] = desk.document_version_add(
        pk=w["document"].pk, by=superuser, version="1.0", file=SimpleUploadedFile("manual.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    _master_data(w, unit, shell)
    return w


def _first_kind() -> str:
    from aftersales.servicedesk.models import TechnicalDocument

    return TechnicalDocument.Kind.values[0]


def _master_data(w: dict, unit, component) -> None:
    """A row with a history of each kept list (the fixtures are loaded without one)."""
    from aftersales.models import CalendarYear, OfficeCity, WorkingPeriod
    from aftersales.servicedesk.models import SlaAgreement, SlaPolicy
    from warranty.models import AllocationRule
    from warranty.repairs.models import RepairBillingPolicy, UnitWarrantyOverride

    for model in (WorkingPeriod, CalendarYear, SlaPolicy):
        model.objects.order_by("pk").first().save()
    ContactFactory(customer=w["customer"])
    DefectCodeFactory()
    OfficeCity.objects.create(name="株洲", province="湖南省")
    AllocationRule.objects.create(name="默认", team_percent=Decimal("50"), supplier_percent=Decimal("30"))
    RepairBillingPolicy.objects.create(customer=w["customer"])
    SlaAgreement.objects.create(customer=w["customer"], policy=SlaPolicy.objects.order_by("pk").first())
    today = timezone.localdate()
    UnitWarrantyOverride.objects.create(
        unit=unit, component=component, starts=today, ends=today + timedelta(days=365), reason="延保"
    )
