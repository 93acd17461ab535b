from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from aftersales import events
from aftersales.models import Unit
from aftersales.people import display_name
from aftersales.servicedesk.models import ServiceCase
from aftersales.workflow import PermissionRefused, RuleViolation, StaleRecord, TransitionRefused, is_system_actor
from fieldservice.models import ServiceJob
from shipping.models import Shipment
from tests.aftersales.factories import ProductModelFactory, UnitFactory
from tests.repairs.factories import decided_case, deliver, order_in, repair_unit
from warranty.repairs import handlers, selectors, services
from warranty.repairs.models import (
    Approval,
    FactoryRepair,
    ProductReturn,
    RepairBillingPolicy,
    RepairPart,
    Replacement,
)

pytestmark = pytest.mark.django_db
S = FactoryRepair.Status


# --- factory repair: every transition, allowed and refused roles -------------------------------


def test_case_decided_factory_opens_a_linked_order(users):
    unit, _heat, _shell = repair_unit()
    case = decided_case(users, "factory", unit)
    order = FactoryRepair.objects.get(case=case)
    assert order.unit == unit and order.status == S.AWAITING and order.number.startswith("FX")
    from aftersales.links import linked_of_type

    assert linked_of_type(case, FactoryRepair, kind="factory_repair") == [order]


@pytest.mark.parametrize(
    ("decision", "model", "kind"),
    [
        ("factory", FactoryRepair, "factory_repair"),
        ("replace", Replacement, "replacement"),
        ("return", ProductReturn, "product_return"),
    ],
)
def test_case_decided_opens_the_record_as_the_system_for_the_decider(users, decision, model, kind):
    from aftersales.links import linked_of_type
    from aftersales.workflow import is_system_actor

    unit, _heat, _shell = repair_unit()
    # The technical department decides but may not open repair records itself: the system opens it.
    assert not users["techdept"].has_perm(f"repairs.add_{model._meta.model_name}")
    case = decided_case(users, decision, unit)
    record = model.objects.get(case=case)
    assert is_system_actor(record.created_by) and is_system_actor(record.updated_by)
    opened = record.history.earliest()
    assert is_system_actor(opened.history_user)
    # The history says who decided, on which case (the reason is in the user's language).
    assert "techdept" in opened.history_change_reason and case.number in opened.history_change_reason
    assert linked_of_type(case, model, kind=kind) == [record]


def test_case_decided_other_decisions_and_no_unit_open_nothing(users):
    unit, _h, _s = repair_unit()
    assert (
        handlers.on_case_decided(
            events.CaseDecided(case=decided_case(users, "remote", unit), decision="remote", by=users["techdept"])
        )
        is None
    )
    stand_in = type("Case", (), {"unit": None, "fault_description": "x"})()
    assert handlers.on_case_decided(events.CaseDecided(case=stand_in, decision="factory", by=users["techdept"])) is None


@pytest.mark.parametrize(
    ("state", "call", "allowed", "refused"),
    [
        (
            "awaiting",
            lambda pk, by: services.factory_repair_record_inbound(pk=pk, by=by, carrier="顺丰", waybill="1"),
            "logistics",
            "qc",
        ),
        (
            "inbound",
            lambda pk, by: services.factory_repair_receive(pk=pk, by=by, condition="完好"),
            "warehouse",
            "clerk",
        ),
        (
            "tested",
            lambda pk, by: services.factory_repair_ship_back(pk=pk, by=by, contact_name="王", contact_phone="1"),
            "clerk",
            "qc",
        ),
        ("repaired", lambda pk, by: services.factory_repair_pass_test(pk=pk, by=by, notes="正常"), "qc", "warehouse"),
        ("awaiting", lambda pk, by: services.factory_repair_cancel(pk=pk, by=by, reason="客户撤回"), "clerk", "qc"),
    ],
)
def test_transitions_allowed_and_refused(users, state, call, allowed, refused):
    order = order_in(state, users)
    with pytest.raises(PermissionRefused):
        call(order.pk, users[refused])
    assert FactoryRepair.objects.get(pk=order.pk).status == state
    call(order.pk, users[allowed])
    assert FactoryRepair.objects.get(pk=order.pk).status != state


def test_diagnose_by_qc_only_and_in_warranty_covered_is_free(users):
    unit, heat, _shell = repair_unit()
    order = order_in("received", users, unit=unit, component=heat)
    kwargs = dict(findings="断路", component=heat, defect_code=None, covered=True)
    with pytest.raises(PermissionRefused):
        services.factory_repair_diagnose(pk=order.pk, by=users["warehouse"], **kwargs)
    order = services.factory_repair_diagnose(pk=order.pk, by=users["qc"], **kwargs)
    assert order.status == S.DIAGNOSED and order.is_paid is False
    finding = order.findings_set.get()
    assert finding.in_warranty and finding.covered
    # Free repair: no fee step for finance.
    with pytest.raises(RuleViolation):
        services.factory_repair_quote_fee(pk=order.pk, by=users["finance"], amount=Decimal("10"))


def test_out_of_warranty_component_is_paid(users):
    unit = UnitFactory(acceptance_date=timezone.localdate() - timedelta(days=800))
    heat = unit.product_model.components.create(code="HEAT", name="加热元件", warranty_months=12, unit_cost=300)
    order = order_in("diagnosed", users, unit=unit, component=heat)
    assert order.is_paid and not order.findings_set.get().in_warranty


def test_fee_acceptance_gate_for_paid_repairs(users):
    order = order_in("diagnosed", users, covered=False)
    assert order.is_paid
    with pytest.raises(RuleViolation):
        services.factory_repair_repair(pk=order.pk, by=users["qc"], work_done="换", hours=Decimal("1"))
    with pytest.raises(RuleViolation):  # no parts before the customer agreed either
        services.repair_part_add(repair=order, by=users["qc"], component=order.unit.product_model.components.first())
    with pytest.raises(PermissionRefused):
        services.factory_repair_quote_fee(pk=order.pk, by=users["clerk"], amount=Decimal("500"))
    services.factory_repair_quote_fee(pk=order.pk, by=users["finance"], amount=Decimal("500"))
    with pytest.raises(TransitionRefused):
        services.factory_repair_repair(pk=order.pk, by=users["qc"], work_done="换", hours=Decimal("1"))
    with pytest.raises(PermissionRefused):
        services.factory_repair_accept_fee(pk=order.pk, by=users["qc"], accepted_by="王", how="phone")
    order = services.factory_repair_accept_fee(pk=order.pk, by=users["clerk"], accepted_by="王经理", how="written")
    assert order.fee_accepted_by == "王经理" and order.fee_accepted_at and order.fee_acceptance_method == "written"
    order = services.factory_repair_repair(pk=order.pk, by=users["qc"], work_done="更换加热元件", hours=Decimal("2"))
    assert order.status == S.REPAIRED and order.technician == users["qc"]


def test_stale_page_is_refused(users):
    order = order_in("inbound", users)
    with pytest.raises(StaleRecord):
        services.factory_repair_receive(pk=order.pk, by=users["warehouse"], condition="完好", expected_state="awaiting")


def test_ship_back_goes_through_shipping_and_receipt_closes_order_and_resolves_case(users):
    unit, heat, _shell = repair_unit()
    case = decided_case(users, "factory", unit)
    order = FactoryRepair.objects.get(case=case)
    services.factory_repair_record_inbound(pk=order.pk, by=users["clerk"], carrier="顺丰", waybill="SF9")
    services.factory_repair_receive(pk=order.pk, by=users["warehouse"], condition="完好")
    services.factory_repair_diagnose(
        pk=order.pk, by=users["qc"], findings="断路", component=heat, defect_code=None, covered=True
    )
    services.repair_part_add(repair=order, by=users["warehouse"], component=heat, part_serial="H-778")
    services.factory_repair_repair(pk=order.pk, by=users["qc"], work_done="更换加热元件", hours=Decimal("1.5"))
    services.factory_repair_pass_test(pk=order.pk, by=users["qc"], notes="正常")
    order = services.factory_repair_ship_back(
        pk=order.pk, by=users["clerk"], contact_name="王经理", contact_phone="138"
    )
    shipment = order.return_shipment
    assert order.status == S.SHIPPED
    assert shipment.kind == Shipment.Kind.REPAIR_RETURN and shipment.payment is None
    assert list(shipment.units) == [unit]
    deliver(shipment, users)
    order.refresh_from_db()
    case.refresh_from_db()
    assert order.status == S.CLOSED and order.closed_at
    assert case.status == ServiceCase.Status.RESOLVED and order.number in case.resolution
    # A repaired unit going back opens no installation job.
    assert not ServiceJob.objects.filter(kind=ServiceJob.Kind.INSTALLATION).exists()


def test_one_open_order_per_unit_and_unit_must_be_at_a_customer(users):
    order = order_in("awaiting", users)
    with pytest.raises(RuleViolation):
        services.factory_repair_create(by=users["clerk"], unit=order.unit, fault_description="again")
    stock = UnitFactory(customer=None, site=None)
    with pytest.raises(RuleViolation):
        services.factory_repair_create(by=users["clerk"], unit=stock, fault_description="x")
    with pytest.raises(PermissionRefused):
        services.factory_repair_create(by=users["qc"], unit=UnitFactory(), fault_description="x")


# --- parts and costs -------------------------------------------------------------------------


def test_parts_roll_up_to_repair_and_case(users):
    unit, heat, shell = repair_unit()
    case = decided_case(users, "factory", unit)
    order = FactoryRepair.objects.get(case=case)
    services.factory_repair_receive(pk=order.pk, by=users["warehouse"], condition="完好")
    services.factory_repair_diagnose(
        pk=order.pk, by=users["qc"], findings="断路", component=heat, defect_code=None, covered=True
    )
    services.repair_part_add(repair=order, by=users["warehouse"], component=heat, quantity=2)
    services.repair_part_add(repair=order, by=users["qc"], component=shell, unit_cost=Decimal("150.50"))
    part = RepairPart.objects.filter(component=heat).get()
    assert part.unit_cost == Decimal("300") and part.unit == unit and part.drawn_by == users["warehouse"]
    assert selectors.parts_cost(order) == Decimal("750.50")
    assert selectors.case_repair_costs(case) == Decimal("750.50")
    assert selectors.bill_for(order).total == 0  # covered and in warranty: free


def test_parts_on_an_onsite_job_roll_up_to_its_case(users):
    unit, heat, _shell = repair_unit()
    case = decided_case(users, "onsite", unit)
    job = ServiceJob.objects.get()
    services.repair_part_add(repair=job, by=users["technician"], component=heat, part_serial="H-1")
    assert selectors.parts_cost(job) == Decimal("300")
    assert selectors.case_repair_costs(case) == Decimal("300")
    assert RepairPart.objects.get().unit == unit


def test_part_rules(users):
    unit, heat, _shell = repair_unit()
    order = order_in("diagnosed", users, unit=unit, component=heat)
    other = ProductModelFactory().components.create(code="X", name="x", warranty_months=1)
    with pytest.raises(RuleViolation):
        services.repair_part_add(repair=order, by=users["qc"], component=other)
    with pytest.raises(RuleViolation):
        services.repair_part_add(repair=order, by=users["qc"], component=heat, quantity=2, part_serial="S1")
    with pytest.raises(PermissionRefused):
        services.repair_part_add(repair=order, by=users["finance"], component=heat)


@pytest.mark.parametrize(("no_labour", "expected"), [(True, Decimal("300")), (False, Decimal("500"))])
def test_out_of_warranty_bill_follows_policy(users, no_labour, expected):
    unit, heat, _shell = repair_unit()
    RepairBillingPolicy.objects.create(customer=unit.customer, parts_at_cost_no_labour=no_labour, labour_rate=100)
    order = order_in("accepted", users, unit=unit, component=heat, covered=False)
    services.repair_part_add(repair=order, by=users["qc"], component=heat)
    services.factory_repair_repair(pk=order.pk, by=users["qc"], work_done="换", hours=Decimal("2"))
    order.refresh_from_db()
    bill = selectors.bill_for(order)
    assert bill.parts == Decimal("300") and bill.total == expected


def test_fee_defaults_to_the_bill(users):
    unit, heat, _shell = repair_unit()
    order = order_in("diagnosed", users, unit=unit, component=heat, covered=False)
    order = services.factory_repair_quote_fee(pk=order.pk, by=users["finance"])
    assert order.fee_amount == Decimal("0")  # no parts yet: the seed charges no labour


# --- replacement -------------------------------------------------------------------------------


def _replacement(users, unit):
    case = decided_case(users, "replace", unit)
    return case, Replacement.objects.get(case=case)


def test_replacement_swaps_serials_and_new_unit_inherits_warranty(users):
    unit, heat, shell = repair_unit()
    case, rec = _replacement(users, unit)
    new = UnitFactory(product_model=unit.product_model, customer=None, site=None, acceptance_date=None)
    with pytest.raises(PermissionRefused):
        services.replacement_assign(pk=rec.pk, by=users["clerk"], new_unit=new)
    services.replacement_assign(pk=rec.pk, by=users["warehouse"], new_unit=new)
    with pytest.raises(PermissionRefused):
        services.replacement_ship(pk=rec.pk, by=users["warehouse"], contact_name="王", contact_phone="1")
    services.replacement_approve(pk=rec.pk, by=users["gm"])
    rec = services.replacement_ship(pk=rec.pk, by=users["clerk"], contact_name="王", contact_phone="1")
    new.refresh_from_db()
    assert rec.shipment.kind == Shipment.Kind.REPLACEMENT and list(rec.shipment.units) == [new]
    assert new.customer == unit.customer and new.site == unit.site
    old_windows = {w.component.pk: (w.starts, w.ends) for w in unit.component_warranties()}
    new_windows = {w.component.pk: (w.starts, w.ends) for w in new.component_warranties()}
    assert new_windows == old_windows
    # In 7 months the heater (12 months from the old acceptance) is out, also on the new unit.
    later = timezone.localdate() + timedelta(days=210)
    assert not new.is_in_warranty(heat, on=later) and new.is_in_warranty(shell, on=later)
    # The shipment is only a request: the case waits for the customer to have the new unit.
    case.refresh_from_db()
    assert rec.status == Replacement.Status.SHIPPED and case.status != ServiceCase.Status.RESOLVED
    with pytest.raises(TransitionRefused):
        services.replacement_receive_old(pk=rec.pk, by=users["warehouse"], condition="x", disposition="quarantine")
    deliver(rec.shipment, users)
    rec.refresh_from_db()
    case.refresh_from_db()
    assert rec.status == Replacement.Status.DELIVERED and case.status == ServiceCase.Status.RESOLVED
    with pytest.raises(PermissionRefused):
        services.replacement_receive_old(pk=rec.pk, by=users["clerk"], condition="x", disposition="quarantine")
    rec = services.replacement_receive_old(
        pk=rec.pk, by=users["warehouse"], condition="加热元件烧毁", disposition="quarantine"
    )
    unit.refresh_from_db()
    case.refresh_from_db()
    assert rec.old_unit == unit and rec.new_unit == new and rec.status == Replacement.Status.CLOSED
    assert unit.customer is None and case.status == ServiceCase.Status.RESOLVED


def test_replacement_fresh_warranty_policy(users):
    unit, heat, _shell = repair_unit()
    RepairBillingPolicy.objects.create(customer=unit.customer, fresh_warranty_on_replacement=True)
    _case, rec = _replacement(users, unit)
    assert rec.fresh_warranty
    new = UnitFactory(product_model=unit.product_model, customer=None, site=None, acceptance_date=None)
    services.replacement_assign(pk=rec.pk, by=users["warehouse"], new_unit=new)
    services.replacement_approve(pk=rec.pk, by=users["gm"])
    services.replacement_ship(pk=rec.pk, by=users["clerk"], contact_name="王", contact_phone="1")
    new.refresh_from_db()
    assert new.acceptance_date == timezone.localdate() and not new.warranty_overrides.exists()
    assert new.is_in_warranty(heat, on=timezone.localdate() + timedelta(days=210))


def test_replacement_needs_same_model_in_stock(users):
    unit, _h, _s = repair_unit()
    _case, rec = _replacement(users, unit)
    with pytest.raises(RuleViolation):
        services.replacement_assign(pk=rec.pk, by=users["warehouse"], new_unit=UnitFactory(customer=None, site=None))
    with pytest.raises(RuleViolation):
        services.replacement_assign(
            pk=rec.pk, by=users["warehouse"], new_unit=UnitFactory(product_model=unit.product_model)
        )


# --- return -----------------------------------------------------------------------------------


def test_return_refund_and_unit_leaves_installed_base(users):
    unit, _h, _s = repair_unit()
    case = decided_case(users, "return", unit)
    ret = ProductReturn.objects.get(case=case)
    with pytest.raises(PermissionRefused):
        services.product_return_receive(pk=ret.pk, by=users["qc"])
    services.product_return_approve(pk=ret.pk, by=users["gm"], comment="同意退货")
    services.product_return_receive(pk=ret.pk, by=users["warehouse"])
    with pytest.raises(PermissionRefused):
        services.product_return_check(pk=ret.pk, by=users["warehouse"], condition="x")
    services.product_return_check(pk=ret.pk, by=users["qc"], condition="外观完好，配件齐全")
    refund = dict(amount=Decimal("38000"), refund_date=timezone.localdate(), reference="退款-2026-01")
    with pytest.raises(PermissionRefused):
        services.product_return_refund(pk=ret.pk, by=users["clerk"], **refund)
    with pytest.raises(RuleViolation):
        services.product_return_refund(pk=ret.pk, by=users["finance"], **{**refund, "amount": Decimal("0")})
    ret = services.product_return_refund(pk=ret.pk, by=users["finance"], **refund)
    unit = Unit.objects.get(pk=unit.pk)
    case.refresh_from_db()
    assert ret.status == ProductReturn.Status.REFUNDED and ret.refund_amount == Decimal("38000")
    assert unit.customer is None and unit.site is None
    assert unit.history.filter(customer_id=ret.customer_id).exists()  # history kept
    assert case.status == ServiceCase.Status.RESOLVED


# --- the general manager's approval (售后服务管理 4.1.3.2) ------------------------------------------


def test_replacement_ships_only_after_the_general_manager_approves(users):
    unit, _h, _s = repair_unit()
    _case, rec = _replacement(users, unit)
    assert rec.approval == Approval.PENDING
    new = UnitFactory(product_model=unit.product_model, customer=None, site=None)
    # The warehouse may reserve the new unit meanwhile; nothing leaves before the approval.
    services.replacement_assign(pk=rec.pk, by=users["warehouse"], new_unit=new)
    with pytest.raises(TransitionRefused, match="总经理尚未批准|general manager has not approved"):
        services.replacement_ship(pk=rec.pk, by=users["clerk"], contact_name="王", contact_phone="1")
    assert not Shipment.objects.exists()
    for who in ("clerk", "as_manager", "warehouse", "leader"):
        with pytest.raises(PermissionRefused):
            services.replacement_approve(pk=rec.pk, by=users[who])
    with pytest.raises(StaleRecord):
        services.replacement_approve(pk=rec.pk, by=users["gm"], expected_state="requested")
    rec = services.replacement_approve(pk=rec.pk, by=users["gm"], comment="同意换货", expected_state="assigned")
    assert (rec.approval, rec.approval_by, rec.approval_comment) == (Approval.APPROVED, users["gm"], "同意换货")
    assert rec.approval_at and rec.status == Replacement.Status.ASSIGNED
    assert rec.history.latest().history_user == users["gm"]
    # Decided once.
    with pytest.raises(TransitionRefused):
        services.replacement_reject(pk=rec.pk, by=users["gm"], comment="改主意")
    rec = services.replacement_ship(pk=rec.pk, by=users["clerk"], contact_name="王", contact_phone="1")
    assert rec.status == Replacement.Status.SHIPPED


def test_a_rejected_replacement_ends_with_the_reason_and_the_case_is_left_to_decide_again(users):
    unit, _h, _s = repair_unit()
    case, rec = _replacement(users, unit)
    with pytest.raises(RuleViolation):
        services.replacement_reject(pk=rec.pk, by=users["gm"], comment=" ")
    rec = services.replacement_reject(pk=rec.pk, by=users["gm"], comment="现场可修复，不予换货")
    assert (rec.approval, rec.status) == (Approval.REJECTED, Replacement.Status.REJECTED)
    assert rec.approval_comment == "现场可修复，不予换货" and rec.approval_by == users["gm"]
    closed = rec.history.latest()
    assert is_system_actor(closed.history_user) and display_name(users["gm"]) in closed.history_change_reason
    new = UnitFactory(product_model=unit.product_model, customer=None, site=None)
    with pytest.raises(TransitionRefused):
        services.replacement_assign(pk=rec.pk, by=users["warehouse"], new_unit=new)
    with pytest.raises(TransitionRefused):
        services.replacement_approve(pk=rec.pk, by=users["gm"])
    case.refresh_from_db()
    assert case.status != ServiceCase.Status.RESOLVED


def test_product_return_comes_back_and_is_refunded_only_after_approval(users):
    unit, _h, _s = repair_unit()
    case = decided_case(users, "return", unit)
    ret = ProductReturn.objects.get(case=case)
    with pytest.raises(TransitionRefused, match="总经理尚未批准|general manager has not approved"):
        services.product_return_receive(pk=ret.pk, by=users["warehouse"])
    with pytest.raises(PermissionRefused):
        services.product_return_approve(pk=ret.pk, by=users["finance"])
    ret = services.product_return_reject(pk=ret.pk, by=users["gm"], comment="非质量问题，不予退货")
    assert (ret.approval, ret.status) == (Approval.REJECTED, ProductReturn.Status.REJECTED)
    with pytest.raises(TransitionRefused):
        services.product_return_receive(pk=ret.pk, by=users["warehouse"])
    with pytest.raises(TransitionRefused):
        services.product_return_cancel(pk=ret.pk, by=users["clerk"])


def test_the_general_manager_sees_the_records_waiting_for_approval(users):
    from warranty.repairs.todo import sections

    unit, _h, _s = repair_unit()
    _case, rec = _replacement(users, unit)
    ret = services.product_return_create(by=users["clerk"], unit=repair_unit()[0], reason="客户退货")
    cards = {str(s.title): [i.label for i in s.items] for s in sections(users["gm"])}
    assert any(rec.number in label for label in cards["待审批的产品更换"])
    assert any(ret.number in label for label in cards["待审批的产品退货"])
    assert not any("审批" in str(s.title) for s in sections(users["clerk"]))
    services.replacement_approve(pk=rec.pk, by=users["gm"])
    services.product_return_reject(pk=ret.pk, by=users["gm"], comment="不予退货")
    assert not any("审批" in str(s.title) for s in sections(users["gm"]))


# --- unit history ------------------------------------------------------------------------------


def test_unit_history_shows_repairs_parts_replacement_and_return_in_order(users):
    from aftersales.registry import unit_history

    unit, heat, _shell = repair_unit()
    order = order_in("diagnosed", users, unit=unit, component=heat)
    services.repair_part_add(repair=order, by=users["qc"], component=heat, part_serial="H-9")
    _case, rec = _replacement(users, unit)
    new = UnitFactory(product_model=unit.product_model, customer=None, site=None)
    services.replacement_assign(pk=rec.pk, by=users["warehouse"], new_unit=new)
    services.replacement_approve(pk=rec.pk, by=users["gm"])
    services.replacement_ship(pk=rec.pk, by=users["clerk"], contact_name="王", contact_phone="1")
    new = Unit.objects.get(pk=new.pk)
    services.product_return_create(by=users["clerk"], unit=new, reason="客户退货")
    entries = unit_history(unit)
    labels = [e.label for e in entries]
    assert order.number in labels and "HEAT" in labels and rec.number in labels
    swap = next(e for e in entries if e.label == rec.number)
    assert swap.note == f"{unit.serial_number} → {new.serial_number}"
    assert [e.when for e in entries] == sorted((e.when for e in entries), reverse=True)
    new_labels = [e.label for e in unit_history(new)]
    assert rec.number in new_labels and any(label.startswith("TK") for label in new_labels)


def test_a_cancelled_record_leaves_nothing_to_decide(users):
    unit, _h, _s = repair_unit()
    _case, rec = _replacement(users, unit)
    services.replacement_cancel(pk=rec.pk, by=users["clerk"])
    with pytest.raises(TransitionRefused, match="已关闭"):
        services.replacement_approve(pk=rec.pk, by=users["gm"])
