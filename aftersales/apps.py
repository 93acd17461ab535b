from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    # Runs after every migrate so that permissions created by later apps reach the groups.
    from aftersales.roles import sync_role_permissions

    sync_role_permissions()


class AftersalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = _("after-sales service")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_sync_roles, dispatch_uid="aftersales.sync_roles")
        from aftersales import taskretry  # noqa: F401  (connects the retry of failed tasks)
