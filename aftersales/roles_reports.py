"""Who reads the management reports and orders the monthly summary (merged into the role groups)."""

READERS = ("as_manager", "gm", "leader", "deptmgr", "qc", "techdept")
ORDERERS = ("as_manager", "gm", "leader", "deptmgr", "qc")


def add_report_permissions(permissions: dict[str, list[str]]) -> None:
    for key in READERS:
        permissions.setdefault(key, []).append("aftersales.view_reportrun")
    for key in ORDERERS:
        permissions.setdefault(key, []).append("aftersales.add_reportrun")
