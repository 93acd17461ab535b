"""The steps of field service, each declared once: a record's page draws its buttons, one view runs them.

The job, its market-support requests, forms A and B and the trip's expenses each have a record
page and a `Workflow`. Who may run a step follows from its transition in models.py (role,
assignment, conditions) or, for a step that is no transition, from its permission and the named
predicates of roles.py; the services check the same again.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.people import display_name
from aftersales.steps import Step, Workflow
from fieldservice import forms, roles, services, views
from fieldservice.models import Expense, FeedbackFormA, FeedbackFormB, ServiceJob, SupportRequest

Status = ServiceJob.Status
ON_THE_TRIP = (Status.TRAVELLING, Status.ON_SITE, Status.LEFT_SITE)
CLOSED = (Status.ARCHIVED, Status.CANCELLED)


def _dispatch_initial(job: ServiceJob) -> dict:
    site = job.site
    return {
        "address": site.full_address if site else job.customer.address,
        "contact": job.contact_name,
        "phone": job.contact_phone,
    }


def _trip_initial(job: ServiceJob) -> dict:
    return {
        "travellers": ", ".join(display_name(a.technician) for a in job.assignments.select_related("technician")),
        "destination": job.destination_address,
        "purpose": job.get_kind_display(),
        "expected_return": job.trip_expected_return,
    }


def _support_wanted(job: ServiceJob, _user) -> bool:
    """One market-support request at a time: another only after a rejection."""
    return job.status not in CLOSED and not job.support_requests.exclude(status=SupportRequest.Status.REJECTED).exists()


def _on_the_trip(job: ServiceJob, user) -> bool:
    return job.status in ON_THE_TRIP and roles.is_assigned_to_job(user, job)


def _after_arrival(job: ServiceJob, user) -> bool:
    after = (ServiceJob.Status.ON_SITE, ServiceJob.Status.LEFT_SITE, ServiceJob.Status.RETURNED)
    return job.status in after and roles.is_assigned_to_job(user, job)


def _form_a_to_open(job: ServiceJob, user) -> bool:
    return bool(job.dispatched_at) and job.current_form_a() is None and roles.may_handle_form_a(user, job)


def _form_b_intro(_record) -> str:
    return str(
        _(
            "Every block but the sales info is required. Service days are computed from arrival and departure; "
            "changing them needs a reason."
        )
    )


def _form_b_to_start(job: ServiceJob, user) -> bool:
    return bool(job.arrived_at) and not hasattr(job, "form_b") and roles.is_assigned_to_job(user, job)


JOB = Workflow(
    model=ServiceJob,
    url_name="fieldservice:job-step",
    template="fieldservice/job_detail.html",
    form_template="fieldservice/form_page.html",
    get_object=views.job_for,
    context=views.job_context,
    steps=[
        Step(
            "schedule",
            services.job_schedule,
            _("Agreed date recorded."),
            form=forms.ScheduleForm,
            initial=lambda job: {"agreed_date": job.agreed_date},
            transition="schedule",
            page=True,
        ),
        Step(
            "support",
            services.support_request_create,
            _("The market-support request was sent to the general manager."),
            form=forms.SupportRequestForm,
            initial=lambda job: {"proposed_start": job.agreed_date},
            permission="fieldservice.add_supportrequest",
            when=_support_wanted,
            label=_("File the market-support request"),
            page=True,
            draft=True,
        ),
        Step(
            "dispatch",
            services.job_dispatch,
            _("Technicians dispatched."),
            form=forms.DispatchForm,
            initial=_dispatch_initial,
            transition="dispatch",
            page=True,
        ),
        Step(
            "trip",
            services.job_start_trip,
            _("Trip record saved: have a safe journey."),
            form=forms.TripForm,
            initial=_trip_initial,
            transition="start_trip",
            page=True,
            draft=True,
        ),
        Step("arrive", services.job_arrive, _("Arrival on site recorded."), transition="arrive"),
        Step("depart", services.job_depart, _("Departure from the site recorded."), transition="depart"),
        Step(
            "return",
            services.job_return,
            _("Return recorded."),
            form=forms.ReturnForm,
            transition="return_to_company",
            label=_("Back at the company: debrief"),
            page=True,
            draft=True,
        ),
        Step("archive", services.job_archive, _("Job archived."), transition="archive"),
        # Beside the job's own line (whose next step comes first, drawn open): its forms and records.
        Step(
            "form-a",
            services.form_a_open,
            _("Form A started: fill it in on its page."),
            when=_form_a_to_open,
            label=_("Fill form A"),
        ),
        Step(
            "form-b",
            services.form_b_create,
            _("Form B saved."),
            form=forms.FormBForm,
            initial=services.form_b_initial,
            permission="fieldservice.fill_feedbackformb",
            when=_form_b_to_start,
            label=_("Fill form B"),
            intro=_form_b_intro,
            page=True,
            draft=True,
        ),
        Step(
            "report",
            services.report_add,
            _("Progress report saved."),
            form=forms.ReportForm,
            permission="fieldservice.add_progressreport",
            when=_on_the_trip,
            label=_("Progress report"),
            page=True,
            draft=True,
        ),
        Step(
            "training",
            services.training_record,
            _("Training recorded."),
            form=forms.TrainingForm,
            permission="fieldservice.add_trainingsession",
            when=_after_arrival,
            label=_("Record the training given"),
            initial=lambda job: {"held_on": timezone.localdate()},
            page=True,
            draft=True,
        ),
        Step(
            "expense",
            services.expense_add,
            _("Travel expense submitted."),
            form=forms.ExpenseForm,
            permission="fieldservice.add_expense",
            when=lambda job, user: job.status not in CLOSED and roles.is_assigned_to_job(user, job),
            label=_("Travel expense"),
            page=True,
            draft=True,
        ),
        Step(
            "cancel",
            services.job_cancel,
            _("Job cancelled."),
            form=forms.ReasonForm,
            transition="cancel",
            danger=True,
        ),
    ],
)

SUPPORT_REQUEST = Workflow(
    model=SupportRequest,
    url_name="fieldservice:support-step",
    template="fieldservice/support_detail.html",
    get_object=views.support_for,
    context=views.support_context,
    steps=[
        Step(
            "approve",
            services.support_request_approve,
            _("Market-support request approved."),
            form=forms.CommentForm,
            transition="approve",
        ),
        Step(
            "reject",
            services.support_request_reject,
            _("Market-support request rejected."),
            form=forms.RejectForm,
            transition="reject",
            danger=True,
        ),
    ],
)


def _form_a_draft(form_a: FeedbackFormA, user) -> bool:
    return (
        form_a.is_current and form_a.status == FeedbackFormA.Status.DRAFT and roles.is_assigned_to_job(user, form_a.job)
    )


FORM_A = Workflow(
    model=FeedbackFormA,
    url_name="fieldservice:forma-step",
    template="fieldservice/form_a.html",
    form_template="fieldservice/form_page.html",
    get_object=views.form_a_for,
    context=views.form_a_context,
    steps=[
        Step(
            "edit",
            services.form_a_update,
            _("Form A saved."),
            form=forms.FormATechForm,
            form_kwargs=lambda form_a: {"instance": form_a},
            permission="fieldservice.fill_feedbackforma",
            when=_form_a_draft,
            label=_("Fill form A"),
            page=True,
            draft=True,
        ),
        Step(
            "sign-content",
            services.form_a_sign_content,
            _("Service content signed: the form waits for the customer."),
            form=forms.SignOnlyForm,
            transition="sign_service_content",
            when=lambda form_a, _user: bool(form_a.service_content.strip()),
            intro=lambda form_a: form_a.service_content,
            page=True,
            draft=True,
        ),
        Step(
            "sign-task",
            services.form_a_sign_task,
            _("After-sales task signed."),
            form=forms.FormATaskForm,
            initial=lambda form_a: {"task": form_a.task},
            permission="fieldservice.sign_task_feedbackforma",
            when=lambda form_a, _user: form_a.is_current and not form_a.is_locked,
            label=_("Sign the after-sales task"),
            page=True,
        ),
        Step("reopen", services.form_a_reopen, _("Form A reopened for changes."), transition="reopen"),
        Step(
            "verify-signer",
            services.form_a_verify_signer,
            _("Signer verified: the forms can be archived."),
            form=forms.SignerCheckForm,
            transition="verify_signer",
        ),
        Step(
            "revise",
            services.form_a_revise,
            _("Corrected revision started."),
            form=forms.ReasonForm,
            when=lambda form_a, user: (
                form_a.is_current and form_a.is_locked and roles.may_handle_form_a(user, form_a.job)
            ),
            label=_("Start a corrected revision"),
            danger=True,
        ),
    ],
)

FORM_B = Workflow(
    model=FeedbackFormB,
    url_name="fieldservice:formb-step",
    template="fieldservice/form_b.html",
    form_template="fieldservice/form_page.html",
    get_object=views.form_b_for,
    context=views.form_b_context,
    steps=[
        Step(
            "edit",
            services.form_b_update,
            _("Form B saved."),
            form=forms.FormBForm,
            form_kwargs=lambda form_b: {"instance": form_b},
            permission="fieldservice.fill_feedbackformb",
            when=lambda form_b, user: (
                form_b.status == FeedbackFormB.Status.DRAFT and roles.is_assigned_to_job(user, form_b.job)
            ),
            label=_("Change form B"),
            intro=_form_b_intro,
            page=True,
            draft=True,
        ),
        Step(
            "submit",
            services.form_b_submit,
            _("Form B signed and submitted."),
            form=forms.SignOnlyForm,
            transition="submit",
            page=True,
        ),
        Step(
            "review",
            services.form_b_review,
            _("Opinion signed."),
            form=forms.OpinionForm,
            transition="review",
            page=True,
        ),
        Step(
            "approve",
            services.form_b_approve,
            _("Form B approved."),
            form=forms.ApprovalForm,
            transition="approve",
            page=True,
        ),
        Step(
            "send-back",
            services.form_b_send_back,
            _("Form B sent back to the technician."),
            form=forms.ReasonForm,
            transition="send_back",
            danger=True,
        ),
    ],
)

EXPENSE = Workflow(
    model=Expense,
    url_name="fieldservice:expense-step",
    template="fieldservice/expense_detail.html",
    get_object=views.expense_for,
    context=views.expense_context,
    steps=[
        Step(
            "reimburse", services.expense_mark_reimbursable, _("Marked reimbursable."), transition="mark_reimbursable"
        ),
    ],
)

WORKFLOWS = [JOB, SUPPORT_REQUEST, FORM_A, FORM_B, EXPENSE]
