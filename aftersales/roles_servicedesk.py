"""What each role may do at the service desk (merged into the role groups after migrate).

aftersales/roles.py imports them as the aftersales app's PERMISSIONS.
"""

CASE = "aftersales.{}_servicecase"
_VIEW = [
    CASE.format("view"),
    "aftersales.view_casenote",
    "aftersales.view_feequote",
    "aftersales.view_caserevisit",
    "aftersales.view_coordinationsheet",
    "aftersales.view_slaclock",
    "aftersales.view_defectcode",
]
_DESK = [
    CASE.format(action)
    for action in ("add", "answer", "handover", "respond", "dispatch", "resolve", "revisit", "close", "reopen")
] + [CASE.format("pauseclock"), "aftersales.add_coordinationsheet"]

PERMISSIONS: dict[str, list[str]] = {
    "clerk": _VIEW + _DESK + [CASE.format("quotefee")],
    "as_manager": _VIEW
    + _DESK
    + [
        CASE.format("quotefee"),
        CASE.format("change"),
        "aftersales.view_slaboard",
        "aftersales.view_slapolicy",
        "aftersales.add_slapolicy",
        "aftersales.change_slapolicy",
        "aftersales.view_slaagreement",
        "aftersales.add_slaagreement",
        "aftersales.change_slaagreement",
        "aftersales.delete_slaagreement",
        "aftersales.view_calendaryear",
        "aftersales.add_calendaryear",
        "aftersales.change_calendaryear",
        "aftersales.view_calendarday",
        "aftersales.add_calendarday",
        "aftersales.change_calendarday",
        "aftersales.delete_calendarday",
        "aftersales.view_workingperiod",
        "aftersales.add_workingperiod",
        "aftersales.change_workingperiod",
        "aftersales.delete_workingperiod",
        "aftersales.add_defectcode",
        "aftersales.change_defectcode",
    ],
    "techdept": _VIEW
    + [
        CASE.format(action)
        for action in ("respond", "diagnose", "quotefee", "decide", "dispatch", "resolve", "pauseclock")
    ]
    + ["aftersales.add_coordinationsheet", "aftersales.add_defectcode"],
    "sales": [CASE.format("view"), CASE.format("add"), "aftersales.view_slaclock"],
    "technician": [CASE.format("view"), "aftersales.view_slaclock", "aftersales.view_casenote"],
    "qc": [CASE.format("view"), "aftersales.view_slaclock", "aftersales.view_casenote", "aftersales.view_defectcode"],
    "gm": [CASE.format("view"), "aftersales.view_slaclock", "aftersales.view_slaboard"],
    "leader": [CASE.format("view"), "aftersales.view_slaclock", "aftersales.view_slaboard"],
}

from aftersales.roles_reports import add_report_permissions  # noqa: E402

add_report_permissions(PERMISSIONS)
