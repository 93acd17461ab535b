"""质量奖罚 (IATF procedure 4.2.5): after an incident's responsibility is traced, QC proposes a reward
or penalty per department or person; the company leadership approves it; the quality report lists it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.models import Department
from aftersales.reports import selectors as report_selectors
from aftersales.reports import tables
from aftersales.workflow import PermissionRefused, RuleViolation, TransitionRefused
from tests.warranty.factories import accepted_unit
from tests.warranty.test_services import _incident_to_feedback
from warranty import services
from warranty.models import QualitySanction

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(users):
    return {"unit": accepted_unit()[0]}


def step(incident, name):
    return reverse("warranty:incident-step", kwargs={"pk": incident.pk, "step": name})


def test_qc_proposes_leadership_approves_the_report_lists_it(users, kit, client_for):
    incident = _incident_to_feedback(users, kit["unit"])
    dept = incident.responsible_department
    qc, leader = client_for("qc"), client_for("leader")
    assert step(incident, "sanction") in qc.get(incident.get_absolute_url()).content.decode()
    form = {
        "sanction-kind": "penalty",
        "sanction-department": dept.pk,
        "sanction-amount": "500",
        "sanction-reason": "焊缝缺陷",
    }
    assert qc.post(step(incident, "sanction"), form).status_code == 302
    person = {
        "sanction-kind": "reward",
        "sanction-person": "李工",
        "sanction-amount": "200",
        "sanction-reason": "连夜抢修",
    }
    assert qc.post(step(incident, "sanction"), person).status_code == 302
    assert (
        client_for("clerk")
        .post(step(incident, "decide_sanctions"), {"decide_sanctions-decision": "approve"})
        .status_code
        == 403
    )
    assert incident.number in leader.get(reverse("aftersales:todo")).content.decode()
    decision = {"decide_sanctions-decision": "approve", "decide_sanctions-comment": "同意"}
    assert leader.post(step(incident, "decide_sanctions"), decision).status_code == 302
    assert set(QualitySanction.objects.values_list("decision", flat=True)) == {"approved"}
    today = timezone.localdate()
    data = report_selectors.warranty(report_selectors.ReportFilter(date_from=today - timedelta(days=1), date_to=today))
    assert {(r["kind"], r["amount"]) for r in data["sanctions"]} == {
        ("penalty", Decimal("500")),
        ("reward", Decimal("200")),
    }
    listed = next(t for t in tables.warranty(data)[0] if t.rows and t.rows[0][0] == incident.number)
    assert len(listed.rows) == 2


def test_not_before_the_responsibility_is_traced_and_not_without_a_name(users, kit):
    i = services.incident_create(
        by=users["technician"], customer=kit["unit"].customer, unit=kit["unit"], description="漏气"
    )
    with pytest.raises(TransitionRefused):
        services.sanction_propose(pk=i.pk, by=users["qc"], kind="penalty", amount=100, reason="x", person="李工")
    incident = _incident_to_feedback(users, kit["unit"])
    with pytest.raises(PermissionRefused):
        services.sanction_propose(
            pk=incident.pk, by=users["sales"], kind="penalty", amount=100, reason="x", person="李"
        )
    with pytest.raises(RuleViolation):
        services.sanction_propose(pk=incident.pk, by=users["qc"], kind="penalty", amount=100, reason="x")


def test_a_rejection_needs_its_reason_and_is_decided_once(users, kit):
    incident = _incident_to_feedback(users, kit["unit"])
    dept = Department.objects.get(code="PD1")
    services.sanction_propose(
        pk=incident.pk, by=users["qc"], kind="penalty", amount=300, reason="返工", department=dept
    )
    with pytest.raises(RuleViolation):
        services.sanctions_decide(pk=incident.pk, by=users["leader"], decision="reject")
    [sanction] = services.sanctions_decide(pk=incident.pk, by=users["leader"], decision="reject", comment="责任未查清")
    assert sanction.decision == "rejected" and sanction.history.first().history_user == users["leader"]
    with pytest.raises(TransitionRefused):
        services.sanctions_decide(pk=incident.pk, by=users["leader"], decision="approve")
