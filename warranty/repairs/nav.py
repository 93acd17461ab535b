from django.utils.translation import gettext_lazy as _

from aftersales.registry import NavItem

ITEMS = [
    NavItem(_("Factory repairs"), "repairs:repair-list", permission="repairs.view_factoryrepair", order=58),
    NavItem(_("Replacements"), "repairs:replacement-list", permission="repairs.view_replacement", order=59),
    NavItem(_("Product returns"), "repairs:return-list", permission="repairs.view_productreturn", order=60),
]
