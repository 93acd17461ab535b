from django.utils.translation import gettext_lazy as _

from aftersales.registry import NavItem

ITEMS = [
    NavItem(
        _("Service jobs"),
        "fieldservice:job-list",
        roles=("clerk", "as_manager", "sales", "gm", "technician", "deptmgr", "leader", "finance"),
        order=30,
    ),
]
