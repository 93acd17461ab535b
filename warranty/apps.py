from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarrantyConfig(AppConfig):
    name = "warranty"
    verbose_name = _("warranty and quality")
    default_auto_field = "django.db.models.BigAutoField"
