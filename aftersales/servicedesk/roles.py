"""What each role may do at the service desk (merged into the role groups after migrate).

aftersales/roles.py imports them as the aftersales app's PERMISSIONS.
"""

CASE = "servicedesk.{}_servicecase"
_VIEW = [
    CASE.format("view"),
    "servicedesk.view_casenote",
    "servicedesk.view_feequote",
    "servicedesk.view_feequoteline",
    "servicedesk.view_repeatrepairoverride",
    "servicedesk.view_caserevisit",
    "servicedesk.view_coordinationsheet",
    "servicedesk.view_slaclock",
    "aftersales.view_defectcode",
]
_DESK = [
    CASE.format(action)
    for action in ("add", "answer", "handover", "respond", "dispatch", "resolve", "revisit", "close", "reopen")
] + [CASE.format("pauseclock"), "servicedesk.add_coordinationsheet"]

PERMISSIONS: dict[str, list[str]] = {
    "clerk": _VIEW + _DESK + [CASE.format("quotefee")],
    "as_manager": _VIEW
    + _DESK
    + [
        CASE.format("quotefee"),
        CASE.format("overriderepeat"),
        CASE.format("change"),
        "servicedesk.view_slaboard",
        "servicedesk.view_slapolicy",
        "servicedesk.add_slapolicy",
        "servicedesk.change_slapolicy",
        "servicedesk.view_slaagreement",
        "servicedesk.add_slaagreement",
        "servicedesk.change_slaagreement",
        "servicedesk.delete_slaagreement",
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
    + ["servicedesk.add_coordinationsheet", "aftersales.add_defectcode"],
    "sales": [CASE.format("view"), CASE.format("add"), "servicedesk.view_slaclock"],
    "technician": [CASE.format("view"), "servicedesk.view_slaclock", "servicedesk.view_casenote"],
    "qc": [CASE.format("view"), "servicedesk.view_slaclock", "servicedesk.view_casenote", "aftersales.view_defectcode"],
    "gm": [CASE.format("view"), "servicedesk.view_slaclock", "servicedesk.view_slaboard"],
    "leader": [CASE.format("view"), "servicedesk.view_slaclock", "servicedesk.view_slaboard"],
}

# 技术文件更新: the technical department and R&D keep the documents and publish new versions; the
# after-sales office follows their sending to the customers.
_DOCS_READ = [
    "servicedesk.view_technicaldocument",
    "servicedesk.view_documentversion",
    "servicedesk.view_documentdelivery",
]
_DOCS_KEEP = [
    *_DOCS_READ,
    "servicedesk.add_technicaldocument",
    "servicedesk.add_documentversion",
    "servicedesk.publish_documentversion",
]
for _key in ("techdept", "rnd"):
    PERMISSIONS.setdefault(_key, []).extend(_DOCS_KEEP)
for _key in ("clerk", "as_manager"):
    PERMISSIONS[_key].extend(_DOCS_READ)

# 技术支持程序 3.2–3.3: the technical department escalates, the product director directs, and
# either of them files the results.
PERMISSIONS["techdept"] += [CASE.format("escalate"), CASE.format("filesupport")]
PERMISSIONS["pdirector"] = [
    *_VIEW,
    CASE.format("direct"),
    CASE.format("filesupport"),
    "aftersales.view_unit",
    "aftersales.view_customer",
]
