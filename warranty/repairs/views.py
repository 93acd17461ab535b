"""Pages of factory repair, replacement and return: thin views over the services."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.idempotency import submit_once
from aftersales.pagination import keyset_page
from aftersales.timeline import timeline
from aftersales.workflow import PermissionRefused, WorkflowError, require_permission
from warranty.repairs import forms, pdf, selectors, services
from warranty.repairs.models import FactoryRepair, ProductReturn, Replacement


@dataclass(frozen=True)
class Entity:
    """One kind of repair record: its list, how it is opened, its columns."""

    key: str
    model: type[models.Model]
    title: Promise
    statuses: list[tuple[str, Any]]
    list_qs: Callable[[str], Any]
    create: Callable[..., Any]  # (by, unit, text) -> record
    columns: list[tuple[Promise, Callable[[Any], Any]]] = field(default_factory=list)


ENTITIES = {
    "repair": Entity(
        "repair",
        FactoryRepair,
        gettext_lazy("Factory repair orders"),
        FactoryRepair.Status.choices,
        selectors.factory_repair_list,
        lambda by, unit, text: services.factory_repair_create(by=by, unit=unit, fault_description=text),
        [
            (gettext_lazy("serial number"), lambda o: o.unit.serial_number),
            (gettext_lazy("customer"), lambda o: o.customer.name),
        ],
    ),
    "replacement": Entity(
        "replacement",
        Replacement,
        gettext_lazy("Replacement records"),
        Replacement.Status.choices,
        selectors.replacement_list,
        lambda by, unit, text: services.replacement_create(by=by, unit=unit, reason=text),
        [
            (gettext_lazy("old unit"), lambda o: o.old_unit.serial_number),
            (gettext_lazy("new unit"), lambda o: o.new_unit.serial_number if o.new_unit else "—"),
            (gettext_lazy("customer"), lambda o: o.customer.name),
        ],
    ),
    "return": Entity(
        "return",
        ProductReturn,
        gettext_lazy("Product returns"),
        ProductReturn.Status.choices,
        selectors.product_return_list,
        lambda by, unit, text: services.product_return_create(by=by, unit=unit, reason=text),
        [
            (gettext_lazy("serial number"), lambda o: o.unit.serial_number),
            (gettext_lazy("customer"), lambda o: o.customer.name),
        ],
    ),
}


def _perm(entity: Entity, action: str) -> str:
    return f"repairs.{action}_{entity.model._meta.model_name}"


def list_view(key: str):
    entity = ENTITIES[key]

    @login_required
    @require_GET
    def view(request):
        require_permission(request.user, _perm(entity, "view"))
        status = request.GET.get("status", "")
        if status not in dict(entity.statuses):
            status = ""
        page = keyset_page(entity.list_qs(status), cursor=request.GET.get("after"))
        rows = [(obj, [fn(obj) for _label, fn in entity.columns]) for obj in page.items]
        return render(
            request,
            "repairs/list.html",
            {
                "entity": entity,
                "rows": rows,
                "page": page,
                "status": status,
                "statuses": entity.statuses,
                "query": f"status={status}" if status else "",
                "may_create": request.user.has_perm(_perm(entity, "add")),
            },
        )

    view.__name__ = f"{key}_list"
    return view


def create_view(key: str):
    entity = ENTITIES[key]

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request):
        require_permission(request.user, _perm(entity, "add"))
        form = forms.OpenForm(request.POST or None, initial={"unit": request.GET.get("serial", "")})
        if request.method == "POST" and form.is_valid():
            try:
                obj, _created = submit_once(
                    request.POST.get("form_token"),
                    request.user,
                    lambda: entity.create(request.user, form.cleaned_data["unit"], form.cleaned_data["text"]),
                )
            except WorkflowError as exc:
                form.add_error(None, exc.message)
                return render(request, "repairs/create.html", {"entity": entity, "form": form}, status=exc.http_status)
            return redirect(obj.get_absolute_url())
        return render(request, "repairs/create.html", {"entity": entity, "form": form})

    view.__name__ = f"{key}_create"
    return view


def record_for(key: str) -> Callable[[Any, int], Any]:
    """Fetch a record of the key's kind, once the user's role may see it (403/404)."""
    entity = ENTITIES[key]

    def get(request, pk: int) -> Any:
        require_permission(request.user, _perm(entity, "view"))
        return get_object_or_404(entity.model, pk=pk)

    return get


def detail_context(request, obj) -> dict:
    """The detail page; its steps are drawn by `{% steps obj %}` from warranty/repairs/steps.py."""
    ctx: dict[str, Any] = {"obj": obj, "entries": timeline(obj)}
    if isinstance(obj, FactoryRepair):
        ctx["parts"] = list(selectors.parts_of(obj))
        ctx["bill"] = selectors.bill_for(obj)
        ctx["findings"] = list(obj.findings_set.select_related("component", "defect_code"))
        ctx.update(parts_context(request.user, obj, [obj.unit.product_model_id]))
    return ctx


def detail_view(key: str):
    get = record_for(key)

    @login_required
    @require_GET
    def view(request, pk):
        return render(request, f"repairs/{key}_detail.html", detail_context(request, get(request, pk)))

    view.__name__ = f"{key}_detail"
    return view


def print_view(key: str):
    get = record_for(key)

    @login_required
    @require_GET
    def view(request, pk):
        obj = get(request, pk)
        content = pdf.render_factory_repair_pdf(obj) if key == "repair" else pdf.render_swap_pdf(obj)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{obj.number}.pdf"'
        return response

    view.__name__ = f"{key}_print"
    return view


# --- parts used on any repair ------------------------------------------------------------


def parts_context(user, record, model_ids) -> dict:
    """What the parts include needs: the parts, their total, and the add form for who may draw parts."""
    ct = ContentType.objects.get_for_model(record)
    may_add = user.has_perm("repairs.draw_repairpart")
    return {
        "parts": list(selectors.parts_of(record)),
        "parts_total": selectors.parts_cost(record),
        "part_form": forms.PartForm(model_ids=model_ids) if may_add else None,
        "part_add_url": (ct.pk, record.pk),
    }


@login_required
@require_POST
def part_add(request, ct, pk):
    """A part drawn for a repair: a factory order here, or an on-site job of field service."""
    require_permission(request.user, "repairs.draw_repairpart", _("Record a part used"))
    content_type = get_object_or_404(ContentType, pk=ct)
    model = content_type.model_class()
    if model is None or content_type.app_label not in ("repairs", "fieldservice"):
        raise Http404
    record: Any = get_object_or_404(model, pk=pk)
    may_view = getattr(record, "user_may_view", None)
    if may_view is not None and not may_view(request.user):
        raise PermissionRefused(_("Your role may not see this record."))
    unit = getattr(record, "unit", None)
    model_ids = [unit.product_model_id] if unit else list(record.units.values_list("product_model_id", flat=True))
    form = forms.PartForm(request.POST, model_ids=model_ids)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(record.get_absolute_url())
    try:
        services.repair_part_add(repair=record, by=request.user, **form.cleaned_data)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Part recorded."))
    return redirect(record.get_absolute_url())
