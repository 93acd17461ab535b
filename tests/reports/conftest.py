"""A small, hand-countable fixture for the reports: every expected figure is written in the tests."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales.models import Department, Supplier
from aftersales.reports.selectors import ReportFilter
from aftersales.servicedesk.models import ClockKind, ServiceCase, SlaClock, SlaPolicy
from fieldservice.models import Assignment, FeedbackFormA, FeedbackFormB, ProgressReport, ServiceJob
from shipping.models import Payment, Shipment
from tests.aftersales.factories import CustomerFactory, SiteFactory
from warranty.models import Appraisal, CorrectiveAction, CustomerClaim, QualityIncident, ReturnedPart, SupplierClaim

A, B = FeedbackFormA, FeedbackFormB


@pytest.fixture
def period():
    today = timezone.localdate()
    return ReportFilter(date_from=today - timedelta(days=30), date_to=today)


def _job(customer, tech, *, trip=True):
    now = timezone.now()
    job = ServiceJob.objects.create(
        kind=ServiceJob.Kind.REPAIR,
        status=ServiceJob.Status.RETURNED,
        customer=customer,
        trip_departure_at=now - timedelta(days=5) if trip else None,
    )
    Assignment.objects.create(job=job, technician=tech, is_lead=True)
    return job


def _form_a(job, result, efficiency, attitude, training, comments="", *, current=True, revision=1):
    return A.objects.create(
        job=job,
        revision=revision,
        is_current=current,
        status=A.Status.SIGNED,
        result=result,
        efficiency=efficiency,
        attitude=attitude,
        training=training,
        acceptance_comments=comments,
        signed_at=timezone.now() - timedelta(hours=1),
    )


def _form_b(job, days, fee, open_issues, status=B.Status.SUBMITTED):
    today = timezone.localdate()
    return B.objects.create(
        job=job,
        status=status,
        project_name="项目",
        period_from=today - timedelta(days=days),
        period_to=today,
        total_days=days,
        service_fee=Decimal(fee),
        products="XD1200 1台",
        commissioned="no",
        user_reported="不加热",
        found_on_site="加热丝断",
        handling="更换加热丝",
        open_issues=open_issues,
        filler_department="售后服务部",
    )


def _clock(case, kind, *, minutes=None, met=None, overdue=False):
    now = timezone.now()
    started = now - timedelta(hours=3)
    policy = SlaPolicy.objects.get_or_create(name="报表测试")[0]
    return SlaClock.objects.create(
        case=case,
        kind=kind,
        policy=policy,
        budget_seconds=1800,
        started_at=started,
        deadline=now - timedelta(hours=1) if overdue else now + timedelta(hours=5),
        at_risk_at=started,
        stopped_at=started + timedelta(minutes=minutes) if minutes is not None else None,
        met=met,
    )


@pytest.fixture
def report_data(users):
    hunan = CustomerFactory(name="湖南客户", province="湖南省")
    guangdong = CustomerFactory(name="广东客户", province="广东省")
    tech1, tech2 = users["tech1"], users["tech2"]

    # Jobs, forms A (one superseded revision that must not count) and forms B.
    j1, j2, j3 = _job(hunan, tech1), _job(hunan, tech1), _job(guangdong, tech2, trip=False)
    _form_a(j1, "unsatisfied", "low", "poor", "no", current=False)
    _form_a(j1, "very_good", "high", "good", "yes", "服务很好", revision=2)
    _form_a(j2, "fair", "fair", "good", "no")
    _form_a(j3, "good", "low", "poor", "yes", "到达太慢")
    _form_b(j1, 3, "1000.00", "无")
    _form_b(j2, 2, "500.50", "需更换主板", status=B.Status.APPROVED)
    _form_b(j3, 4, "800.00", "")
    ProgressReport.objects.create(job=j1, text="已出发")
    ProgressReport.objects.create(job=j1, text="已到达")

    # Cases and clocks: response met after 10 and 20 min, missed after 60; one arrival overdue.
    c1 = ServiceCase.objects.create(customer=hunan, fault_description="不加热")
    c2 = ServiceCase.objects.create(customer=hunan, fault_description="报警")
    c3 = ServiceCase.objects.create(
        customer=guangdong,
        fault_description="服务人员迟到",
        category=ServiceCase.Category.COMPLAINT,
        resolution="已道歉并改进派工",
    )
    _clock(c1, ClockKind.RESPONSE, minutes=10, met=True)
    _clock(c2, ClockKind.RESPONSE, minutes=20, met=True)
    _clock(c3, ClockKind.RESPONSE, minutes=60, met=False)
    _clock(c1, ClockKind.ARRIVAL, overdue=True)
    c3.revisits.create(spoke_with="王经理", satisfaction="good")

    # Shipments: lead times 10 and 4 days (average 7), one late, one overdue in transit.
    today = timezone.localdate()
    site = SiteFactory(customer=hunan)
    payment = Payment.objects.create(customer=hunan, amount=Decimal("1000"), received_on=today - timedelta(days=12))
    now = timezone.now()
    common = {"payment": payment, "customer": hunan, "site": site, "contact_name": "张", "contact_phone": "1"}
    Shipment.objects.create(
        **common,
        requested_ship_date=today,
        status=Shipment.Status.RECEIVED,
        arrived_on=today - timedelta(days=2),
        expected_arrival=today - timedelta(days=4),
        receipt_confirmed_at=now,
    )
    Shipment.objects.create(
        **common,
        requested_ship_date=today,
        status=Shipment.Status.RECEIVED,
        arrived_on=today - timedelta(days=8),
        expected_arrival=today - timedelta(days=7),
        receipt_confirmed_at=now,
    )
    Shipment.objects.create(
        **common,
        requested_ship_date=today,
        status=Shipment.Status.IN_TRANSIT,
        expected_arrival=today - timedelta(days=1),
    )

    # Warranty: two bought-in returns from one supplier, one self-made.
    s1 = Supplier.objects.create(code="S1", name="温控器供应商")
    appraisals = []
    for origin, outcome, supplier in (
        ("bought_in", "replace", s1),
        ("bought_in", "repair", s1),
        ("self_made", "replace", None),
    ):
        part = ReturnedPart.objects.create(customer=hunan, part_name="温控器" if supplier else "炉膛")
        appraisals.append(
            Appraisal.objects.create(part=part, origin=origin, outcome=outcome, supplier=supplier, appraised_at=now)
        )
    SupplierClaim.objects.create(
        appraisal=appraisals[0], supplier=s1, part_name="温控器", deadline=today, received_on=today - timedelta(days=3)
    )
    SupplierClaim.objects.create(
        appraisal=appraisals[1], supplier=s1, part_name="温控器", deadline=today - timedelta(days=1)
    )
    CustomerClaim.objects.create(
        customer=hunan,
        reason="停产损失",
        amount_claimed=Decimal("1000"),
        amount_agreed=Decimal("800"),
        amount_paid=Decimal("800"),
    )
    qc = Department.objects.create(code="QCX", name="质检部X", kind="qc")
    prod = Department.objects.create(code="PRX", name="生产部X", kind="production")
    for dept, cost in ((qc, "1000"), (qc, "200"), (prod, "300")):
        QualityIncident.objects.create(
            customer=hunan,
            description="事故",
            responsible_department=dept,
            total_cost=Decimal(cost),
            team_share=Decimal(cost) / 2,
        )
    CorrectiveAction.objects.create(
        problem="温控器失效",
        root_cause="批次",
        action="换供应商",
        owner_department=qc,
        due_date=today - timedelta(days=1),
    )
    CorrectiveAction.objects.create(
        problem="旧", root_cause="旧", action="旧", owner_department=qc, due_date=today, status="closed"
    )
    return {"hunan": hunan, "guangdong": guangdong, "tech1": tech1, "tech2": tech2, "qc": qc, "complaint": c3}
