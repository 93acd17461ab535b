from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import TaskResultStatus

from aftersales import events
from aftersales.links import linked_records
from aftersales.models import Department, Signature
from aftersales.pdf import archives_of
from aftersales.people import display_name
from aftersales.signatures import signatures_of, signing_link_create
from aftersales.workflow import PermissionRefused, RuleViolation, StaleRecord, TransitionRefused
from tests.aftersales.factories import UnitFactory
from tests.conftest import make_user
from tests.warranty.factories import accepted_unit, appraise, quarantined_part, sheet, signature_png
from warranty import services
from warranty.models import (
    AllocationRule,
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    Naming,
    Notice,
    QualityIncident,
    QualitySheet,
    ReturnedPart,
    SupplierClaim,
)
from warranty.tasks import archive_signed_pdf, send_notice_mail

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def kit(users):
    unit, shell, ctrl, supplier = accepted_unit()
    return {"unit": unit, "shell": shell, "ctrl": ctrl, "supplier": supplier}


# --- quality information sheet ----------------------------------------------------------


def test_sheet_send_and_answer_by_role(users, kit):
    s = sheet(users, kit["unit"])
    assert s.number.startswith("ZX-")
    with pytest.raises(PermissionRefused):
        services.sheet_send(pk=s.pk, by=users["qc"], first_answer="x")
    with pytest.raises(RuleViolation):
        services.sheet_send(pk=s.pk, by=users["clerk"], first_answer=" ")
    services.sheet_send(pk=s.pk, by=users["clerk"], first_answer="先降低升温速率，三日内答复", expected_state="draft")
    with pytest.raises(PermissionRefused):
        services.sheet_answer(pk=s.pk, by=users["clerk"], opinion="x")
    with pytest.raises(StaleRecord):
        services.sheet_answer(pk=s.pk, by=users["qc"], opinion="x", expected_state="draft")
    s = services.sheet_answer(pk=s.pk, by=users["qc"], opinion="返厂鉴定温控仪表")
    assert s.status == QualitySheet.Status.ANSWERED
    assert s.qc_answered_by == users["qc"]
    with pytest.raises(TransitionRefused):
        services.sheet_answer(pk=s.pk, by=users["qc"], opinion="again")


def test_sheet_create_refused_for_role_without_permission(users, kit):
    with pytest.raises(PermissionRefused):
        sheet(users | {"clerk": users["warehouse"]}, kit["unit"])


def test_qc_and_rnd_each_name_their_people_and_the_visit_goes_out_once_both_have(users, kit):
    s = sheet(users, kit["unit"], is_major=True)
    services.sheet_send(pk=s.pk, by=users["clerk"], first_answer="立即派人")
    wu = make_user("wu", "qc", last_name="吴", first_name="静")
    zheng = make_user("zheng", "rnd", last_name="郑", first_name="涛")
    with mock.patch("warranty.services.events.publish", return_value=[]) as publish:
        with pytest.raises(PermissionRefused):
            services.sheet_name_qc_team(pk=s.pk, by=users["clerk"], people=[wu])
        # Each unit names its own people only: R&D may not name QC's, nor QC R&D's.
        with pytest.raises(PermissionRefused):
            services.sheet_name_qc_team(pk=s.pk, by=users["rnd"], people=[wu])
        with pytest.raises(PermissionRefused):
            services.sheet_name_rnd_team(pk=s.pk, by=users["qc"], people=[zheng])
        with pytest.raises(TypeError):
            services.sheet_name_rnd_team(pk=s.pk, by=users["rnd"], people="吴静、郑涛")  # type: ignore[arg-type]
        with pytest.raises(RuleViolation):
            services.sheet_name_rnd_team(pk=s.pk, by=users["rnd"], people=[])
        with pytest.raises(StaleRecord):
            services.sheet_name_rnd_team(pk=s.pk, by=users["rnd"], people=[zheng], expected_state="draft")
        rnd_team = services.sheet_name_rnd_team(pk=s.pk, by=users["rnd"], people=[zheng], expected_state="sent")
        # One unit alone sends nobody: 两单位尽快指定专人 — the visit waits for QC.
        publish.assert_not_called()
        s.refresh_from_db()
        assert s.naming == Naming.RND and s.status == QualitySheet.Status.SENT
        assert (rnd_team.team, rnd_team.named_by, rnd_team.names) == ("rnd", users["rnd"], "郑涛")
        assert rnd_team.named_at and list(rnd_team.members.all()) == [zheng]
        # Named once per unit.
        with pytest.raises(TransitionRefused):
            services.sheet_name_rnd_team(pk=s.pk, by=users["rnd"], people=[zheng])
        qc_team = services.sheet_name_qc_team(pk=s.pk, by=users["qc"], people=[wu, users["qc"]], mode="onsite")
    s.refresh_from_db()
    assert s.naming == Naming.BOTH
    assert (qc_team.team, qc_team.named_by) == ("qc", users["qc"])
    assert qc_team.names == "、".join(display_name(u) for u in (wu, users["qc"]))
    # Everyone named by both units goes, QC's people first; the unit that named last sends it.
    publish.assert_called_once_with(events.QualitySiteVisit(sheet=s, people=(wu, users["qc"], zheng), by=users["qc"]))
    assert [t.team for t in s.site_teams.order_by("named_at", "pk")] == ["rnd", "qc"]
    reasons = [h.history_change_reason for h in s.history.order_by("history_date")]
    assert any("郑涛" in (r or "") for r in reasons) and any("吴静" in (r or "") for r in reasons)


def test_both_by_phone_sends_no_site_visit(users, kit):
    s = sheet(users, kit["unit"], is_major=True)
    services.sheet_send(pk=s.pk, by=users["clerk"], first_answer="电话处理")
    with mock.patch("warranty.services.events.publish", return_value=[]) as publish:
        services.sheet_name_qc_team(pk=s.pk, by=users["qc"], people=[users["qc"]], mode="phone")
        services.sheet_name_rnd_team(pk=s.pk, by=users["rnd"], people=[users["rnd"]], mode="phone")
    publish.assert_not_called()
    assert QualitySheet.objects.get(pk=s.pk).naming == Naming.BOTH


def test_site_visit_works_without_subscriber_and_minor_sheet_cannot_name(users, kit, monkeypatch):
    from collections import defaultdict

    monkeypatch.setattr(events, "_handlers", defaultdict(list))  # as if field service were absent
    s = sheet(users, kit["unit"], is_major=True)
    services.sheet_send(pk=s.pk, by=users["clerk"], first_answer="立即派人")
    assert events.subscribers(events.QualitySiteVisit) == []
    services.sheet_name_qc_team(pk=s.pk, by=users["qc"], people=[users["qc"]])
    services.sheet_name_rnd_team(pk=s.pk, by=users["rnd"], people=[users["rnd"]])
    minor = sheet(users, kit["unit"])
    services.sheet_send(pk=minor.pk, by=users["clerk"], first_answer="a")
    with pytest.raises(TransitionRefused, match="重大质量问题"):
        services.sheet_name_qc_team(pk=minor.pk, by=users["qc"], people=[users["qc"]])


def test_qc_and_rnd_each_see_the_sheet_waiting_for_their_people(users, kit):
    from warranty.todo import sections

    def titles(user):
        return {str(sec.title): [i.label for i in sec.items] for sec in sections(user)}

    s = sheet(users, kit["unit"], is_major=True)
    services.sheet_send(pk=s.pk, by=users["clerk"], first_answer="立即派人")
    assert s.number in str(titles(users["qc"]).get(gettext("Major quality problems: name QC's people")))
    assert s.number in str(titles(users["rnd"]).get(gettext("Major quality problems: name R&D's people")))
    services.sheet_name_rnd_team(pk=s.pk, by=users["rnd"], people=[users["rnd"]])
    assert gettext("Major quality problems: name R&D's people") not in titles(users["rnd"])
    assert s.number in str(titles(users["qc"]).get(gettext("Major quality problems: name QC's people")))
    services.sheet_name_qc_team(pk=s.pk, by=users["qc"], people=[users["qc"]])
    assert gettext("Major quality problems: name QC's people") not in titles(users["qc"])


def test_case_decided_claim_creates_linked_sheet(users, kit):
    # A stand-in for the service desk's case: only the contract's attributes are used.
    case = kit["unit"]
    case.customer, case.site, case.unit, case.contact = case.customer, case.site, kit["unit"], None
    case.fault_description = "三包索赔：温控失灵"
    assert services.on_case_decided(events.CaseDecided(case=case, decision="onsite", by=users["techdept"])) is None
    created = services.on_case_decided(events.CaseDecided(case=case, decision="claim", by=users["techdept"]))
    assert isinstance(created, QualitySheet)
    assert created.description == "三包索赔：温控失灵"
    assert [link.record for link in linked_records(created)] == [kit["unit"]]
    assert services.on_case_decided in events.subscribers(events.CaseDecided)


# --- returned parts ---------------------------------------------------------------------


def test_grading_not_covered_needs_cost_and_is_not_tagged(users, kit):
    part = services.part_create(by=users["clerk"], customer=kit["unit"].customer, unit=kit["unit"], part_name="x")
    with pytest.raises(RuleViolation):
        services.part_grade(pk=part.pk, by=users["clerk"], grade="not_covered", analysis="人为损坏")
    with pytest.raises(PermissionRefused):
        services.part_grade(pk=part.pk, by=users["warehouse"], grade="company", analysis="a")
    part = services.part_grade(
        pk=part.pk, by=users["clerk"], grade="not_covered", analysis="人为损坏", chargeable_cost=Decimal("300")
    )
    assert part.status == ReturnedPart.Status.NOT_COVERED
    assert not Appraisal.objects.filter(part=part).exists()


def test_company_defect_is_tagged_quarantined_with_handovers(users, kit):
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    assert part.number.startswith("TH-")
    assert part.status == ReturnedPart.Status.QUARANTINED and part.location == "隔离区A-1"
    assert part.appraisal.status == Appraisal.Status.FILED and part.appraisal.number.startswith("JD-")
    h = part.handovers.get()
    assert (h.given_by, h.received_by, h.to_location) == ("王芳", users["warehouse"], "隔离区A-1")
    with pytest.raises(PermissionRefused):
        services.part_handover(pk=part.pk, by=users["sales"], given_by="a", received_by=users["qc"], to_location="b")
    services.part_handover(
        pk=part.pk, by=users["clerk"], given_by="库房", received_by=users["qc"], to_location="品质鉴定室"
    )
    part = type(part).objects.get(pk=part.pk)
    assert part.location == "品质鉴定室" and part.handovers.count() == 2


def test_quarantine_refused_for_clerk(users, kit):
    part = services.part_create(by=users["clerk"], customer=kit["unit"].customer, unit=kit["unit"], part_name="x")
    services.part_grade(pk=part.pk, by=users["clerk"], grade="unclear", analysis="待鉴定")
    with pytest.raises(PermissionRefused):
        services.part_quarantine(pk=part.pk, by=users["clerk"], location="隔离区", given_by="王芳")


# --- appraisal and routing --------------------------------------------------------------


def test_appraise_requires_quarantine_and_qc(users, kit):
    part = services.part_create(by=users["clerk"], customer=kit["unit"].customer, unit=kit["unit"], part_name="x")
    services.part_grade(pk=part.pk, by=users["clerk"], grade="company", analysis="a")
    part = type(part).objects.get(pk=part.pk)
    with pytest.raises(RuleViolation):
        appraise(users, part)
    services.part_quarantine(pk=part.pk, by=users["warehouse"], location="隔离区", given_by="王芳")
    with pytest.raises(PermissionRefused):
        appraise(users | {"qc": users["clerk"]}, part)


def test_bought_in_routes_to_purchasing_and_marketing_and_opens_supplier_claim(
    users, kit, django_capture_on_commit_callbacks
):
    users["purchasing"].email = "cg@example.com"
    users["purchasing"].save()
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    with django_capture_on_commit_callbacks(execute=True):
        a = appraise(users, part, origin="bought_in", outcome="replace")
    assert a.status == Appraisal.Status.APPRAISED_OWN
    assert a.supplier == kit["supplier"]
    assert sorted(a.notices.values_list("role", flat=True)) == ["purchasing", "sales"]
    claim = a.supplier_claim
    assert claim.status == SupplierClaim.Status.OPEN and claim.supplier == kit["supplier"]
    sig = signatures_of(a, services.APPRAISAL_PURPOSE).get()
    assert sig.method == Signature.Method.ACCOUNT and sig.signer_user == users["qc"]
    assert [m.to for m in mail.outbox] == [["cg@example.com"]]
    assert a.number in mail.outbox[0].subject
    assert archives_of(a, "appraisal").count() == 1


def test_notice_mail_and_archive_tasks_are_idempotent_and_retried_after_a_failure(
    users, kit, django_capture_on_commit_callbacks
):
    users["purchasing"].email = "cg@example.com"
    users["purchasing"].save()
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    down = mock.patch("warranty.tasks.send_mail", side_effect=ConnectionError("mail server down"))
    with down, django_capture_on_commit_callbacks(execute=True):
        a = appraise(users, part, origin="bought_in", outcome="replace")
    notice = a.notices.get(role="purchasing")
    assert Notice.objects.get(pk=notice.pk).mailed_at is None, "a failed send is not marked as done"
    assert mail.outbox == []
    retry = send_notice_mail.enqueue(notice.pk)
    assert retry.status == TaskResultStatus.SUCCESSFUL and retry.return_value == 1
    assert send_notice_mail.enqueue(notice.pk).return_value == 0  # a second run mails nobody again
    assert [m.to for m in mail.outbox] == [["cg@example.com"]]
    assert Notice.objects.get(pk=notice.pk).mailed_at is not None
    first = archives_of(a, "appraisal").get()
    assert archive_signed_pdf.enqueue("appraisal", a.pk, users["qc"].pk).return_value == first.pk
    assert archives_of(a, "appraisal").count() == 1


def test_self_made_routes_to_production_and_marketing(users, kit):
    part = quarantined_part(users, kit["unit"], kit["shell"])
    a = appraise(users, part, origin="self_made", outcome="repair")
    assert sorted(a.notices.values_list("role", flat=True)) == ["production", "sales"]
    assert not SupplierClaim.objects.filter(appraisal=a).exists()
    with pytest.raises(PermissionRefused):
        services.appraisal_take_note(pk=a.pk, by=users["purchasing"])
    assert [n.role for n in services.appraisal_take_note(pk=a.pk, by=users["production"])] == ["production"]
    assert a.notices.get(role="production").read_by == users["production"]
    assert a.notices.get(role="sales").read_at is None, "marketing has yet to take note"
    # Noted twice (a colleague, a page sent again): the first reader stays on record.
    colleague = make_user("production2", "production")
    services.appraisal_take_note(pk=a.pk, by=colleague)
    assert a.notices.get(role="production").read_by == users["production"]


def test_exchange_at_warehouse_records_good_part_and_scraps_bought_in(users, kit):
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    a = appraise(users, part)
    with pytest.raises(PermissionRefused):
        services.appraisal_exchange(pk=a.pk, by=users["clerk"], good_part_serial="G-1")
    with pytest.raises(RuleViolation):
        services.appraisal_exchange(pk=a.pk, by=users["warehouse"], good_part_serial="")
    a = services.appraisal_exchange(
        pk=a.pk, by=users["warehouse"], good_part_serial="G-77", expected_state="own_defect"
    )
    assert (a.status, a.good_part_serial, a.warehouse_keeper) == (
        Appraisal.Status.EXCHANGED,
        "G-77",
        users["warehouse"],
    )
    assert a.exchanged_at is not None
    assert ReturnedPart.objects.get(pk=part.pk).status == ReturnedPart.Status.SCRAPPED


def test_exchange_of_self_made_part(users, kit):
    part = quarantined_part(users, kit["unit"], kit["shell"])
    a = appraise(users, part, origin="self_made", outcome="repair")
    services.appraisal_exchange(pk=a.pk, by=users["warehouse"], good_part_serial="G-1")
    assert ReturnedPart.objects.get(pk=part.pk).status == ReturnedPart.Status.EXCHANGED


def test_not_own_defect_customer_told_with_cost(users, kit):
    part = quarantined_part(users, kit["unit"], kit["shell"])
    with pytest.raises(RuleViolation):
        appraise(users, part, own_defect=False, origin="")
    a = appraise(users, part, own_defect=False, origin="", chargeable_cost=Decimal("850"))
    assert a.status == Appraisal.Status.APPRAISED_NOT and a.outcome == "none"
    assert not a.notices.exists()
    with pytest.raises(PermissionRefused):
        services.appraisal_tell_customer(pk=a.pk, by=users["warehouse"])
    a = services.appraisal_tell_customer(pk=a.pk, by=users["clerk"])
    assert a.status == Appraisal.Status.CUSTOMER_TOLD
    assert ReturnedPart.objects.get(pk=part.pk).status == ReturnedPart.Status.RELEASED


def test_outcome_follows_component_warranty(users):
    today = timezone.localdate()
    unit, shell, ctrl, _supplier = accepted_unit()
    unit.acceptance_date = today - timedelta(days=500)  # controller (12 months) expired, shell not
    unit.save()
    part = quarantined_part(users, unit, ctrl)
    with pytest.raises(RuleViolation):
        appraise(users, part, outcome="replace")
    a = appraise(users, part, outcome="chargeable")
    assert a.outcome == "chargeable"
    assert a.outcome_reason == gettext("The component is out of warranty: parts at cost, no labour charge.")


def test_three_repairs_of_same_defect_require_replacement(users, kit):
    for _i in range(3):
        part = quarantined_part(users, kit["unit"], kit["shell"])
        appraise(users, part, origin="self_made", outcome="repair")
    part = quarantined_part(users, kit["unit"], kit["shell"])
    with pytest.raises(RuleViolation):
        appraise(users, part, origin="self_made", outcome="repair")
    a = appraise(users, part, origin="self_made", outcome="replace")
    assert "3" in a.outcome_reason


# --- supplier replacement ---------------------------------------------------------------


def test_supplier_deadline_is_one_calendar_month_and_overdue_flag(users, kit):
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    claim = appraise(users, part).supplier_claim
    with pytest.raises(PermissionRefused):
        services.supplier_claim_notify(pk=claim.pk, by=users["clerk"], on=date(2026, 1, 31))
    claim = services.supplier_claim_notify(pk=claim.pk, by=users["purchasing"], on=date(2026, 1, 31))
    assert claim.deadline == date(2026, 2, 28)
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 2, 28)):
        assert not claim.is_overdue
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 3, 1)):
        assert claim.is_overdue
    with pytest.raises(RuleViolation):
        services.supplier_claim_receive(pk=claim.pk, by=users["purchasing"], quantity=0)
    with pytest.raises(PermissionRefused):
        services.supplier_claim_receive(pk=claim.pk, by=users["sales"], quantity=1)
    claim = services.supplier_claim_receive(pk=claim.pk, by=users["warehouse"], quantity=1)
    assert claim.status == SupplierClaim.Status.RECEIVED and not claim.is_overdue


def test_supplier_notified_date_not_in_future(users, kit):
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    claim = appraise(users, part).supplier_claim
    with pytest.raises(RuleViolation):
        services.supplier_claim_notify(pk=claim.pk, by=users["purchasing"], on=timezone.localdate() + timedelta(days=1))


# --- customer claims --------------------------------------------------------------------


def test_customer_claim_amounts(users, kit):
    part = quarantined_part(users, kit["unit"], kit["ctrl"])
    a = appraise(users, part)
    with pytest.raises(PermissionRefused):
        services.customer_claim_create(by=users["clerk"], customer=part.customer, reason="停产损失", amount_claimed=1)
    with pytest.raises(RuleViolation):
        services.customer_claim_create(by=users["sales"], customer=part.customer, reason="x", amount_claimed=0)
    claim = services.customer_claim_create(
        by=users["sales"], customer=part.customer, reason="停产损失", amount_claimed="12000", appraisal=a
    )
    assert claim.number.startswith("SP-") and claim.amount_claimed == Decimal("12000.00")
    assert claim in [link.record for link in linked_records(a)]
    with pytest.raises(RuleViolation):
        services.customer_claim_agree(pk=claim.pk, by=users["sales"], amount="12000.01")
    with pytest.raises(PermissionRefused):
        services.customer_claim_agree(pk=claim.pk, by=users["finance"], amount="8000")
    services.customer_claim_agree(pk=claim.pk, by=users["sales"], amount="8000")
    services.customer_claim_approve(pk=claim.pk, by=users["leader"])
    with pytest.raises(RuleViolation):
        services.customer_claim_pay(pk=claim.pk, by=users["finance"], amount="9000")
    claim = services.customer_claim_pay(pk=claim.pk, by=users["finance"], amount="8000")
    assert (claim.status, claim.amount_agreed, claim.amount_paid) == (
        CustomerClaim.Status.PAID,
        Decimal("8000.00"),
        Decimal("8000.00"),
    )


def test_customer_claim_is_agreed_by_marketing_approved_by_leadership_and_paid_by_finance(users, kit):
    claim = services.customer_claim_create(
        by=users["sales"], customer=kit["unit"].customer, reason="停产损失", amount_claimed="6000"
    )
    claim = services.customer_claim_agree(pk=claim.pk, by=users["sales"], amount="4500", expected_state="claimed")
    assert (claim.status, claim.agreed_by) == (CustomerClaim.Status.AGREED, users["sales"])
    # Marketing alone no longer pays: the amount waits for leadership (state first, then role).
    with pytest.raises(TransitionRefused):
        services.customer_claim_pay(pk=claim.pk, by=users["finance"], amount="4500")
    for who in ("sales", "finance", "gm"):
        with pytest.raises(PermissionRefused):
            services.customer_claim_approve(pk=claim.pk, by=users[who])
    with pytest.raises(StaleRecord):
        services.customer_claim_approve(pk=claim.pk, by=users["leader"], expected_state="claimed")
    # Leadership sends it back with a reason; marketing agrees again.
    with pytest.raises(RuleViolation):
        services.customer_claim_send_back(pk=claim.pk, by=users["leader"], comment=" ")
    claim = services.customer_claim_send_back(pk=claim.pk, by=users["leader"], comment="按合同上限3000元")
    assert (claim.status, claim.amount_agreed, claim.approval_comment) == ("claimed", None, "按合同上限3000元")
    services.customer_claim_agree(pk=claim.pk, by=users["sales"], amount="3000")
    claim = services.customer_claim_approve(pk=claim.pk, by=users["leader"], comment="同意", expected_state="agreed")
    assert (claim.status, claim.approved_by, claim.approval_comment) == ("approved", users["leader"], "同意")
    assert claim.approved_at
    with pytest.raises(PermissionRefused):
        services.customer_claim_pay(pk=claim.pk, by=users["sales"], amount="3000")
    with pytest.raises(RuleViolation):
        services.customer_claim_pay(
            pk=claim.pk, by=users["finance"], amount="3000", on=timezone.localdate() + timedelta(days=1)
        )
    with translation.override("zh-hans"):
        claim = services.customer_claim_pay(pk=claim.pk, by=users["finance"], amount="3000", expected_state="approved")
        reasons = [str(h.history_change_reason) for h in claim.history.order_by("history_date")]
        assert claim.get_status_display() == "赔付已支付"
    assert (claim.status, claim.paid_by, claim.amount_paid) == ("paid", users["finance"], Decimal("3000.00"))
    # A payout, in the words of a payout: never the sales chain's 货款到账.
    assert any(r.startswith("赔付已支付") for r in reasons), reasons
    assert not any("货款到账" in r for r in reasons)


def test_customer_claim_reject_needs_reason(users, kit):
    claim = services.customer_claim_create(
        by=users["sales"], customer=kit["unit"].customer, reason="x", amount_claimed=5
    )
    with pytest.raises(RuleViolation):
        services.customer_claim_reject(pk=claim.pk, by=users["sales"], note="")
    assert services.customer_claim_reject(pk=claim.pk, by=users["sales"], note="非质量原因").status == "rejected"


# --- quality incident -------------------------------------------------------------------


def _incident_to_feedback(users, unit, *, supplier=None, in_house=True):
    dept, _new = Department.objects.get_or_create(code="PD1", name="生产一班", kind=Department.Kind.PRODUCTION)
    i = services.incident_create(by=users["technician"], customer=unit.customer, unit=unit, description="炉体漏气")
    with pytest.raises(PermissionRefused):
        services.incident_trace(pk=i.pk, by=users["clerk"], first_cause="a", consequence="b")
    services.incident_trace(pk=i.pk, by=users["qc"], first_cause="焊缝缺陷", consequence="停炉两天")
    with pytest.raises(PermissionRefused):
        services.incident_assign(pk=i.pk, by=users["qc"], department=dept)
    services.incident_assign(pk=i.pk, by=users["leader"], department=dept, in_house=in_house, supplier=supplier)
    with pytest.raises(RuleViolation):
        services.incident_dispatch(pk=i.pk, by=users["deptmgr"], people="李工", from_responsible=False)
    services.incident_dispatch(pk=i.pk, by=users["deptmgr"], people="生产一班 李工")
    with pytest.raises(PermissionRefused):
        services.incident_feedback_sign(
            pk=i.pk, by=users["sales"], handling="补焊", signer_name="黄建华", signature=signature_png()
        )
    with pytest.raises(RuleViolation):
        services.incident_feedback_sign(
            pk=i.pk, by=users["technician"], handling="补焊", signer_name="黄建华", signature=""
        )
    services.incident_feedback_sign(
        pk=i.pk, by=users["technician"], handling="现场补焊，试压合格", signer_name="黄建华", signature=signature_png()
    )
    return QualityIncident.objects.get(pk=i.pk)


def _costs(users, i):
    services.incident_cost_add(pk=i.pk, by=users["production"], kind="travel", amount="1200")
    services.incident_cost_add(pk=i.pk, by=users["production"], kind="lodging", amount="600")
    services.incident_cost_add(pk=i.pk, by=users["production"], kind="consumables", amount="150")
    cost = services.incident_cost_add(pk=i.pk, by=users["production"], kind="labour", hours=Decimal("16"), rate="65")
    assert cost.amount == Decimal("1040.00")


def test_incident_full_path_costs_and_default_allocation(users, kit):
    i = _incident_to_feedback(users, kit["unit"])
    sig = signatures_of(i, services.FEEDBACK_PURPOSE).get()
    assert sig.method == Signature.Method.TABLET and sig.captured_by == users["technician"]
    with pytest.raises(PermissionRefused):
        services.incident_cost_add(pk=i.pk, by=users["qc"], kind="travel", amount="1")
    with pytest.raises(RuleViolation):
        services.incident_submit_costs(pk=i.pk, by=users["production"])
    _costs(users, i)
    with pytest.raises(RuleViolation):
        services.incident_cost_add(pk=i.pk, by=users["production"], kind="labour", hours=2)
    services.incident_submit_costs(pk=i.pk, by=users["production"])
    with pytest.raises(RuleViolation):
        services.incident_cost_add(pk=i.pk, by=users["production"], kind="travel", amount="1")
    with pytest.raises(PermissionRefused):
        services.incident_confirm(pk=i.pk, by=users["production"])
    services.incident_confirm(pk=i.pk, by=users["deptmgr"])
    with pytest.raises(PermissionRefused):
        services.incident_review(pk=i.pk, by=users["deptmgr"])
    i = services.incident_review(pk=i.pk, by=users["leader"], comment="同意")
    assert i.status == QualityIncident.Status.REVIEWED
    assert i.total_cost == Decimal("2990.00")
    assert (i.team_share, i.supplier_share, i.company_share) == (
        Decimal("1495.00"),
        Decimal("0.00"),
        Decimal("1495.00"),
    )
    assert i.rule_team_percent == Decimal("50")


def test_changed_rule_does_not_change_old_incidents(users, kit):
    old = _incident_to_feedback(users, kit["unit"])
    _costs(users, old)
    services.incident_submit_costs(pk=old.pk, by=users["production"])
    services.incident_confirm(pk=old.pk, by=users["deptmgr"])
    old = services.incident_review(pk=old.pk, by=users["leader"])
    rule = AllocationRule.objects.get(is_active=True)
    rule.team_percent = Decimal("30")
    rule.supplier_percent = Decimal("80")
    rule.save()
    old = type(old).objects.get(pk=old.pk)
    assert (old.rule_team_percent, old.team_share) == (Decimal("50.00"), Decimal("1495.00"))
    # A new incident with a bought-in supplier uses the changed rule.
    new = _incident_to_feedback(users, kit["unit"], supplier=kit["supplier"])
    services.incident_cost_add(pk=new.pk, by=users["production"], kind="travel", amount="1000")
    services.incident_submit_costs(pk=new.pk, by=users["production"])
    services.incident_confirm(pk=new.pk, by=users["deptmgr"])
    new = services.incident_review(pk=new.pk, by=users["leader"])
    assert (new.supplier_share, new.team_share, new.company_share) == (
        Decimal("800.00"),
        Decimal("60.00"),
        Decimal("140.00"),
    )
    assert new.rule_team_percent == Decimal("30")


def test_allocation_not_in_house_goes_to_company():
    rule = AllocationRule(name="r", team_percent=Decimal("50"), supplier_percent=Decimal("100"))
    result = services.allocate(Decimal("100"), rule, in_house=False, has_supplier=False)
    assert (result["team_share"], result["company_share"]) == (Decimal("0.00"), Decimal("100.00"))


def test_feedback_signed_by_customer_link(users, kit, rf):
    dept = Department.objects.create(code="PD2", name="生产二班", kind=Department.Kind.PRODUCTION)
    i = services.incident_create(by=users["qc"], customer=kit["unit"].customer, unit=kit["unit"], description="x")
    services.incident_trace(pk=i.pk, by=users["qc"], first_cause="a", consequence="b")
    services.incident_assign(pk=i.pk, by=users["leader"], department=dept)
    services.incident_dispatch(pk=i.pk, by=users["leader"], people="李工")
    _link, url = signing_link_create(i, purpose=services.FEEDBACK_PURPOSE, by=users["qc"])
    token = url.rstrip("/").rsplit("/", 1)[-1]
    i = services.incident_feedback_sign_by_link(
        token=token, handling_ok=True, signer_name="黄建华", signature=signature_png()
    )
    assert i.status == QualityIncident.Status.FEEDBACK
    assert signatures_of(i, services.FEEDBACK_PURPOSE).get().method == Signature.Method.LINK
    with pytest.raises(TransitionRefused):
        services.incident_feedback_sign_by_link(
            token=token, handling_ok=True, signer_name="黄建华", signature=signature_png()
        )


# --- corrective actions -----------------------------------------------------------------


def test_capa_verified_by_qc_before_it_closes(users, kit):
    part = quarantined_part(users, kit["unit"], kit["shell"])
    a = appraise(users, part, origin="self_made", outcome="repair")
    dept = Department.objects.create(code="PDX", name="生产部X", kind=Department.Kind.PRODUCTION)
    with pytest.raises(PermissionRefused):
        services.action_create(
            by=users["clerk"],
            appraisal=a,
            problem="p",
            root_cause="r",
            action="a",
            owner_department=dept,
            due_date=timezone.localdate(),
        )
    with pytest.raises(RuleViolation):
        services.action_create(
            by=users["qc"],
            problem="p",
            root_cause="r",
            action="a",
            owner_department=dept,
            due_date=timezone.localdate(),
        )
    ca = services.action_create(
        by=users["qc"],
        appraisal=a,
        problem="炉壳开裂",
        root_cause="焊接参数",
        action="修订焊接工艺",
        owner_department=dept,
        due_date=timezone.localdate() + timedelta(days=14),
    )
    assert ca.number.startswith("CA-") and not ca.is_overdue
    with mock.patch("django.utils.timezone.localdate", return_value=ca.due_date + timedelta(days=1)):
        assert ca.is_overdue
    with pytest.raises(TransitionRefused):
        services.action_verify(pk=ca.pk, by=users["qc"], effective=True, verification="x")
    with pytest.raises(PermissionRefused):
        services.action_implement(pk=ca.pk, by=users["sales"], implementation="x")
    services.action_implement(pk=ca.pk, by=users["production"], implementation="已修订工艺卡")
    with pytest.raises(PermissionRefused):
        services.action_verify(pk=ca.pk, by=users["production"], effective=True, verification="x")
    ca = services.action_verify(pk=ca.pk, by=users["qc"], effective=False, verification="仍有开裂")
    assert ca.status == CorrectiveAction.Status.OPEN and ca.verified_by is None
    services.action_implement(pk=ca.pk, by=users["production"], implementation="更换焊材")
    ca = services.action_verify(pk=ca.pk, by=users["qc"], effective=True, verification="连续三批无开裂")
    assert ca.status == CorrectiveAction.Status.CLOSED and ca.verified_by == users["qc"]


def test_unit_of_other_customer_refused(users, kit):
    other = UnitFactory()
    with pytest.raises(RuleViolation):
        services.sheet_create(by=users["clerk"], customer=kit["unit"].customer, unit=other, description="x")


def test_signed_appraisal_is_archived_after_commit(users, kit, django_capture_on_commit_callbacks):
    from aftersales.pdf import archives_of

    part = quarantined_part(users, kit["unit"], kit["shell"])
    with django_capture_on_commit_callbacks(execute=True):
        a = appraise(users, part, origin="self_made", outcome="repair")
    doc = archives_of(a).get()
    assert doc.kind == "appraisal" and len(doc.sha256) == 64 and a.number in doc.title


def test_appraisal_at_customer_needs_recorded_handover(users, kit):
    part = quarantined_part(users, kit["unit"], kit["shell"])
    args = dict(
        by=users["qc"],
        place="customer",
        own_defect=True,
        origin="self_made",
        cause="c",
        outcome="repair",
        signature=signature_png(),
    )
    with pytest.raises(RuleViolation):
        services.appraisal_appraise(pk=part.appraisal.pk, **args)
    services.part_handover(
        pk=part.pk, by=users["clerk"], given_by="库房刘敏", received_by=users["qc"], to_location="客户现场"
    )
    assert services.appraisal_appraise(pk=part.appraisal.pk, **args).place == "customer"


def test_service_desk_repeat_repairs_are_read_when_available(users, kit, monkeypatch):
    from django.utils.timezone import now

    from aftersales import registry

    def desk(unit):
        shell = kit["shell"].pk
        return [
            registry.CountedRepair(key=f"c:{i}", component_id=shell, defect_code_id=1, when=now()) for i in range(3)
        ]

    monkeypatch.setattr(registry, "_repair_counters", [desk])
    part = quarantined_part(users, kit["unit"], kit["shell"])
    with pytest.raises(RuleViolation):
        appraise(users, part, origin="self_made", outcome="repair")
    assert appraise(users, part, origin="self_made", outcome="replace").outcome == "replace"


def test_remaining_transitions_refuse_other_roles(users, kit):
    claim = services.customer_claim_create(
        by=users["sales"], customer=kit["unit"].customer, reason="x", amount_claimed=5
    )
    with pytest.raises(PermissionRefused):
        services.customer_claim_reject(pk=claim.pk, by=users["warehouse"], note="n")
    services.customer_claim_agree(pk=claim.pk, by=users["sales"], amount=5)
    services.customer_claim_approve(pk=claim.pk, by=users["leader"])
    with pytest.raises(PermissionRefused):
        services.customer_claim_pay(pk=claim.pk, by=users["clerk"], amount=5)
    dept = Department.objects.create(code="PR9", name="生产九班", kind=Department.Kind.PRODUCTION)
    i = services.incident_create(by=users["sales"], customer=kit["unit"].customer, description="x")
    services.incident_trace(pk=i.pk, by=users["qc"], first_cause="a", consequence="b")
    services.incident_assign(pk=i.pk, by=users["leader"], department=dept)
    with pytest.raises(PermissionRefused):
        services.incident_dispatch(pk=i.pk, by=users["clerk"], people="p")
    services.incident_dispatch(pk=i.pk, by=users["deptmgr"], people="p")
    services.incident_feedback_sign(pk=i.pk, by=users["qc"], handling="h", signer_name="s", signature=signature_png())
    services.incident_cost_add(pk=i.pk, by=users["production"], kind="travel", amount=10)
    with pytest.raises(PermissionRefused):
        services.incident_submit_costs(pk=i.pk, by=users["qc"])
    with pytest.raises(PermissionRefused):
        services.incident_create(by=users["warehouse"], customer=kit["unit"].customer, description="x")
