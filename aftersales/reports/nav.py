from django.utils.translation import gettext_lazy as _

from aftersales.registry import NavItem

ITEMS = [NavItem(_("Reports"), "reports:report-dashboard", permission="reports.view_reportrun", order=90)]
