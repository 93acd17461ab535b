"""Views of warranty and quality: thin — check the role, bind a form, call one service."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aftersales.idempotency import submit_once
from aftersales.links import linked_records
from aftersales.pagination import keyset_page
from aftersales.pdf import archives_of
from aftersales.signatures import signatures_of
from aftersales.timeline import timeline
from aftersales.workflow import WorkflowError
from warranty import forms, pdf, roles, selectors, services
from warranty.models import (
    Appraisal,
    CorrectiveAction,
    CustomerClaim,
    Origin,
    QualityIncident,
    QualitySheet,
    ReturnedPart,
    SupplierClaim,
)

PAGE_SIZE = 50


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


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


def facts(obj, names) -> list[tuple[str, object]]:
    return [(obj._meta.get_field(n).verbose_name, _display(obj, n)) for n in names]


# --- detail pages (their steps: warranty/steps.py) ---------------------------------------------------


@dataclass
class Entity:
    model: type[Any]
    view_perm: str
    fields: str  # the fields shown on the detail page, in this order, separated by spaces
    extra: Callable | None = None
    print_url: str = ""
    title: object = ""


def _sheet_extra(obj, request):
    return {
        "parts": obj.parts.select_related("unit", "appraisal", "appraisal__supplier_claim").order_by("pk"),
        "create_links": [
            (gettext_lazy("Register a returned part"), "warranty:part-create", "warranty.add_returnedpart"),
            (gettext_lazy("Pass a quality incident to QC"), "warranty:incident-create", "warranty.add_qualityincident"),
            (gettext_lazy("Record a customer claim"), "warranty:customerclaim-create", "warranty.add_customerclaim"),
        ],
        "create_param": "sheet",
    }


def _part_extra(obj, request):
    return {
        "handovers": obj.handovers.select_related("received_by"),
        "appraisal": getattr(obj, "appraisal", None),
        "tag_url": "warranty:part-tag",
    }


def _appraisal_extra(obj, request):
    part = obj.part
    warranties = part.unit.component_warranties() if part.unit else []
    return {
        "part": part,
        "handovers": part.handovers.select_related("received_by"),
        "notices": obj.notices.select_related("read_by").order_by("role"),
        "my_notices": [
            n for n in obj.notices.all() if n.read_at is None and roles.is_notice_addressee(request.user, n)
        ],
        "warranties": warranties,
        "signatures": signatures_of(obj, services.APPRAISAL_PURPOSE),
        "supplier_claim": getattr(obj, "supplier_claim", None),
        "create_links": [
            (gettext_lazy("Record a customer claim"), "warranty:customerclaim-create", "warranty.add_customerclaim"),
            (gettext_lazy("Open a corrective action"), "warranty:action-create", "warranty.add_correctiveaction"),
        ],
        "create_param": "appraisal",
        "uses_signature_pad": True,
    }


def _incident_extra(obj, request):
    return {
        "costs": obj.costs.all(),
        "signatures": signatures_of(obj, services.FEEDBACK_PURPOSE),
        "signing_url": selectors.open_signing_link(obj, purpose=services.FEEDBACK_PURPOSE, user=request.user),
        "feedback_print": True,
        "create_links": [
            (gettext_lazy("Open a corrective action"), "warranty:action-create", "warranty.add_correctiveaction"),
        ],
        "create_param": "incident",
        "uses_signature_pad": True,
    }


ENTITIES = {
    "sheet": Entity(
        QualitySheet,
        "warranty.view_qualitysheet",
        (
            "status customer site unit contact_name contact_phone description is_major first_answer "
            "sent_at qc_opinion qc_answered_by qc_answered_at site_team site_visit_mode"
        ),
        _sheet_extra,
        "warranty:sheet-print",
        gettext_lazy("quality information sheet"),
    ),
    "part": Entity(
        ReturnedPart,
        "warranty.view_returnedpart",
        (
            "status customer unit component part_name part_serial quantity fault grade analysis "
            "chargeable_cost location quarantined_at sheet"
        ),
        _part_extra,
        "warranty:part-tag",
        gettext_lazy("returned part"),
    ),
    "appraisal": Entity(
        Appraisal,
        "warranty.view_appraisal",
        (
            "status part request_note place own_defect origin supplier cause outcome outcome_reason "
            "chargeable_cost appraised_by appraised_at good_part_serial warehouse_keeper exchanged_at "
            "customer_told_at"
        ),
        _appraisal_extra,
        "warranty:appraisal-print",
        gettext_lazy("三包 appraisal"),
    ),
    "supplierclaim": Entity(
        SupplierClaim,
        "warranty.view_supplierclaim",
        "status supplier appraisal part_name quantity notified_on deadline received_on received_quantity",
        None,
        "",
        gettext_lazy("supplier replacement claim"),
    ),
    "customerclaim": Entity(
        CustomerClaim,
        "warranty.view_customerclaim",
        "status customer appraisal sheet reason amount_claimed amount_agreed amount_paid paid_on note",
        None,
        "",
        gettext_lazy("customer claim"),
    ),
    "incident": Entity(
        QualityIncident,
        "warranty.view_qualityincident",
        (
            "status customer site unit sheet description first_cause consequence responsible_department "
            "is_in_house_team supplier people from_responsible_department other_department_reason "
            "handling feedback_signer total_cost confirmed_by reviewed_by review_comment rule_name "
            "rule_team_percent rule_supplier_percent team_share supplier_share company_share"
        ),
        _incident_extra,
        "warranty:incident-print",
        gettext_lazy("quality incident"),
    ),
    "action": Entity(
        CorrectiveAction,
        "warranty.view_correctiveaction",
        (
            "status appraisal incident problem root_cause action owner_department due_date "
            "implementation implemented_at verification verified_by verified_at"
        ),
        None,
        "warranty:action-print",
        gettext_lazy("corrective and preventive action"),
    ),
}


def _context(key: str, obj, request) -> dict:
    """The detail page; its steps are drawn by `{% steps obj %}` from warranty/steps.py."""
    entity = ENTITIES[key]
    ctx = {
        "obj": obj,
        "key": key,
        "title": entity.title,
        "facts": facts(obj, entity.fields.split()),
        "entries": timeline(obj),
        "print_url": entity.print_url,
        "links": linked_records(obj),
        "flag_overdue": getattr(obj, "is_overdue", False),
        "archives": archives_of(obj),
    }
    if entity.extra:
        ctx.update(entity.extra(obj, request))
    ctx["create_links"] = [
        (label, url_name) for label, url_name, perm in ctx.get("create_links", []) if request.user.has_perm(perm)
    ]
    return ctx


def _get(request, key: str, pk: int) -> Any:
    entity = ENTITIES[key]
    _need(request.user, entity.view_perm)
    return get_object_or_404(entity.model, pk=pk)


def detail_context(key: str) -> Callable[[Any, Any], dict]:
    """The record page's context for the key's Workflow (warranty/steps.py)."""
    return lambda request, obj: _context(key, obj, request)


def entity_for(key: str) -> Callable[[Any, int], Any]:
    """Fetch a record of the key's kind, once the user's role may see it (403/404)."""
    return lambda request, pk: _get(request, key, pk)


def detail_view(key: str):
    @login_required
    @require_GET
    def view(request, pk: int):
        return render(request, "warranty/detail.html", _context(key, _get(request, key, pk), request))

    view.__name__ = f"{key}_detail"
    return view


# --- lists ------------------------------------------------------------------------------


@dataclass
class ListConfig:
    title: object
    perm: str
    selector: Callable
    statuses: list
    columns: list[tuple[object, Callable]]
    ordering: tuple = ("-created_at", "-pk")
    filters: tuple = ()
    create_url: str = ""
    create_perm: str = ""


def _cust(o):
    return o.customer.name if o.customer_id else ""


LISTS = {
    "sheet": ListConfig(
        gettext_lazy("Quality information sheets"),
        "warranty.view_qualitysheet",
        selectors.sheet_list,
        QualitySheet.Status.choices,
        [
            (gettext_lazy("customer"), _cust),
            (gettext_lazy("unit"), lambda o: o.unit or ""),
            (gettext_lazy("major quality problem"), lambda o: "★" if o.is_major else ""),
        ],
        create_url="warranty:sheet-create",
        create_perm="warranty.add_qualitysheet",
    ),
    "part": ListConfig(
        gettext_lazy("Returned parts"),
        "warranty.view_returnedpart",
        selectors.part_list,
        ReturnedPart.Status.choices,
        [
            (gettext_lazy("customer"), _cust),
            (gettext_lazy("unit"), lambda o: o.unit or ""),
            (gettext_lazy("part"), lambda o: o.part_name),
        ],
        create_url="warranty:part-create",
        create_perm="warranty.add_returnedpart",
    ),
    "appraisal": ListConfig(
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
    "supplierclaim": ListConfig(
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
    "customerclaim": ListConfig(
        gettext_lazy("Customer claims"),
        "warranty.view_customerclaim",
        selectors.customer_claim_list,
        CustomerClaim.Status.choices,
        [
            (gettext_lazy("customer"), _cust),
            (gettext_lazy("amount claimed"), lambda o: o.amount_claimed),
            (gettext_lazy("amount agreed"), lambda o: o.amount_agreed if o.amount_agreed is not None else ""),
            (gettext_lazy("amount paid"), lambda o: o.amount_paid if o.amount_paid is not None else ""),
        ],
        create_url="warranty:customerclaim-create",
        create_perm="warranty.add_customerclaim",
    ),
    "incident": ListConfig(
        gettext_lazy("Quality incidents"),
        "warranty.view_qualityincident",
        selectors.incident_list,
        QualityIncident.Status.choices,
        [
            (gettext_lazy("customer"), _cust),
            (gettext_lazy("unit"), lambda o: o.unit or ""),
            (gettext_lazy("responsible department"), lambda o: o.responsible_department or ""),
        ],
        create_url="warranty:incident-create",
        create_perm="warranty.add_qualityincident",
    ),
    "action": ListConfig(
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


def list_view(key: str):
    @login_required
    @require_GET
    def view(request):
        cfg = LISTS[key]
        _need(request.user, cfg.perm)
        status = request.GET.get("status", "")
        if status not in dict(cfg.statuses):
            status = ""
        kwargs = {"status": status, "q": request.GET.get("q", "")}
        if "origin" in cfg.filters:
            kwargs["origin"] = request.GET.get("origin", "") if request.GET.get("origin") in Origin.values else ""
        if "overdue" in cfg.filters:
            kwargs["overdue"] = request.GET.get("overdue") == "1"
        page = keyset_page(
            cfg.selector(**kwargs), ordering=cfg.ordering, cursor=request.GET.get("after"), size=PAGE_SIZE
        )
        rows = [(o, [fn(o) for _label, fn in cfg.columns], getattr(o, "is_overdue", False)) for o in page.items]
        query = request.GET.copy()
        query.pop("after", None)
        return render(
            request,
            "warranty/list.html",
            {
                "cfg": cfg,
                "key": key,
                "page": page,
                "rows": rows,
                "status": status,
                "q": kwargs["q"],
                "query": query.urlencode(),
                "may_create": cfg.create_perm and request.user.has_perm(cfg.create_perm),
                "origins": Origin.choices if "origin" in cfg.filters else None,
                "origin": kwargs.get("origin", ""),
                "has_overdue": "overdue" in cfg.filters,
                "overdue": kwargs.get("overdue", False),
            },
        )

    view.__name__ = f"{key}_list"
    return view


@login_required
@require_GET
def quarantine(request):
    """The warehouse's quarantine zone: what sits there, since when, waiting for whom."""
    if not roles.may_see_quarantine(request.user):
        raise PermissionDenied
    page = keyset_page(
        selectors.quarantine_list(), ordering=("quarantined_at", "pk"), cursor=request.GET.get("after"), size=PAGE_SIZE
    )
    rows = [(p, selectors.waiting_for(p)) for p in page.items]
    return render(request, "warranty/quarantine.html", {"page": page, "rows": rows, "now": timezone.now()})


# --- create forms -----------------------------------------------------------------------


def _from_param(request, model, name):
    pk = request.GET.get(name) or request.POST.get(name)
    return get_object_or_404(model, pk=pk) if pk and str(pk).isdigit() else None


def _create(request, *, perm, form_class, template_title, make, initial=None, context=None):
    _need(request.user, perm)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                obj, _created = submit_once(
                    request.POST.get("form_token"), request.user, lambda: make(form.cleaned_data)
                )
            except WorkflowError as exc:
                form.add_error(None, exc.message)
                return render(
                    request,
                    "warranty/create.html",
                    {"form": form, "title": template_title, **(context or {})},
                    status=exc.http_status,
                )
            messages.success(request, _("Saved."))
            return redirect(obj.get_absolute_url())
    else:
        form = form_class(initial=initial or {})
    return render(request, "warranty/create.html", {"form": form, "title": template_title, **(context or {})})


def _unit_serials():
    from aftersales.models import Unit

    return (
        Unit.objects.filter(customer__isnull=False)
        .values_list("serial_number", flat=True)
        .order_by("serial_number")[:500]
    )


@login_required
def sheet_create(request):
    return _create(
        request,
        perm="warranty.add_qualitysheet",
        form_class=forms.SheetCreateForm,
        template_title=_("New quality information sheet"),
        make=lambda d: services.sheet_create(by=request.user, **d),
        context={"unit_serials": _unit_serials()},
    )


@login_required
def part_create(request):
    sheet = _from_param(request, QualitySheet, "sheet")
    initial = {"unit": sheet.unit.serial_number} if sheet and sheet.unit else {}

    def make(d):
        unit = d["unit"]
        return services.part_create(by=request.user, customer=unit.customer, sheet=sheet, **d)

    return _create(
        request,
        perm="warranty.add_returnedpart",
        form_class=forms.PartCreateForm,
        template_title=_("Register a returned part"),
        make=make,
        initial=initial,
        context={"unit_serials": _unit_serials(), "source": sheet, "source_param": "sheet"},
    )


@login_required
def customer_claim_create(request):
    appraisal = _from_param(request, Appraisal, "appraisal")
    sheet = _from_param(request, QualitySheet, "sheet")
    customer = appraisal.part.customer if appraisal else (sheet.customer if sheet else None)
    return _create(
        request,
        perm="warranty.add_customerclaim",
        form_class=forms.CustomerClaimForm,
        template_title=_("Record a customer claim"),
        make=lambda d: services.customer_claim_create(by=request.user, appraisal=appraisal, sheet=sheet, **d),
        initial={"customer": customer.pk} if customer else {},
        context={"source": appraisal or sheet, "source_param": "appraisal" if appraisal else "sheet"},
    )


@login_required
def incident_create(request):
    sheet = _from_param(request, QualitySheet, "sheet")
    return _create(
        request,
        perm="warranty.add_qualityincident",
        form_class=forms.IncidentCreateForm,
        template_title=_("Pass a quality incident to QC"),
        make=lambda d: services.incident_create(by=request.user, sheet=sheet, **d),
        initial={"unit": sheet.unit.serial_number, "description": sheet.description} if sheet and sheet.unit else {},
        context={"unit_serials": _unit_serials(), "source": sheet, "source_param": "sheet"},
    )


@login_required
def action_create(request):
    appraisal = _from_param(request, Appraisal, "appraisal")
    incident = _from_param(request, QualityIncident, "incident")
    source = appraisal or incident
    initial = {}
    if appraisal:
        initial = {"problem": f"{appraisal.part.part_name}: {appraisal.part.fault}", "root_cause": appraisal.cause}
    elif incident:
        initial = {"problem": incident.description, "root_cause": incident.first_cause}
    return _create(
        request,
        perm="warranty.add_correctiveaction",
        form_class=forms.ActionCreateForm,
        template_title=_("Open a corrective action"),
        make=lambda d: services.action_create(by=request.user, appraisal=appraisal, incident=incident, **d),
        initial=initial,
        context={"source": source, "source_param": "appraisal" if appraisal else "incident"},
    )


# --- notices and signing links ----------------------------------------------------------------------


def incident_feedback_by_link(request, link, token):
    """The customer's own phone: read the handling and sign the 处理反馈单 (no account)."""
    incident = get_object_or_404(QualityIncident, pk=link.record_id)
    form = forms.LinkSignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_feedback_sign_by_link(
                token=token,
                handling_ok=True,
                signer_name=form.cleaned_data["signer_name"],
                signer_phone=form.cleaned_data["signer_phone"],
                signature=form.cleaned_data["signature"],
                request=request,
            )
        except WorkflowError as exc:
            form.add_error(None, exc.message)
            return render(
                request, "warranty/sign_link.html", {"incident": incident, "form": form}, status=exc.http_status
            )
        return render(request, "warranty/sign_link.html", {"incident": incident, "done": True})
    return render(request, "warranty/sign_link.html", {"incident": incident, "form": form})


# --- printable forms --------------------------------------------------------------------


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def print_view(key: str, renderer: Callable, suffix: str = ""):
    @login_required
    @require_GET
    def view(request, pk: int):
        entity = ENTITIES[key]
        _need(request.user, entity.view_perm)
        if pk == 0:
            # /0/print/: the blank paper form, for when the tablet is not at hand.
            return _pdf_response(renderer(entity.model()), f"{key}{suffix}-blank")
        obj: Any = get_object_or_404(entity.model, pk=pk)
        return _pdf_response(renderer(obj), f"{obj.number}{suffix}")

    view.__name__ = f"{key}_print{suffix}"
    return view


sheet_print = print_view("sheet", pdf.render_sheet_pdf)
part_tag = print_view("part", pdf.render_tag_pdf)
appraisal_print = print_view("appraisal", pdf.render_appraisal_pdf)
incident_print = print_view("incident", pdf.render_incident_pdf)
incident_feedback_print = print_view("incident", pdf.render_feedback_pdf, "-feedback")
action_print = print_view("action", pdf.render_action_pdf)
