"""Reads of the field-service workflow, with the joins each page needs."""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_fsm import can_proceed

from aftersales.attachments import attachments_of
from aftersales.models import Contact
from aftersales.pdf import archives_of
from fieldservice import roles
from fieldservice.models import Expense, FeedbackFormA, FeedbackFormB, ServiceJob, SupportRequest, report_interval

ACTIVE_TRIP = (ServiceJob.Status.TRAVELLING, ServiceJob.Status.ON_SITE, ServiceJob.Status.LEFT_SITE)


def jobs_for(user, status=None):
    """Everyone with the view permission sees every job; a technician sees the jobs sent on."""
    qs = ServiceJob.objects.select_related("customer", "site")
    if not user.has_perm("fieldservice.view_servicejob"):
        qs = qs.filter(assignments__technician=user)
    if status:
        qs = qs.filter(status=status)
    return qs


def jobs_report_overdue(now=None, limit=None):
    """Trips with no progress report for longer than the configured interval (default 24 h)."""
    now = now or timezone.now()
    qs = (
        ServiceJob.objects.filter(status__in=ACTIVE_TRIP)
        .annotate(report_since=Coalesce("last_report_at", "trip_departure_at", "dispatched_at"))
        .filter(report_since__lt=now - report_interval())
        .select_related("customer")
        .order_by("report_since")
    )
    return qs[:limit] if limit else qs


def job_detail_context(job, user) -> dict:
    reports = list(job.reports.select_related("created_by").order_by("-created_at"))
    photos = {}
    for report in reports:
        photos[report.pk] = list(attachments_of(report))
    expenses = list(job.expenses.select_related("created_by").order_by("spent_on", "pk"))
    return {
        "reports": [(r, photos[r.pk]) for r in reports],
        "expenses": expenses,
        "trainings": list(job.trainings.order_by("held_on", "pk")),
        "expense_total": sum((e.amount for e in expenses), 0),
        "form_a": job.current_form_a(),
        "old_forms_a": list(job.forms_a.filter(is_current=False).order_by("-revision")),
        "form_b": FeedbackFormB.objects.filter(job=job).first(),
        "support_requests": list(job.support_requests.select_related("decided_by").order_by("-created_at")),
        "assignments": list(job.assignments.select_related("technician").order_by("-is_lead", "pk")),
        "units": list(job.units.select_related("product_model")),
        "site_team": list(job.site_team.order_by("last_name", "first_name", "username")),
        "archives": list(archives_of(job)),
        "report_overdue": job.report_overdue(),
        "reimbursement_allowed": job.reimbursement_allowed(),
    }


def _phone_digits(phone: str) -> str:
    """A phone number as its digits, without China's country code or trunk 0: "+86 139-1234-5678" → "13912345678"."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) >= 12:
        digits = digits[2:]
    return digits.lstrip("0")  # the trunk 0 of an area code: 0731-… and +86 731-… are one number


def _person_name(name: str) -> str:
    return "".join((name or "").split()).casefold()


def registered_contact(customer, name: str, phone: str) -> Contact | None:
    """The customer's registered contact with this name and this phone (mobile or office), or None."""
    phone = _phone_digits(phone)
    if not phone:
        return None
    for contact in Contact.objects.filter(customer=customer).order_by("-is_primary", "pk"):
        if _person_name(contact.name) == _person_name(name) and phone in {
            _phone_digits(contact.mobile),
            _phone_digits(contact.phone),
        }:
            return contact
    return None


def customer_sign_blocked(form_a) -> str:
    """Why the customer cannot sign form A yet (the `unmet` text of its transition), or ""."""
    if form_a.status != FeedbackFormA.Status.AWAITING_CUSTOMER or can_proceed(form_a.customer_confirm):
        return ""
    transition = form_a.customer_confirm._django_fsm.get_transition(form_a.status)
    return str(transition.custom.get("unmet", "")) if transition else ""


def form_a_context(form_a, user) -> dict:
    job = form_a.job
    blocked = customer_sign_blocked(form_a) if form_a.is_current else ""
    return {
        "form_a": form_a,
        "job": job,
        "current": form_a if form_a.is_current else job.current_form_a(),
        # The two ways to the customer's own signature (the tablet, a link): special views, not steps.
        # Both wait for the after-sales manager's task signature (the customer_confirm condition).
        "can_hand_over": form_a.is_current
        and form_a.status == FeedbackFormA.Status.AWAITING_CUSTOMER
        and not blocked
        and roles.is_assigned_to_job(user, job),
        "customer_sign_blocked": blocked,
        "stamp": form_a.stamp,
        "revisions": list(job.forms_a.order_by("-revision")),
    }


def expenses_to_reimburse(limit=10):
    return Expense.objects.filter(status=Expense.Status.SUBMITTED).select_related("job").order_by("created_at")[:limit]


def forms_b_waiting(status, limit=10):
    return FeedbackFormB.objects.filter(status=status).select_related("job__customer").order_by("updated_at")[:limit]


def my_active_jobs(user, limit=20):
    return (
        ServiceJob.objects.filter(assignments__technician=user)
        .exclude(status__in=[ServiceJob.Status.ARCHIVED, ServiceJob.Status.CANCELLED])
        .select_related("customer")
        .order_by("agreed_date", "pk")[:limit]
    )


def jobs_needing_support_request(limit=10):
    return (
        ServiceJob.objects.filter(status__in=[ServiceJob.Status.NEW, ServiceJob.Status.SCHEDULED])
        .exclude(Q(support_requests__status__in=[SupportRequest.Status.SUBMITTED, SupportRequest.Status.APPROVED]))
        .select_related("customer")
        .order_by("created_at")[:limit]
    )


def verify_url_of_job(code) -> str | None:
    """The code printed under the QR code of a job's archived A+B pair leads to its verification."""
    from django.urls import reverse

    if ServiceJob.objects.filter(verify_code=code).exists():
        return reverse("fieldservice:job-verify", args=[code])
    return None


def forms_a_signer_to_verify(limit=10):
    """Current forms A signed by someone who is not a registered contact, waiting for after-sales."""
    return (
        FeedbackFormA.objects.filter(is_current=True, signer_check=FeedbackFormA.SignerCheck.TO_VERIFY)
        .select_related("job__customer", "customer_signature")
        .order_by("signed_at", "pk")[:limit]
    )


def forms_a_awaiting_task_signature(limit=10):
    """Current forms A of open jobs whose after-sales task the manager has not signed: the customer waits."""
    return (
        FeedbackFormA.objects.filter(is_current=True, manager_signature__isnull=True)
        .exclude(status=FeedbackFormA.Status.SIGNED)
        .exclude(job__status__in=[ServiceJob.Status.ARCHIVED, ServiceJob.Status.CANCELLED])
        .select_related("job__customer")
        .order_by("created_at", "pk")[:limit]
    )
