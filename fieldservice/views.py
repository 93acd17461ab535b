"""Thin views: check the role on the server, bind a form, call one service, redirect."""

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

from aftersales.idempotency import confirm_draft, submit_once
from aftersales.middleware import render_refusal
from aftersales.pagination import keyset_page
from aftersales.pdf import archives_of
from aftersales.signatures import signing_link_resolve
from aftersales.timeline import timeline
from aftersales.workflow import WorkflowError
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


def job_for(request, pk) -> ServiceJob:
    job = get_object_or_404(ServiceJob.objects.select_related("customer", "site"), pk=pk)
    if not job.user_may_view(request.user):
        raise PermissionDenied
    return job


def _need(request, perm: str):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _need_assigned(request, job, perm: str):
    if not (request.user.has_perm(perm) and job.is_assigned(request.user)):
        raise PermissionDenied


def _fail(request, exc: WorkflowError, url: str):
    messages.error(request, exc.message)
    return redirect(url)


def _page(
    request, title, form, *, back, submit, draft_key="", sign=False, intro=None, status=200, multipart=False, extra=None
):
    ctx = {
        "title": title,
        "form": form,
        "back": back,
        "submit": submit,
        "draft_key": draft_key,
        "sign": sign,
        "intro": intro,
        "multipart": multipart,
        **(extra or {}),
    }
    return render(request, "fieldservice/form_page.html", ctx, status=status)


# --- jobs ----------------------------------------------------------------------------


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
    _need(request, "fieldservice.add_servicejob")
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
    return _page(
        request,
        _("New service job"),
        form,
        back=reverse("fieldservice:job-list"),
        submit=_("Open the job"),
        draft_key="fs-job-new",
    )


def job_context(request, job: ServiceJob) -> dict:
    """The job page; its steps are drawn by `{% steps job %}` from fieldservice/steps.py."""
    return {"job": job, "entries": timeline(job), **selectors.job_detail_context(job, request.user)}


@login_required
def job_detail(request, pk):
    job = job_for(request, pk)
    return render(request, "fieldservice/job_detail.html", job_context(request, job))


@login_required
@require_http_methods(["GET", "POST"])
def support_create(request, pk):
    job = job_for(request, pk)
    _need(request, "fieldservice.add_supportrequest")
    form = forms.SupportRequestForm(request.POST or None, initial={"proposed_start": job.agreed_date})
    key = f"fs-support-{job.pk}"
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(
                request.POST.get("form_token"),
                request.user,
                lambda: services.support_request_create(job=job, by=request.user, **form.cleaned_data),
            )
        except WorkflowError as exc:
            form.add_error(None, exc.message)
        else:
            confirm_draft(request, key)
            messages.success(request, _("The market-support request was sent to the general manager."))
            return redirect(job)
    return _page(
        request,
        _("Market-support request"),
        form,
        back=job.get_absolute_url(),
        submit=_("File the request"),
        draft_key=key,
    )


@login_required
@require_POST
def support_decide(request, pk):
    req = get_object_or_404(SupportRequest.objects.select_related("job"), pk=pk)
    _need(request, "fieldservice.approve_supportrequest")
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return render_refusal(request, _("Choose approve or reject."), 400)
    d = form.cleaned_data
    try:
        if d["decision"] == "approve":
            services.support_request_approve(
                pk=req.pk, by=request.user, comment=d["comment"], expected_state=request.POST.get("expected_state")
            )
        else:
            services.support_request_reject(
                pk=req.pk, by=request.user, comment=d["comment"], expected_state=request.POST.get("expected_state")
            )
    except WorkflowError as exc:
        return _fail(request, exc, req.job.get_absolute_url())
    return redirect(req.job)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request, pk):
    job = job_for(request, pk)
    _need_assigned(request, job, "fieldservice.work_servicejob")
    form = forms.ReportForm(request.POST or None, request.FILES or None)
    key = f"fs-report-{job.pk}"
    if request.method == "POST" and form.is_valid():
        try:
            submit_once(
                request.POST.get("form_token"),
                request.user,
                lambda: services.report_add(
                    job_pk=job.pk,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    photos=request.FILES.getlist("photos"),
                ),
            )
        except (WorkflowError, ValidationError) as exc:
            form.add_error(None, exc.message if isinstance(exc, WorkflowError) else " ".join(exc.messages))
        else:
            confirm_draft(request, key)
            messages.success(request, _("Progress report saved."))
            return redirect(job)
    return _page(
        request,
        _("Progress report"),
        form,
        back=job.get_absolute_url(),
        submit=_("Send the report"),
        draft_key=key,
        multipart=True,
    )


# --- form A ---------------------------------------------------------------------------


@login_required
@require_POST
def form_a_open(request, pk):
    job = job_for(request, pk)
    try:
        form = services.form_a_open(job_pk=job.pk, by=request.user)
    except WorkflowError as exc:
        return render_refusal(request, exc.message, exc.http_status)
    return redirect("fieldservice:forma-edit", pk=form.pk)


def _form_a(request, pk) -> FeedbackFormA:
    form = get_object_or_404(FeedbackFormA.objects.select_related("job__customer", "job__site"), pk=pk)
    if not form.job.user_may_view(request.user):
        raise PermissionDenied
    return form


@login_required
@require_http_methods(["GET", "POST"])
def form_a_edit(request, pk):
    form_a = _form_a(request, pk)
    key = f"fs-form-a-{form_a.pk}"
    if request.method == "POST":
        # The customer's confirmation has one way in: the signing screen. A POST that tries to
        # set it here is refused outright, not silently ignored.
        if set(request.POST) & {*FeedbackFormA.CUSTOMER_FIELDS, "signer_name", "customer_signature"}:
            return render_refusal(
                request, _("Only the customer fills the confirmation, in person or on their own phone."), 403
            )
        _need_assigned(request, form_a.job, "fieldservice.fill_feedbackforma")
    bound = forms.FormATechForm(request.POST or None, instance=form_a)
    if request.method == "POST" and bound.is_valid():
        try:
            services.form_a_update(
                pk=form_a.pk, by=request.user, data={k: bound.cleaned_data[k] for k in services.FORM_A_TECH_FIELDS}
            )
        except WorkflowError as exc:
            return render_refusal(request, exc.message, exc.http_status)
        confirm_draft(request, key)
        messages.success(request, _("Form A saved."))
        return redirect("fieldservice:forma-edit", pk=form_a.pk)
    return render(
        request,
        "fieldservice/form_a.html",
        selectors.form_a_context(form_a, request.user) | {"form": bound, "draft_key": key},
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_a_sign_task(request, pk):
    form_a = _form_a(request, pk)
    _need(request, "fieldservice.sign_task_feedbackforma")
    form = forms.FormATaskForm(request.POST or None, initial={"task": form_a.task})
    if request.method == "POST" and form.is_valid():
        try:
            services.form_a_sign_task(
                pk=form_a.pk,
                by=request.user,
                task=form.cleaned_data["task"],
                data_url=form.cleaned_data["signature"],
                request=request,
            )
        except WorkflowError as exc:
            return render_refusal(request, exc.message, exc.http_status)
        return redirect("fieldservice:forma-edit", pk=form_a.pk)
    return _page(
        request, _("Sign the after-sales task"), form, back=form_a.get_absolute_url(), submit=_("Sign"), sign=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_a_sign_content(request, pk):
    form_a = _form_a(request, pk)
    _need_assigned(request, form_a.job, "fieldservice.fill_feedbackforma")
    form = forms.SignOnlyForm(request.POST or None)
    key = f"fs-form-a-sig-{form_a.pk}"
    if request.method == "POST" and form.is_valid():
        try:
            services.form_a_sign_content(
                pk=form_a.pk,
                by=request.user,
                data_url=form.cleaned_data["signature"],
                request=request,
                expected_state=request.POST.get("expected_state"),
            )
        except WorkflowError as exc:
            return render_refusal(request, exc.message, exc.http_status)
        confirm_draft(request, key)
        return redirect("fieldservice:forma-edit", pk=form_a.pk)
    intro = form_a.service_content
    return _page(
        request,
        _("Sign the service content"),
        form,
        back=form_a.get_absolute_url(),
        submit=_("Sign"),
        sign=True,
        intro=intro,
        draft_key=key,
        extra={"expected_state": form_a.status},
    )


@login_required
@require_POST
def form_a_reopen(request, pk):
    form_a = _form_a(request, pk)
    try:
        services.form_a_reopen(pk=form_a.pk, by=request.user, expected_state=request.POST.get("expected_state"))
    except WorkflowError as exc:
        return render_refusal(request, exc.message, exc.http_status)
    return redirect("fieldservice:forma-edit", pk=form_a.pk)


@login_required
@require_POST
def form_a_handover(request, pk):
    form_a = _form_a(request, pk)
    try:
        token = services.form_a_tablet_handover(pk=form_a.pk, by=request.user)
    except WorkflowError as exc:
        return render_refusal(request, exc.message, exc.http_status)
    return redirect("fieldservice:forma-tablet-sign", token=token)


@login_required
@require_POST
def form_a_link(request, pk):
    form_a = _form_a(request, pk)
    try:
        url = services.form_a_customer_link(pk=form_a.pk, by=request.user)
    except WorkflowError as exc:
        return render_refusal(request, exc.message, exc.http_status)
    return render(request, "fieldservice/form_a_link.html", {"form_a": form_a, "url": url})


@login_required
@require_POST
def form_a_revise(request, pk):
    form_a = _form_a(request, pk)
    try:
        new = services.form_a_revise(pk=form_a.pk, by=request.user, reason=request.POST.get("reason", ""))
    except WorkflowError as exc:
        return render_refusal(request, exc.message, exc.http_status)
    return redirect("fieldservice:forma-edit", pk=new.pk)


def _customer_sign(request, token, *, device_user, template_extra):
    """The signing screen shared by the tablet (in person) and the customer's own phone."""
    try:
        link = signing_link_resolve(token)
    except WorkflowError as exc:
        return render_refusal(request, exc.message, 410)
    form_a = get_object_or_404(FeedbackFormA.objects.select_related("job__customer"), pk=link.record_id)
    if link.purpose == services.TABLET_PURPOSE and (device_user is None or link.created_by_id != device_user.pk):
        return render_refusal(request, _("This signing screen belongs to another device."), 403)
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
            services.form_a_customer_sign(
                token=token,
                data={k: d[k] for k in forms.CustomerConfirmForm.DATA_FIELDS},
                signer_name=d["signer_name"],
                signer_phone=d["signer_phone"],
                data_url=d["signature"],
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
            return render(request, "fieldservice/signed.html", {"form_a": form_a, **template_extra})
    ctx = {"form": form, "form_a": form_a, "job": job, "draft_key": f"fs-sign-{form_a.pk}", **template_extra}
    return render(request, "fieldservice/customer_sign.html", ctx, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def form_a_tablet_sign(request, token):
    """In person on the technician's tablet: the customer types name and phone and signs."""
    return _customer_sign(request, token, device_user=request.user, template_extra={"tablet": True})


@never_cache
def customer_link_sign(request, link, token):
    """The customer's own phone, without an account (registered with aftersales.signing_views)."""
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405)
    return _customer_sign(request, token, device_user=None, template_extra={"tablet": False})


# --- form B -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def form_b_edit(request, pk):
    job = job_for(request, pk)
    form_b = FeedbackFormB.objects.filter(job=job).first()
    key = f"fs-form-b-{job.pk}"
    editable = (
        request.user.has_perm("fieldservice.fill_feedbackformb")
        and job.is_assigned(request.user)
        and (form_b is None or form_b.status == FeedbackFormB.Status.DRAFT)
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        bound = forms.FormBForm(request.POST, instance=FeedbackFormB(job=job))
        if bound.is_valid():
            data = {name: bound.cleaned_data[name] for name in forms.FormBForm.Meta.fields}
            try:
                services.form_b_save(job_pk=job.pk, by=request.user, data=data)
            except WorkflowError as exc:
                bound.add_error(None, exc.message)
            else:
                confirm_draft(request, key)
                messages.success(request, _("Form B saved."))
                return redirect("fieldservice:formb-edit", pk=job.pk)
    else:
        bound = forms.FormBForm(instance=form_b, initial=None if form_b else services.form_b_initial(job))
    ctx = selectors.form_b_context(job, form_b, request.user) | {
        "form": bound,
        "editable": editable,
        "draft_key": key,
        "job": job,
    }
    return render(request, "fieldservice/form_b.html", ctx)


def _form_b_signed_step(request, pk, *, form_class, title, service, field=None):
    job = job_for(request, pk)
    form_b = get_object_or_404(FeedbackFormB, job=job)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kwargs = {field: form.cleaned_data[field]} if field else {}
        try:
            service(
                job_pk=job.pk,
                by=request.user,
                data_url=form.cleaned_data["signature"],
                request=request,
                expected_state=request.POST.get("expected_state"),
                **kwargs,
            )
        except WorkflowError as exc:
            return render_refusal(request, exc.message, exc.http_status)
        return redirect("fieldservice:formb-edit", pk=job.pk)
    return _page(
        request,
        title,
        form,
        back=reverse("fieldservice:formb-edit", args=[job.pk]),
        submit=_("Sign"),
        sign=True,
        extra={"expected_state": form_b.status},
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_b_submit(request, pk):
    job = job_for(request, pk)
    _need_assigned(request, job, "fieldservice.fill_feedbackformb")
    return _form_b_signed_step(
        request, pk, form_class=forms.SignOnlyForm, title=_("Sign and submit form B"), service=services.form_b_submit
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_b_review(request, pk):
    _need(request, "fieldservice.review_feedbackformb")
    return _form_b_signed_step(
        request,
        pk,
        form_class=forms.OpinionForm,
        title=_("Department manager's opinion"),
        service=services.form_b_review,
        field="opinion",
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_b_approve(request, pk):
    _need(request, "fieldservice.approve_feedbackformb")
    return _form_b_signed_step(
        request,
        pk,
        form_class=forms.ApprovalForm,
        title=_("Company leadership approval"),
        service=services.form_b_approve,
        field="comment",
    )


@login_required
@require_POST
def form_b_send_back(request, pk):
    job = job_for(request, pk)
    try:
        services.form_b_send_back(
            job_pk=job.pk,
            by=request.user,
            reason=request.POST.get("reason", ""),
            expected_state=request.POST.get("expected_state"),
        )
    except WorkflowError as exc:
        return render_refusal(request, exc.message, exc.http_status)
    return redirect("fieldservice:formb-edit", pk=job.pk)


# --- expenses ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def expense_create(request, pk):
    job = job_for(request, pk)
    _need_assigned(request, job, "fieldservice.add_expense")
    form = forms.ExpenseForm(request.POST or None, request.FILES or None)
    key = f"fs-expense-{job.pk}"
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            submit_once(
                request.POST.get("form_token"),
                request.user,
                lambda: services.expense_add(
                    job_pk=job.pk,
                    by=request.user,
                    category=d["category"],
                    amount=d["amount"],
                    spent_on=d["spent_on"],
                    description=d["description"],
                    receipts=request.FILES.getlist("receipts"),
                ),
            )
        except (WorkflowError, ValidationError) as exc:
            form.add_error(None, exc.message if isinstance(exc, WorkflowError) else " ".join(exc.messages))
        else:
            confirm_draft(request, key)
            return redirect(job.get_absolute_url() + "#expenses")
    return _page(
        request,
        _("Travel expense"),
        form,
        back=job.get_absolute_url(),
        submit=_("Submit the expense"),
        draft_key=key,
        multipart=True,
    )


@login_required
@require_POST
def expense_reimburse(request, pk):
    expense = get_object_or_404(Expense.objects.select_related("job"), pk=pk)
    try:
        services.expense_mark_reimbursable(
            pk=expense.pk, by=request.user, expected_state=request.POST.get("expected_state")
        )
    except WorkflowError as exc:
        return render_refusal(request, exc.message, exc.http_status)
    return redirect(expense.job.get_absolute_url() + "#expenses")


# --- PDFs ---------------------------------------------------------------------------------


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def form_a_pdf(request, pk):
    form_a = _form_a(request, pk)
    return _pdf(render_form_a_pdf(form_a), f"{form_a.job.number}-A{form_a.revision}")


@login_required
def form_b_pdf(request, pk):
    job = job_for(request, pk)
    return _pdf(render_form_b_pdf(get_object_or_404(FeedbackFormB, job=job)), f"{job.number}-B")


@login_required
def support_pdf(request, pk):
    req = get_object_or_404(SupportRequest.objects.select_related("job__customer"), pk=pk)
    if not req.user_may_view(request.user):
        raise PermissionDenied
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
