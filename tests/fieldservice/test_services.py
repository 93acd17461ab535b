from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus

from aftersales import events
from aftersales.links import linked_of_type
from aftersales.models import ArchivedDocument, Signature, SigningLink, Unit
from aftersales.pdf import archives_of
from aftersales.workflow import PermissionRefused, RuleViolation, StaleRecord, TransitionRefused
from fieldservice import handlers, services
from fieldservice.models import Expense, FeedbackFormA, FeedbackFormB, ServiceJob, SupportRequest
from fieldservice.pdf import ARCHIVE_KIND
from fieldservice.tasks import archive_feedback_pair
from tests.aftersales.factories import ContactFactory, CustomerFactory, ProductModelFactory, SiteFactory, UnitFactory
from tests.fieldservice import factories as f

pytestmark = pytest.mark.django_db


# --- approval gate and job transitions ------------------------------------------------


def test_dispatch_refused_before_gm_approval(users):
    job = f.new_job(users)
    services.job_schedule(pk=job.pk, by=users["clerk"], agreed_date=timezone.localdate())
    args = dict(technicians=[users["tech1"]], lead=users["tech1"], address="a", contact="c", phone="p")
    with pytest.raises(TransitionRefused):
        services.job_dispatch(pk=job.pk, by=users["clerk"], **args)
    req = services.support_request_create(
        pk=job.pk,
        by=users["sales"],
        purpose="p",
        proposed_start=timezone.localdate(),
        proposed_end=timezone.localdate(),
        estimated_cost=Decimal("1"),
    )
    with pytest.raises(TransitionRefused):
        services.job_dispatch(pk=job.pk, by=users["clerk"], **args)
    services.support_request_reject(pk=req.pk, by=users["gm"], comment="费用太高")
    with pytest.raises(TransitionRefused):
        services.job_dispatch(pk=job.pk, by=users["clerk"], **args)
    req2 = services.support_request_create(
        pk=job.pk,
        by=users["sales"],
        purpose="p",
        proposed_start=timezone.localdate(),
        proposed_end=timezone.localdate(),
        estimated_cost=Decimal("1"),
    )
    services.support_request_approve(pk=req2.pk, by=users["gm"], comment="同意")
    job = services.job_dispatch(pk=job.pk, by=users["clerk"], **args)
    assert job.status == ServiceJob.Status.DISPATCHED
    assert job.is_assigned(users["tech1"])


def test_support_request_roles_and_history(users):
    job = f.new_job(users)
    for who in ("clerk", "gm", "tech1"):
        with pytest.raises(PermissionRefused):
            services.support_request_create(
                pk=job.pk,
                by=users[who],
                purpose="p",
                proposed_start=timezone.localdate(),
                proposed_end=timezone.localdate(),
                estimated_cost=Decimal("1"),
            )
    req = services.support_request_create(
        pk=job.pk,
        by=users["sales"],
        purpose="p",
        proposed_start=timezone.localdate(),
        proposed_end=timezone.localdate(),
        estimated_cost=Decimal("1"),
    )
    assert req.number.startswith("SZ-")
    for who in ("sales", "clerk", "as_manager", "tech1"):
        with pytest.raises(PermissionRefused):
            services.support_request_approve(pk=req.pk, by=users[who])
    with pytest.raises(RuleViolation):
        services.support_request_reject(pk=req.pk, by=users["gm"], comment="")
    req = services.support_request_approve(pk=req.pk, by=users["gm"], comment="同意，控制费用")
    assert (req.decided_by, req.decision_comment) == (users["gm"], "同意，控制费用")
    last = req.history.first()
    assert last.history_user == users["gm"] and last.history_change_reason == "同意，控制费用"
    with pytest.raises(TransitionRefused):
        services.support_request_reject(pk=req.pk, by=users["gm"], comment="x")


def test_stale_page_gets_409(users):
    job = f.new_job(users)
    with pytest.raises(StaleRecord):
        services.job_schedule(
            pk=job.pk, by=users["clerk"], agreed_date=timezone.localdate(), expected_state="dispatched"
        )


@pytest.mark.parametrize("who", ["sales", "gm", "tech1", "deptmgr", "finance"])
def test_schedule_and_dispatch_refused_roles(users, who):
    job = f.approved_job(users)
    with pytest.raises(PermissionRefused):
        services.job_schedule(pk=job.pk, by=users[who], agreed_date=timezone.localdate())
    with pytest.raises(PermissionRefused):
        services.job_dispatch(
            pk=job.pk,
            by=users[who],
            technicians=[users["tech1"]],
            lead=users["tech1"],
            address="a",
            contact="c",
            phone="p",
        )


def test_dispatch_rules(users):
    job = f.approved_job(users)
    with pytest.raises(RuleViolation):
        services.job_dispatch(
            pk=job.pk,
            by=users["clerk"],
            technicians=[users["tech1"]],
            lead=users["tech2"],
            address="a",
            contact="c",
            phone="p",
        )
    with pytest.raises(RuleViolation):
        services.job_dispatch(
            pk=job.pk,
            by=users["clerk"],
            technicians=[users["clerk"]],
            lead=users["clerk"],
            address="a",
            contact="c",
            phone="p",
        )
    job = services.job_dispatch(
        pk=job.pk,
        by=users["as_manager"],
        technicians=[users["tech1"], users["tech2"]],
        lead=users["tech2"],
        address="a",
        contact="c",
        phone="p",
    )
    assert job.assignments.get(is_lead=True).technician == users["tech2"]


def test_trip_only_by_assigned_technician(users):
    job = f.dispatched_job(users)
    kwargs = dict(
        expected_days=Decimal("2"),
        travellers="t",
        departure_at=timezone.now(),
        destination="d",
        purpose="p",
        expected_return=timezone.localdate(),
    )
    for who in ("tech2", "clerk", "sales"):
        with pytest.raises(PermissionRefused):
            services.job_start_trip(pk=job.pk, by=users[who], **kwargs)
    with pytest.raises(RuleViolation):
        services.job_start_trip(pk=job.pk, by=users["tech1"], **{**kwargs, "expected_days": Decimal("0")})
    job = services.job_start_trip(pk=job.pk, by=users["tech1"], **kwargs)
    assert job.status == ServiceJob.Status.TRAVELLING and job.expected_trip_days == Decimal("2")


def test_arrival_publishes_job_arrived(users):
    job = f.travelling_job(users)
    with pytest.raises(PermissionRefused):
        services.job_arrive(pk=job.pk, by=users["tech2"])
    with mock.patch("fieldservice.services.events.publish") as publish:
        job = services.job_arrive(pk=job.pk, by=users["tech1"])
    publish.assert_called_once_with(events.JobArrived(job=job, arrived_at=job.arrived_at, by=users["tech1"]))
    assert job.status == ServiceJob.Status.ON_SITE


def test_depart_return_archive(users):
    job = f.on_site_job(users)
    with pytest.raises(RuleViolation):
        services.job_depart(pk=job.pk, by=users["tech1"], at=job.arrived_at - timedelta(hours=1))
    services.job_depart(pk=job.pk, by=users["tech1"])
    with pytest.raises(RuleViolation):
        services.job_return(pk=job.pk, by=users["tech1"], notes="")
    with pytest.raises(PermissionRefused):
        services.job_return(pk=job.pk, by=users["clerk"], notes="x")
    services.job_return(pk=job.pk, by=users["tech1"], notes="顺利完成")
    with pytest.raises(TransitionRefused):
        services.job_archive(pk=job.pk, by=users["clerk"])  # forms A/B missing
    f.customer_signed_form(users, job)
    f.submitted_form_b(users, job)
    with pytest.raises(PermissionRefused):
        services.job_archive(pk=job.pk, by=users["tech1"])
    job = services.job_archive(pk=job.pk, by=users["clerk"])
    assert job.status == ServiceJob.Status.ARCHIVED


def test_cancel(users):
    job = f.new_job(users)
    with pytest.raises(PermissionRefused):
        services.job_cancel(pk=job.pk, by=users["tech1"], reason="x")
    with pytest.raises(RuleViolation):
        services.job_cancel(pk=job.pk, by=users["clerk"], reason="")
    assert services.job_cancel(pk=job.pk, by=users["clerk"], reason="客户取消").status == ServiceJob.Status.CANCELLED


def test_progress_report_and_overdue_flag(users, settings):
    from fieldservice.selectors import jobs_report_overdue

    job = f.travelling_job(users)
    ServiceJob.objects.filter(pk=job.pk).update(trip_departure_at=timezone.now() - timedelta(hours=30))
    assert list(jobs_report_overdue()) == [f.refresh(job)]
    assert f.refresh(job).report_overdue()
    with pytest.raises(PermissionRefused):
        services.report_add(pk=job.pk, by=users["tech2"], text="x")
    report = services.report_add(pk=job.pk, by=users["tech1"], text="已到株洲", photos=[f.png_upload("p.png")])
    assert report.created_at and list(jobs_report_overdue()) == []
    settings.FIELDSERVICE_REPORT_INTERVAL_HOURS = 0
    assert list(jobs_report_overdue(now=timezone.now() + timedelta(minutes=1))) == [f.refresh(job)]


# --- form A ---------------------------------------------------------------------------


def test_form_a_technician_cannot_write_customer_fields(users):
    form = f.awaiting_customer_form(users)
    services.form_a_reopen(pk=form.pk, by=users["tech1"])
    for name in ("result", "customer_signature", "company_name", "stamp", "signed_at"):
        with pytest.raises(PermissionRefused):
            services.form_a_update(pk=form.pk, by=users["tech1"], **{name: "very_good"})
    with pytest.raises(PermissionRefused):
        services.form_a_update(pk=form.pk, by=users["tech2"], service_content="x")
    with pytest.raises(PermissionRefused):
        services.form_a_update(pk=form.pk, by=users["tech1"], task="x")


def test_customer_confirm_needs_in_person_token(users):
    form = f.awaiting_customer_form(users)
    f.register_signer(form.job, phone="139")
    kwargs = dict(
        data=dict(f.CUSTOMER_DATA),
        signer_name="李客户",
        signer_phone="139",
        signature=f.signature_data_url(),
        device_user=users["tech1"],
    )
    with pytest.raises(TransitionRefused):
        services.form_a_customer_sign(token="forged", **kwargs)
    # The transition itself cannot be reached by the technician through the generic path:
    # it is a system step, taken only by the system actor once the service accepted a token.
    from django.db import transaction

    from aftersales.workflow import perform_transition

    with pytest.raises(PermissionRefused), transaction.atomic():
        perform_transition(FeedbackFormA.objects.get(pk=form.pk), "customer_confirm", by=users["tech1"])
    # A tablet token belongs to the account that opened the signing screen.
    token = services.form_a_tablet_handover(pk=form.pk, by=users["tech1"])
    with pytest.raises(PermissionRefused):
        services.form_a_customer_sign(token=token, **{**kwargs, "device_user": users["tech2"]})
    # The technician may not sign under their own name.
    token = services.form_a_tablet_handover(pk=form.pk, by=users["tech1"])
    with pytest.raises(PermissionRefused):
        services.form_a_customer_sign(token=token, **{**kwargs, "signer_name": "tech1"})
    with pytest.raises(RuleViolation):
        services.form_a_customer_sign(token=token, **{**kwargs, "signature": f.signature_data_url(ink=False)})
    assert FeedbackFormA.objects.get(pk=form.pk).status == FeedbackFormA.Status.AWAITING_CUSTOMER


def test_handover_only_by_assigned_technician(users):
    form = f.awaiting_customer_form(users)
    for who in ("tech2", "clerk", "gm"):
        with pytest.raises(PermissionRefused):
            services.form_a_tablet_handover(pk=form.pk, by=users[who])


def test_customer_signs_on_tablet_then_locked(users, django_capture_on_commit_callbacks):
    with mock.patch("fieldservice.services.events.publish") as publish:
        form = f.customer_signed_form(users)
    assert publish.call_args_list[-1] == mock.call(events.JobCompleted(job=form.job, by=users["tech1"]))
    form = FeedbackFormA.objects.get(pk=form.pk)
    assert form.status == FeedbackFormA.Status.SIGNED
    sig = form.customer_signature
    assert (sig.method, sig.signer_name, sig.captured_by, sig.signer_user) == (
        Signature.Method.TABLET,
        "李客户",
        users["tech1"],
        None,
    )
    assert form.result == "very_good" and form.stamp_id
    with pytest.raises(RuleViolation):
        services.form_a_update(pk=form.pk, by=users["tech1"], service_content="改")
    with pytest.raises(RuleViolation):
        services.form_a_sign_task(pk=form.pk, by=users["as_manager"], signature=f.signature_data_url(), task="x")
    form.service_content = "偷偷改"
    with pytest.raises(RuleViolation):
        form.save()
    token = SigningLink.objects.filter(record_id=form.pk).first()
    assert token.used_at is not None


def test_revision_keeps_signed_form(users):
    form = f.customer_signed_form(users)
    with pytest.raises(RuleViolation):
        services.form_a_revise(pk=form.pk, by=users["tech1"], reason="")
    with pytest.raises(PermissionRefused):
        services.form_a_revise(pk=form.pk, by=users["gm"], reason="x")
    new = services.form_a_revise(pk=form.pk, by=users["as_manager"], reason="客户名称写错")
    old = FeedbackFormA.objects.get(pk=form.pk)
    assert (old.status, old.is_current, new.revision, new.is_current) == ("signed", False, 2, True)
    assert old.customer_signature_id and new.customer_signature_id is None
    assert new.job.current_form_a() == new
    with pytest.raises(TransitionRefused):
        services.form_a_revise(pk=old.pk, by=users["as_manager"], reason="x")


def test_manager_signs_task_in_own_account(users):
    job = f.on_site_job(users)
    form = services.form_a_open(pk=job.pk, by=users["tech1"])
    for who in ("clerk", "tech1"):
        with pytest.raises(PermissionRefused):
            services.form_a_sign_task(pk=form.pk, by=users[who], signature=f.signature_data_url(), task="安装")
    form = services.form_a_sign_task(
        pk=form.pk, by=users["as_manager"], signature=f.signature_data_url(), task="安装调试"
    )
    assert form.manager_signature.signer_user == users["as_manager"]
    assert form.manager_signature.method == Signature.Method.ACCOUNT


def test_customer_link_expired_used_tampered(users):
    form = f.awaiting_customer_form(users)
    f.register_signer(form.job, phone="139")
    url = services.form_a_customer_link(pk=form.pk, by=users["tech1"])
    token = url.rstrip("/").rsplit("/", 1)[-1]
    kwargs = dict(
        data=dict(f.CUSTOMER_DATA), signer_name="李客户", signer_phone="139", signature=f.signature_data_url()
    )
    with pytest.raises(TransitionRefused):
        services.form_a_customer_sign(token=token[:-2] + "xx", **kwargs)
    SigningLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(TransitionRefused):
        services.form_a_customer_sign(token=token, **kwargs)
    SigningLink.objects.update(expires_at=timezone.now() + timedelta(hours=1))
    signed = services.form_a_customer_sign(token=token, **kwargs)
    assert signed.customer_signature.method == Signature.Method.LINK and signed.customer_signature.captured_by is None
    with pytest.raises(TransitionRefused):
        services.form_a_customer_sign(token=token, **kwargs)


# --- form B -----------------------------------------------------------------------------


def test_service_days_computed_and_override_needs_reason(users):
    arrived = timezone.now() - timedelta(days=2)
    job = f.on_site_job(users, at=arrived)
    services.job_depart(pk=job.pk, by=users["tech1"])
    job = f.refresh(job)
    assert services.service_days(job.arrived_at, job.departed_at) == 3
    assert services.form_b_initial(job)["total_days"] == 3
    with pytest.raises(RuleViolation):
        services.form_b_create(pk=job.pk, by=users["tech1"], **f.form_b_data(job, total_days=5))
    form = services.form_b_create(
        pk=job.pk, by=users["tech1"], **f.form_b_data(job, total_days=5, days_reason="含路途两天")
    )
    assert form.total_days == 5


def test_form_b_rules(users):
    job = f.on_site_job(users)
    with pytest.raises(PermissionRefused):
        services.form_b_create(pk=job.pk, by=users["tech2"], **f.form_b_data(job))
    with pytest.raises(RuleViolation):
        services.form_b_create(pk=job.pk, by=users["tech1"], **f.form_b_data(job, commissioning_date=None))
    with pytest.raises(RuleViolation):
        services.form_b_create(
            pk=job.pk, by=users["tech1"], **f.form_b_data(job, returns_for_repair=True, return_serials="")
        )
    with pytest.raises(RuleViolation):
        services.form_b_create(
            pk=job.pk, by=users["tech1"], **f.form_b_data(job, returns_for_repair=True, return_serials="NO-SUCH")
        )
    serial = job.units.first().serial_number
    form = services.form_b_create(
        pk=job.pk, by=users["tech1"], **f.form_b_data(job, returns_for_repair=True, return_serials=serial)
    )
    assert form.return_serials == serial


def test_commissioning_starts_warranty(users):
    job = f.on_site_job(users)
    unit = job.units.first()
    assert unit.acceptance_date is None and not unit.is_in_warranty()
    day = timezone.localdate() - timedelta(days=1)
    form = services.form_b_create(pk=job.pk, by=users["tech1"], **f.form_b_data(job, commissioning_date=day))
    assert Unit.objects.get(pk=unit.pk).acceptance_date is None  # only when signed and submitted
    services.form_b_submit(pk=form.pk, by=users["tech1"], signature=f.signature_data_url())
    unit = Unit.objects.get(pk=unit.pk)
    assert unit.acceptance_date == day
    assert unit.history.first().history_user == users["tech1"]


def test_form_b_approval_chain_roles(users):
    job = f.on_site_job(users)
    form = services.form_b_create(
        pk=job.pk, by=users["tech1"], **f.form_b_data(job, commissioned="no", commissioning_date=None)
    )
    with pytest.raises(PermissionRefused):
        services.form_b_submit(pk=form.pk, by=users["tech2"], signature=f.signature_data_url())
    services.form_b_submit(pk=form.pk, by=users["tech1"], signature=f.signature_data_url())
    with pytest.raises(TransitionRefused):
        services.form_b_update(pk=form.pk, by=users["tech1"], **f.form_b_data(job))
    for who in ("tech1", "leader", "clerk"):
        with pytest.raises((PermissionRefused, TransitionRefused)):
            services.form_b_review(pk=form.pk, by=users[who], opinion="ok", signature=f.signature_data_url())
    with pytest.raises((PermissionRefused, TransitionRefused)):
        services.form_b_approve(pk=form.pk, by=users["leader"], comment="ok", signature=f.signature_data_url())
    form = services.form_b_review(pk=form.pk, by=users["deptmgr"], opinion="工作认真", signature=f.signature_data_url())
    assert form.status == FeedbackFormB.Status.REVIEWED and form.manager_signature.signer_user == users["deptmgr"]
    for who in ("deptmgr", "tech1", "gm"):
        with pytest.raises(PermissionRefused):
            services.form_b_approve(pk=form.pk, by=users[who], comment="ok", signature=f.signature_data_url())
    form = services.form_b_approve(pk=form.pk, by=users["leader"], comment="批准", signature=f.signature_data_url())
    assert form.status == FeedbackFormB.Status.APPROVED and form.leader_signature.signer_user == users["leader"]


def test_form_b_send_back(users):
    job = f.on_site_job(users)
    form = f.submitted_form_b(users, job)
    with pytest.raises(PermissionRefused):
        services.form_b_send_back(pk=form.pk, by=users["tech1"], reason="x")
    form = services.form_b_send_back(pk=form.pk, by=users["deptmgr"], reason="现场情况写得太简单")
    assert form.status == FeedbackFormB.Status.DRAFT and form.technician_signature is None


# --- reimbursement gate and archive --------------------------------------------------------


def test_reimbursement_gate(users, django_capture_on_commit_callbacks):
    job = f.on_site_job(users)
    expense = services.expense_add(
        pk=job.pk,
        by=users["tech1"],
        category="lodging",
        amount=Decimal("280"),
        spent_on=timezone.localdate(),
        receipts=[f.png_upload("r.png")],
    )
    with pytest.raises(PermissionRefused):
        services.expense_add(
            pk=job.pk, by=users["tech2"], category="lodging", amount=Decimal("1"), spent_on=timezone.localdate()
        )
    with pytest.raises(RuleViolation):
        services.expense_add(
            pk=job.pk, by=users["tech1"], category="lodging", amount=Decimal("0"), spent_on=timezone.localdate()
        )
    with pytest.raises(TransitionRefused):
        services.expense_mark_reimbursable(pk=expense.pk, by=users["finance"])
    with django_capture_on_commit_callbacks(execute=True):
        f.customer_signed_form(users, job)
    with pytest.raises(TransitionRefused):  # form B not approved yet
        services.expense_mark_reimbursable(pk=expense.pk, by=users["finance"])
    with django_capture_on_commit_callbacks(execute=True):
        f.approved_form_b(users, job)
    with pytest.raises(PermissionRefused):
        services.expense_mark_reimbursable(pk=expense.pk, by=users["tech1"])
    expense = services.expense_mark_reimbursable(pk=expense.pk, by=users["finance"])
    assert expense.status == Expense.Status.REIMBURSABLE
    doc = ArchivedDocument.objects.get(kind="fieldservice.feedback_ab")
    assert doc.record == job and len(doc.sha256) == 64


def test_no_reimbursement_without_stamp(users):
    job = f.on_site_job(users)
    expense = services.expense_add(
        pk=job.pk, by=users["tech1"], category="transport", amount=Decimal("80"), spent_on=timezone.localdate()
    )
    f.customer_signed_form(users, job, stamp=False)
    f.approved_form_b(users, job)
    with pytest.raises(TransitionRefused):
        services.expense_mark_reimbursable(pk=expense.pk, by=users["finance"])


# --- event handlers (stand-ins for the other apps' records) ----------------------------


class StandIn:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def test_shipment_received_opens_installation_job(users):
    customer = CustomerFactory()
    site = SiteFactory(customer=customer)
    to_install = UnitFactory(customer=customer, site=site, acceptance_date=None)
    no_install = UnitFactory(customer=customer, site=site, product_model=ProductModelFactory(needs_installation=False))
    source = UnitFactory(customer=customer)  # any saved record stands in for the shipment
    shipment = StandIn(
        pk=source.pk,
        number="FH-TEST",
        customer=customer,
        site=site,
        contact_name="赵",
        contact_phone="1",
        units=Unit.objects.filter(pk__in=[to_install.pk, no_install.pk]),
    )
    with mock.patch("fieldservice.handlers.job_create", wraps=services.job_create) as create:
        create.side_effect = lambda **kw: services.job_create(**{**kw, "source": source})
        job = handlers.on_shipment_received(events.ShipmentReceived(shipment=shipment, by=users["clerk"]))
    assert job.kind == ServiceJob.Kind.INSTALLATION and list(job.units.all()) == [to_install]
    assert linked_of_type(source, ServiceJob) == [job]
    shipment.units = Unit.objects.filter(pk=no_install.pk)
    assert handlers.on_shipment_received(events.ShipmentReceived(shipment=shipment, by=users["clerk"])) is None


def test_case_decided_onsite_opens_repair_job(users):
    unit = UnitFactory()
    case = StandIn(
        pk=unit.pk,
        number="WX-1",
        customer=unit.customer,
        site=None,
        unit=unit,
        contact=None,
        fault_description="炉温异常",
    )
    assert handlers.on_case_decided(events.CaseDecided(case=case, decision="factory", by=users["techdept"])) is None
    with mock.patch("fieldservice.handlers.job_create") as create:
        handlers.on_case_decided(events.CaseDecided(case=case, decision="onsite", by=users["techdept"]))
    kwargs = create.call_args.kwargs
    assert kwargs["kind"] == ServiceJob.Kind.REPAIR and kwargs["units"] == [unit] and kwargs["site"] == unit.site
    job = services.job_create(**{**kwargs, "source": unit})
    assert job.description == "炉温异常" and linked_of_type(unit, ServiceJob) == [job]


def test_quality_visit_opens_quality_job(users):
    unit = UnitFactory()
    sheet = StandIn(pk=unit.pk, number="ZX-1", customer=unit.customer, site=unit.site, unit=unit)
    with mock.patch("fieldservice.handlers.job_create") as create:
        handlers.on_quality_site_visit(
            events.QualitySiteVisit(sheet=sheet, people=(users["qc"], users["rnd"]), by=users["qc"])
        )
    assert create.call_args.kwargs["kind"] == ServiceJob.Kind.QUALITY
    assert create.call_args.kwargs["site_team"] == (users["qc"], users["rnd"])
    assert "qc" in create.call_args.kwargs["description"]


def test_handlers_are_subscribed():
    assert handlers.on_shipment_received in events.subscribers(events.ShipmentReceived)
    assert handlers.on_case_decided in events.subscribers(events.CaseDecided)
    assert handlers.on_quality_site_visit in events.subscribers(events.QualitySiteVisit)


def test_job_numbers(users):
    job = f.new_job(users)
    assert job.number.startswith("FW-")
    assert SupportRequest.NUMBER_PREFIX == "SZ"


def test_form_a_sign_content_and_reopen_roles(users):
    job = f.on_site_job(users)
    form = services.form_a_open(pk=job.pk, by=users["tech1"])
    with pytest.raises(PermissionRefused):
        services.form_a_open(pk=f.on_site_job(users).pk, by=users["gm"])
    with pytest.raises(RuleViolation):
        services.form_a_sign_content(pk=form.pk, by=users["tech1"], signature=f.signature_data_url())
    services.form_a_update(pk=form.pk, by=users["tech1"], service_content="维修完成")
    for who in ("tech2", "clerk", "as_manager"):
        with pytest.raises(PermissionRefused):
            services.form_a_sign_content(pk=form.pk, by=users[who], signature=f.signature_data_url())
    form = services.form_a_sign_content(pk=form.pk, by=users["tech1"], signature=f.signature_data_url())
    assert form.technician_signature.signer_user == users["tech1"]
    with pytest.raises(TransitionRefused):
        services.form_a_update(pk=form.pk, by=users["tech1"], service_content="x")
    with pytest.raises(PermissionRefused):
        services.form_a_reopen(pk=form.pk, by=users["tech2"])
    form = services.form_a_reopen(pk=form.pk, by=users["tech1"])
    assert form.status == FeedbackFormA.Status.DRAFT and form.technician_signature is None


def test_archive_failure_is_logged_by_the_task_and_a_retry_archives_once(
    users, caplog, django_capture_on_commit_callbacks
):
    job = f.on_site_job(users)
    f.customer_signed_form(users, job)
    with mock.patch("fieldservice.pdf.render_pair_pdf", side_effect=OSError("no fonts")):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            f.approved_form_b(users, job)  # the approval commits; its archiving task fails
        assert callbacks, "the archiving is enqueued on commit"
        with pytest.raises(OSError):
            services.archive_if_complete(pk=job.pk, by=users["clerk"])  # not swallowed
    assert "no fonts" in caplog.text  # the task backend logged the failure with its traceback
    assert FeedbackFormB.objects.get(job=job).status == FeedbackFormB.Status.APPROVED
    assert not archives_of(job, ARCHIVE_KIND).exists()
    result = archive_feedback_pair.enqueue(job.pk, users["clerk"].pk)  # the retry
    assert result.status == TaskResultStatus.SUCCESSFUL
    archive_feedback_pair.enqueue(job.pk, users["clerk"].pk)
    assert archives_of(job, ARCHIVE_KIND).count() == 1
    assert result.return_value == archives_of(job, ARCHIVE_KIND).get().pk


# --- the customer's signature is the customer's (issue 12, point 6) ---------------------------


def _sign(users, form, **extra):
    token = services.form_a_tablet_handover(pk=form.pk, by=users["tech1"])
    kwargs = dict(
        data=dict(f.CUSTOMER_DATA),
        signer_name="李客户",
        signer_phone="13912345678",
        signature=f.signature_data_url(),
        device_user=users["tech1"],
    )
    return services.form_a_customer_sign(token=token, **{**kwargs, **extra})


def test_it_refuses_the_hand_over_and_the_link_before_the_managers_task_signature(users):
    form = f.awaiting_customer_form(users, task_signed=False)
    for start in (services.form_a_tablet_handover, services.form_a_customer_link):
        with pytest.raises(TransitionRefused, match="售后经理"):
            start(pk=form.pk, by=users["tech1"])
    assert not SigningLink.objects.filter(record_id=form.pk).exists()
    # A token made some other way is refused too: the customer's transition has the condition.
    from aftersales.signatures import signing_link_create, signing_token

    link, _url = signing_link_create(form, purpose=services.TABLET_PURPOSE, by=users["tech1"])
    f.register_signer(form.job)
    with pytest.raises(TransitionRefused, match="售后经理"):
        services.form_a_customer_sign(
            token=signing_token(link),
            data=dict(f.CUSTOMER_DATA),
            signer_name="李客户",
            signer_phone="13912345678",
            signature=f.signature_data_url(),
            device_user=users["tech1"],
        )
    assert FeedbackFormA.objects.get(pk=form.pk).status == FeedbackFormA.Status.AWAITING_CUSTOMER
    services.form_a_sign_task(pk=form.pk, by=users["as_manager"], signature=f.signature_data_url(), task="安装调试")
    assert _sign(users, form).status == FeedbackFormA.Status.SIGNED


def test_it_recognises_a_registered_contact_by_name_and_phone(users):
    form = f.awaiting_customer_form(users)
    ContactFactory(customer=form.job.customer, name="李客户", mobile="", phone="0731-2888 6666", title="设备科科长")
    signed = _sign(users, form, signer_name=" 李客户 ", signer_phone="+86 0731 28886666")
    assert (signed.signer_check, signed.signer_on_record, signed.signer_position) == ("on_record", True, "设备科科长")
    assert signed.history.first().history_change_reason == "李客户 是已登记联系人"


@pytest.mark.parametrize(
    "contact",
    [
        {},  # no contact at all
        {"name": "李客户", "mobile": "13900000000"},  # the name on record, another phone
        {"name": "李客服", "mobile": "13912345678"},  # the phone on record, another name
        {"name": "李客户", "mobile": "13912345678", "other_customer": True},  # another customer's contact
    ],
)
def test_it_flags_a_signer_who_is_not_a_registered_contact(users, contact):
    form = f.awaiting_customer_form(users)
    if contact:
        customer = CustomerFactory() if contact.pop("other_customer", False) else form.job.customer
        ContactFactory(customer=customer, **contact)
    with pytest.raises(RuleViolation, match="职务"):
        _sign(users, form)
    # Refused before anything was stored: the same screen still works, with the position.
    assert SigningLink.objects.get(record_id=form.pk, purpose=services.TABLET_PURPOSE).used_at is None
    assert not Signature.objects.filter(purpose="form_a_customer").exists()
    signed = _sign(users, form, signer_position="设备科科长")
    assert (signed.status, signed.signer_check, signed.signer_position) == ("signed", "to_verify", "设备科科长")
    assert not signed.signer_on_record and not signed.job.form_a_signer_settled()
    assert "不是已登记联系人" in signed.history.first().history_change_reason


def test_it_keeps_refusing_the_technicians_own_names(users):
    form = f.awaiting_customer_form(users)
    for name in ("tech1", users["tech1"].last_name):
        with pytest.raises(PermissionRefused):
            _sign(users, form, signer_name=name, signer_position="工程师")


def test_the_archive_waits_until_after_sales_verified_an_unknown_signer(users, django_capture_on_commit_callbacks):
    job = f.on_site_job(users)
    expense = services.expense_add(
        pk=job.pk, by=users["tech1"], category="transport", amount=Decimal("80"), spent_on=timezone.localdate()
    )
    with django_capture_on_commit_callbacks(execute=True):
        form = f.customer_signed_form(users, job, registered=False)
        f.approved_form_b(users, job)
    services.job_depart(pk=job.pk, by=users["tech1"])
    services.job_return(pk=job.pk, by=users["tech1"], notes="顺利完成")
    assert services.archive_if_complete(pk=job.pk, by=users["clerk"]) is None
    assert not archives_of(job, ARCHIVE_KIND).exists()
    with pytest.raises(TransitionRefused, match="核实"):
        services.job_archive(pk=job.pk, by=users["clerk"])
    with pytest.raises(TransitionRefused):  # nor reimbursed on a signature nobody vouched for
        services.expense_mark_reimbursable(pk=expense.pk, by=users["finance"])
    for who in ("tech1", "deptmgr", "finance", "sales"):
        with pytest.raises(PermissionRefused):
            services.form_a_verify_signer(pk=form.pk, by=users[who], note="x")
    with pytest.raises(RuleViolation):
        services.form_a_verify_signer(pk=form.pk, by=users["clerk"], note=" ")
    with django_capture_on_commit_callbacks(execute=True):
        form = services.form_a_verify_signer(pk=form.pk, by=users["clerk"], note="电话联系王工，确认李客户为设备科科长")
    assert (form.signer_check, form.signer_checked_by) == ("verified", users["clerk"])
    assert archives_of(job, ARCHIVE_KIND).count() == 1  # caught up at once
    with pytest.raises(TransitionRefused):  # once is enough
        services.form_a_verify_signer(pk=form.pk, by=users["as_manager"], note="再核实")
    assert services.job_archive(pk=job.pk, by=users["clerk"]).status == ServiceJob.Status.ARCHIVED
    assert services.expense_mark_reimbursable(pk=expense.pk, by=users["finance"]).status == "reimbursable"


def test_a_registered_signer_needs_no_verification(users, django_capture_on_commit_callbacks):
    job = f.on_site_job(users)
    with django_capture_on_commit_callbacks(execute=True):
        form = f.customer_signed_form(users, job)
        f.approved_form_b(users, job)
    assert form.signer_check == "on_record"
    assert archives_of(job, ARCHIVE_KIND).count() == 1
    with pytest.raises(TransitionRefused):
        services.form_a_verify_signer(pk=form.pk, by=users["clerk"], note="x")


def test_the_signed_form_lets_only_the_signer_check_change(users):
    form = FeedbackFormA.objects.get(pk=f.customer_signed_form(users, registered=False).pk)
    form.signer_check_note = "偷偷写的核实"
    with pytest.raises(RuleViolation):
        form.save()
    with pytest.raises(AttributeError):
        form.signer_check = FeedbackFormA.SignerCheck.VERIFIED
    form = services.form_a_verify_signer(pk=form.pk, by=users["as_manager"], note="已电话核实")
    assert FeedbackFormA.objects.get(pk=form.pk).signer_check_note == "已电话核实"
