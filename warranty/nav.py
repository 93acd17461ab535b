from django.utils.translation import gettext_lazy as _

from aftersales.registry import NavItem

ITEMS = [
    NavItem(_("Quality information sheets"), "warranty:sheet-list", permission="warranty.view_qualitysheet", order=50),
    NavItem(_("Returned parts"), "warranty:part-list", permission="warranty.view_returnedpart", order=51),
    NavItem(_("Quarantine zone"), "warranty:quarantine", roles=("warehouse", "qc", "clerk", "as_manager"), order=52),
    NavItem(_("三包 appraisals"), "warranty:appraisal-list", permission="warranty.view_appraisal", order=53),
    NavItem(
        _("Supplier replacements"), "warranty:supplierclaim-list", permission="warranty.view_supplierclaim", order=54
    ),
    NavItem(_("Customer claims"), "warranty:customerclaim-list", permission="warranty.view_customerclaim", order=55),
    NavItem(_("Quality incidents"), "warranty:incident-list", permission="warranty.view_qualityincident", order=56),
    NavItem(_("Corrective actions"), "warranty:action-list", permission="warranty.view_correctiveaction", order=57),
]
