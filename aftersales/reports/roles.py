"""Who reads the management reports and orders the monthly summary (merged into the role groups)."""

READERS = ("as_manager", "gm", "leader", "deptmgr", "qc", "techdept")
ORDERERS = ("as_manager", "gm", "leader", "deptmgr", "qc")

PERMISSIONS: dict[str, list[str]] = {
    key: [
        *(["reports.view_reportrun"] if key in READERS else []),
        *(["reports.add_reportrun"] if key in ORDERERS else []),
    ]
    for key in dict.fromkeys(READERS + ORDERERS)
}
