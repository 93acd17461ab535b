"""Demo field-service jobs in different states (idempotent)."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from aftersales.models import Unit
from fieldservice import services
from fieldservice.models import ServiceJob

REPAIR_NOTE = "演示：炉温升不上去，客户要求上门维修。"
INSTALL_NOTE = "演示：新设备到货，待安装调试。"


@transaction.atomic
def seed(stdout=None) -> None:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["clerk", "sales", "gm", "tech1"])}
    if len(users) < 4:
        return
    made = 0
    unit = Unit.objects.filter(serial_number="XD1200-2024-0031").select_related("customer", "site").first()
    if unit and unit.customer and not ServiceJob.objects.filter(description=REPAIR_NOTE).exists():
        job = services.job_create(
            kind=ServiceJob.Kind.REPAIR,
            customer=unit.customer,
            site=unit.site,
            units=[unit],
            description=REPAIR_NOTE,
            by=users["clerk"],
        )
        services.job_schedule(pk=job.pk, by=users["clerk"], agreed_date=timezone.localdate() + timedelta(days=2))
        today = timezone.localdate()
        services.support_request_create(
            pk=job.pk,
            by=users["sales"],
            purpose="上门维修炉温故障",
            proposed_start=today + timedelta(days=2),
            proposed_end=today + timedelta(days=4),
            estimated_cost=Decimal("3500.00"),
        )
        made += 1
    unit = Unit.objects.filter(serial_number="ZK1600-2025-0018").select_related("customer", "site").first()
    if unit and unit.customer and not ServiceJob.objects.filter(description=INSTALL_NOTE).exists():
        job = services.job_create(
            kind=ServiceJob.Kind.INSTALLATION,
            customer=unit.customer,
            site=unit.site,
            units=[unit],
            description=INSTALL_NOTE,
            by=users["clerk"],
        )
        today = timezone.localdate()
        services.job_schedule(pk=job.pk, by=users["clerk"], agreed_date=today)
        req = services.support_request_create(
            pk=job.pk,
            by=users["sales"],
            purpose="新设备安装调试",
            proposed_start=today,
            proposed_end=today + timedelta(days=2),
            estimated_cost=Decimal("2800.00"),
        )
        services.support_request_approve(pk=req.pk, by=users["gm"], comment="同意")
        address = unit.site.full_address if unit.site else unit.customer.address
        services.job_dispatch(
            pk=job.pk,
            by=users["clerk"],
            technicians=[users["tech1"]],
            lead=users["tech1"],
            address=address,
            contact="王工",
            phone="13800000000",
            bring="安装工具、万用表",
        )
        services.job_start_trip(
            pk=job.pk,
            by=users["tech1"],
            expected_days=Decimal("2"),
            travellers="tech1",
            departure_at=timezone.now(),
            destination=address,
            purpose="安装调试",
            expected_return=today + timedelta(days=2),
        )
        services.report_add(pk=job.pk, by=users["tech1"], text="已出发，预计下午到达。")
        made += 1
    if stdout:
        stdout.write(f"fieldservice: {made} demo jobs created\n")
