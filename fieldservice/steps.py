"""The steps of a service job, each declared once: the job page draws the buttons, one view runs them.

Who may run each follows from the transitions in models.py (role, assignment, conditions).
"""

from django.utils.translation import gettext_lazy as _

from aftersales.people import display_name
from aftersales.steps import Step, Workflow
from fieldservice import forms, services, views
from fieldservice.models import ServiceJob


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

WORKFLOWS = [JOB]
