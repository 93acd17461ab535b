"""待办 sections of warranty and quality, per role; each section reads at most LIMIT rows."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.registry import TodoItem, TodoSection
from aftersales.roles import has_role
from warranty import selectors
from warranty.models import (
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    Naming,
    QualityIncident,
    QualitySheet,
    ReturnedPart,
    SupplierClaim,
)

LIMIT = 8


def _section(title, qs, *, url: str, order: int, note=lambda obj: "", flag=lambda obj: "", since="created_at"):
    rows = list(qs[:LIMIT])
    if not rows:
        return None
    items = [
        TodoItem(
            label=" · ".join(str(x) for x in (obj.number, getattr(obj, "customer", None)) if x),
            url=obj.get_absolute_url(),
            since=getattr(obj, since),
            note=note(obj),
            flag=flag(obj),
        )
        for obj in rows
    ]
    return TodoSection(title=title, items=items, url=url, order=order, flag=next((i.flag for i in items if i.flag), ""))


def _notices(role: str, title) -> TodoSection | None:
    notices = selectors.open_notices(role, LIMIT)
    if not notices:
        return None
    items = [
        TodoItem(label=n.appraisal.number, url=n.appraisal.get_absolute_url(), since=n.created_at, note=n.text)
        for n in notices
    ]
    return TodoSection(title=title, items=items, order=60)


def sections(user) -> list[TodoSection]:
    result = []
    if user.has_perm("warranty.approve_qualitysanction"):
        # 质量奖罚: the proposed rewards and penalties wait for the company leadership.
        result.append(
            _section(
                _("Quality rewards and penalties to decide"),
                QualityIncident.objects.filter(sanctions__decision="proposed")
                .distinct()
                .select_related("customer")
                .order_by("created_at"),
                url=reverse("warranty:incident-list"),
                order=48,
            )
        )
    today = timezone.localdate()
    S = QualitySheet.Status
    if has_role(user, "clerk", "as_manager"):
        result += [
            _section(
                _("Quality sheets: answer the customer and send to QC"),
                QualitySheet.objects.filter(status=S.DRAFT).select_related("customer").order_by("created_at"),
                url=reverse("warranty:sheet-list") + "?status=draft",
                order=50,
            ),
            _section(
                _("Returned parts to grade"),
                ReturnedPart.objects.filter(status=ReturnedPart.Status.RECEIVED)
                .select_related("customer")
                .order_by("created_at"),
                url=reverse("warranty:part-list") + "?status=received",
                order=51,
            ),
            _section(
                _("Appraised not our defect: tell the customer"),
                Appraisal.objects.filter(status=Appraisal.Status.APPRAISED_NOT)
                .select_related("part__customer")
                .order_by("appraised_at"),
                url=reverse("warranty:appraisal-list") + "?status=not_own",
                order=52,
                since="appraised_at",
            ),
        ]
    if has_role(user, "qc"):
        result += [
            _section(
                _("Quality sheets waiting for QC's opinion"),
                QualitySheet.objects.filter(status=S.SENT).select_related("customer").order_by("sent_at"),
                url=reverse("warranty:sheet-list") + "?status=sent",
                order=50,
                since="sent_at",
                flag=lambda s: "warning" if s.is_major else "",
                note=lambda s: _("major quality problem") if s.is_major else "",
            ),
            _section(
                _("Returned parts to appraise"),
                Appraisal.objects.filter(status=Appraisal.Status.FILED, part__status=ReturnedPart.Status.QUARANTINED)
                .select_related("part__customer")
                .order_by("created_at"),
                url=reverse("warranty:appraisal-list") + "?status=filed",
                order=51,
                note=lambda a: a.part.part_name,
            ),
            _section(
                _("Quality incidents: fill the tracking sheet"),
                QualityIncident.objects.filter(status=QualityIncident.Status.REPORTED)
                .select_related("customer")
                .order_by("created_at"),
                url=reverse("warranty:incident-list") + "?status=reported",
                order=52,
                flag=lambda i: "at_risk",
            ),
            _section(
                _("Corrective actions to verify"),
                CorrectiveAction.objects.filter(status=CorrectiveAction.Status.IMPLEMENTED).order_by("implemented_at"),
                url=reverse("warranty:action-list") + "?status=implemented",
                order=53,
                since="implemented_at",
            ),
        ]
    # 4.2: each unit sees the major problems it has not named its people for yet.
    for role, waiting, title in (
        ("qc", [Naming.NONE, Naming.RND], _("Major quality problems: name QC's people")),
        ("rnd", [Naming.NONE, Naming.QC], _("Major quality problems: name R&D's people")),
    ):
        if has_role(user, role):
            result.append(
                _section(
                    title,
                    QualitySheet.objects.filter(is_major=True, naming__in=waiting, status__in=[S.SENT, S.ANSWERED])
                    .select_related("customer")
                    .order_by("sent_at"),
                    url=reverse("warranty:sheet-list") + "?status=sent",
                    order=49,
                    since="sent_at",
                    flag=lambda s: "at_risk",
                    note=lambda s: s.get_naming_display(),
                )
            )
    if has_role(user, "warehouse"):
        result += [
            _section(
                _("Tagged parts to receive into quarantine"),
                ReturnedPart.objects.filter(status=ReturnedPart.Status.TAGGED)
                .select_related("customer")
                .order_by("updated_at"),
                url=reverse("warranty:part-list") + "?status=tagged",
                order=50,
                note=lambda p: p.part_name,
            ),
            _section(
                _("Good parts to hand out in exchange"),
                Appraisal.objects.filter(status=Appraisal.Status.APPRAISED_OWN)
                .select_related("part__customer")
                .order_by("appraised_at"),
                url=reverse("warranty:appraisal-list") + "?status=own_defect",
                order=51,
                since="appraised_at",
                note=lambda a: a.part.part_name,
            ),
        ]
    if has_role(user, "purchasing", "warehouse"):
        result.append(
            _section(
                _("Supplier replacements (due within one month)"),
                SupplierClaim.objects.filter(status__in=[SupplierClaim.Status.OPEN, SupplierClaim.Status.NOTIFIED])
                .select_related("supplier")
                .order_by("status", "deadline", "pk"),
                url=reverse("warranty:supplierclaim-list"),
                order=45,
                note=lambda c: (
                    _("%(supplier)s · due %(deadline)s") % {"supplier": c.supplier, "deadline": c.deadline}
                    if c.deadline
                    else _("%(supplier)s · to notify") % {"supplier": c.supplier}
                ),
                flag=lambda c: "overdue" if c.is_overdue else ("at_risk" if c.deadline and c.deadline <= today else ""),
            )
        )
    for role, title in (
        ("production", _("Self-made defects routed to production")),
        ("purchasing", _("Bought-in defects routed to purchasing")),
        ("sales", _("Defects routed to marketing")),
    ):
        if has_role(user, role):
            result.append(_notices(role, title))
    # 4.8: marketing agrees the amount, leadership approves it, finance pays it.
    C = CustomerClaim.Status
    for role, claim_status, title in (
        ("sales", C.CLAIMED, _("Customer claims: agree the amount")),
        ("leader", C.AGREED, _("Customer claims: approve the agreed amount")),
        ("finance", C.APPROVED, _("Customer claims: pay the approved amount")),
    ):
        if has_role(user, role):
            result.append(
                _section(
                    title,
                    CustomerClaim.objects.filter(status=claim_status).select_related("customer").order_by("updated_at"),
                    url=reverse("warranty:customerclaim-list") + f"?status={claim_status}",
                    order=55,
                    since="updated_at",
                    note=lambda c: f"¥{c.amount_agreed if c.amount_agreed is not None else c.amount_claimed}",
                )
            )
    incident_steps = (
        ("leader", QualityIncident.Status.TRACED, _("Quality incidents: name the responsible department")),
        ("leader", QualityIncident.Status.CONFIRMED, _("Quality incidents to review")),
        ("deptmgr", QualityIncident.Status.ASSIGNED, _("Quality incidents: dispatch people")),
        ("deptmgr", QualityIncident.Status.COSTED, _("Quality incident costs to confirm")),
        ("production", QualityIncident.Status.FEEDBACK, _("Quality incidents: fill the costs")),
    )
    for role, status, title in incident_steps:
        if has_role(user, role):
            result.append(
                _section(
                    title,
                    QualityIncident.objects.filter(status=status).select_related("customer").order_by("updated_at"),
                    url=reverse("warranty:incident-list") + f"?status={status}",
                    order=56,
                    since="updated_at",
                )
            )
    if user.has_perm("warranty.implement_correctiveaction"):
        result.append(
            _section(
                _("Corrective actions open"),
                CorrectiveAction.objects.filter(status=CorrectiveAction.Status.OPEN)
                .select_related("owner_department")
                .order_by("due_date", "pk"),
                url=reverse("warranty:action-list") + "?status=open",
                order=58,
                since="created_at",
                note=lambda a: _("due %(date)s · %(dept)s") % {"date": a.due_date, "dept": a.owner_department},
                flag=lambda a: "overdue" if a.is_overdue else "",
            )
        )
    return [s for s in result if s is not None]
