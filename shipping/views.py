"""Thin views: check the role, bind a form, call one service, redirect or re-render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.idempotency import submit_once
from aftersales.links import linked_records
from aftersales.pagination import keyset_page
from aftersales.timeline import timeline
from aftersales.workflow import WorkflowError, require_permission
from shipping import forms, pdf, selectors, services
from shipping.models import Payment, Shipment
from shipping.serials import check_serials, parse_serial_lines

# --- payments ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def payment_list(request):
    require_permission(request.user, "shipping.view_payment")
    form = forms.PaymentForm()
    status = 200
    if request.method == "POST":
        require_permission(request.user, "shipping.add_payment")
        form = forms.PaymentForm(request.POST)
        if form.is_valid():
            try:
                submit_once(
                    request.POST.get("form_token"),
                    request.user,
                    lambda: services.payment_record(**form.cleaned_data, by=request.user),
                )
            except WorkflowError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("Payment recorded."))
                return redirect("shipping:payment-list")
        else:
            status = 400
    payments = keyset_page(
        Payment.objects.select_related("customer"), ordering=("-created_at", "-pk"), cursor=request.GET.get("after")
    )
    return render(request, "shipping/payment_list.html", {"page": payments, "form": form}, status=status)


@login_required
@require_POST
def payment_confirm(request, pk: int):
    require_permission(request.user, "shipping.view_payment")
    try:
        services.payment_confirm(pk=pk, by=request.user, expected_state=request.POST.get("expected_state"))
    except WorkflowError as exc:
        return _refused(request, exc)
    messages.success(request, _("Payment confirmed."))
    return redirect("shipping:payment-list")


def _refused(request, exc: WorkflowError):
    from aftersales.middleware import render_refusal

    return render_refusal(request, exc.message, exc.http_status)


# --- shipments ---------------------------------------------------------------------


@login_required
@require_GET
def shipment_list(request):
    require_permission(request.user, "shipping.view_shipment")
    filters = forms.ShipmentFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    qs = selectors.shipment_list(
        status=data.get("status") or "",
        customer=data.get("customer") or "",
        created_from=data.get("created_from"),
        created_to=data.get("created_to"),
        overdue=bool(data.get("overdue")),
    )
    cursor = request.GET.get("after")
    page = keyset_page(selectors.bound_by_cursor(qs, cursor), ordering=("-created_at", "-pk"), cursor=cursor)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "shipping/shipment_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "may_file": request.user.has_perm("shipping.add_shipment"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def shipment_create(request):
    require_permission(request.user, "shipping.add_shipment")
    payment = None
    payment_id = request.POST.get("payment") or request.GET.get("payment")
    if payment_id and str(payment_id).isdigit():
        payment = Payment.objects.filter(pk=payment_id, status=Payment.Status.CONFIRMED).first()
    form = forms.ShipmentRequestForm(request.POST or None, user=request.user, payment=payment)
    lines = forms.LineFormSet(request.POST or None, prefix="lines")
    status = 200
    if request.method == "POST":
        if form.is_valid() and lines.is_valid():
            requested = [
                services.RequestedLine(row["product_model"], row["quantity"])
                for row in lines.cleaned_data
                if row.get("product_model")
            ]
            data = form.cleaned_data
            try:
                shipment, _created = submit_once(
                    request.POST.get("form_token"),
                    request.user,
                    lambda: services.shipment_file(
                        payment=data["payment"],
                        site=data["site"],
                        lines=requested,
                        requested_ship_date=data["requested_ship_date"],
                        contact_name=data["contact_name"],
                        contact_phone=data["contact_phone"],
                        notes=data["notes"],
                        contract_delivery_date=data["contract_delivery_date"],
                        delivery_price=data["delivery_price"],
                        by=request.user,
                    ),
                )
            except WorkflowError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("Shipment request %(number)s filed.") % {"number": shipment.number})
                return redirect(shipment)
        else:
            status = 400
    return render(
        request, "shipping/shipment_form.html", {"form": form, "lines": lines, "payment": payment}, status=status
    )


def shipment_context(request, shipment: Shipment) -> dict:
    """The detail page; its steps are drawn by `{% steps shipment %}` from shipping/steps.py."""
    return {
        "shipment": shipment,
        "lines": list(shipment.lines.all()),
        "shipped": list(shipment.shipped_units.all()),
        "entries": timeline(shipment),
        "has_links": bool(linked_records(shipment)),
        "late": shipment.late_delivery(),
    }


def shipment_for(request, pk: int) -> Shipment:
    require_permission(request.user, "shipping.view_shipment")
    return _get(pk)


@login_required
@require_GET
def shipment_detail(request, pk: int):
    shipment = shipment_for(request, pk)
    return render(request, "shipping/shipment_detail.html", shipment_context(request, shipment))


def _get(pk: int) -> Shipment:
    try:
        return selectors.shipment_detail(pk)
    except Shipment.DoesNotExist:
        raise Http404 from None


def _expected(request) -> str | None:
    return request.POST.get("expected_state") or None


@login_required
@require_http_methods(["GET", "POST"])
def shipment_dispatch(request, pk: int):
    """Quick serial entry: hand the copies to logistics and warehouse and record the units."""
    require_permission(request.user, "shipping.dispatch_shipment")
    shipment = _get(pk)
    form = forms.DispatchForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.shipment_dispatch(
                    pk=pk,
                    by=request.user,
                    entries=parse_serial_lines(data["serials"]),
                    ship_date=data["ship_date"],
                    default_production_date=data["default_production_date"],
                    expected_state=_expected(request),
                )
            except WorkflowError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("Units recorded; the shipment has left."))
                return redirect(shipment)
    return render(
        request,
        "shipping/shipment_dispatch.html",
        {"shipment": shipment, "form": form, "lines": list(shipment.lines.all())},
        status=status,
    )


@login_required
@require_POST
def shipment_serial_check(request, pk: int):
    """JSON for the quick entry: each serial checked as typed, and the totals against the request."""
    if not request.user.has_perm("shipping.dispatch_shipment"):
        return JsonResponse({"error": _("Your role may not record units.")}, status=403)
    shipment = get_object_or_404(Shipment, pk=pk)
    default_date = _date_or_none(request.POST.get("default_production_date"))
    checked = check_serials(
        shipment, parse_serial_lines(request.POST.get("serials", "")), default_production_date=default_date
    )
    return JsonResponse(
        {
            "ok": checked.ok,
            "items": [item.as_json() for item in checked.items],
            "differences": checked.differences,
        }
    )


def _date_or_none(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@login_required
@require_GET
def shipment_request_pdf(request, pk: int):
    require_permission(request.user, "shipping.view_shipment")
    shipment = _get(pk)
    return _pdf_response(pdf.render_request_pdf(shipment), f"{shipment.number}.pdf")


@login_required
@require_GET
def shipment_delivery_note_pdf(request, pk: int):
    require_permission(request.user, "shipping.view_shipment")
    shipment = _get(pk)
    if not shipment.delivery_note_number:
        messages.error(request, _("The delivery note has not been issued yet."))
        return redirect(reverse("shipping:shipment-detail", args=[pk]))
    return _pdf_response(pdf.render_delivery_note_pdf(shipment), f"{shipment.delivery_note_number}.pdf")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def blank_form_pdf(request, form: str):
    """The empty paper form, for when the system is out of reach."""
    require_permission(request.user, "shipping.view_shipment")
    render = {"request": pdf.render_request_pdf, "delivery-note": pdf.render_delivery_note_pdf}.get(form)
    if render is None:
        raise Http404
    return _pdf_response(render(None), f"blank-{form}.pdf")
