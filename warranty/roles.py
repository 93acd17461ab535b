"""What each role may do in warranty and quality (售后质量问题处理规定 3 职责, 4.1–4.8)."""

VIEW_ALL = [
    "warranty.view_qualitysheet",
    "warranty.view_returnedpart",
    "warranty.view_appraisal",
    "warranty.view_supplierclaim",
    "warranty.view_customerclaim",
    "warranty.view_qualityincident",
    "warranty.view_correctiveaction",
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
        "warranty.answer_qualitysheet",
        "warranty.name_site_team_qualitysheet",
        "warranty.handover_returnedpart",
        "warranty.appraise_appraisal",
        "warranty.add_qualityincident",
        "warranty.trace_qualityincident",
        "warranty.feedback_qualityincident",
        "warranty.add_correctiveaction",
        "warranty.verify_correctiveaction",
    ],
    "rnd": VIEW_ALL + ["warranty.name_site_team_qualitysheet", "warranty.implement_correctiveaction"],
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
        "warranty.pay_customerclaim",
        "warranty.reject_customerclaim",
        "warranty.add_qualityincident",
    ],
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
        "warranty.view_allocationrule",
        "warranty.change_allocationrule",
        "warranty.add_allocationrule",
    ],
}
