"""产品质量保证承诺 四: the same defect of a unit repaired three times within warranty → a new unit.

Every repair counts, whoever diagnosed it (the technical department on the phone, QC at the
factory), each repair once; the fourth goes to replacement unless the after-sales manager
allows another repair with a reason, which the unit history and the warranty report show.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.registry import counted_repairs, repairs_counted, unit_history
from aftersales.reports.selectors import ReportFilter
from aftersales.reports.selectors import warranty as warranty_report
from aftersales.reports.tables import warranty as warranty_tables
from aftersales.servicedesk import selectors as desk_selectors
from aftersales.servicedesk import services as desk
from aftersales.servicedesk.models import RepeatRepairOverride, ServiceCase
from aftersales.workflow import PermissionRefused, RuleViolation
from tests.repairs.factories import closed_factory_repair, repair_unit
from tests.servicedesk.factories import DefectCodeFactory
from warranty.repairs.models import FactoryRepair

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit():
    unit, heat, _shell = repair_unit()
    return {"unit": unit, "heat": heat, "ctrl": DefectCodeFactory(code="CTRL-01", name="温控失灵", component=heat)}


def diagnosed_case(users, unit, component, defect) -> ServiceCase:
    case = desk.case_record(by=users["clerk"], customer=unit.customer, unit=unit, fault_description="温控仪表失灵")
    desk.case_hand_to_techdept(pk=case.pk, by=users["clerk"])
    desk.case_diagnose(pk=case.pk, by=users["techdept"], text="温控", component=component, defect_code=defect)
    return ServiceCase.objects.get(pk=case.pk)


def test_it_counts_closed_factory_repairs_by_qc_defect_and_flags_the_fourth_call(users, kit):
    unit, heat, ctrl = kit["unit"], kit["heat"], kit["ctrl"]
    for _i in range(2):
        closed_factory_repair(users, unit, heat, ctrl)
    assert repairs_counted(unit, heat, ctrl) == 2
    third_call = diagnosed_case(users, unit, heat, ctrl)
    assert third_call.replace_recommended is False
    closed_factory_repair(users, unit, heat, ctrl)
    fourth = diagnosed_case(users, unit, heat, ctrl)
    assert fourth.replace_recommended is True
    assert desk_selectors.prior_repairs_count(fourth) == 3
    assert [w["repairs"] for w in desk_selectors.repeat_repair_warnings(unit)] == [3]


def test_it_counts_a_case_resolved_by_its_factory_repair_once_with_qcs_defect(users, kit):
    unit, heat, ctrl = kit["unit"], kit["heat"], kit["ctrl"]
    phone_guess = DefectCodeFactory(code="PWR-02", component=heat)
    case = diagnosed_case(users, unit, heat, phone_guess)
    desk.case_decide(pk=case.pk, by=users["techdept"], decision="factory")
    closed_factory_repair(users, unit, heat, ctrl, order=FactoryRepair.objects.get(case=case))
    assert ServiceCase.objects.get(pk=case.pk).resolved_at is not None
    # One repair: the case and its repair order share a key; QC's findings are the diagnosis counted.
    assert len(counted_repairs(unit)) == 1
    assert repairs_counted(unit, heat, ctrl) == 1
    assert repairs_counted(unit, heat, phone_guess) == 0


def test_it_counts_phone_and_factory_repairs_together(users, kit):
    unit, heat, ctrl = kit["unit"], kit["heat"], kit["ctrl"]
    remote = diagnosed_case(users, unit, heat, ctrl)
    desk.case_decide(pk=remote.pk, by=users["techdept"], decision="remote")
    desk.case_resolve(pk=remote.pk, by=users["techdept"], text="电话指导复位")
    for _i in range(2):
        closed_factory_repair(users, unit, heat, ctrl)
    assert diagnosed_case(users, unit, heat, ctrl).replace_recommended is True


def flagged_case(users, kit) -> ServiceCase:
    for _i in range(3):
        closed_factory_repair(users, kit["unit"], kit["heat"], kit["ctrl"])
    case = diagnosed_case(users, kit["unit"], kit["heat"], kit["ctrl"])
    assert case.replace_recommended
    return case


@pytest.mark.parametrize("decision", ["onsite", "factory", "remote"])
def test_it_refuses_a_fourth_repair_without_the_managers_override(users, kit, decision):
    case = flagged_case(users, kit)
    with pytest.raises(RuleViolation) as exc:
        desk.case_decide(pk=case.pk, by=users["techdept"], decision=decision)
    assert "3" in exc.value.message
    assert ServiceCase.objects.get(pk=case.pk).status == ServiceCase.Status.TECHDEPT


def test_it_lets_the_manager_allow_another_repair_with_a_reason(users, kit):
    case = flagged_case(users, kit)
    with pytest.raises(PermissionRefused):
        desk.case_override_repeat_repair(pk=case.pk, by=users["techdept"], reason="客户要求")
    with pytest.raises(RuleViolation):
        desk.case_override_repeat_repair(pk=case.pk, by=users["as_manager"], reason="  ")
    override = desk.case_override_repeat_repair(
        pk=case.pk, by=users["as_manager"], reason="新机型缺货，客户同意再修一次", expected_state="techdept"
    )
    assert (override.created_by, override.repairs, override.defect_code) == (users["as_manager"], 3, kit["ctrl"])
    assert "新机型缺货" in override.history.first().history_change_reason
    with pytest.raises(RuleViolation):
        desk.case_override_repeat_repair(pk=case.pk, by=users["as_manager"], reason="again")
    desk.case_decide(pk=case.pk, by=users["techdept"], decision="onsite")
    assert ServiceCase.objects.get(pk=case.pk).decision == "onsite"

    history = unit_history(kit["unit"])
    [entry] = [e for e in history if e.kind == str(RepeatRepairOverride._meta.verbose_name)]
    assert entry.label == case.number and "新机型缺货" in entry.note and "CTRL-01" in entry.note

    today = timezone.localdate()
    report = warranty_report(ReportFilter(date_from=today - timedelta(days=1), date_to=today))
    assert report["repeat_overrides"] == 1
    assert report["repeat_override_rows"][0]["case__number"] == case.number
    tables, _charts = warranty_tables(report)
    [by_case] = [t for t in tables if t.rows and t.rows[0][0] == case.number]
    assert by_case.rows[0][3:6] == ["CTRL-01", 3, "新机型缺货，客户同意再修一次"]


def test_replacement_is_allowed_without_an_override(users, kit):
    case = flagged_case(users, kit)
    desk.case_decide(pk=case.pk, by=users["techdept"], decision="replace")
    assert ServiceCase.objects.get(pk=case.pk).decision == "replace"
    assert not RepeatRepairOverride.objects.exists()


def test_the_case_page_shows_the_flag_and_the_override(users, kit, client_for):
    case = flagged_case(users, kit)
    manager = client_for("as_manager")
    page = manager.get(case.get_absolute_url()).content.decode()
    assert 'id="replace-flag"' in page and 'id="action-override-repeat"' in page
    assert 'id="action-override-repeat"' not in client_for("techdept").get(case.get_absolute_url()).content.decode()
    url = reverse("servicedesk:case-step", kwargs={"pk": case.pk, "step": "override-repeat"})
    response = manager.post(url, {"override-repeat-reason": "客户同意", "expected_state": "techdept"})
    assert response.status_code == 302
    page = manager.get(case.get_absolute_url()).content.decode()
    assert 'id="repeat-override"' in page and "客户同意" in page
