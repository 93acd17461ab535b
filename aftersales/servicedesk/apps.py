from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceDeskConfig(AppConfig):
    name = "aftersales.servicedesk"
    label = "servicedesk"
    verbose_name = _("service desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from aftersales.registry import register_history_source, register_repair_counter
        from aftersales.servicedesk import handlers, selectors

        handlers.connect()
        register_history_source(selectors.case_history)
        register_history_source(selectors.override_history)
        register_repair_counter(selectors.case_repairs)
