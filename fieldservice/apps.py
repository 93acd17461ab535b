from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldserviceConfig(AppConfig):
    name = "fieldservice"
    verbose_name = _("field service")
    default_auto_field = "django.db.models.BigAutoField"
