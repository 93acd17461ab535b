from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from aftersales import events
from aftersales.models import DocumentSequence, Unit
from aftersales.workflow import PermissionRefused, RuleViolation, StaleRecord, TransitionRefused
from shipping import services
from shipping.models import Payment, Shipment
from shipping.serials import SerialEntry, parse_serial_lines
from tests.aftersales.factories import CustomerFactory, ProductModelFactory, SiteFactory, UnitFactory
from tests.shipping.factories import PaymentFactory, make_shipment, stock_units

pytestmark = pytest.mark.django_db
S = Shipment.Status
ALL_ROLES = ["clerk", "as_manager", "sales", "gm", "finance", "warehouse", "logistics", "techdept", "technician"]
TODAY = timezone.localdate


@pytest.fixture
def no_subscribers(monkeypatch):
    """The other workflows are built in parallel: run with nobody listening."""
    monkeypatch.setattr(events, "_handlers", events.defaultdict(list))


@pytest.fixture
def published(monkeypatch):
    calls = []
    monkeypatch.setattr(events, "_handlers", events.defaultdict(list))

    def listen(event_type, result=None):
        def handler(event):
            calls.append(event)
            return result

        events.subscribe(event_type, handler)

    return calls, listen


# --- payments -----------------------------------------------------------------------


def test_finance_records_and_confirms_a_payment(users):
    payment = services.payment_record(
        customer=CustomerFactory(), amount=Decimal("5000"), received_on=TODAY(), by=users["finance"]
    )
    assert payment.status == Payment.Status.RECORDED
    payment = services.payment_confirm(pk=payment.pk, by=users["finance"])
    assert payment.status == Payment.Status.CONFIRMED
    assert payment.confirmed_by == users["finance"]
    assert payment.history.first().history_user == users["finance"]


@pytest.mark.parametrize("role", ["sales", "clerk", "warehouse", "logistics"])
def test_only_finance_records_payments(users, role):
    with pytest.raises(PermissionRefused):
        services.payment_record(customer=CustomerFactory(), amount=Decimal("1"), received_on=TODAY(), by=users[role])


@pytest.mark.parametrize("role", ["sales", "clerk", "as_manager"])
def test_only_finance_confirms_payments(users, role):
    payment = PaymentFactory(status=Payment.Status.RECORDED)
    with pytest.raises(PermissionRefused):
        services.payment_confirm(pk=payment.pk, by=users[role])


def test_payment_amount_must_be_positive(users):
    with pytest.raises(RuleViolation):
        services.payment_record(
            customer=CustomerFactory(), amount=Decimal("0"), received_on=TODAY(), by=users["finance"]
        )


# --- filing: the payment gate --------------------------------------------------------


def _file(users, payment, *, site=None, lines=None, by="sales"):
    return services.shipment_file(
        payment=payment,
        site=site or SiteFactory(customer=payment.customer),
        lines=lines if lines is not None else [services.RequestedLine(ProductModelFactory(), 1)],
        requested_ship_date=TODAY(),
        contact_name="黄建华",
        contact_phone="138",
        by=users[by],
    )


def test_sales_files_against_confirmed_payment(users):
    pm = ProductModelFactory()
    shipment = _file(users, PaymentFactory(), lines=[services.RequestedLine(pm, 1), services.RequestedLine(pm, 2)])
    assert shipment.status == S.REQUESTED
    assert shipment.number.startswith("FH-")
    # Two lines of the same model are merged into one.
    assert [(line.product_model, line.quantity) for line in shipment.lines.all()] == [(pm, 3)]


def test_no_request_before_finance_confirms_the_payment(users):
    with pytest.raises(RuleViolation, match="not been confirmed"):
        _file(users, PaymentFactory(status=Payment.Status.RECORDED))
    assert not Shipment.objects.exists()


def test_sales_files_only_for_their_customers(users):
    from tests.conftest import make_user

    other = make_user("sales2", "sales")
    payment = PaymentFactory(customer=CustomerFactory(sales_manager=other))
    with pytest.raises(PermissionRefused, match="another sales manager"):
        _file(users, payment)
    shipment = services.shipment_file(
        payment=payment,
        site=SiteFactory(customer=payment.customer),
        lines=[services.RequestedLine(ProductModelFactory(), 1)],
        requested_ship_date=TODAY(),
        contact_name="黄建华",
        contact_phone="138",
        by=other,
    )
    assert shipment.created_by == other


def test_site_must_belong_to_the_payments_customer(users):
    with pytest.raises(RuleViolation, match="another customer"):
        _file(users, PaymentFactory(), site=SiteFactory())


def test_request_needs_lines(users):
    with pytest.raises(RuleViolation):
        _file(users, PaymentFactory(), lines=[])


@pytest.mark.parametrize("role", ["finance", "clerk", "warehouse", "logistics", "as_manager"])
def test_only_sales_files_requests(users, role):
    with pytest.raises(PermissionRefused):
        _file(users, PaymentFactory(), by=role)


# --- each transition: allowed role, refused roles --------------------------------------


def _issue(pk, by):
    return services.shipment_issue_delivery_note(pk=pk, by=by)


def _receive(pk, by):
    return services.shipment_receive_copies(pk=pk, by=by)


def _dispatch(pk, by):
    shipment = Shipment.objects.get(pk=pk)
    entries = [
        SerialEntry(serial=u.serial_number)
        for line in shipment.lines.all()
        for u in stock_units(line.product_model, line.quantity, prefix=f"D{pk}{by.username}")
    ]
    return services.shipment_dispatch(pk=pk, by=by, entries=entries, ship_date=TODAY())


def _waybill(pk, by):
    return services.shipment_return_waybill(
        pk=pk, by=by, carrier="顺丰", waybill_number="SF1", expected_arrival=TODAY() + timedelta(days=2)
    )


def _arrival(pk, by):
    return services.shipment_record_arrival(pk=pk, by=by, arrived_on=TODAY())


def _receipt(pk, by):
    return services.shipment_confirm_receipt(pk=pk, by=by, confirmed_by="黄建华", method="phone")


def _cancel(pk, by):
    return services.shipment_cancel(pk=pk, by=by, reason="客户推迟")


TRANSITIONS = [
    # step, source state, target state, roles allowed
    (_issue, S.REQUESTED, S.NOTE_ISSUED, ["finance"]),
    (_receive, S.NOTE_ISSUED, S.COPIES_RECEIVED, ["clerk"]),
    (_dispatch, S.COPIES_RECEIVED, S.DISPATCHED, ["clerk", "warehouse"]),
    (_waybill, S.DISPATCHED, S.IN_TRANSIT, ["logistics"]),
    (_arrival, S.IN_TRANSIT, S.ARRIVED, ["clerk"]),
    (_receipt, S.ARRIVED, S.RECEIVED, ["clerk"]),
    (_cancel, S.REQUESTED, S.CANCELLED, ["sales", "finance", "as_manager"]),
    (_cancel, S.COPIES_RECEIVED, S.CANCELLED, ["sales", "finance", "as_manager"]),
]


@pytest.mark.parametrize("step,source,target,allowed", TRANSITIONS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_transition_roles(users, no_subscribers, step, source, target, allowed):
    for role in ALL_ROLES:
        shipment = make_shipment(users, source)
        if role in allowed:
            assert step(shipment.pk, users[role]).status == target, role
            # The row of the step itself (a receipt may be followed by the system's 待安装 row).
            step_row = Shipment.objects.get(pk=shipment.pk).history.filter(status=target).last()
            assert step_row.history_user == users[role]
        else:
            with pytest.raises(PermissionRefused):
                step(shipment.pk, users[role])
            assert Shipment.objects.get(pk=shipment.pk).status == source, role


@pytest.mark.parametrize("step,source,target,allowed", TRANSITIONS[:6], ids=lambda v: getattr(v, "__name__", str(v)))
def test_transition_refused_in_wrong_state(users, step, source, target, allowed):
    shipment = make_shipment(users, S.CANCELLED)
    with pytest.raises(TransitionRefused):
        step(shipment.pk, users[allowed[0]])


def test_cancel_refused_after_dispatch(users):
    shipment = make_shipment(users, S.DISPATCHED)
    with pytest.raises(TransitionRefused):
        _cancel(shipment.pk, users["sales"])


def test_cancel_needs_a_reason(users):
    shipment = make_shipment(users)
    with pytest.raises(RuleViolation):
        services.shipment_cancel(pk=shipment.pk, by=users["sales"], reason="  ")
    shipment = services.shipment_cancel(pk=shipment.pk, by=users["sales"], reason="客户推迟到明年")
    assert shipment.cancel_reason == "客户推迟到明年"


def test_stale_page_is_refused(users):
    shipment = make_shipment(users, S.NOTE_ISSUED)
    with pytest.raises(StaleRecord):
        services.shipment_issue_delivery_note(pk=shipment.pk, by=users["finance"], expected_state=S.REQUESTED)


def test_delivery_note_gets_its_own_number(users):
    shipment = make_shipment(users, S.NOTE_ISSUED)
    assert shipment.delivery_note_number.startswith("FD-")
    assert shipment.note_issued_at is not None


def test_refused_delivery_note_does_not_use_a_number(users):
    shipment = make_shipment(users, S.NOTE_ISSUED)
    before = DocumentSequence.objects.get(prefix="FD").last_value
    with pytest.raises(TransitionRefused):
        _issue(shipment.pk, users["finance"])
    assert DocumentSequence.objects.get(prefix="FD").last_value == before


# --- recording the units shipped -------------------------------------------------------


def test_stock_units_become_the_customers(users):
    pm = ProductModelFactory()
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 2)])
    units = stock_units(pm, 2, prefix="XD")
    ship_date = TODAY() - timedelta(days=1)
    text = "\n".join(u.serial_number.lower() for u in units)  # scanners and people type lower case too
    shipment = services.shipment_dispatch(
        pk=shipment.pk, by=users["warehouse"], entries=parse_serial_lines(text), ship_date=ship_date
    )
    assert shipment.status == S.DISPATCHED
    assert set(shipment.units) == set(units)
    for unit in Unit.objects.filter(pk__in=[u.pk for u in units]):
        assert (unit.customer, unit.site, unit.ship_date) == (shipment.customer, shipment.site, ship_date)
        assert unit.production_date == TODAY() - timedelta(days=30)
        assert unit.history.first().history_user == users["warehouse"]


def test_unknown_serial_creates_a_unit_of_the_entered_model(users):
    pm = ProductModelFactory(code="TGA-800")
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 1)])
    shipment = services.shipment_dispatch(
        pk=shipment.pk,
        by=users["clerk"],
        entries=parse_serial_lines("TGA800-2026-0999 tga-800 2026-10-01"),
        ship_date=TODAY(),
    )
    unit = Unit.objects.get(serial_number="TGA800-2026-0999")
    assert unit.product_model == pm
    assert unit.production_date.isoformat() == "2026-10-01"
    assert unit.customer == shipment.customer
    assert not shipment.shipped_units.get().was_in_stock


def test_unknown_serial_without_production_date_is_refused(users):
    pm = ProductModelFactory()
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 1)])
    with pytest.raises(RuleViolation, match="production date"):
        services.shipment_dispatch(pk=shipment.pk, by=users["clerk"], entries=[SerialEntry("NEW-1")], ship_date=TODAY())
    # The only requested model and the form's default date are enough.
    services.shipment_dispatch(
        pk=shipment.pk,
        by=users["clerk"],
        entries=[SerialEntry("NEW-1")],
        ship_date=TODAY(),
        default_production_date=TODAY() - timedelta(days=9),
    )
    assert Unit.objects.get(serial_number="NEW-1").product_model == pm


def test_quantity_mismatch_lists_the_differences(users):
    xd, tga = ProductModelFactory(code="XD-1200"), ProductModelFactory(code="TGA-800")
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(xd, 2), (tga, 1)])
    units = stock_units(xd, 1, prefix="XD") + stock_units(ProductModelFactory(code="DSC-500"), 1, prefix="DSC")
    with pytest.raises(RuleViolation) as exc:
        services.shipment_dispatch(
            pk=shipment.pk,
            by=users["clerk"],
            entries=[SerialEntry(u.serial_number) for u in units],
            ship_date=TODAY(),
        )
    message = exc.value.message
    assert "XD-1200: requested 2, entered 1." in message
    assert "TGA-800: requested 1, entered 0." in message
    assert "DSC-500: requested 0, entered 1." in message
    assert Shipment.objects.get(pk=shipment.pk).status == S.COPIES_RECEIVED
    assert not Unit.objects.filter(pk__in=[u.pk for u in units], customer__isnull=False).exists()


def test_a_serial_ships_once(users):
    pm = ProductModelFactory()
    first = make_shipment(users, S.DISPATCHED, lines=[(pm, 1)])
    serial = first.units.get().serial_number
    second = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 1)])
    with pytest.raises(RuleViolation) as exc:
        services.shipment_dispatch(pk=second.pk, by=users["clerk"], entries=[SerialEntry(serial)], ship_date=TODAY())
    assert f"{serial} was already shipped with {first.number}." in exc.value.message


def test_unit_of_another_customer_is_not_stock(users):
    pm = ProductModelFactory()
    owned = UnitFactory(product_model=pm)
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 1)])
    with pytest.raises(RuleViolation, match="already belongs to"):
        services.shipment_dispatch(
            pk=shipment.pk, by=users["clerk"], entries=[SerialEntry(owned.serial_number)], ship_date=TODAY()
        )


def test_serial_entered_twice_and_wrong_model(users):
    xd = ProductModelFactory(code="XD-1200")
    ProductModelFactory(code="TGA-800")
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(xd, 2)])
    unit = stock_units(xd, 1, prefix="XD")[0]
    with pytest.raises(RuleViolation) as exc:
        services.shipment_dispatch(
            pk=shipment.pk,
            by=users["clerk"],
            entries=parse_serial_lines(f"{unit.serial_number}\n{unit.serial_number}"),
            ship_date=TODAY(),
        )
    assert "entered twice" in exc.value.message
    with pytest.raises(RuleViolation, match="is a XD-1200, not a TGA-800"):
        services.shipment_dispatch(
            pk=shipment.pk,
            by=users["clerk"],
            entries=parse_serial_lines(f"{unit.serial_number} TGA-800"),
            ship_date=TODAY(),
        )


def test_ship_date_cannot_be_in_the_future(users):
    pm = ProductModelFactory()
    shipment = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 1)])
    unit = stock_units(pm, 1)[0]
    with pytest.raises(RuleViolation):
        services.shipment_dispatch(
            pk=shipment.pk,
            by=users["clerk"],
            entries=[SerialEntry(unit.serial_number)],
            ship_date=TODAY() + timedelta(days=1),
        )


# --- transit, overdue, receipt ---------------------------------------------------------


def test_overdue_when_past_expected_arrival_without_arrival(users):
    late = make_shipment(users, S.IN_TRANSIT, expected_arrival=TODAY() - timedelta(days=1))
    on_time = make_shipment(users, S.IN_TRANSIT, expected_arrival=TODAY())
    assert late.is_overdue and not on_time.is_overdue
    arrived = services.shipment_record_arrival(pk=late.pk, by=users["clerk"], arrived_on=TODAY())
    assert not arrived.is_overdue


def test_tracking_notes_while_in_transit(users):
    shipment = make_shipment(users, S.IN_TRANSIT)
    note = services.tracking_note_add(pk=shipment.pk, by=users["clerk"], noted_on=TODAY(), text="已到长沙转运中心")
    assert list(shipment.tracking_notes.all()) == [note]
    with pytest.raises(PermissionRefused):
        services.tracking_note_add(pk=shipment.pk, by=users["logistics"], noted_on=TODAY(), text="x")
    with pytest.raises(TransitionRefused):
        services.tracking_note_add(pk=make_shipment(users).pk, by=users["clerk"], noted_on=TODAY(), text="x")


def test_receipt_publishes_and_shows_pending_installation_without_subscribers(users, published):
    calls, listen = published
    listen(events.ShipmentReceived)
    shipment = make_shipment(users, S.ARRIVED, lines=[(ProductModelFactory(needs_installation=True), 1)])
    shipment = services.shipment_confirm_receipt(
        pk=shipment.pk, by=users["clerk"], confirmed_by="黄建华", method="signed_note"
    )
    assert calls == [events.ShipmentReceived(shipment=shipment, by=users["clerk"])]
    assert shipment.status == S.RECEIVED and shipment.installation_pending
    assert (shipment.receipt_confirmed_by, shipment.receipt_method) == ("黄建华", "signed_note")
    assert shipment.receipt_confirmed_at is not None


def test_receipt_without_installation_need_is_not_pending(users, no_subscribers):
    shipment = make_shipment(users, S.RECEIVED, lines=[(ProductModelFactory(needs_installation=False), 1)])
    assert not shipment.installation_pending


def test_receipt_handled_by_a_subscriber_is_not_pending(users, published):
    _calls, listen = published
    stand_in = UnitFactory()  # what fieldservice's handler would return: the record it created
    listen(events.ShipmentReceived, result=stand_in)
    shipment = make_shipment(users, S.RECEIVED)
    assert shipment.status == S.RECEIVED and not shipment.installation_pending


def test_receipt_needs_who_and_how(users):
    shipment = make_shipment(users, S.ARRIVED)
    with pytest.raises(RuleViolation):
        services.shipment_confirm_receipt(pk=shipment.pk, by=users["clerk"], confirmed_by="", method="phone")
    with pytest.raises(RuleViolation):
        services.shipment_confirm_receipt(pk=shipment.pk, by=users["clerk"], confirmed_by="黄", method="fax")


def test_missing_parts_are_recorded_and_published(users, published):
    calls, listen = published
    listen(events.ShipmentMissingParts)
    shipment = make_shipment(users, S.RECEIVED)
    report = services.shipment_report_missing_parts(pk=shipment.pk, by=users["clerk"], description="缺热电偶1支")
    assert list(shipment.missing_parts.all()) == [report]
    assert calls == [events.ShipmentMissingParts(shipment=shipment, description="缺热电偶1支", by=users["clerk"])]
    assert calls[0].shipment.contact_name == "黄建华"


def test_missing_parts_work_without_subscribers(users, no_subscribers):
    shipment = make_shipment(users, S.ARRIVED)
    services.shipment_report_missing_parts(pk=shipment.pk, by=users["clerk"], description="缺说明书")
    assert shipment.missing_parts.count() == 1


def test_missing_parts_refused_before_arrival_and_for_other_roles(users):
    with pytest.raises(TransitionRefused):
        services.shipment_report_missing_parts(
            pk=make_shipment(users, S.IN_TRANSIT).pk, by=users["clerk"], description="x"
        )
    with pytest.raises(PermissionRefused):
        services.shipment_report_missing_parts(
            pk=make_shipment(users, S.ARRIVED).pk, by=users["logistics"], description="x"
        )


def test_refusals_read_in_chinese(users):
    pm = ProductModelFactory()
    first = make_shipment(users, S.DISPATCHED, lines=[(pm, 1)])
    serial = first.units.get().serial_number
    second = make_shipment(users, S.COPIES_RECEIVED, lines=[(pm, 1)])
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as exc:
        services.shipment_dispatch(pk=second.pk, by=users["clerk"], entries=[SerialEntry(serial)], ship_date=TODAY())
    assert f"{serial} 已随 {first.number} 发货。" in exc.value.message


# --- 承诺 4: late delivery penalty ------------------------------------------------------------


def test_late_delivery_costs_half_a_percent_of_the_delivery_price_per_day_until_delivered(users):
    shipment = make_shipment(users, Shipment.Status.IN_TRANSIT)
    today = timezone.localdate()
    Shipment.objects.filter(pk=shipment.pk).update(
        contract_delivery_date=today - timedelta(days=3), delivery_price=Decimal("200000.00")
    )
    shipment = Shipment.objects.get(pk=shipment.pk)
    late = shipment.late_delivery(today)
    assert (late.days, late.penalty, late.delivered) == (3, Decimal("3000.00"), False)  # 200000 × 0.5% × 3
    assert shipment.late_delivery(today + timedelta(days=2)).penalty == Decimal("5000.00"), "it keeps counting"
    services.shipment_record_arrival(pk=shipment.pk, by=users["clerk"], arrived_on=today - timedelta(days=1))
    shipment = Shipment.objects.get(pk=shipment.pk)
    delivered = shipment.late_delivery(today + timedelta(days=30))
    assert (delivered.days, delivered.penalty, delivered.delivered) == (2, Decimal("2000.00"), True), "until delivery"


def test_on_time_or_without_a_contract_date_there_is_no_penalty(users):
    shipment = make_shipment(users, Shipment.Status.RECEIVED)
    assert shipment.late_delivery() is None
    Shipment.objects.filter(pk=shipment.pk).update(
        contract_delivery_date=shipment.arrived_on + timedelta(days=1), delivery_price=Decimal("1000")
    )
    assert Shipment.objects.get(pk=shipment.pk).late_delivery().days == 0


def test_the_contract_date_and_price_go_together(users):
    payment = PaymentFactory()
    with pytest.raises(RuleViolation):
        services.shipment_file(
            payment=payment,
            site=SiteFactory(customer=payment.customer),
            lines=[services.RequestedLine(ProductModelFactory(), 1)],
            requested_ship_date=timezone.localdate(),
            contact_name="黄",
            contact_phone="1",
            contract_delivery_date=timezone.localdate(),
            delivery_price=None,
            by=users["sales"],
        )
    shipment = services.shipment_file(
        payment=payment,
        site=SiteFactory(customer=payment.customer),
        lines=[services.RequestedLine(ProductModelFactory(), 1)],
        requested_ship_date=timezone.localdate(),
        contact_name="黄",
        contact_phone="1",
        contract_delivery_date=timezone.localdate(),
        delivery_price=Decimal("5000"),
        by=users["sales"],
    )
    assert shipment.delivery_price == Decimal("5000")
