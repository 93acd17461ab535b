"""Pages of warranty and quality: thin — check the role, bind a form, call one service.

What a record page and a list show is declared in pages.py, the steps drawn on a record page in
steps.py (one view, aftersales.steps.run_step, runs them); here are the views that serve them, the
create pages, the customer's signing page and the printable forms.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from aftersales.idempotency import submit_once
from aftersales.links import linked_records
from aftersales.pagination import keyset_page
from aftersales.pdf import archives_of
from aftersales.timeline import timeline
from aftersales.workflow import WorkflowError, require_permission
from warranty import forms, pdf, roles, selectors, services
from warranty.models import Appraisal, Origin, QualityIncident, QualitySheet
from warranty.pages import LISTS, RECORD_PAGES, facts

PAGE_SIZE = 50


# --- record pages (their steps: steps.py) ------------------------------------------------------


def record_for(key: str) -> Callable[[Any, int], Any]:
    """Fetch a record of the key's kind, once the user's role may see it (403/404)."""
    page = RECORD_PAGES[key]

    def get(request, pk: int):
        require_permission(request.user, page.view_perm)
        return get_object_or_404(page.model, pk=pk)

    return get


def detail_context(key: str) -> Callable[[Any, Any], dict]:
    """The record page's context; its steps are drawn by `{% steps obj %}` from steps.py."""
    page = RECORD_PAGES[key]

    def context(request, obj) -> dict:
        user = request.user
        return {
            "obj": obj,
            "key": key,
            "title": page.title,
            "facts": facts(obj, page.fields),
            "entries": timeline(obj),
            "prints": page.prints,
            "opens": [(label, url_name) for label, url_name, perm in page.opens if user.has_perm(perm)],
            "links": linked_records(obj),
            "flag_overdue": getattr(obj, "is_overdue", False),
            "archives": archives_of(obj),
            **(page.sections(obj, user) if page.sections else {}),
        }

    return context


def detail_view(key: str):
    get, context = record_for(key), detail_context(key)

    @login_required
    @require_GET
    def view(request, pk: int):
        return render(request, "warranty/detail.html", context(request, get(request, pk)))

    view.__name__ = f"{key}_detail"
    return view


# --- lists ------------------------------------------------------------------------------


def list_view(key: str):
    cfg = LISTS[key]

    @login_required
    @require_GET
    def view(request):
        require_permission(request.user, cfg.perm)
        status = request.GET.get("status", "")
        if status not in dict(cfg.statuses):
            status = ""
        kwargs: dict[str, Any] = {"status": status, "q": request.GET.get("q", "")}
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
    require_permission(request.user, perm)
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


@login_required
@require_http_methods(["GET", "POST"])
def sheet_create(request):
    return _create(
        request,
        perm="warranty.add_qualitysheet",
        form_class=forms.SheetCreateForm,
        template_title=_("New quality information sheet"),
        make=lambda d: services.sheet_create(by=request.user, **d),
        context={"unit_serials": selectors.unit_serials()},
    )


@login_required
@require_http_methods(["GET", "POST"])
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
        context={"unit_serials": selectors.unit_serials(), "source": sheet, "source_param": "sheet"},
    )


@login_required
@require_http_methods(["GET", "POST"])
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
@require_http_methods(["GET", "POST"])
def incident_create(request):
    sheet = _from_param(request, QualitySheet, "sheet")
    return _create(
        request,
        perm="warranty.add_qualityincident",
        form_class=forms.IncidentCreateForm,
        template_title=_("Pass a quality incident to QC"),
        make=lambda d: services.incident_create(by=request.user, sheet=sheet, **d),
        initial={"unit": sheet.unit.serial_number, "description": sheet.description} if sheet and sheet.unit else {},
        context={"unit_serials": selectors.unit_serials(), "source": sheet, "source_param": "sheet"},
    )


@login_required
@require_http_methods(["GET", "POST"])
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


# --- the customer signs on their own phone ----------------------------------------------


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
        page = RECORD_PAGES[key]
        require_permission(request.user, page.view_perm)
        if pk == 0:
            # /0/print/: the blank paper form, for when the tablet is not at hand.
            return _pdf_response(renderer(page.model()), f"{key}{suffix}-blank")
        obj: Any = get_object_or_404(page.model, pk=pk)
        return _pdf_response(renderer(obj), f"{obj.number}{suffix}")

    view.__name__ = f"{key}_print{suffix}"
    return view


sheet_print = print_view("sheet", pdf.render_sheet_pdf)
part_tag = print_view("part", pdf.render_tag_pdf)
appraisal_print = print_view("appraisal", pdf.render_appraisal_pdf)
incident_print = print_view("incident", pdf.render_incident_pdf)
incident_feedback_print = print_view("incident", pdf.render_feedback_pdf, "-feedback")
action_print = print_view("action", pdf.render_action_pdf)
