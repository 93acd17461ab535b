from django.utils.translation import gettext_lazy as _

from aftersales.registry import NavItem

SHIPPING_ROLES = ("clerk", "as_manager", "sales", "finance", "warehouse", "logistics", "gm")

ITEMS = [
    NavItem(_("Shipments"), "shipping:shipment-list", roles=SHIPPING_ROLES, order=20),
    NavItem(_("Payments received"), "shipping:payment-list", roles=("finance", "sales", "as_manager"), order=21),
]
