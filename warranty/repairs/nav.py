from django.utils.translation import gettext_lazy as _

from aftersales.registry import NavItem

ITEMS = [
    NavItem(_("Factory repairs"), "warranty:repair-list", permission="warranty.view_factoryrepair", order=58),
    NavItem(_("Replacements"), "warranty:replacement-list", permission="warranty.view_replacement", order=59),
    NavItem(_("Product returns"), "warranty:return-list", permission="warranty.view_productreturn", order=60),
]
