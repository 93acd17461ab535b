"""待办 sections of field service, one per role concerned; each a few bounded queries."""

from django.urls import reverse
from django.utils.translation import gettext as _

from aftersales.localtime import local_format
from aftersales.registry import TodoItem, TodoSection
from aftersales.roles import has_role
from fieldservice import selectors
from fieldservice.models import FeedbackFormB, ServiceJob, SupportRequest

LIMIT = 10


def _job_item(job, note="", flag="", since=None):
    return TodoItem(
        label=f"{job.number} · {job.customer.name}",
        url=job.get_absolute_url(),
        since=since or job.created_at,
        note=note,
        flag=flag,
    )


def sections(user) -> list[TodoSection]:
    result = []
    if has_role(user, "clerk", "as_manager"):
        overdue = list(selectors.jobs_report_overdue(limit=LIMIT))
        if overdue:
            result.append(
                TodoSection(
                    _("Trips without a progress report"),
                    [
                        _job_item(
                            j,
                            _("no report since %(t)s") % {"t": local_format(j.report_since, "m-d H:i")},
                            "overdue",
                            j.report_since,
                        )
                        for j in overdue
                    ],
                    flag="overdue",
                    order=25,
                )
            )
        waiting = (
            ServiceJob.objects.filter(
                status__in=[ServiceJob.Status.NEW, ServiceJob.Status.SCHEDULED, ServiceJob.Status.RETURNED]
            )
            .select_related("customer")
            .order_by("created_at")[:LIMIT]
        )
        items = [_job_item(j, j.get_status_display()) for j in waiting]
        if items:
            result.append(
                TodoSection(
                    _("Service jobs to arrange or archive"), items, url=reverse("fieldservice:job-list"), order=30
                )
            )
    if user.has_perm("fieldservice.verify_signer_feedbackforma"):
        items = [
            TodoItem(
                f"{form.job.number} · {form.job.customer.name}",
                form.get_absolute_url(),
                form.signed_at or form.updated_at,
                _("signed by %(name)s (%(position)s), not a registered contact")
                % {"name": form.customer_signature.signer_name, "position": form.signer_position},
                "warning",
            )
            for form in selectors.forms_a_signer_to_verify(LIMIT)
        ]
        if items:
            result.append(TodoSection(_("Signers of forms A to verify"), items, flag="warning", order=24))
    if user.has_perm("fieldservice.sign_task_feedbackforma"):
        items = [
            TodoItem(
                f"{form.job.number} · {form.job.customer.name}",
                form.get_absolute_url(),
                form.created_at,
                _("the customer signs after you"),
            )
            for form in selectors.forms_a_awaiting_task_signature(LIMIT)
        ]
        if items:
            result.append(TodoSection(_("After-sales tasks on forms A to sign"), items, order=26))
    if has_role(user, "sales"):
        items = [
            _job_item(j, _("file the market-support request")) for j in selectors.jobs_needing_support_request(LIMIT)
        ]
        if items:
            result.append(TodoSection(_("Market-support requests to file"), items, order=30))
    if has_role(user, "gm"):
        reqs = (
            SupportRequest.objects.filter(status=SupportRequest.Status.SUBMITTED)
            .select_related("job__customer")
            .order_by("created_at")[:LIMIT]
        )
        items = [
            TodoItem(f"{r.number} · {r.job.customer.name}", r.get_absolute_url(), r.created_at, f"¥{r.estimated_cost}")
            for r in reqs
        ]
        if items:
            result.append(TodoSection(_("Market-support requests to approve"), items, order=20))
    if has_role(user, "technician"):
        jobs = list(selectors.my_active_jobs(user))
        items = [_job_item(j, j.get_status_display(), "overdue" if j.report_overdue() else "") for j in jobs]
        if items:
            result.append(TodoSection(_("My service jobs"), items, url=reverse("fieldservice:job-list"), order=10))
    for role, status, title in (
        ("deptmgr", FeedbackFormB.Status.SUBMITTED, _("Forms B awaiting your opinion")),
        ("leader", FeedbackFormB.Status.REVIEWED, _("Forms B awaiting approval")),
    ):
        if has_role(user, role):
            items = [
                TodoItem(
                    f"{f.job.number} · {f.job.customer.name}",
                    f.get_absolute_url(),
                    f.updated_at,
                )
                for f in selectors.forms_b_waiting(status, LIMIT)
            ]
            if items:
                result.append(TodoSection(title, items, order=40))
    if has_role(user, "finance"):
        items = [
            TodoItem(f"{e.job.number} · {e.get_category_display()} ¥{e.amount}", e.get_absolute_url(), e.created_at)
            for e in selectors.expenses_to_reimburse(LIMIT)
        ]
        if items:
            result.append(TodoSection(_("Travel expenses submitted"), items, order=50))
    return result
