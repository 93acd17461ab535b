"""The steps of a service case, each declared once: the case page draws the buttons, one view runs them."""

from django.utils.translation import gettext_lazy as _

from aftersales.servicedesk import forms, selectors, services, views
from aftersales.servicedesk.models import ServiceCase, SlaClock, TechnicalDocument
from aftersales.steps import Step, Workflow

Status = ServiceCase.Status


def _working(case: ServiceCase, _user=None) -> bool:
    return case.status in (Status.TECHDEPT, Status.IN_PROGRESS)


def _awaits_dispatch(case: ServiceCase, _user=None) -> bool:
    return (
        case.status == Status.IN_PROGRESS
        and case.decision == ServiceCase.Decision.ONSITE
        and case.visit == ServiceCase.Visit.NONE
        and not selectors.has_service_job(case)
    )


def _awaits_arrival(case: ServiceCase, _user=None) -> bool:
    return (
        case.status == Status.IN_PROGRESS
        and case.visit == ServiceCase.Visit.DISPATCHED
        and not selectors.has_service_job(case)
    )


def _clock_running(case: ServiceCase, _user=None) -> bool:
    return case.is_open and SlaClock.objects.filter(case=case, stopped_at=None, paused_at=None).exists()


def _clock_paused(case: ServiceCase, _user=None) -> bool:
    return case.is_open and SlaClock.objects.filter(case=case, stopped_at=None).exclude(paused_at=None).exists()


def _for_case(case: ServiceCase) -> dict:
    return {"case": case}


CASE = Workflow(
    model=ServiceCase,
    url_name="servicedesk:case-step",
    template="servicedesk/detail.html",
    get_object=views.case_for,
    context=views.case_context,
    steps=[
        Step(
            "note",
            services.case_add_note,
            _("Saved."),
            form=forms.NoteForm,
            permission="servicedesk.respond_servicecase",
            when=lambda case, _user: case.is_open,
            label=_("Record a response or note"),
        ),
        Step(
            "answer",
            services.case_answer,
            _("Answered and closed."),
            form=forms.AnswerForm,
            transition="answer",
            label=_("Answer and close"),
        ),
        Step(
            "handover",
            services.case_hand_to_techdept,
            _("Handed to the technical department."),
            form=forms.HandOverForm,
            transition="hand_to_techdept",
            label=_("Hand to the technical department"),
        ),
        Step(
            "diagnose",
            services.case_diagnose,
            _("Diagnosis recorded."),
            form=forms.DiagnosisForm,
            form_kwargs=_for_case,
            permission="servicedesk.diagnose_servicecase",
            when=_working,
            label=_("Phone diagnosis"),
        ),
        Step(
            "quote-fee",
            services.case_quote_fee,
            _("Fee recorded."),
            form=forms.FeeQuoteForm,
            form_kwargs=_for_case,
            permission="servicedesk.quotefee_servicecase",
            when=lambda case, _user: _working(case) and selectors.fee_required(case),
            label=_("Paid repair: fee told to the customer"),
        ),
        Step(
            "override-repeat",
            services.case_override_repeat_repair,
            _("Another repair allowed."),
            form=forms.RepeatOverrideForm,
            permission="servicedesk.overriderepeat_servicecase",
            when=lambda case, _user: (
                case.status == Status.TECHDEPT
                and case.replace_recommended
                and not selectors.repeat_repair_allowed(case)
            ),
            label=_("Allow another repair instead of a new unit (三包 exception)"),
        ),
        Step(
            "decide",
            services.case_decide,
            _("Decision recorded."),
            form=forms.DecisionForm,
            transition="decide",
            label=_("Decide"),
        ),
        Step(
            "dispatch",
            services.case_confirm_dispatch,
            _("Dispatch confirmed: the arrival clock runs."),
            permission="servicedesk.dispatch_servicecase",
            when=_awaits_dispatch,
            label=_("Confirm dispatch (starts the arrival clock)"),
        ),
        Step(
            "arrival",
            services.case_record_arrival,
            _("Arrival recorded."),
            form=forms.ArrivalForm,
            permission="servicedesk.dispatch_servicecase",
            when=_awaits_arrival,
            label=_("Record the arrival on site"),
        ),
        Step(
            "resolve",
            services.case_resolve,
            _("Resolution recorded."),
            form=forms.ResolveForm,
            transition="resolve",
            label=_("Record the resolution"),
        ),
        Step(
            "revisit",
            services.case_revisit,
            _("Revisit recorded."),
            form=forms.RevisitForm,
            transition="revisit",
            label=_("Customer revisit (回访)"),
        ),
        Step("close", services.case_close, _("Case closed."), transition="close", label=_("Close")),
        Step(
            "reopen",
            services.case_reopen,
            _("Case reopened."),
            form=forms.ReopenForm,
            transition="reopen",
            label=_("Reopen"),
            danger=True,
        ),
        Step(
            "pause",
            services.case_pause_clock,
            _("Clock paused."),
            form=forms.PauseForm,
            permission="servicedesk.pauseclock_servicecase",
            when=_clock_running,
            label=_("Pause a clock"),
        ),
        Step(
            "resume",
            services.case_resume_clock,
            _("Clock resumed."),
            form=forms.ResumeForm,
            permission="servicedesk.pauseclock_servicecase",
            when=_clock_paused,
            label=_("Resume a clock"),
        ),
        Step(
            "attach",
            services.case_attach,
            _("File attached."),
            form=forms.AttachForm,
            permission="servicedesk.respond_servicecase",
            label=_("Attach a photo or scan"),
        ),
        Step(
            "reply",
            services.coordination_sheet_reply,
            _("Reply recorded."),
            form=forms.CoordinationReplyForm,
            form_kwargs=_for_case,
            permission="servicedesk.add_coordinationsheet",
            when=lambda case, _user: case.coordination_sheets.filter(reply="").exists(),
            label=_("Answer a coordination sheet"),
        ),
        Step(
            "escalate",
            services.case_escalate,
            _("Escalated: the product director decides who goes."),
            form=forms.EscalateForm,
            transition="escalate",
        ),
        Step(
            "direct",
            services.case_direct_support,
            _("Direction recorded: the product department sends its people."),
            form=forms.DirectSupportForm,
            transition="direct",
        ),
        Step(
            "file-support",
            services.case_file_support,
            _("Results filed and archived."),
            form=forms.FileSupportForm,
            transition="file_support",
            page=True,
        ),
        Step(
            "coordination",
            services.coordination_sheet_create,
            _("Coordination sheet written."),
            form=forms.CoordinationForm,
            permission="servicedesk.add_coordinationsheet",
            label=_("Department coordination sheet (部门协调单)"),
        ),
    ],
)

DOCUMENT = Workflow(
    model=TechnicalDocument,
    url_name="servicedesk:document-step",
    template="servicedesk/document_detail.html",
    get_object=views.document_for,
    context=views.document_context,
    steps=[
        Step(
            "version",
            services.document_version_add,
            _("Version added: publish it to send it to the customers."),
            form=forms.DocumentVersionForm,
            permission="servicedesk.add_documentversion",
            label=_("Add a version"),
            page=True,
        ),
        Step(
            "publish",
            services.document_publish,
            _("Published: each customer with units of this model is sent the new version."),
            permission="servicedesk.publish_documentversion",
            when=lambda document, _user: document.versions.filter(published_at=None).exists(),
            label=_("Publish the new version to the customers"),
        ),
    ],
)

WORKFLOWS = [CASE, DOCUMENT]
