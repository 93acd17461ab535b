"""What each warranty page shows, declared once: a record page's facts, sections, prints and the
records it opens; a list's columns and filters. views.py serves them with one detail view, one list
view and one print view; the steps drawn on a record page are declared in steps.py.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aftersales.signatures import signatures_of
from warranty import roles, selectors, services
from warranty.models import (
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    QualityIncident,
    QualitySheet,
    ReturnedPart,
    SupplierClaim,
)


@dataclass(frozen=True)
class RecordPage:
    """A record's page: its facts, the sections below them, its printable forms and what it opens."""

    model: type[Any]
    view_perm: str
    title: Promise
    fields: tuple[str, ...]  # the facts shown, in this order
    sections: Callable[[Any, Any], dict] | None = None  # (record, user) → the page's own sections
    prints: tuple[tuple[Promise, str], ...] = ()  # (label, URL name taking the pk)
    opens: tuple[tuple[Promise, str, str], ...] = ()  # (label, create URL name, permission): records it starts


def _display(obj, name: str):
    f = obj._meta.get_field(name)
    value = getattr(obj, name)
    if getattr(f, "choices", None) and value not in ("", None):
        return getattr(obj, f"get_{name}_display")()
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if value is None or value == "":
        return "—"
    if hasattr(value, "isoformat") and hasattr(value, "hour"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


def facts(obj, names: tuple[str, ...]) -> list[tuple[str, object]]:
    """(label, shown value) of each named field of the record."""
    return [(obj._meta.get_field(n).verbose_name, _display(obj, n)) for n in names]


def _sheet_sections(sheet: QualitySheet, user) -> dict:
    return {
        "parts": sheet.parts.select_related("unit", "appraisal", "appraisal__supplier_claim").order_by("pk"),
        "site_teams": sheet.site_teams.select_related("named_by").prefetch_related("members") if sheet.is_major else (),
    }


def _part_sections(part: ReturnedPart, user) -> dict:
    return {"handovers": part.handovers.select_related("received_by"), "appraisal": getattr(part, "appraisal", None)}


def _appraisal_sections(appraisal: Appraisal, user) -> dict:
    part = appraisal.part
    return {
        "part": part,
        "handovers": part.handovers.select_related("received_by"),
        "notices": appraisal.notices.select_related("read_by").order_by("role"),
        "my_notices": [n for n in appraisal.notices.all() if n.read_at is None and roles.is_notice_addressee(user, n)],
        "warranties": part.unit.component_warranties() if part.unit else [],
        "signatures": signatures_of(appraisal, services.APPRAISAL_PURPOSE),
        "supplier_claim": getattr(appraisal, "supplier_claim", None),
    }


def _incident_sections(incident: QualityIncident, user) -> dict:
    return {
        "costs": incident.costs.all(),
        "sanctions": incident.sanctions.select_related("department", "created_by"),
        "signatures": signatures_of(incident, services.FEEDBACK_PURPOSE),
        "signing_url": selectors.open_signing_link(incident, purpose=services.FEEDBACK_PURPOSE, made_by=user),
    }


PRINT = gettext_lazy("Print")
OPEN_CUSTOMER_CLAIM = (
    gettext_lazy("Record a customer claim"),
    "warranty:customerclaim-create",
    "warranty.add_customerclaim",
)
OPEN_ACTION = (gettext_lazy("Open a corrective action"), "warranty:action-create", "warranty.add_correctiveaction")

RECORD_PAGES = {
    "sheet": RecordPage(
        QualitySheet,
        "warranty.view_qualitysheet",
        gettext_lazy("quality information sheet"),
        (
            "status",
            "customer",
            "site",
            "unit",
            "contact_name",
            "contact_phone",
            "description",
            "is_major",
            "first_answer",
            "sent_at",
            "qc_opinion",
            "qc_answered_by",
            "qc_answered_at",
            "naming",
        ),
        _sheet_sections,
        prints=((PRINT, "warranty:sheet-print"),),
        opens=(
            (gettext_lazy("Register a returned part"), "warranty:part-create", "warranty.add_returnedpart"),
            (gettext_lazy("Pass a quality incident to QC"), "warranty:incident-create", "warranty.add_qualityincident"),
            OPEN_CUSTOMER_CLAIM,
        ),
    ),
    "part": RecordPage(
        ReturnedPart,
        "warranty.view_returnedpart",
        gettext_lazy("returned part"),
        (
            "status",
            "customer",
            "unit",
            "component",
            "part_name",
            "part_serial",
            "quantity",
            "fault",
            "grade",
            "analysis",
            "chargeable_cost",
            "location",
            "quarantined_at",
            "sheet",
        ),
        _part_sections,
        prints=((gettext_lazy("Print the return tag"), "warranty:part-tag"),),
    ),
    "appraisal": RecordPage(
        Appraisal,
        "warranty.view_appraisal",
        gettext_lazy("三包 appraisal"),
        (
            "status",
            "part",
            "request_note",
            "place",
            "own_defect",
            "origin",
            "supplier",
            "cause",
            "outcome",
            "outcome_reason",
            "chargeable_cost",
            "appraised_by",
            "appraised_at",
            "good_part_serial",
            "warehouse_keeper",
            "exchanged_at",
            "customer_told_at",
        ),
        _appraisal_sections,
        prints=((PRINT, "warranty:appraisal-print"),),
        opens=(OPEN_CUSTOMER_CLAIM, OPEN_ACTION),
    ),
    "supplierclaim": RecordPage(
        SupplierClaim,
        "warranty.view_supplierclaim",
        gettext_lazy("supplier replacement claim"),
        (
            "status",
            "supplier",
            "appraisal",
            "part_name",
            "quantity",
            "notified_on",
            "deadline",
            "received_on",
            "received_quantity",
        ),
    ),
    "customerclaim": RecordPage(
        CustomerClaim,
        "warranty.view_customerclaim",
        gettext_lazy("customer claim"),
        (
            "status",
            "customer",
            "appraisal",
            "sheet",
            "reason",
            "amount_claimed",
            "amount_agreed",
            "agreed_by",
            "agreed_at",
            "approved_by",
            "approved_at",
            "approval_comment",
            "amount_paid",
            "paid_on",
            "paid_by",
            "note",
        ),
    ),
    "incident": RecordPage(
        QualityIncident,
        "warranty.view_qualityincident",
        gettext_lazy("quality incident"),
        (
            "status",
            "customer",
            "site",
            "unit",
            "sheet",
            "description",
            "first_cause",
            "consequence",
            "responsible_department",
            "is_in_house_team",
            "supplier",
            "people",
            "from_responsible_department",
            "other_department_reason",
            "handling",
            "feedback_signer",
            "total_cost",
            "confirmed_by",
            "reviewed_by",
            "review_comment",
            "rule_name",
            "rule_team_percent",
            "rule_supplier_percent",
            "team_share",
            "supplier_share",
            "company_share",
        ),
        _incident_sections,
        prints=(
            (PRINT, "warranty:incident-print"),
            (gettext_lazy("Print the feedback sheet"), "warranty:incident-feedback-print"),
        ),
        opens=(OPEN_ACTION,),
    ),
    "action": RecordPage(
        CorrectiveAction,
        "warranty.view_correctiveaction",
        gettext_lazy("corrective and preventive action"),
        (
            "status",
            "appraisal",
            "incident",
            "problem",
            "root_cause",
            "action",
            "owner_department",
            "due_date",
            "implementation",
            "implemented_at",
            "verification",
            "verified_by",
            "verified_at",
        ),
        prints=((PRINT, "warranty:action-print"),),
    ),
}


@dataclass(frozen=True)
class ListPage:
    """A list of one kind of record: its columns, the filters it offers and the record it opens."""

    title: Promise
    perm: str
    selector: Callable[..., Any]
    statuses: list
    columns: list[tuple[Promise, Callable[[Any], Any]]]
    ordering: tuple[str, ...] = ("-created_at", "-pk")
    filters: tuple[str, ...] = ()  # "origin", "overdue"
    create_url: str = ""
    create_perm: str = ""


def _customer(o) -> str:
    return o.customer.name if o.customer_id else ""


LISTS = {
    "sheet": ListPage(
        gettext_lazy("Quality information sheets"),
        "warranty.view_qualitysheet",
        selectors.sheet_list,
        QualitySheet.Status.choices,
        [
            (gettext_lazy("customer"), _customer),
            (gettext_lazy("unit"), lambda o: o.unit or ""),
            (gettext_lazy("major quality problem"), lambda o: "★" if o.is_major else ""),
        ],
        create_url="warranty:sheet-create",
        create_perm="warranty.add_qualitysheet",
    ),
    "part": ListPage(
        gettext_lazy("Returned parts"),
        "warranty.view_returnedpart",
        selectors.part_list,
        ReturnedPart.Status.choices,
        [
            (gettext_lazy("customer"), _customer),
            (gettext_lazy("unit"), lambda o: o.unit or ""),
            (gettext_lazy("part"), lambda o: o.part_name),
        ],
        create_url="warranty:part-create",
        create_perm="warranty.add_returnedpart",
    ),
    "appraisal": ListPage(
        gettext_lazy("三包 appraisals"),
        "warranty.view_appraisal",
        selectors.appraisal_list,
        Appraisal.Status.choices,
        [
            (gettext_lazy("customer"), lambda o: o.part.customer.name),
            (gettext_lazy("part"), lambda o: f"{o.part.number} {o.part.part_name}"),
            (gettext_lazy("origin"), lambda o: o.get_origin_display()),
        ],
        filters=("origin",),
    ),
    "supplierclaim": ListPage(
        gettext_lazy("Supplier replacements"),
        "warranty.view_supplierclaim",
        selectors.supplier_claim_list,
        SupplierClaim.Status.choices,
        [
            (gettext_lazy("supplier"), lambda o: o.supplier.name),
            (gettext_lazy("part"), lambda o: f"{o.part_name} × {o.quantity}"),
            (gettext_lazy("deadline"), lambda o: o.deadline or ""),
        ],
        filters=("overdue",),
    ),
    "customerclaim": ListPage(
        gettext_lazy("Customer claims"),
        "warranty.view_customerclaim",
        selectors.customer_claim_list,
        CustomerClaim.Status.choices,
        [
            (gettext_lazy("customer"), _customer),
            (gettext_lazy("amount claimed"), lambda o: o.amount_claimed),
            (gettext_lazy("amount agreed"), lambda o: o.amount_agreed if o.amount_agreed is not None else ""),
            (gettext_lazy("amount paid"), lambda o: o.amount_paid if o.amount_paid is not None else ""),
        ],
        create_url="warranty:customerclaim-create",
        create_perm="warranty.add_customerclaim",
    ),
    "incident": ListPage(
        gettext_lazy("Quality incidents"),
        "warranty.view_qualityincident",
        selectors.incident_list,
        QualityIncident.Status.choices,
        [
            (gettext_lazy("customer"), _customer),
            (gettext_lazy("unit"), lambda o: o.unit or ""),
            (gettext_lazy("responsible department"), lambda o: o.responsible_department or ""),
        ],
        create_url="warranty:incident-create",
        create_perm="warranty.add_qualityincident",
    ),
    "action": ListPage(
        gettext_lazy("Corrective actions"),
        "warranty.view_correctiveaction",
        selectors.action_list,
        CorrectiveAction.Status.choices,
        [
            (gettext_lazy("owner department"), lambda o: o.owner_department),
            (gettext_lazy("due date"), lambda o: o.due_date),
            (gettext_lazy("problem"), lambda o: o.problem[:40]),
        ],
        filters=("overdue",),
    ),
}
