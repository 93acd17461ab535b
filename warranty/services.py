"""Every write of the warranty app: lock, check, transition, save with the acting user."""

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales import events
from aftersales.links import link_records
from aftersales.models import Signature, SigningLink
from aftersales.people import display_name
from aftersales.registry import repairs_counted
from aftersales.signatures import signature_capture, signing_link_consume, signing_link_create
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
from warranty import roles
from warranty.models import (
    AllocationRule,
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    Grade,
    Handover,
    IncidentCost,
    Naming,
    Notice,
    Origin,
    Outcome,
    QualityIncident,
    QualitySanction,
    QualitySheet,
    ReturnedPart,
    SiteTeam,
    SupplierClaim,
)

CENT = Decimal("0.01")
FEEDBACK_PURPOSE = "incident_feedback"
APPRAISAL_PURPOSE = "appraisal_opinion"
THREE_GUARANTEES = (Outcome.REPAIR, Outcome.REPLACE, Outcome.REFUND)
# 售后服务承诺 四: the same defect repaired three times in warranty → a new unit of the same model.
REPEAT_REPAIR_LIMIT = 3


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


# --- quality information sheet ----------------------------------------------------------


@transaction.atomic
def sheet_create(
    *,
    by: User,
    customer,
    description: str,
    site=None,
    unit=None,
    contact_name: str = "",
    contact_phone: str = "",
    is_major: bool = False,
    case=None,
    change_reason: str = "",
) -> QualitySheet:
    """Record a customer's quality report as a 质量信息单 (from a service case or directly)."""
    require_permission(by, "warranty.add_qualitysheet")
    if unit is not None and unit.customer_id and unit.customer_id != customer.pk:
        raise RuleViolation(_("The unit belongs to another customer."))
    sheet = QualitySheet(
        customer=customer,
        site=site or (unit.site if unit is not None else None),
        unit=unit,
        contact_name=contact_name,
        contact_phone=contact_phone,
        description=description,
        is_major=is_major,
    )
    reason = change_reason or _("Quality information sheet recorded")
    return record_create(sheet, by=by, reason=reason, link_from=case, link_kind="claim")


def on_case_decided(event: events.CaseDecided) -> QualitySheet | None:
    """case.decided with decision "claim" (三包索赔) opens a quality information sheet."""
    if event.decision != "claim":
        return None
    case = event.case
    contact = getattr(case, "contact", None)
    # The technical department decided the claim: the system opens the sheet for it, and the
    # sheet's history names who decided.
    return sheet_create(
        by=system_actor(),
        change_reason=_("Opened for the decision of %(user)s on case %(number)s")
        % {"user": display_name(event.by), "number": getattr(case, "number", "") or str(case)},
        customer=case.customer,
        site=getattr(case, "site", None),
        unit=getattr(case, "unit", None),
        contact_name=getattr(contact, "name", "") if contact else "",
        contact_phone=(getattr(contact, "mobile", "") or getattr(contact, "phone", "")) if contact else "",
        description=getattr(case, "fault_description", "") or str(case),
        case=case,
    )


@transaction.atomic
def sheet_send(*, pk, by: User, first_answer: str, expected_state=None) -> QualitySheet:
    """4.1: record the first answer given to the customer and send the sheet to QC."""
    sheet = lock(QualitySheet, pk)
    if not first_answer.strip():
        raise RuleViolation(_("Write down the first answer given to the customer."))
    return perform_transition(sheet, "send", by=by, expected_state=expected_state, first_answer=first_answer)


@transaction.atomic
def sheet_answer(*, pk, by: User, opinion: str, expected_state=None) -> QualitySheet:
    """4.1: QC answers with its handling opinion."""
    sheet = lock(QualitySheet, pk)
    if not opinion.strip():
        raise RuleViolation(_("QC's handling opinion is required."))
    return perform_transition(sheet, "answer", by=by, expected_state=expected_state, opinion=opinion)


TEAM_TRANSITIONS: dict[str, str] = {SiteTeam.Team.QC: "name_qc_team", SiteTeam.Team.RND: "name_rnd_team"}


@transaction.atomic
def sheet_name_site_team(
    *, pk, by: User, team: str, people: Iterable[User], mode: str = "onsite", expected_state=None
) -> SiteTeam:
    """4.2: QC or R&D names its own people for a major problem; once both have, the visit goes out.

    The site visit (QualitySiteVisit → a field-service job) is published when the second unit
    names its people, with everyone named by both, unless both units handle it by phone.
    """
    sheet = lock(QualitySheet, pk)
    if team not in TEAM_TRANSITIONS:
        raise RuleViolation(_("Unknown unit."))
    if isinstance(people, str):
        raise TypeError("people are users, not a string of names")
    people = tuple(dict.fromkeys(people))  # in the order named, each once
    if not people:
        raise RuleViolation(_("Name the people who handle the problem."))
    if any(not person.is_active for person in people):
        raise RuleViolation(_("Only active users can be named."))
    if mode not in SiteTeam.Mode.values:
        raise RuleViolation(_("Choose on site or by phone."))
    names = "、".join(display_name(person) for person in people)
    team_label = SiteTeam.Team(team).label
    # The page showed the sheet's status; the naming is the small machine beside it.
    expect_state(sheet, expected_state)
    perform_transition(
        sheet,
        TEAM_TRANSITIONS[team],
        by=by,
        reason=_("%(unit)s named: %(people)s") % {"unit": team_label, "people": names},
    )
    named = record_create(
        SiteTeam(sheet=sheet, team=team, names=names, mode=mode, named_by=by, named_at=timezone.now()),
        by=by,
        reason=_("%(unit)s named: %(people)s") % {"unit": team_label, "people": names},
    )
    named.members.set(people)
    if sheet.naming == Naming.BOTH:
        teams = list(sheet.site_teams.order_by("team"))  # QC first, then R&D
        if any(t.mode == SiteTeam.Mode.ONSITE for t in teams):
            # Each unit's people in the order it named them (the rows of the many-to-many, in turn).
            through = SiteTeam.members.through.objects.filter(siteteam__in=teams).select_related("siteteam", "user")
            ranked = sorted(through, key=lambda row: (row.siteteam.team, row.pk))
            everyone = tuple(dict.fromkeys(row.user for row in ranked))
            # fieldservice (when present) creates a "quality" job and links it to the sheet itself.
            events.publish(events.QualitySiteVisit(sheet=sheet, people=everyone, by=by))
    return named


def sheet_name_qc_team(*, pk, by: User, people: Iterable[User], mode: str = "onsite", expected_state=None) -> SiteTeam:
    """QC names its people (4.2)."""
    return sheet_name_site_team(
        pk=pk, by=by, team=SiteTeam.Team.QC, people=people, mode=mode, expected_state=expected_state
    )


def sheet_name_rnd_team(*, pk, by: User, people: Iterable[User], mode: str = "onsite", expected_state=None) -> SiteTeam:
    """R&D names its people (4.2)."""
    return sheet_name_site_team(
        pk=pk, by=by, team=SiteTeam.Team.RND, people=people, mode=mode, expected_state=expected_state
    )


# --- returned parts, tag, quarantine ----------------------------------------------------


@transaction.atomic
def part_create(
    *,
    by: User,
    customer,
    part_name: str,
    sheet=None,
    unit=None,
    component=None,
    part_serial: str = "",
    quantity: int = 1,
    fault: str = "",
) -> ReturnedPart:
    """Register a part or unit the customer returned (or after-sales brought back)."""
    require_permission(by, "warranty.add_returnedpart")
    if component is not None and unit is not None and component.product_model_id != unit.product_model_id:
        raise RuleViolation(_("The component does not belong to the unit's model."))
    if quantity < 1:
        raise RuleViolation(_("The quantity must be at least 1."))
    part = ReturnedPart(
        sheet=sheet,
        customer=customer,
        unit=unit,
        component=component,
        part_name=part_name,
        part_serial=part_serial,
        quantity=quantity,
        fault=fault,
    )
    return record_create(part, by=by, reason=_("Returned part registered"), link_from=sheet, link_kind="returned_part")


@transaction.atomic
def part_grade(
    *, pk, by: User, grade: str, analysis: str, chargeable_cost=None, request_note: str = "", expected_state=None
) -> ReturnedPart:
    """4.3: first analysis and grading; a company defect is tagged and its appraisal form filed."""
    part = lock(ReturnedPart, pk)
    if grade not in Grade.values:
        raise RuleViolation(_("Choose a grading."))
    if not analysis.strip():
        raise RuleViolation(_("Write down the first analysis."))
    if grade == Grade.NOT_COVERED and (chargeable_cost is None or chargeable_cost < 0):
        raise RuleViolation(_("Tell the customer the chargeable cost."))
    perform_transition(
        part,
        "grade_part",
        by=by,
        expected_state=expected_state,
        reason=str(Grade(grade).label),
        grade=grade,
        analysis=analysis,
        chargeable_cost=chargeable_cost,
    )
    if part.status == ReturnedPart.Status.TAGGED:
        appraisal = Appraisal(part=part, request_note=request_note or analysis)
        record_create(
            appraisal, by=by, reason=_("三包 appraisal form filed to QC"), link_from=part, link_kind="appraisal"
        )
    return part


@transaction.atomic
def part_quarantine(*, pk, by: User, location: str, given_by: str, expected_state=None) -> ReturnedPart:
    """4.3: the warehouse receives the tagged part into the quarantine zone (a hand-over)."""
    part = lock(ReturnedPart, pk)
    if not location.strip() or not given_by.strip():
        raise RuleViolation(_("Record the location and who handed the part over."))
    perform_transition(part, "quarantine", by=by, expected_state=expected_state, location=location)
    handover = Handover(part=part, given_by=given_by, received_by=by, to_location=location)
    record_create(handover, by=by, reason=_("Received into the quarantine zone"))
    return part


@transaction.atomic
def part_handover(*, pk, by: User, given_by: str, received_by, to_location: str, note: str = "") -> Handover:
    """4.5: every move of a part (to the appraisal place and back) is a recorded hand-over."""
    require_permission(by, "warranty.handover_returnedpart")
    part = lock(ReturnedPart, pk)
    if part.status != ReturnedPart.Status.QUARANTINED:
        raise RuleViolation(_("Only a part in the warehouse's keeping is handed over."))
    if not to_location.strip() or not given_by.strip() or received_by is None:
        raise RuleViolation(_("Record who gave, who received and where to."))
    reason = _("Handed over to %(who)s at %(where)s") % {"who": display_name(received_by), "where": to_location}
    handover = Handover(part=part, given_by=given_by, received_by=received_by, to_location=to_location, note=note)
    record_create(handover, by=by, reason=reason)
    part.location = to_location
    audit(part, by, reason)
    part.save()
    return handover


# --- appraisal --------------------------------------------------------------------------


def repair_count(unit, component, *, exclude_pk=None) -> int:
    """Repairs of the same component of the same unit already decided under 三包."""
    if unit is None:
        return 0
    qs = Appraisal.objects.filter(part__unit=unit, part__component=component, own_defect=True, outcome=Outcome.REPAIR)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


def outcome_rule(appraisal: Appraisal) -> tuple[list[str], str]:
    """The outcomes the warranty allows for this part, and the rule's reason."""
    part = appraisal.part
    unit, component = part.unit, part.component
    if unit is not None and component is not None and not unit.is_in_warranty(component):
        return [Outcome.CHARGEABLE], _("The component is out of warranty: parts at cost, no labour charge.")
    # The service desk's repairs of the component count too (it registers its counter).
    desk_repairs = repairs_counted(unit, component) if unit is not None and component is not None else 0
    repairs = max(repair_count(unit, component, exclude_pk=appraisal.pk), desk_repairs)
    if repairs >= REPEAT_REPAIR_LIMIT:
        return [Outcome.REPLACE, Outcome.REFUND], _(
            "Repaired %(count)d times for this defect in warranty: replace with a new unit of the same model."
        ) % {"count": repairs}
    return list(THREE_GUARANTEES), _("In warranty: repair, replace or refund (三包).")


@transaction.atomic
def appraisal_appraise(
    *,
    pk,
    by: User,
    place: str,
    own_defect: bool,
    origin: str,
    cause: str,
    signature: str,
    outcome: str = "",
    outcome_reason: str = "",
    supplier=None,
    chargeable_cost=None,
    request=None,
    expected_state=None,
) -> Appraisal:
    """4.4: QC appraises, signs its opinion, and the defect is routed to the departments."""
    appraisal = lock(Appraisal, pk)
    check_transition(appraisal, "appraise", by)  # the role first, then the content
    part = appraisal.part
    if part.status != ReturnedPart.Status.QUARANTINED:
        raise RuleViolation(_("The part must be in the quarantine zone before it is appraised."))
    if place not in Appraisal.Place.values:
        raise RuleViolation(_("Say where the part was appraised."))
    if not cause.strip():
        raise RuleViolation(_("The cause is required."))
    if place == Appraisal.Place.CUSTOMER and part.handovers.count() < 2:
        # 4.5: taking the part to the end customer is a hand-over to after-sales and QC.
        raise RuleViolation(_("Record the hand-over of the part to the end customer first."))
    if own_defect:
        if origin not in Origin.values:
            raise RuleViolation(_("Say whether the part is self-made or bought-in."))
        if origin == Origin.BOUGHT_IN:
            supplier = supplier or (part.component.supplier if part.component else None)
            if supplier is None:
                raise RuleViolation(_("A bought-in part needs its supplier."))
        else:
            supplier = None
        allowed, rule_reason = outcome_rule(appraisal)
        if outcome not in allowed:
            raise RuleViolation(
                _("Outcome not allowed: %(reason)s") % {"reason": rule_reason}
                if outcome
                else _("Choose the outcome under 三包.")
            )
        outcome_reason = outcome_reason.strip() or rule_reason
    else:
        origin = origin if origin in Origin.values else ""
        outcome, outcome_reason = Outcome.NONE, outcome_reason.strip()
        if chargeable_cost is None or chargeable_cost < 0:
            raise RuleViolation(_("Tell the customer the chargeable cost."))
    perform_transition(
        appraisal,
        "appraise",
        by=by,
        expected_state=expected_state,
        reason=_("Appraised: %(cause)s") % {"cause": cause[:80]},
        place=place,
        own_defect=own_defect,
        origin=origin,
        supplier=supplier,
        cause=cause,
        outcome=outcome,
        outcome_reason=outcome_reason,
        chargeable_cost=chargeable_cost,
    )
    # QC signs the opinion in its own account (4.4 签署鉴定意见).
    signature_capture(
        appraisal,
        purpose=APPRAISAL_PURPOSE,
        data_url=signature,
        signer_name=display_name(by),
        method=Signature.Method.ACCOUNT,
        signer_user=by,
        captured_by=by,
        request=request,
    )
    _archive("appraisal", appraisal, by)
    if own_defect:
        _route(appraisal, by=by)
        if origin == Origin.BOUGHT_IN:
            claim = SupplierClaim(
                appraisal=appraisal, supplier=supplier, part_name=part.part_name, quantity=part.quantity
            )
            record_create(
                claim,
                by=by,
                reason=_("Bought-in part scrapped (料废): supplier to replace it"),
                link_from=appraisal,
                link_kind="supplier_claim",
            )
    return appraisal


def _archive(kind: str, record, by: User) -> None:
    """Archive the signed or final form once the transaction has committed."""
    from warranty.tasks import archive_signed_pdf

    events.enqueue_on_commit(archive_signed_pdf, kind, record.pk, getattr(by, "pk", None))


def _route(appraisal: Appraisal, *, by: User) -> list[Notice]:
    from warranty.tasks import send_notice_mail

    part = appraisal.part
    text = _("%(number)s: %(part)s of %(customer)s — %(origin)s defect, %(cause)s") % {
        "number": appraisal.number,
        "part": part.part_name,
        "customer": part.customer,
        "origin": appraisal.get_origin_display(),
        "cause": appraisal.cause[:120],
    }
    notices = []
    for role in appraisal.routed_to:
        notice = Notice(role=role, appraisal=appraisal, text=text[:300])
        notices.append(record_create(notice, by=by, reason=_("Routed to %(role)s") % {"role": notice.role_label}))
        events.enqueue_on_commit(send_notice_mail, notice.pk)
    return notices


@transaction.atomic
def appraisal_take_note(*, pk, by: User) -> list[Notice]:
    """Someone of a department the appraisal was routed to has taken note; it leaves their 待办."""
    appraisal = lock(Appraisal, pk)
    notices = [n for n in appraisal.notices.select_for_update().order_by("pk") if roles.is_notice_addressee(by, n)]
    if not notices:
        raise PermissionRefused(_("This appraisal was routed to other departments."))
    now = timezone.now()
    for notice in notices:
        # Read already (a colleague, or the same page sent twice): the first reader stays on record.
        if notice.read_at is None:
            notice.read_by, notice.read_at = by, now
            audit(notice, by, _("Noted"))
            notice.save()
    return notices


@transaction.atomic
def appraisal_exchange(*, pk, by: User, good_part_serial: str, expected_state=None) -> Appraisal:
    """4.6: the warehouse hands out a good part against the appraisal form and the defective one."""
    appraisal = lock(Appraisal, pk)
    if not good_part_serial.strip():
        raise RuleViolation(_("Record the good part's serial number."))
    perform_transition(
        appraisal,
        "exchange",
        by=by,
        expected_state=expected_state,
        reason=_("Good part %(serial)s handed out") % {"serial": good_part_serial},
        good_part_serial=good_part_serial,
    )
    part = lock(ReturnedPart, appraisal.part_id)
    # 4.7: the bought-in defective part stays in the warehouse as 料废 for the supplier.
    perform_transition(part, "exchange", by=by, scrap=appraisal.origin == Origin.BOUGHT_IN)
    return appraisal


@transaction.atomic
def appraisal_tell_customer(*, pk, by: User, expected_state=None) -> Appraisal:
    """Not the company's defect: the customer is told, with the chargeable cost."""
    appraisal = lock(Appraisal, pk)
    perform_transition(appraisal, "tell_customer", by=by, expected_state=expected_state)
    part = lock(ReturnedPart, appraisal.part_id)
    if part.status == ReturnedPart.Status.QUARANTINED:
        perform_transition(part, "release", by=by, reason=_("Not our defect: back to the customer"))
    return appraisal


# --- supplier replacement ---------------------------------------------------------------


@transaction.atomic
def supplier_claim_notify(*, pk, by: User, on: date | None = None, expected_state=None) -> SupplierClaim:
    """4.7: purchasing notifies the supplier; good parts are due one calendar month later."""
    claim = lock(SupplierClaim, pk)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise RuleViolation(_("The notification date cannot be in the future."))
    return perform_transition(claim, "notify", by=by, expected_state=expected_state, on=on)


@transaction.atomic
def supplier_claim_receive(
    *, pk, by: User, quantity: int, on: date | None = None, expected_state=None
) -> SupplierClaim:
    """The supplier's good parts arrived: the claim closes."""
    claim = lock(SupplierClaim, pk)
    on = on or timezone.localdate()
    if quantity < claim.quantity:
        raise RuleViolation(
            _("The supplier owes %(owed)d; only %(got)d received.") % {"owed": claim.quantity, "got": quantity}
        )
    return perform_transition(claim, "receive", by=by, expected_state=expected_state, on=on, quantity=quantity)


# --- customer claims --------------------------------------------------------------------


@transaction.atomic
def customer_claim_create(
    *, by: User, customer, reason: str, amount_claimed, appraisal=None, sheet=None, case=None
) -> CustomerClaim:
    """4.8: marketing records a customer's claim caused by product quality."""
    require_permission(by, "warranty.add_customerclaim")
    amount_claimed = _money(amount_claimed)
    if amount_claimed <= 0:
        raise RuleViolation(_("The amount claimed must be more than zero."))
    claim = CustomerClaim(
        customer=customer,
        appraisal=appraisal,
        sheet=sheet,
        reason=reason,
        amount_claimed=amount_claimed,
    )
    record_create(claim, by=by, reason=_("Customer claim recorded"))
    for source in (appraisal, sheet, case):
        if source is not None:
            link_records(source, claim, "customer_claim", by=by)
    return claim


@transaction.atomic
def customer_claim_agree(*, pk, by: User, amount, note: str = "", expected_state=None) -> CustomerClaim:
    """Marketing agrees the amount with the customer (4.8); leadership approves it next."""
    claim = lock(CustomerClaim, pk)
    amount = _money(amount)
    if amount <= 0 or amount > claim.amount_claimed:
        raise RuleViolation(_("The agreed amount must be more than zero and at most the amount claimed."))
    return perform_transition(
        claim,
        "agree",
        by=by,
        expected_state=expected_state,
        reason=_("Amount agreed with the customer: ¥%(amount)s") % {"amount": amount},
        amount=amount,
        note=note,
    )


@transaction.atomic
def customer_claim_approve(*, pk, by: User, comment: str = "", expected_state=None) -> CustomerClaim:
    """Leadership approves the agreed amount: finance may pay it."""
    claim = lock(CustomerClaim, pk)
    reason = _("Agreed amount ¥%(amount)s approved by leadership") % {"amount": claim.amount_agreed}
    return perform_transition(
        claim,
        "approve",
        by=by,
        expected_state=expected_state,
        reason=f"{reason}: {comment.strip()}" if comment.strip() else reason,
        comment=comment.strip(),
    )


@transaction.atomic
def customer_claim_send_back(*, pk, by: User, comment: str, expected_state=None) -> CustomerClaim:
    """Leadership does not approve the amount: marketing agrees it again, told why."""
    if not comment.strip():
        raise RuleViolation(_("Say why the amount goes back."))
    claim = lock(CustomerClaim, pk)
    return perform_transition(
        claim,
        "send_back",
        by=by,
        expected_state=expected_state,
        reason=_("Amount ¥%(amount)s not approved: %(comment)s")
        % {"amount": claim.amount_agreed, "comment": comment.strip()},
        comment=comment.strip(),
    )


@transaction.atomic
def customer_claim_pay(*, pk, by: User, amount, on: date | None = None, expected_state=None) -> CustomerClaim:
    """Finance pays the approved amount to the customer (a payout, not a payment received)."""
    claim = lock(CustomerClaim, pk)
    amount = _money(amount)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise RuleViolation(_("The payment date cannot be in the future."))
    if claim.amount_agreed is not None and amount != claim.amount_agreed:
        raise RuleViolation(_("The payment must be the agreed amount (%(agreed)s).") % {"agreed": claim.amount_agreed})
    return perform_transition(
        claim,
        "pay",
        by=by,
        expected_state=expected_state,
        reason=_("Claim paid: ¥%(amount)s on %(date)s") % {"amount": amount, "date": on.isoformat()},
        amount=amount,
        on=on,
    )


@transaction.atomic
def customer_claim_reject(*, pk, by: User, note: str, expected_state=None) -> CustomerClaim:
    claim = lock(CustomerClaim, pk)
    if not note.strip():
        raise RuleViolation(_("Give the reason for rejecting the claim."))
    return perform_transition(claim, "reject", by=by, expected_state=expected_state, reason=note, note=note)


# --- quality incident -------------------------------------------------------------------


@transaction.atomic
def incident_create(*, by: User, customer, description: str, unit=None, site=None, sheet=None) -> QualityIncident:
    """一.1: whoever hears of a quality incident passes it to QC at once."""
    require_permission(by, "warranty.add_qualityincident")
    incident = QualityIncident(
        customer=customer,
        unit=unit,
        site=site or (unit.site if unit is not None else None),
        sheet=sheet,
        description=description,
    )
    return record_create(
        incident, by=by, reason=_("Quality incident passed to QC"), link_from=sheet, link_kind="incident"
    )


@transaction.atomic
def incident_trace(*, pk, by: User, first_cause: str, consequence: str, expected_state=None) -> QualityIncident:
    """一.2: QC fills the tracking sheet with the first judgement of cause and consequence."""
    incident = lock(QualityIncident, pk)
    if not first_cause.strip() or not consequence.strip():
        raise RuleViolation(_("The first cause and the consequence are required."))
    return perform_transition(
        incident, "trace", by=by, expected_state=expected_state, first_cause=first_cause, consequence=consequence
    )


@transaction.atomic
def incident_assign(
    *, pk, by: User, department, in_house: bool = True, supplier=None, expected_state=None
) -> QualityIncident:
    """一.3: the leaders name the responsible department."""
    incident = lock(QualityIncident, pk)
    if department is None:
        raise RuleViolation(_("Name the responsible department."))
    return perform_transition(
        incident,
        "assign",
        by=by,
        expected_state=expected_state,
        reason=_("Responsible: %(dept)s") % {"dept": department},
        department=department,
        in_house=in_house,
        supplier=supplier,
    )


@transaction.atomic
def incident_dispatch(
    *, pk, by: User, people: str, from_responsible: bool = True, reason: str = "", expected_state=None
) -> QualityIncident:
    """二.1: people of the responsible department go first; others only with a reason."""
    incident = lock(QualityIncident, pk)
    if not people.strip():
        raise RuleViolation(_("Name the people dispatched."))
    if not from_responsible and not reason.strip():
        raise RuleViolation(_("Say why the responsible department's people cannot go."))
    return perform_transition(
        incident,
        "dispatch",
        by=by,
        expected_state=expected_state,
        people=people,
        from_responsible=from_responsible,
        reason=reason,
    )


@transaction.atomic
def incident_feedback_sign(
    *,
    pk,
    by: User,
    handling: str,
    signer_name: str,
    signature: str,
    signer_phone: str = "",
    request=None,
    latitude=None,
    longitude=None,
    accuracy=None,
    expected_state=None,
) -> QualityIncident:
    """二.2: the customer signs the 处理反馈单 on the tablet in person; it is filed with QC."""
    incident = lock(QualityIncident, pk)
    if not handling.strip():
        raise RuleViolation(_("Describe the handling and its result."))
    incident.handling = handling
    perform_transition(incident, "file_feedback", by=by, expected_state=expected_state, signer_name=signer_name)
    signature_capture(
        incident,
        purpose=FEEDBACK_PURPOSE,
        data_url=signature,
        signer_name=signer_name,
        signer_phone=signer_phone,
        method=Signature.Method.TABLET,
        captured_by=by,
        request=request,
        latitude=latitude,
        longitude=longitude,
        accuracy=accuracy,
    )
    _archive("incident_feedback", incident, by)
    return incident


@transaction.atomic
def incident_signing_link_create(*, pk, by: User) -> SigningLink:
    """A single-use link for the customer to sign the 处理反馈单 on their own phone (earlier ones revoked)."""
    incident = lock(QualityIncident, pk)
    # The customer's signature through the link files the feedback as the user who made it.
    check_transition(incident, "file_feedback", by)
    link, _url = signing_link_create(incident, purpose=FEEDBACK_PURPOSE, by=by)
    return link


@transaction.atomic
def incident_feedback_sign_by_link(
    *, token: str, handling_ok: bool, signer_name: str, signature: str, signer_phone: str = "", request=None
) -> QualityIncident:
    """The customer signs the 处理反馈单 through a link on their own phone (single use)."""
    link = signing_link_consume(token)
    incident = lock(QualityIncident, link.record_id)
    if incident.status != QualityIncident.Status.DISPATCHED:
        raise RuleViolation(_("This feedback sheet is no longer waiting for a signature."))
    signature_capture(
        incident,
        purpose=FEEDBACK_PURPOSE,
        data_url=signature,
        signer_name=signer_name,
        signer_phone=signer_phone,
        method=Signature.Method.LINK,
        request=request,
    )
    creator = link.created_by
    perform_transition(
        incident,
        "file_feedback",
        by=creator,
        reason=_("Signed by the customer through a link"),
        signer_name=signer_name,
    )
    _archive("incident_feedback", incident, creator)
    return incident


@transaction.atomic
def incident_cost_add(
    *, pk, by: User, kind: str, amount=None, hours=None, rate=None, description: str = ""
) -> IncidentCost:
    """三.1: production fills each cost (labour = hours × rate)."""
    require_permission(by, "warranty.cost_qualityincident")
    incident = lock(QualityIncident, pk)
    if incident.status != QualityIncident.Status.FEEDBACK:
        raise RuleViolation(_("Costs are filled after the signed feedback sheet and before confirmation."))
    if kind not in IncidentCost.Kind.values:
        raise RuleViolation(_("Choose the kind of cost."))
    hours = Decimal(str(hours)) if hours not in (None, "") else None
    rate = Decimal(str(rate)) if rate not in (None, "") else None
    if kind == IncidentCost.Kind.LABOUR:
        if not hours or not rate or hours <= 0 or rate <= 0:
            raise RuleViolation(_("Labour needs the hours and the rate per hour."))
        amount = hours * rate
    amount = _money(amount)
    if amount <= 0:
        raise RuleViolation(_("The amount must be more than zero."))
    cost = IncidentCost(incident=incident, kind=kind, description=description, hours=hours, rate=rate, amount=amount)
    return record_create(cost, by=by, reason=_("Cost recorded"))


@transaction.atomic
def incident_submit_costs(*, pk, by: User, expected_state=None) -> QualityIncident:
    incident = lock(QualityIncident, pk)
    total = incident.costs.aggregate(total=Sum("amount"))["total"]
    if not total:
        raise RuleViolation(_("Record at least one cost first."))
    return perform_transition(incident, "submit_costs", by=by, expected_state=expected_state, total=_money(total))


@transaction.atomic
def incident_confirm(*, pk, by: User, expected_state=None) -> QualityIncident:
    """三.1: the responsible department signs the costs."""
    incident = lock(QualityIncident, pk)
    return perform_transition(incident, "confirm", by=by, expected_state=expected_state)


def active_rule() -> AllocationRule:
    rule = AllocationRule.objects.filter(is_active=True).order_by("-updated_at", "-pk").first()
    if rule is None:
        rule = AllocationRule.objects.create(name=_("Default: 50% to the responsible team"))
    return rule


def allocate(total: Decimal, rule: AllocationRule, *, in_house: bool, has_supplier: bool) -> dict:
    """三.2: a bought-in part's supplier bears its share first; the in-house team its share of the rest."""
    total = _money(total)
    supplier_share = _money(total * rule.supplier_percent / 100) if has_supplier else Decimal("0.00")
    rest = total - supplier_share
    team_share = _money(rest * rule.team_percent / 100) if in_house else Decimal("0.00")
    return {
        "rule_name": rule.name,
        "rule_team_percent": rule.team_percent,
        "rule_supplier_percent": rule.supplier_percent,
        "total_cost": total,
        "supplier_share": supplier_share,
        "team_share": team_share,
        "company_share": total - supplier_share - team_share,
    }


@transaction.atomic
def incident_review(*, pk, by: User, comment: str = "", expected_state=None) -> QualityIncident:
    """三.1–2: leadership reviews; the active rule's values are stored with the incident."""
    incident = lock(QualityIncident, pk)
    allocation = allocate(
        incident.total_cost,
        active_rule(),
        in_house=incident.is_in_house_team,
        has_supplier=incident.supplier_id is not None,
    )
    perform_transition(incident, "review", by=by, expected_state=expected_state, comment=comment, allocation=allocation)
    _archive("incident_final", incident, by)
    return incident


# --- corrective and preventive actions --------------------------------------------------


@transaction.atomic
def action_create(
    *,
    by: User,
    problem: str,
    root_cause: str,
    action: str,
    owner_department,
    due_date: date,
    appraisal=None,
    incident=None,
) -> CorrectiveAction:
    """IATF16949 4.2.4: a corrective and preventive action from an appraisal or an incident."""
    require_permission(by, "warranty.add_correctiveaction")
    if appraisal is None and incident is None:
        raise RuleViolation(_("A corrective action comes from an appraisal or an incident."))
    if due_date < timezone.localdate():
        raise RuleViolation(_("The due date cannot be in the past."))
    ca = CorrectiveAction(
        appraisal=appraisal,
        incident=incident,
        problem=problem,
        root_cause=root_cause,
        action=action,
        owner_department=owner_department,
        due_date=due_date,
    )
    return record_create(
        ca, by=by, reason=_("Corrective action opened"), link_from=appraisal or incident, link_kind="capa"
    )


@transaction.atomic
def action_implement(*, pk, by: User, implementation: str, expected_state=None) -> CorrectiveAction:
    ca = lock(CorrectiveAction, pk)
    if not implementation.strip():
        raise RuleViolation(_("Say what was done."))
    return perform_transition(ca, "implement", by=by, expected_state=expected_state, implementation=implementation)


@transaction.atomic
def action_verify(*, pk, by: User, effective: bool, verification: str, expected_state=None) -> CorrectiveAction:
    """QC verifies effectiveness; only an effective action closes."""
    ca = lock(CorrectiveAction, pk)
    if not verification.strip():
        raise RuleViolation(_("Record how the effectiveness was verified."))
    return perform_transition(
        ca,
        "verify",
        by=by,
        expected_state=expected_state,
        reason=_("Verified effective") if effective else _("Not effective: back to the owner"),
        effective=effective,
        verification=verification,
    )


# --- 质量奖罚 (IATF procedure 4.2.5) ---------------------------------------------------------

RESPONSIBILITY_TRACED = (
    QualityIncident.Status.ASSIGNED,
    QualityIncident.Status.DISPATCHED,
    QualityIncident.Status.FEEDBACK,
    QualityIncident.Status.COSTED,
    QualityIncident.Status.CONFIRMED,
    QualityIncident.Status.REVIEWED,
)


@transaction.atomic
def sanction_propose(
    *, pk, by: User, kind: str, amount, reason: str, department=None, person: str = ""
) -> QualitySanction:
    """QC proposes a reward or penalty for a department or a person of the incident (`pk`)."""
    require_permission(by, "warranty.add_qualitysanction", _("Propose a reward or penalty"))
    incident = lock(QualityIncident, pk)
    if incident.status not in RESPONSIBILITY_TRACED:
        raise TransitionRefused(_("Rewards and penalties follow once the responsible department is named."))
    if kind not in QualitySanction.Kind.values:
        raise RuleViolation(_("Choose reward or penalty."))
    if department is None and not person.strip():
        raise RuleViolation(_("Name the department or the person."))
    amount = _money(amount)
    if amount <= 0:
        raise RuleViolation(_("The amount must be more than zero."))
    if not reason.strip():
        raise RuleViolation(_("Give the reason."))
    sanction = QualitySanction(
        incident=incident, kind=kind, department=department, person=person.strip(), amount=amount, reason=reason
    )
    return record_create(sanction, by=by, reason=_("Reward or penalty proposed"))


@transaction.atomic
def sanctions_decide(*, pk, by: User, decision: str, comment: str = "") -> list[QualitySanction]:
    """The company leadership approves or rejects the proposed rewards and penalties of the incident (`pk`)."""
    if decision not in ("approve", "reject"):
        raise RuleViolation(_("Choose approve or reject."))
    if decision == "reject" and not comment.strip():
        raise RuleViolation(_("Give the reason for rejecting."))
    incident = lock(QualityIncident, pk)
    pending = list(incident.sanctions.select_for_update().filter(decision=QualitySanction.Decision.PROPOSED))
    if not pending:
        raise TransitionRefused(_("No reward or penalty waits for a decision."))
    label = _("Approved by leadership") if decision == "approve" else _("Rejected by leadership")
    return [
        perform_transition(sanction, decision, by=by, reason=f"{label}: {comment}".rstrip(": "), comment=comment)
        for sanction in pending
    ]
