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
    ],
    "deptmgr": [*_VIEW, "fieldservice.review_feedbackformb"],
    "leader": [*_VIEW, "fieldservice.approve_feedbackformb"],
    "finance": ["fieldservice.view_servicejob", "fieldservice.view_expense", "fieldservice.reimburse_expense"],
}
