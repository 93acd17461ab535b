from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldserviceConfig(AppConfig):
    name = "fieldservice"
    verbose_name = _("field service")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from aftersales import events
        from aftersales.registry import register_verify_resolver
        from aftersales.signing_views import register_signing_handler
        from fieldservice import handlers, selectors
        from fieldservice.services import LINK_PURPOSE
        from fieldservice.views import customer_link_sign

        events.subscribe(events.ShipmentReceived, handlers.on_shipment_received)
        events.subscribe(events.CaseDecided, handlers.on_case_decided)
        events.subscribe(events.QualitySiteVisit, handlers.on_quality_site_visit)
        register_signing_handler(LINK_PURPOSE, customer_link_sign)
        register_verify_resolver(selectors.verify_url_of_job)
