"""Who may do what in field service (seed 三/四 and form A/B)."""

_VIEW = [
    "fieldservice.view_servicejob",
    "fieldservice.view_supportrequest",
    "fieldservice.view_feedbackforma",
    "fieldservice.view_feedbackformb",
    "fieldservice.view_progressreport",
    "fieldservice.view_expense",
]

PERMISSIONS = {
    "clerk": [
        *_VIEW,
        "fieldservice.add_servicejob",
        "fieldservice.schedule_servicejob",
        "fieldservice.dispatch_servicejob",
        "fieldservice.archive_servicejob",
        "fieldservice.cancel_servicejob",
        "fieldservice.verify_signer_feedbackforma",
    ],
    "as_manager": [
        *_VIEW,
        "fieldservice.add_servicejob",
        "fieldservice.schedule_servicejob",
        "fieldservice.dispatch_servicejob",
        "fieldservice.archive_servicejob",
        "fieldservice.cancel_servicejob",
        "fieldservice.sign_task_feedbackforma",
        "fieldservice.revise_feedbackforma",
        "fieldservice.verify_signer_feedbackforma",
        "fieldservice.reimburse_expense",
    ],
    "sales": ["fieldservice.view_servicejob", "fieldservice.view_supportrequest", "fieldservice.add_supportrequest"],
    "gm": ["fieldservice.view_servicejob", "fieldservice.view_supportrequest", "fieldservice.approve_supportrequest"],
    "technician": [
        "fieldservice.work_servicejob",
        "fieldservice.fill_feedbackforma",
        "fieldservice.fill_feedbackformb",
        "fieldservice.add_expense",
        "fieldservice.add_progressreport",
        "fieldservice.add_trainingsession",
    ],
    # 上门维修: 技术部安排出差 — the technical department arranges the repair trips its decisions open.
    "techdept": [*_VIEW, "fieldservice.arrangerepair_servicejob"],
    "deptmgr": [*_VIEW, "fieldservice.review_feedbackformb"],
    "leader": [*_VIEW, "fieldservice.approve_feedbackformb"],
    "finance": ["fieldservice.view_servicejob", "fieldservice.view_expense", "fieldservice.reimburse_expense"],
}


# Named object predicates: the checks of field service that depend on the record, not only on the role.


def is_assigned_to_job(user, job) -> bool:
    """The user is one of the technicians sent on the job."""
    return job.is_assigned(user)


def is_after_sales_office(user) -> bool:
    """The after-sales office (clerk, manager): who opens service jobs also follows their forms."""
    return user.has_perm("fieldservice.add_servicejob")


def may_handle_form_a(user, job) -> bool:
    """Start, hand to the customer or correct form A: a technician on the job or the after-sales office."""
    return is_assigned_to_job(user, job) or is_after_sales_office(user)


def may_be_sent(user) -> bool:
    """Only a technician (who may work on assigned jobs) is sent on a job."""
    return user.has_perm("fieldservice.work_servicejob")


def may_send_back_form_b(user) -> bool:
    """The department manager or the company leadership send form B back for changes."""
    return user.has_perm("fieldservice.review_feedbackformb") or user.has_perm("fieldservice.approve_feedbackformb")
