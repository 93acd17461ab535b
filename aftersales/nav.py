from django.utils.translation import gettext_lazy as _

from aftersales.registry import NavItem

ITEMS = [
    NavItem(_("Record a call"), "aftersales:case-create", permission="aftersales.add_servicecase", order=5),
    NavItem(_("Service cases"), "aftersales:case-list", permission="aftersales.view_servicecase", order=10),
    NavItem(_("Warranty lookup"), "aftersales:warranty-lookup", permission="aftersales.view_unit", order=12),
    NavItem(_("SLA board"), "aftersales:sla-board", permission="aftersales.view_slaboard", order=14),
]
ITEMS.append(NavItem(_("Reports"), "aftersales:report-dashboard", permission="aftersales.view_reportrun", order=90))
