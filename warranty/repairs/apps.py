from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairsConfig(AppConfig):
    name = "warranty.repairs"
    label = "repairs"
    verbose_name = _("factory repair, replacement and return")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from aftersales.registry import register_repair_counter
        from warranty.repairs import handlers, selectors

        handlers.connect()
        register_repair_counter(selectors.factory_repairs_counted)
