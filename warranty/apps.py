from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarrantyConfig(AppConfig):
    name = "warranty"
    verbose_name = _("warranty and quality")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from aftersales import events
        from aftersales.signing_views import register_signing_handler
        from warranty import services, views

        # A 三包 claim decided on a service case opens a quality information sheet.
        events.subscribe(events.CaseDecided, services.on_case_decided)
        register_signing_handler(services.FEEDBACK_PURPOSE, views.incident_feedback_by_link)
