"""Thin views: the record pages, the lists, the customer's signing screens and the PDFs.

Every step on a record (schedule, dispatch, forms A and B, the market-support decision, the
expenses…) is declared in fieldservice/steps.py and run by the core's `run_step`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from aftersales import signing_lock
from aftersales.attachments import attachments_of
from aftersales.idempotency import confirm_draft, submit_once
from aftersales.middleware import render_refusal
from aftersales.pagination import keyset_page
from aftersales.pdf import archives_of
from aftersales.signatures import signing_link_resolve
from aftersales.timeline import timeline
from aftersales.workflow import WorkflowError, require_permission
from fieldservice import forms, roles, selectors, services
from fieldservice.models import Expense, FeedbackFormA, FeedbackFormB, ServiceJob, SupportRequest
from fieldservice.pdf import (
    ARCHIVE_KIND,
    render_blank_pdf,
    render_form_a_pdf,
    render_form_b_pdf,
    render_support_pdf,
    render_trip_pdf,
)

# --- the records: fetched and checked once, for their page and for their steps ----------------


def _viewable(request, queryset, pk):
    obj = get_object_or_404(queryset, pk=pk)
    if not obj.user_may_view(request.user):
        raise PermissionDenied
    return obj


def job_for(request, pk) -> ServiceJob:
    return _viewable(request, ServiceJob.objects.select_related("customer", "site"), pk)


def job_context(request, job: ServiceJob) -> dict:
    """The job page; its steps are drawn by `{% steps job %}` from fieldservice/steps.py."""
    return {"job": job, "entries": timeline(job), **selectors.job_detail_context(job, request.user)}


def support_for(request, pk) -> SupportRequest:
    return _viewable(request, SupportRequest.objects.select_related("job__customer", "decided_by"), pk)


def support_context(request, req: SupportRequest) -> dict:
    return {"req": req, "job": req.job, "entries": timeline(req)}


def form_a_for(request, pk) -> FeedbackFormA:
    return _viewable(request, FeedbackFormA.objects.select_related("job__customer", "job__site"), pk)


def form_a_context(request, form_a: FeedbackFormA) -> dict:
    return {**selectors.form_a_context(form_a, request.user), "entries": timeline(form_a)}


def form_b_for(request, pk) -> FeedbackFormB:
    return _viewable(request, FeedbackFormB.objects.select_related("job__customer"), pk)


def form_b_context(request, form_b: FeedbackFormB) -> dict:
    return {"form_b": form_b, "job": form_b.job, "entries": timeline(form_b)}


def expense_for(request, pk) -> Expense:
    return _viewable(request, Expense.objects.select_related("job__customer", "created_by"), pk)


def expense_context(request, expense: Expense) -> dict:
    return {
        "expense": expense,
        "job": expense.job,
        "receipts": list(attachments_of(expense)),
        "reimbursement_allowed": expense.job.reimbursement_allowed(),
        "entries": timeline(expense),
    }


# --- jobs ------------------------------------------------------------------------------------


@login_required
def job_list(request):
    if not (request.user.has_perm("fieldservice.view_servicejob") or roles.may_be_sent(request.user)):
        raise PermissionDenied
    qs = selectors.jobs_for(request.user, status=request.GET.get("status") or None)
    page = keyset_page(qs, ordering=("-created_at", "-pk"), cursor=request.GET.get("after"), size=50)
    return render(
        request,
        "fieldservice/job_list.html",
        {"page": page, "statuses": ServiceJob.Status.choices, "status": request.GET.get("status", "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def job_create(request):
    """A job by hand (most are opened by the other workflows' events, see handlers.py)."""
    require_permission(request.user, "fieldservice.add_servicejob", _("New service job"))
    form = forms.JobCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            units = services.units_by_serials(d["serials"])
            job, _created = submit_once(
                request.POST.get("form_token"),
                request.user,
                lambda: services.job_create(
                    kind=d["kind"],
                    customer=d["customer"],
                    site=d["site"],
                    units=units,
                    contact_name=d["contact_name"],
                    contact_phone=d["contact_phone"],
                    description=d["description"],
                    by=request.user,
                ),
            )
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            confirm_draft(request, "fs-job-new")
            return redirect(job)
    context = {
        "title": _("New service job"),
        "form": form,
        "back": reverse("fieldservice:job-list"),
        "submit": _("Open the job"),
        "draft_key": "fs-job-new",
    }
    return render(request, "fieldservice/form_page.html", context)


# --- form A: the customer's own signature, in person or on their phone --------------------------


@login_required
@require_POST
def form_a_handover(request, pk):
    """The technician hands the tablet over: on to the signing screen, valid on this session only.

    The session is locked to that screen until the technician's password is given again.
    """
    form_a = form_a_for(request, pk)
    try:
        token = services.form_a_tablet_handover(pk=form_a.pk, by=request.user)
    except WorkflowError as exc:
        return render_refusal(request, exc.message, exc.http_status)
    screen = reverse("fieldservice:forma-tablet-sign", args=[token])
    _lock_to(request, screen, form_a)
    return redirect(screen)


def _lock_to(request, screen: str, form_a: FeedbackFormA) -> None:
    signing_lock.lock(
        request, screen=screen, unlock=reverse("fieldservice:tablet-unlock"), back=form_a.get_absolute_url()
    )


@login_required
@require_POST
def form_a_link(request, pk):
    """A link for the customer's own phone, shown as a QR code."""
    form_a = form_a_for(request, pk)
    try:
        url = services.form_a_customer_link(pk=form_a.pk, by=request.user)
    except WorkflowError as exc:
        return render_refusal(request, exc.message, exc.http_status)
    return render(request, "fieldservice/form_a_link.html", {"form_a": form_a, "url": url})


def _signing_refusal(request, message: str, status: int, *, tablet: bool):
    """A refusal on the signing screen, in its own frame (no staff menu): the customer may be holding it."""
    title = _("Not allowed") if status == 403 else _("Not possible now")
    context = {"title": title, "message": message, "tablet": tablet, "locked": signing_lock.is_locked(request)}
    return render(request, "fieldservice/signing_refused.html", context, status=status)


def _customer_sign(request, token, *, device_user, tablet: bool):
    """The signing screen shared by the tablet (in person) and the customer's own phone."""
    try:
        link = signing_link_resolve(token)
    except WorkflowError as exc:
        return _signing_refusal(request, exc.message, 410, tablet=tablet)
    form_a = get_object_or_404(FeedbackFormA.objects.select_related("job__customer"), pk=link.record_id)
    if link.purpose == services.TABLET_PURPOSE and (device_user is None or link.created_by_id != device_user.pk):
        return _signing_refusal(request, _("This signing screen belongs to another device."), 403, tablet=tablet)
    if tablet:
        # Whichever way the technician reached a valid screen, it is the locked one.
        _lock_to(request, request.path, form_a)
    job = form_a.job
    left = job.departed_at or job.arrived_at
    initial = {
        "arrival_date": timezone.localdate(job.arrived_at) if job.arrived_at else None,
        "departure_date": timezone.localdate(left) if left else None,
        "company_name": job.customer.name,
    }
    form = forms.CustomerConfirmForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            signed = services.form_a_customer_sign(
                token=token,
                data={k: d[k] for k in forms.CustomerConfirmForm.DATA_FIELDS},
                signer_name=d["signer_name"],
                signer_phone=d["signer_phone"],
                signer_position=d["signer_position"],
                signature=d["signature"],
                stamp_upload=d.get("stamp"),
                device_user=device_user,
                request=request,
                latitude=d["latitude"],
                longitude=d["longitude"],
                accuracy=d["accuracy"],
            )
        except WorkflowError as exc:
            form.add_error(None, exc.message)
            status = exc.http_status
        except ValidationError as exc:
            form.add_error("stamp", " ".join(exc.messages))
            status = 400
        else:
            confirm_draft(request, f"fs-sign-{form_a.pk}")
            if tablet:
                signing_lock.finish(request)
            context = {"form_a": signed, "tablet": tablet, "locked": tablet}
            return render(request, "fieldservice/signed.html", context)
    ctx = {
        "form": form,
        "form_a": form_a,
        "job": job,
        "draft_key": f"fs-sign-{form_a.pk}",
        "tablet": tablet,
        "locked": tablet,
    }
    return render(request, "fieldservice/customer_sign.html", ctx, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def form_a_tablet_sign(request, token):
    """In person on the technician's tablet: the customer types name and phone and signs."""
    return _customer_sign(request, token, device_user=request.user, tablet=True)


@never_cache
def customer_link_sign(request, link, token):
    """The customer's own phone, without an account (registered with aftersales.signing_views)."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    return _customer_sign(request, token, device_user=None, tablet=False)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tablet_unlock(request):
    """The technician takes the tablet back: their own password releases the locked session."""
    state = signing_lock.state_of(request)
    if state is None:
        return redirect("aftersales:todo")
    form = forms.UnlockForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result = signing_lock.unlock(request, form.cleaned_data["password"])
            if result.released:
                messages.success(request, _("The tablet is unlocked."))
                return redirect(result.back or "aftersales:todo")
            if result.logged_out:
                messages.error(request, _("Too many wrong passwords: you were logged out. Please log in again."))
                return redirect("login")
            form.add_error(
                "password",
                _("Wrong password. %(n)d more tries, then you are logged out.") % {"n": result.tries_left},
            )
            status = 403
    context = {"form": form, "finished": state.get("finished", False), "screen": state["screen"], "locked": True}
    return render(request, "fieldservice/tablet_unlock.html", context, status=status)


# --- PDFs ------------------------------------------------------------------------------------


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def form_a_pdf(request, pk):
    form_a = form_a_for(request, pk)
    return _pdf(render_form_a_pdf(form_a), f"{form_a.job.number}-A{form_a.revision}")


@login_required
def form_b_pdf(request, pk):
    form_b = form_b_for(request, pk)
    return _pdf(render_form_b_pdf(form_b), f"{form_b.job.number}-B")


@login_required
def support_pdf(request, pk):
    req = support_for(request, pk)
    return _pdf(render_support_pdf(req), req.number)


@login_required
def trip_pdf(request, pk):
    job = job_for(request, pk)
    return _pdf(render_trip_pdf(job), f"{job.number}-trip")


@login_required
def blank_pdf(request, which):
    return _pdf(render_blank_pdf(which), f"YD-QR032-{which.upper()}")


def job_verify(request, code):
    """The QR code printed on the archived pair: on to the archive's verification page."""
    job = get_object_or_404(ServiceJob, verify_code=code)
    doc = archives_of(job, ARCHIVE_KIND).first()
    if doc is None:
        return render_refusal(request, _("This document has not been archived yet."), 404)
    return redirect("aftersales:archive-verify", code=doc.verify_code)
