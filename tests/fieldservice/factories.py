"""Field-service records in a given state, built through the services (as the users would)."""

import base64
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from aftersales.steps import workflow_for
from fieldservice import services
from fieldservice.models import ServiceJob
from tests.aftersales.factories import ContactFactory, CustomerFactory, ProductModelFactory, SiteFactory, UnitFactory


def png_bytes(ink: bool = True) -> bytes:
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    if ink:
        ImageDraw.Draw(image).line([(10, 80), (80, 20), (150, 70), (280, 15)], fill=(16, 32, 74, 255), width=4)
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def signature_data_url(ink: bool = True) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(ink)).decode()


def png_upload(name: str = "stamp.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


CUSTOMER_DATA = {
    "work_completed": "yes",
    "work_completed_note": "",
    "result": "very_good",
    "efficiency": "high",
    "attitude": "good",
    "training": "yes",
    "arrival_date": None,
    "departure_date": None,
    "acceptance_comments": "设备运行正常，验收合格。",
    "company_name": "测试客户有限公司",
}


def new_job(users, kind=ServiceJob.Kind.INSTALLATION, units=1):
    customer = CustomerFactory()
    site = SiteFactory(customer=customer)
    model = ProductModelFactory()
    made = [UnitFactory(customer=customer, site=site, product_model=model, acceptance_date=None) for _ in range(units)]
    return services.job_create(
        kind=kind,
        customer=customer,
        site=site,
        units=made,
        contact_name="王工",
        contact_phone="13800001111",
        description="新设备到货",
        by=users["clerk"],
    )


def approved_job(users):
    job = new_job(users)
    today = timezone.localdate()
    services.job_schedule(pk=job.pk, by=users["clerk"], agreed_date=today)
    req = services.support_request_create(
        pk=job.pk,
        by=users["sales"],
        purpose="安装调试",
        proposed_start=today,
        proposed_end=today + timedelta(days=2),
        estimated_cost=Decimal("3000"),
    )
    services.support_request_approve(pk=req.pk, by=users["gm"], comment="同意")
    return job


def dispatched_job(users, technicians=("tech1",)):
    job = approved_job(users)
    techs = [users[t] for t in technicians]
    services.job_dispatch(
        pk=job.pk,
        by=users["clerk"],
        technicians=techs,
        lead=techs[0],
        address="株洲市天元区",
        contact="王工",
        phone="13800001111",
        bring="工具箱",
    )
    return refresh(job)


def travelling_job(users):
    job = dispatched_job(users)
    services.job_start_trip(
        pk=job.pk,
        by=users["tech1"],
        expected_days=Decimal("2"),
        travellers="tech1",
        departure_at=timezone.now(),
        destination="株洲",
        purpose="安装",
        expected_return=timezone.localdate() + timedelta(days=2),
    )
    return refresh(job)


def on_site_job(users, at=None):
    job = travelling_job(users)
    services.job_arrive(pk=job.pk, by=users["tech1"], at=at)
    return refresh(job)


def awaiting_customer_form(users, job=None, task_signed=True):
    """Form A signed by the technician; by default the after-sales manager signed the task too,
    which the customer's signature waits for."""
    job = job or on_site_job(users)
    form = services.form_a_open(pk=job.pk, by=users["tech1"])
    if task_signed:
        services.form_a_sign_task(pk=form.pk, by=users["as_manager"], signature=signature_data_url(), task="安装调试")
    services.form_a_update(
        pk=form.pk,
        by=users["tech1"],
        service_content="完成安装调试，无遗留问题。",
        expected_work_time="2天",
    )
    return services.form_a_sign_content(pk=form.pk, by=users["tech1"], signature=signature_data_url())


SIGNER = {"signer_name": "李客户", "signer_phone": "13912345678"}


def register_signer(job, name=SIGNER["signer_name"], phone=SIGNER["signer_phone"], **extra):
    """The signer as one of the customer's registered contacts (aftersales Contact)."""
    return ContactFactory(customer=job.customer, name=name, mobile=phone, **extra)


def customer_signed_form(users, job=None, stamp=True, registered=True, position=""):
    """Form A signed by the customer on the tablet; `registered`: the signer is a registered contact
    (otherwise the form waits for after-sales to verify the signer, and `position` is required)."""
    form = awaiting_customer_form(users, job)
    if registered:
        register_signer(form.job)
    token = services.form_a_tablet_handover(pk=form.pk, by=users["tech1"])
    return services.form_a_customer_sign(
        token=token,
        data=dict(CUSTOMER_DATA),
        **SIGNER,
        signer_position=position or ("" if registered else "设备科科长"),
        signature=signature_data_url(),
        stamp_upload=png_upload() if stamp else None,
        device_user=users["tech1"],
    )


def form_b_data(job, **extra):
    data = {
        "project_name": "安装项目",
        "period_from": timezone.localdate(job.arrived_at),
        "period_to": timezone.localdate(job.departed_at or job.arrived_at),
        "total_days": services.service_days(job.arrived_at, job.departed_at or job.arrived_at),
        "days_reason": "",
        "service_fee": Decimal("0"),
        "products": "XD × 1",
        "commissioned": "yes",
        "commissioning_date": timezone.localdate(),
        "user_reported": "新设备安装",
        "found_on_site": "场地具备条件",
        "handling": "安装调试完成",
        "returns_for_repair": False,
        "return_serials": "",
        "open_issues": "无",
        "follow_up_project": "",
        "sales_contact": "",
        "sales_phone": "",
        "filler_department": "售后服务部",
    }
    data.update(extra)
    return data


def submitted_form_b(users, job, **data):
    form = services.form_b_create(pk=job.pk, by=users["tech1"], **form_b_data(refresh(job), **data))
    return services.form_b_submit(pk=form.pk, by=users["tech1"], signature=signature_data_url())


def approved_form_b(users, job):
    form = submitted_form_b(users, job)
    services.form_b_review(pk=form.pk, by=users["deptmgr"], opinion="同意", signature=signature_data_url())
    return services.form_b_approve(pk=form.pk, by=users["leader"], comment="批准", signature=signature_data_url())


def refresh(job):
    return ServiceJob.objects.get(pk=job.pk)


def step_url(record, step):
    """The URL of a step declared for the record's model in fieldservice/steps.py."""
    return reverse(workflow_for(type(record)).url_name, kwargs={"pk": record.pk, "step": step})
