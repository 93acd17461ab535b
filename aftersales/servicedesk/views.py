"""Screens of the service desk: call intake, case list and detail with its actions, warranty
lookup, SLA board, printable records. Thin: bind a form, call one service, redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.attachments import attachments_of
from aftersales.idempotency import submit_once
from aftersales.pagination import keyset_page
from aftersales.servicedesk import forms, selectors, services
from aftersales.servicedesk.models import ClockKind, CoordinationSheet, ServiceCase, SlaClock
from aftersales.servicedesk.pdf import render_acceptance_report, render_coordination_sheet
from aftersales.timeline import timeline
from aftersales.workflow import WorkflowError, available_transitions

Status = ServiceCase.Status


def _require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


# --- intake ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    """The clerk's call intake: find the customer as you type, record the fault, done."""
    _require_perm(request.user, "servicedesk.add_servicecase")
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
    customer_name = unit.customer.name if unit is not None and unit.customer_id else ""
    if form.is_bound and form.is_valid() is False and form.cleaned_data.get("customer"):
        customer_name = form.cleaned_data["customer"].name
    return render(request, "servicedesk/intake.html", {"form": form, "customer_name": customer_name}, status=status)


@login_required
@require_GET
def intake_search(request):
    """JSON for the intake form: matches for what the clerk types, or one customer's units and contacts."""
    _require_perm(request.user, "servicedesk.add_servicecase")
    if request.GET.get("customer", "").isdigit():
        return JsonResponse(selectors.customer_units_and_contacts(int(request.GET["customer"])))
    return JsonResponse({"results": selectors.intake_search(request.GET.get("q", ""))})


# --- list -----------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request):
    _require_perm(request.user, "servicedesk.view_servicecase")
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


# --- detail and actions -------------------------------------------------------------------------

# action → (form, service call, success message)
ACTIONS = {
    "note": (
        forms.NoteForm,
        lambda c, by, d, es: services.case_add_note(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Saved."),
    ),
    "answer": (
        forms.AnswerForm,
        lambda c, by, d, es: services.case_answer(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Answered and closed."),
    ),
    "handover": (
        forms.HandOverForm,
        lambda c, by, d, es: services.case_hand_to_techdept(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Handed to the technical department."),
    ),
    "diagnose": (
        forms.DiagnosisForm,
        lambda c, by, d, es: services.case_diagnose(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Diagnosis recorded."),
    ),
    "quote-fee": (
        forms.FeeQuoteForm,
        lambda c, by, d, es: services.case_quote_fee(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Fee recorded."),
    ),
    "decide": (
        forms.DecisionForm,
        lambda c, by, d, es: services.case_decide(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Decision recorded."),
    ),
    "dispatch": (
        forms.EmptyForm,
        lambda c, by, d, es: services.case_confirm_dispatch(pk=c.pk, by=by, expected_state=es),
        gettext_lazy("Dispatch confirmed: the arrival clock runs."),
    ),
    "arrival": (
        forms.ArrivalForm,
        lambda c, by, d, es: services.case_record_arrival(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Arrival recorded."),
    ),
    "resolve": (
        forms.ResolveForm,
        lambda c, by, d, es: services.case_resolve(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Resolution recorded."),
    ),
    "revisit": (
        forms.RevisitForm,
        lambda c, by, d, es: services.case_revisit(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Revisit recorded."),
    ),
    "close": (
        forms.EmptyForm,
        lambda c, by, d, es: services.case_close(pk=c.pk, by=by, expected_state=es),
        gettext_lazy("Case closed."),
    ),
    "reopen": (
        forms.ReopenForm,
        lambda c, by, d, es: services.case_reopen(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Case reopened."),
    ),
    "pause": (
        forms.PauseForm,
        lambda c, by, d, es: services.case_pause_clock(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Clock paused."),
    ),
    "resume": (
        forms.ResumeForm,
        lambda c, by, d, es: services.case_resume_clock(pk=c.pk, by=by, expected_state=es, **d),
        gettext_lazy("Clock resumed."),
    ),
    "attach": (
        forms.AttachForm,
        lambda c, by, d, es: services.case_attach(pk=c.pk, by=by, **d),
        gettext_lazy("File attached."),
    ),
    "reply": (
        forms.CoordinationReplyForm,
        lambda c, by, d, es: services.coordination_sheet_reply(pk=c.pk, by=by, **d),
        gettext_lazy("Reply recorded."),
    ),
    "coordination": (
        forms.CoordinationForm,
        lambda c, by, d, es: services.coordination_sheet_create(pk=c.pk, by=by, **d),
        gettext_lazy("Coordination sheet written."),
    ),
}

TRANSITION_ACTIONS = {
    "answer": "answer",
    "hand_to_techdept": "handover",
    "decide": "decide",
    "resolve": "resolve",
    "revisit": "revisit",
    "close": "close",
    "reopen": "reopen",
}


def _form(action: str, case, data=None, files=None):
    form_class = ACTIONS[action][0]
    kwargs = {"case": case} if form_class in (forms.DiagnosisForm, forms.CoordinationReplyForm) else {}
    return form_class(data, files, prefix=action, **kwargs)


def _available_actions(case: ServiceCase, user, clocks: list[SlaClock]) -> list[str]:
    """The actions the user's role may take on the case now, in the order of the procedure."""
    names = [TRANSITION_ACTIONS[t.name] for t in available_transitions(case, user) if t.name in TRANSITION_ACTIONS]
    perm = user.has_perm
    working = case.status in (Status.TECHDEPT, Status.IN_PROGRESS)
    if case.is_open and perm("servicedesk.respond_servicecase"):
        names.append("note")
    if working and perm("servicedesk.diagnose_servicecase"):
        names.append("diagnose")
    if working and perm("servicedesk.quotefee_servicecase") and selectors.fee_required(case):
        names.append("quote-fee")
    if perm("servicedesk.dispatch_servicecase") and case.status == Status.IN_PROGRESS:
        if case.decision == ServiceCase.Decision.ONSITE and not case.dispatch_confirmed_at:
            names.append("dispatch")
        elif case.dispatch_confirmed_at and not case.arrived_at:
            names.append("arrival")
    if case.is_open and perm("servicedesk.pauseclock_servicecase"):
        if any(c.stopped_at is None and c.paused_at is None for c in clocks):
            names.append("pause")
        if any(c.stopped_at is None and c.paused_at is not None for c in clocks):
            names.append("resume")
    if perm("servicedesk.respond_servicecase"):
        names.append("attach")
    if perm("servicedesk.add_coordinationsheet"):
        names.append("coordination")
        if case.coordination_sheets.filter(reply="").exists():
            names.append("reply")
    order = list(ACTIONS)
    return sorted(set(names), key=order.index)


def _detail_context(request, case: ServiceCase, *, bound: dict | None = None, error: str = "") -> dict:
    clocks = list(SlaClock.objects.filter(case=case).prefetch_related("pauses"))
    order = {kind: i for i, kind in enumerate(ClockKind.values)}
    clocks.sort(key=lambda c: order[c.kind])
    actions = []
    for name in _available_actions(case, request.user, clocks):
        form = bound.get(name) if bound and name in bound else _form(name, case)
        actions.append({"name": name, "form": form, "title": ACTION_TITLES[name]})
    return {
        "case": case,
        "clocks": clocks,
        "schedule_missing": [c for c in clocks if c.schedule_missing],
        "notes": case.notes.select_related("created_by"),
        "fee_quotes": case.fee_quotes.select_related("told_by"),
        "fee_required": selectors.fee_required(case),
        "prior_repairs": selectors.prior_repairs_count(case),
        "revisits": case.revisits.all(),
        "sheets": case.coordination_sheets.select_related("from_department", "to_department"),
        "attachments": attachments_of(case),
        "entries": timeline(case),
        "actions": actions,
        "error": error,
        "warranties": case.unit.component_warranties(timezone.localtime(case.created_at).date())
        if case.unit is not None
        else [],
    }


ACTION_TITLES = {
    "note": gettext_lazy("Record a response or note"),
    "answer": gettext_lazy("Answer and close"),
    "handover": gettext_lazy("Hand to the technical department"),
    "diagnose": gettext_lazy("Phone diagnosis"),
    "quote-fee": gettext_lazy("Paid repair: fee told to the customer"),
    "decide": gettext_lazy("Decide"),
    "dispatch": gettext_lazy("Confirm dispatch (starts the arrival clock)"),
    "arrival": gettext_lazy("Record the arrival on site"),
    "resolve": gettext_lazy("Record the resolution"),
    "revisit": gettext_lazy("Customer revisit (回访)"),
    "close": gettext_lazy("Close"),
    "reopen": gettext_lazy("Reopen"),
    "pause": gettext_lazy("Pause a clock"),
    "resume": gettext_lazy("Resume a clock"),
    "attach": gettext_lazy("Attach a photo or scan"),
    "coordination": gettext_lazy("Department coordination sheet (部门协调单)"),
    "reply": gettext_lazy("Answer a coordination sheet"),
}


def _case_for(request, pk) -> ServiceCase:
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
    case = _case_for(request, pk)
    return render(request, "servicedesk/detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    """Run one action from the case page; refusals are shown on the page with 403/409/400."""
    case = _case_for(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    form = _form(action, case, request.POST, request.FILES)
    if not form.is_valid():
        context = _detail_context(request, case, bound={action: form})
        context["error"] = _("Please check the form “%(title)s”.") % {"title": ACTION_TITLES[action]}
        return render(request, "servicedesk/detail.html", context, status=400)
    _form_class, call, success = ACTIONS[action]
    expected_state = request.POST.get("expected_state") or None
    try:
        _result, created = submit_once(
            request.POST.get("form_token"),
            request.user,
            lambda: call(case, request.user, form.cleaned_data, expected_state) or case,
        )
    except WorkflowError as exc:
        case = _case_for(request, pk)
        context = _detail_context(request, case, bound={action: form}, error=exc.message)
        return render(request, "servicedesk/detail.html", context, status=exc.http_status)
    if created:
        messages.success(request, success)
    else:
        messages.info(request, _("This form was already sent; it was done once."))
    return redirect("servicedesk:case-detail", pk=pk)


# --- printable records -----------------------------------------------------------------------------


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def case_acceptance_pdf(request, pk: int):
    case = _case_for(request, pk)
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
    _require_perm(request.user, "aftersales.view_unit")
    serial = request.GET.get("serial", "").strip()
    unit = selectors.unit_by_serial(serial)
    context = {"serial": serial, "unit": unit}
    if unit is not None:
        context.update(
            warranties=unit.component_warranties(),
            history=selectors.unit_history(unit),
            repeat_warnings=selectors.repeat_repair_warnings(unit),
        )
    status = 404 if serial and unit is None else 200
    return render(request, "servicedesk/lookup.html", context, status=status)


@login_required
@require_GET
def sla_board(request):
    _require_perm(request.user, "servicedesk.view_slaboard")
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
