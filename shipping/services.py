"""Every write of the shipping workflow: lock, check the rule, transition, save with who and why."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.events import ShipmentMissingParts, ShipmentReceived, publish
from aftersales.links import linked_of_type
from aftersales.models import Customer, ProductModel, Site, Unit
from aftersales.numbering import next_number
from aftersales.people import display_name
from aftersales.workflow import (
    PermissionRefused,
    RuleViolation,
    TransitionRefused,
    audit,
    check_transition,
    expect_state,
    lock,
    perform_transition,
    record_create,
    require_permission,
    system_actor,
)
from shipping.models import (
    DELIVERY_NOTE_PREFIX,
    MissingPartsReport,
    Payment,
    Shipment,
    ShipmentLine,
    ShippedUnit,
    TrackingNote,
)
from shipping.serials import SerialEntry, check_serials

# --- payments ----------------------------------------------------------------------


@transaction.atomic
def payment_record(
    *, customer: Customer, amount: Decimal, received_on: date, reference: str = "", by: User, confirm: bool = False
) -> Payment:
    """Record a payment received (货款到账); finance may confirm it in the same step."""
    require_permission(by, "shipping.add_payment", _("Record payment"))
    if amount is None or amount <= 0:
        raise RuleViolation(_("The amount must be more than zero."))
    if received_on > timezone.localdate():
        raise RuleViolation(_("A payment cannot be received in the future."))
    payment = record_create(
        Payment(customer=customer, amount=amount, received_on=received_on, reference=reference),
        by=by,
        reason=_("Payment recorded"),
    )
    if confirm:
        payment = _confirm(payment, by)
    return payment


def _confirm(payment: Payment, by: User, expected_state: str | None = None) -> Payment:
    return perform_transition(payment, "confirm", by=by, expected_state=expected_state, reason=_("Payment confirmed"))


@transaction.atomic
def payment_confirm(*, pk: int, by: User, expected_state: str | None = None) -> Payment:
    """Finance confirms that the money is on the account; only then may sales file a request."""
    return _confirm(lock(Payment, pk), by, expected_state)


# --- shipment request ----------------------------------------------------------------


@dataclass(frozen=True)
class RequestedLine:
    product_model: ProductModel
    quantity: int


@transaction.atomic
def shipment_file(
    *,
    payment: Payment,
    site: Site,
    lines: list[RequestedLine],
    requested_ship_date: date,
    contact_name: str,
    contact_phone: str,
    notes: str = "",
    contract_delivery_date: date | None = None,
    delivery_price: Decimal | None = None,
    by: User,
) -> Shipment:
    """The sales manager files the 发货申请单 — only against a confirmed payment of that customer."""
    require_permission(by, "shipping.add_shipment", _("File shipment request"))
    payment = lock(Payment, payment.pk)
    # Seed 二: 业务经理确定客户的货款已经到帐后 … 填写《发货申请单》.
    if payment.status != Payment.Status.CONFIRMED:
        raise RuleViolation(_("The payment has not been confirmed by finance yet; no shipment request before that."))
    manager_id = payment.customer.sales_manager_id
    if manager_id and manager_id != by.pk and not by.is_superuser:
        # SPEC: the sales manager files requests for *their* customers.
        raise PermissionRefused(
            _("%(customer)s is looked after by another sales manager.") % {"customer": payment.customer}
        )
    if site.customer_id != payment.customer_id:
        raise RuleViolation(_("The site belongs to another customer than the payment."))
    merged: dict[int, tuple[ProductModel, int]] = {}
    for line in lines:
        if line.quantity is None or line.quantity <= 0:
            raise RuleViolation(_("Every quantity must be at least 1."))
        pm, qty = merged.get(line.product_model.pk, (line.product_model, 0))
        merged[pm.pk] = (pm, qty + line.quantity)
    if not merged:
        raise RuleViolation(_("Request at least one product model."))
    if not contact_name.strip() or not contact_phone.strip():
        raise RuleViolation(_("Give the contact on site and their phone."))
    if (contract_delivery_date is None) != (delivery_price is None):
        raise RuleViolation(
            _("The contract's delivery date and the delivery price go together (the late penalty needs both).")
        )
    if delivery_price is not None and delivery_price <= 0:
        raise RuleViolation(_("The delivery price must be more than zero."))
    shipment = Shipment(
        payment=payment,
        customer_id=payment.customer_id,
        site=site,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        requested_ship_date=requested_ship_date,
        notes=notes,
        contract_delivery_date=contract_delivery_date,
        delivery_price=delivery_price,
    )
    record_create(shipment, by=by, reason=_("Shipment request filed"))
    for pm, qty in merged.values():
        ShipmentLine.objects.create(shipment=shipment, product_model=pm, quantity=qty, created_by=by, updated_by=by)
    return shipment


@transaction.atomic
def shipment_file_for_unit(
    *,
    unit: Unit,
    kind: str,
    site: Site,
    contact_name: str,
    contact_phone: str,
    notes: str = "",
    by: User,
) -> Shipment:
    """A repaired or replacement unit goes to the customer: no payment gate (三包), one unit by serial.

    The rest of the chain is the sale's: delivery note, units recorded, waybill, arrival, receipt.
    """
    if kind == Shipment.Kind.SALE or kind not in Shipment.Kind.values:
        raise RuleViolation(_("A sale ships against a payment: file a shipment request."))
    if not contact_name.strip() or not contact_phone.strip():
        raise RuleViolation(_("Give the contact on site and their phone."))
    shipment = Shipment(
        kind=kind,
        carried_unit=unit,
        customer_id=site.customer_id,
        site=site,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        requested_ship_date=timezone.localdate(),
        notes=notes,
    )
    record_create(shipment, by=by, reason=_("Shipment filed for %(serial)s") % {"serial": unit.serial_number})
    ShipmentLine.objects.create(
        shipment=shipment, product_model=unit.product_model, quantity=1, created_by=by, updated_by=by
    )
    return shipment


@transaction.atomic
def shipment_issue_delivery_note(*, pk: int, by: User, expected_state: str | None = None) -> Shipment:
    """Finance issues the 发货单; its FD number is drawn in this transaction (rolled back if refused)."""
    shipment = lock(Shipment, pk)
    return perform_transition(
        shipment,
        "issue_delivery_note",
        by=by,
        expected_state=expected_state,
        reason=_("Delivery note issued"),
        note_number=next_number(DELIVERY_NOTE_PREFIX),
    )


@transaction.atomic
def shipment_receive_copies(*, pk: int, by: User, expected_state: str | None = None) -> Shipment:
    """After-sales records that the sales manager handed over two copies of the delivery note."""
    return perform_transition(
        lock(Shipment, pk),
        "receive_copies",
        by=by,
        expected_state=expected_state,
        reason=_("Two copies of the delivery note received by after-sales"),
    )


@transaction.atomic
def shipment_dispatch(
    *,
    pk: int,
    by: User,
    entries: list[SerialEntry],
    ship_date: date,
    default_production_date: date | None = None,
    expected_state: str | None = None,
) -> Shipment:
    """One copy each to logistics and warehouse; record the units shipped, which become the customer's.

    The units must match the requested models and quantities exactly, and a serial leaves once.
    """
    shipment = lock(Shipment, pk)
    # Check staleness, role and state before the serials, so a wrong role hears that first.
    expect_state(shipment, expected_state)
    check_transition(shipment, "dispatch", by)
    if ship_date > timezone.localdate():
        raise RuleViolation(_("The ship date cannot be in the future."))
    if shipment.kind != Shipment.Kind.SALE:
        return _dispatch_carried_unit(shipment, by=by, entries=entries, ship_date=ship_date)
    serials = [e.serial for e in entries]
    # Lock the stock units so two shipments cannot take the same unit at once.
    list(Unit.objects.select_for_update().filter(serial_number__in=serials).values_list("pk", flat=True))
    checked = check_serials(shipment, entries, default_production_date=default_production_date)
    if not checked.items:
        raise RuleViolation(_("Enter the serial numbers of the units shipped."))
    if not checked.ok:
        raise RuleViolation(
            _("The units do not match the request: %(errors)s") % {"errors": " ".join(checked.errors())}
        )
    shipment = perform_transition(
        shipment,
        "dispatch",
        by=by,
        expected_state=expected_state,
        reason=_("Copies handed to logistics and warehouse; %(n)d units recorded") % {"n": len(checked.items)},
        ship_date=ship_date,
    )
    for item in checked.items:
        unit = item.unit
        if unit is None:
            unit = Unit(serial_number=item.entry.serial, product_model=item.product_model, created_by=by)
        unit.customer_id, unit.site_id = shipment.customer_id, shipment.site_id
        unit.production_date, unit.ship_date = item.production_date, ship_date
        unit.updated_by = by
        audit(unit, by, _("Shipped with %(number)s") % {"number": shipment.number})
        assert item.production_date is not None  # check_serials refuses a unit without one
        try:
            # A new serial typed at the same moment on another shipment: the unique indexes
            # decide, and the loser hears which serial (not a 500).
            with transaction.atomic():
                unit.save()
                ShippedUnit.objects.create(
                    shipment=shipment,
                    unit=unit,
                    production_date=item.production_date,
                    ship_date=ship_date,
                    was_in_stock=item.kind == "stock",
                    created_by=by,
                    updated_by=by,
                )
        except IntegrityError:
            raise RuleViolation(
                _("%(serial)s was recorded on another shipment a moment ago; check it and try again.")
                % {"serial": item.entry.serial}
            ) from None
    return shipment


def _dispatch_carried_unit(shipment: Shipment, *, by: User, entries: list[SerialEntry], ship_date: date) -> Shipment:
    """A repair return or replacement: the warehouse confirms the one unit by its serial number."""
    unit = shipment.carried_unit
    assert unit is not None  # the check constraint: a non-sale shipment carries a unit
    if [e.serial.strip().upper() for e in entries] != [unit.serial_number.upper()]:
        raise RuleViolation(
            _("This shipment carries exactly unit %(serial)s; enter that serial number.")
            % {"serial": unit.serial_number}
        )
    return perform_transition(
        shipment,
        "dispatch",
        by=by,
        reason=_("Unit %(serial)s shipped") % {"serial": unit.serial_number},
        ship_date=ship_date,
    )


@transaction.atomic
def shipment_return_waybill(
    *, pk: int, by: User, carrier: str, waybill_number: str, expected_arrival: date, expected_state: str | None = None
) -> Shipment:
    """Logistics hands back the delivery note and the waybill (货物运输单/包裹票)."""
    shipment = lock(Shipment, pk)
    if not carrier.strip() or not waybill_number.strip():
        raise RuleViolation(_("Give the carrier and the waybill number."))
    if shipment.ship_date and expected_arrival < shipment.ship_date:
        raise RuleViolation(_("The expected arrival cannot be before the ship date."))
    return perform_transition(
        shipment,
        "return_waybill",
        by=by,
        expected_state=expected_state,
        reason=_("Waybill %(waybill)s (%(carrier)s) handed back")
        % {"waybill": waybill_number.strip(), "carrier": carrier.strip()},
        carrier=carrier.strip(),
        waybill_number=waybill_number.strip(),
        expected_arrival=expected_arrival,
    )


@transaction.atomic
def tracking_note_add(*, pk: int, by: User, noted_on: date, text: str) -> TrackingNote:
    """After-sales notes what the carrier said about the goods (seed: 依据《运输单》及时查询货物到达情况)."""
    require_permission(by, "shipping.track_shipment", _("Add tracking note"))
    shipment = lock(Shipment, pk)
    if shipment.status not in (Shipment.Status.DISPATCHED, Shipment.Status.IN_TRANSIT, Shipment.Status.ARRIVED):
        raise TransitionRefused(_("Tracking notes are kept while the goods are on their way."))
    if not text.strip():
        raise RuleViolation(_("The note is empty."))
    return TrackingNote.objects.create(shipment=shipment, noted_on=noted_on, text=text.strip(), created_by=by)


@transaction.atomic
def shipment_record_arrival(*, pk: int, by: User, arrived_on: date, expected_state: str | None = None) -> Shipment:
    """After-sales records that the goods arrived at the site."""
    shipment = lock(Shipment, pk)
    if arrived_on > timezone.localdate():
        raise RuleViolation(_("The arrival date cannot be in the future."))
    if shipment.ship_date and arrived_on < shipment.ship_date:
        raise RuleViolation(_("The goods cannot arrive before they were shipped."))
    return perform_transition(
        shipment,
        "record_arrival",
        by=by,
        expected_state=expected_state,
        reason=_("Arrived on %(date)s") % {"date": arrived_on.isoformat()},
        arrived_on=arrived_on,
    )


@transaction.atomic
def shipment_confirm_receipt(
    *,
    pk: int,
    by: User,
    confirmed_by: str,
    method: str,
    confirmed_at: datetime | None = None,
    expected_state: str | None = None,
) -> Shipment:
    """The customer has the goods; installation follows (fieldservice's handler, or 待安装)."""
    shipment = lock(Shipment, pk)
    if not confirmed_by.strip():
        raise RuleViolation(_("Who at the customer confirmed the receipt?"))
    if method not in Shipment.ReceiptMethod.values:
        raise RuleViolation(_("Choose how the receipt was confirmed."))
    confirmed_at = confirmed_at or timezone.now()
    if confirmed_at > timezone.now():
        raise RuleViolation(_("The receipt cannot be confirmed in the future."))
    shipment = perform_transition(
        shipment,
        "confirm_receipt",
        by=by,
        expected_state=expected_state,
        reason=_("Receipt confirmed by %(name)s") % {"name": confirmed_by.strip()},
        confirmed_by=confirmed_by.strip(),
        receipt_method=method,
        confirmed_at=confirmed_at,
    )
    created = publish(ShipmentReceived(shipment=shipment, by=by))
    if created and shipment.kind != Shipment.Kind.REPAIR_RETURN:
        perform_transition(shipment, "installation_job_opened", by=system_actor(), reason=_("Installation job opened"))
    elif (
        shipment.kind != Shipment.Kind.REPAIR_RETURN
        and shipment.units.filter(product_model__needs_installation=True).exists()
    ):
        # Nobody opened the installation job (fieldservice absent): 待安装 until it is recorded.
        perform_transition(shipment, "await_installation", by=system_actor(), reason=_("Waiting for installation"))
    return shipment


# 售后部向物流人员、库房人员各提交1份《发货单》: whose copy, who may acknowledge it, its label.
COPIES = {
    "warehouse": ("shipping.ackwarehousecopy_shipment", "warehouse_copy", gettext_lazy("warehouse")),
    "logistics": ("shipping.acklogisticscopy_shipment", "logistics_copy", gettext_lazy("logistics")),
}


def copy_waiting(shipment: Shipment, copy: str) -> bool:
    """After-sales handed the copies over and this department has not acknowledged its own yet."""
    return (
        shipment.copies_received_at is not None
        and shipment.status != Shipment.Status.CANCELLED
        and getattr(shipment, f"{COPIES[copy][1]}_at") is None
    )


@transaction.atomic
def shipment_acknowledge_copy(*, pk: int, by: User, copy: str) -> Shipment:
    """The warehouse or logistics confirms it holds its copy of the 发货单 (who, when)."""
    if copy not in COPIES:
        raise RuleViolation(_("Unknown copy."))
    permission, field, department = COPIES[copy]
    require_permission(by, permission, _("Acknowledge the delivery note copy"))
    shipment = lock(Shipment, pk)
    if not copy_waiting(shipment, copy):
        raise TransitionRefused(_("There is no copy of the delivery note waiting for you on this shipment."))
    setattr(shipment, f"{field}_at", timezone.now())
    setattr(shipment, f"{field}_by", by)
    audit(shipment, by, _("Delivery note copy received (%(department)s)") % {"department": department})
    shipment.save()
    return shipment


@transaction.atomic
def shipment_record_installation(*, pk: int, by: User, note: str = "") -> Shipment:
    """待安装 ends: the installation was done without a service job of this system (who, when: the note)."""
    reason = _("Installation recorded")
    if note.strip():
        reason = _("Installation recorded: %(note)s") % {"note": note.strip()}
    return perform_transition(lock(Shipment, pk), "record_installation", by=by, reason=reason)


@transaction.atomic
def shipments_installed_by_job(*, job, by: User) -> list[Shipment]:
    """The installation job of a delivery is completed (form A signed): its shipments are installed."""
    done = []
    for linked in linked_of_type(job, Shipment):
        shipment = lock(Shipment, linked.pk)
        if shipment.installation == Shipment.Installation.JOB_OPENED:
            reason = _("Installed: service job %(number)s completed, reported by %(user)s") % {
                "number": getattr(job, "number", job.pk),
                "user": display_name(by),
            }
            done.append(perform_transition(shipment, "installed_by_job", by=system_actor(), reason=reason))
    return done


@transaction.atomic
def shipment_report_missing_parts(*, pk: int, by: User, description: str) -> MissingPartsReport:
    """开箱缺件: record what is missing and tell the service desk, which supplies it free."""
    require_permission(by, "shipping.reportmissingparts_shipment", _("Record missing parts"))
    shipment = lock(Shipment, pk)
    if shipment.status not in (Shipment.Status.ARRIVED, Shipment.Status.RECEIVED):
        raise TransitionRefused(_("Missing parts are recorded when the goods have arrived and been unpacked."))
    if not description.strip():
        raise RuleViolation(_("Say which parts are missing."))
    report = record_create(
        MissingPartsReport(shipment=shipment, description=description.strip()),
        by=by,
        reason=_("Missing parts recorded"),
    )
    publish(ShipmentMissingParts(shipment=shipment, description=report.description, by=by))
    return report


@transaction.atomic
def shipment_cancel(*, pk: int, by: User, reason: str, expected_state: str | None = None) -> Shipment:
    """Cancel a request before the units have left; the reason is kept."""
    shipment = lock(Shipment, pk)
    if not reason.strip():
        raise RuleViolation(_("Give the reason for cancelling."))
    return perform_transition(
        shipment,
        "cancel",
        by=by,
        expected_state=expected_state,
        reason=_("Cancelled: %(reason)s") % {"reason": reason.strip()},
        reason_text=reason.strip(),
    )
