from django.utils.translation import gettext_lazy as _

from aftersales.registry import NavItem

ITEMS = [
    NavItem(_("Record a call"), "servicedesk:case-create", permission="servicedesk.add_servicecase", order=5),
    NavItem(_("Service cases"), "servicedesk:case-list", permission="servicedesk.view_servicecase", order=10),
    NavItem(_("Warranty lookup"), "servicedesk:warranty-lookup", permission="aftersales.view_unit", order=12),
    NavItem(_("SLA board"), "servicedesk:sla-board", permission="servicedesk.view_slaboard", order=14),
    NavItem(
        _("Technical documents"),
        "servicedesk:document-list",
        permission="servicedesk.view_technicaldocument",
        order=16,
    ),
]
