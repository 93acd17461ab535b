"""What each role may do in warranty and quality (售后质量问题处理规定 3 职责, 4.1–4.8)."""

VIEW_ALL = [
    "warranty.view_qualitysheet",
    "warranty.view_returnedpart",
    "warranty.view_appraisal",
    "warranty.view_supplierclaim",
    "warranty.view_customerclaim",
    "warranty.view_qualityincident",
    "warranty.view_correctiveaction",
    "warranty.view_qualitysanction",
]

PERMISSIONS = {
    # 营销部售后服务人员: sheets, first answer, grading, tagging, appraisal forms.
    "clerk": VIEW_ALL
    + [
        "warranty.add_qualitysheet",
        "warranty.send_qualitysheet",
        "warranty.add_returnedpart",
        "warranty.grade_returnedpart",
        "warranty.handover_returnedpart",
        "warranty.tell_customer_appraisal",
        "warranty.add_qualityincident",
        "warranty.feedback_qualityincident",
    ],
    "as_manager": VIEW_ALL
    + [
        "warranty.add_qualitysheet",
        "warranty.send_qualitysheet",
        "warranty.add_returnedpart",
        "warranty.grade_returnedpart",
        "warranty.handover_returnedpart",
        "warranty.tell_customer_appraisal",
        "warranty.add_qualityincident",
        "warranty.feedback_qualityincident",
    ],
    # 品质管理中心: answers sheets, appraises, tracks incidents, verifies CAPA.
    "qc": VIEW_ALL
    + [
        "warranty.add_qualitysanction",
        "warranty.answer_qualitysheet",
        "warranty.name_qc_team_qualitysheet",
        "warranty.handover_returnedpart",
        "warranty.appraise_appraisal",
        "warranty.add_qualityincident",
        "warranty.trace_qualityincident",
        "warranty.feedback_qualityincident",
        "warranty.add_correctiveaction",
        "warranty.verify_correctiveaction",
    ],
    # 技术研发部 names its own people for a major quality problem (4.2), beside QC's.
    "rnd": VIEW_ALL + ["warranty.name_rnd_team_qualitysheet", "warranty.implement_correctiveaction"],
    # 财务部仓库: quarantine zone and the exchange of good parts.
    "warehouse": VIEW_ALL
    + [
        "warranty.quarantine_returnedpart",
        "warranty.handover_returnedpart",
        "warranty.exchange_returnedpart",
        "warranty.exchange_appraisal",
        "warranty.receive_supplierclaim",
    ],
    "purchasing": VIEW_ALL
    + [
        "warranty.notify_supplierclaim",
        "warranty.receive_supplierclaim",
        "warranty.implement_correctiveaction",
    ],
    "production": VIEW_ALL + ["warranty.cost_qualityincident", "warranty.implement_correctiveaction"],
    # 营销部 coordinates customer claims (4.8).
    "sales": VIEW_ALL
    + [
        "warranty.add_customerclaim",
        "warranty.agree_customerclaim",
        "warranty.reject_customerclaim",
        "warranty.add_qualityincident",
    ],
    # 4.8 with the procedures' own roles: leadership approves the agreed amount, finance pays it.
    "finance": VIEW_ALL + ["warranty.pay_customerclaim"],
    "techdept": VIEW_ALL + ["warranty.add_qualityincident"],
    "technician": [
        "warranty.view_qualityincident",
        "warranty.add_qualityincident",
        "warranty.feedback_qualityincident",
    ],
    "deptmgr": VIEW_ALL
    + [
        "warranty.dispatch_qualityincident",
        "warranty.confirm_qualityincident",
        "warranty.implement_correctiveaction",
    ],
    "leader": VIEW_ALL
    + [
        "warranty.assign_qualityincident",
        "warranty.dispatch_qualityincident",
        "warranty.review_qualityincident",
        "warranty.approve_customerclaim",
        "warranty.approve_qualitysanction",
        "warranty.view_allocationrule",
        "warranty.change_allocationrule",
        "warranty.add_allocationrule",
    ],
}


# Named predicates: the checks of warranty that depend on the record, not only on the role.

# 4.4: an appraisal is routed to the departments that act on its defect; each is known by what it
# alone may do here (production costs quality incidents, purchasing notifies suppliers, marketing
# agrees customer claims).
NOTICE_READERS = {
    "production": "warranty.cost_qualityincident",
    "purchasing": "warranty.notify_supplierclaim",
    "sales": "warranty.agree_customerclaim",
}


def is_notice_addressee(user, notice) -> bool:
    """The user is of the department a routed appraisal's notice is addressed to."""
    perm = NOTICE_READERS.get(notice.role)
    return perm is not None and user.has_perm(perm)


def has_unread_notice(user, appraisal) -> bool:
    """An appraisal routed to the user's department that nobody there has noted yet."""
    return any(n.read_at is None and is_notice_addressee(user, n) for n in appraisal.notices.all())


def may_see_quarantine(user) -> bool:
    """The quarantine zone is followed by who hands its parts over: the warehouse, QC and the after-sales office."""
    return user.has_perm("warranty.handover_returnedpart")
