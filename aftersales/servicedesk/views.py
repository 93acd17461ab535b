"""Screens of the service desk: call intake, case list and detail with its actions, warranty
lookup, SLA board, printable records. Thin: bind a form, call one service, redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.attachments import attachments_of
from aftersales.idempotency import submit_once
from aftersales.pagination import keyset_page
from aftersales.registry import unit_history
from aftersales.sendfile import send_file
from aftersales.servicedesk import forms, selectors, services
from aftersales.servicedesk.models import ClockKind, CoordinationSheet, ServiceCase, SlaClock
from aftersales.servicedesk.pdf import render_acceptance_report, render_coordination_sheet
from aftersales.timeline import timeline
from aftersales.workflow import WorkflowError, require_permission

Status = ServiceCase.Status


# --- intake ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    """The clerk's call intake: find the customer as you type, record the fault, done."""
    require_permission(request.user, "servicedesk.add_servicecase")
    initial = {}
    unit = selectors.unit_by_serial(request.GET.get("serial", "")) if request.method == "GET" else None
    if unit is not None and unit.customer_id:
        initial = {"customer": unit.customer_id, "serial_number": unit.serial_number}
    form = forms.CaseIntakeForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                case, created = submit_once(
                    request.POST.get("form_token"),
                    request.user,
                    lambda: services.case_record(
                        by=request.user,
                        customer=data["customer"],
                        unit=data["unit"],
                        contact=data["contact"],
                        channel=data["channel"],
                        category=data["category"],
                        priority=data["priority"],
                        caller_name=data["caller_name"],
                        caller_phone=data["caller_phone"],
                        fault_description=data["fault_description"],
                        contract_number=data["contract_number"],
                        photos=data["photos"],
                    ),
                )
            except WorkflowError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                if created:
                    messages.success(request, _("Case %(number)s recorded.") % {"number": case.number})
                else:
                    messages.info(
                        request,
                        _("This form was already sent; case %(number)s was recorded once.") % {"number": case.number},
                    )
                return redirect(case)
        else:
            status = 400
    customer_name = unit.customer.name if unit is not None and unit.customer is not None else ""
    if form.is_bound and form.is_valid() is False and form.cleaned_data.get("customer"):
        customer_name = form.cleaned_data["customer"].name
    return render(request, "servicedesk/intake.html", {"form": form, "customer_name": customer_name}, status=status)


@login_required
@require_GET
def intake_search(request):
    """JSON for the intake form: matches for what the clerk types, or one customer's units and contacts."""
    require_permission(request.user, "servicedesk.add_servicecase")
    customer = request.GET.get("customer", "")
    if customer.isdigit() and len(customer) <= 18:  # a 64-bit id at most
        return JsonResponse(selectors.customer_units_and_contacts(int(customer)))
    return JsonResponse({"results": selectors.intake_search(request.GET.get("q", ""))})


# --- list -----------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request):
    require_permission(request.user, "servicedesk.view_servicecase")
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cursor = request.GET.get("after")
    page = keyset_page(
        selectors.case_list(filters, after=cursor), ordering=("-created_at", "-pk"), cursor=cursor, size=50
    )
    clocks = selectors.clocks_by_case(page.items)
    rows = [(case, clocks.get(case.pk, [])) for case in page.items]
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "servicedesk/list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


# --- detail (its steps: servicedesk/steps.py) -------------------------------------------------------------------------


def case_context(request, case: ServiceCase) -> dict:
    """The case page; its steps are drawn by `{% steps case %}` from servicedesk/steps.py."""
    clocks = list(SlaClock.objects.filter(case=case).prefetch_related("pauses"))
    order = {kind: i for i, kind in enumerate(ClockKind.values)}
    clocks.sort(key=lambda c: order[c.kind])
    return {
        "case": case,
        "clocks": clocks,
        "schedule_missing": [c for c in clocks if c.schedule_missing],
        "notes": case.notes.select_related("created_by"),
        "fee_quotes": case.fee_quotes.select_related("told_by").prefetch_related("lines__component"),
        "repeat_overrides": case.repeat_overrides.select_related("created_by", "defect_code"),
        "repeat_warnings": selectors.repeat_repair_warnings(case.unit)
        if case.unit is not None and case.is_open
        else [],
        "part_replacement_due": selectors.case_part_replacement_due(case),
        "fee_required": selectors.fee_required(case),
        "prior_repairs": selectors.prior_repairs_count(case),
        "revisits": case.revisits.all(),
        "sheets": case.coordination_sheets.select_related("from_department", "to_department"),
        "attachments": attachments_of(case),
        "entries": timeline(case),
        "warranties": case.unit.component_warranties(timezone.localtime(case.created_at).date())
        if case.unit is not None
        else [],
    }


def case_for(request, pk) -> ServiceCase:
    case = get_object_or_404(
        ServiceCase.objects.select_related(
            "customer", "contact", "site", "unit__product_model", "component", "defect_code", "decided_by", "created_by"
        ),
        pk=pk,
    )
    if not case.user_may_view(request.user):
        raise PermissionDenied
    return case


@login_required
@require_GET
def case_detail(request, pk: int):
    case = case_for(request, pk)
    return render(request, "servicedesk/detail.html", case_context(request, case))


# --- printable records -----------------------------------------------------------------------------


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def case_acceptance_pdf(request, pk: int):
    case = case_for(request, pk)
    return _pdf_response(render_acceptance_report(case), f"{case.number}-acceptance.pdf")


@login_required
@require_GET
def coordination_sheet_pdf(request, pk: int):
    sheet = get_object_or_404(
        CoordinationSheet.objects.select_related("case", "from_department", "to_department"), pk=pk
    )
    if not sheet.case.user_may_view(request.user):
        raise PermissionDenied
    return _pdf_response(render_coordination_sheet(sheet), f"{sheet.case.number}-coordination-{sheet.pk}.pdf")


# --- warranty lookup and SLA board ----------------------------------------------------------------


@login_required
@require_GET
def warranty_lookup(request):
    """Serial number → unit, customer, each component's warranty, the unit's full service history."""
    require_permission(request.user, "aftersales.view_unit")
    serial = request.GET.get("serial", "").strip()
    unit = selectors.unit_by_serial(serial)
    context = {"serial": serial, "unit": unit}
    if unit is not None:
        context.update(
            warranties=unit.component_warranties(),
            history=unit_history(unit),
            repeat_warnings=selectors.repeat_repair_warnings(unit),
            documents=selectors.documents_of_unit(unit),
            may_see_documents=request.user.has_perm("servicedesk.view_technicaldocument"),
        )
    status = 404 if serial and unit is None else 200
    return render(request, "servicedesk/lookup.html", context, status=status)


@login_required
@require_GET
def sla_board(request):
    require_permission(request.user, "servicedesk.view_slaboard")
    kind = request.GET.get("kind") if request.GET.get("kind") in ClockKind.values else None
    states = [request.GET["state"]] if request.GET.get("state") in ("at_risk", "breached") else ["breached", "at_risk"]
    sections = [{"state": state, "clocks": selectors.sla_board(state, kind=kind)} for state in states]
    return render(
        request,
        "servicedesk/sla_board.html",
        {
            "sections": sections,
            "kind": kind,
            "kinds": ClockKind.choices,
            "missing_years": selectors.calendar_years_missing(),
        },
    )


# --- 技术文件更新: technical documents ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_list(request):
    """The technical documents by product model; who keeps them adds one here."""
    require_permission(request.user, "servicedesk.view_technicaldocument")
    may_add = request.user.has_perm("servicedesk.add_technicaldocument")
    form = forms.DocumentForm(request.POST or None) if may_add else None
    status = 200
    if request.method == "POST":
        require_permission(request.user, "servicedesk.add_technicaldocument", _("Add a technical document"))
        assert form is not None
        if form.is_valid():
            try:
                document, _created = submit_once(
                    request.POST.get("form_token"),
                    request.user,
                    lambda: services.document_create(by=request.user, **form.cleaned_data),
                )
            except WorkflowError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("Document added: now add its first version."))
                return redirect(document)
        else:
            status = 400
    page = keyset_page(
        selectors.document_list(request.GET.get("model") or None),
        ordering=("-created_at", "-pk"),
        cursor=request.GET.get("after"),
        size=50,
    )
    return render(request, "servicedesk/documents.html", {"page": page, "form": form}, status=status)


def document_for(request, pk: int):
    require_permission(request.user, "servicedesk.view_technicaldocument")
    return get_object_or_404(selectors.document_detail_queryset(), pk=pk)


def document_context(request, document) -> dict:
    return {"document": document, **selectors.document_detail_context(document)}


@login_required
@require_GET
def document_file(request, pk: int):
    """A version's file, for who may see the documents (customers get theirs by mail)."""
    from aftersales.servicedesk.models import DocumentVersion

    require_permission(request.user, "servicedesk.view_technicaldocument")
    version = get_object_or_404(DocumentVersion, pk=pk)
    name = (version.file.name or "document").rsplit("/", 1)[-1]
    return send_file(request, version.file, content_type=None, filename=name, inline=False)
