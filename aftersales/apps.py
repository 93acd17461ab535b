from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    # Runs after every migrate so that permissions created by later apps reach the groups.
    from aftersales.roles import sync_role_permissions

    sync_role_permissions()


def _one_rule_for_names() -> None:
    """A person is shown the one way everywhere — pages, PDFs, selects, the admin, exports:
    陈刚 (family name first, no space) for Chinese names, "Anna Berg" otherwise, the username
    only when no name is recorded. Django's own User prints the username and writes
    get_full_name() first-name-first ("刚 陈"); both follow aftersales.people.display_name."""
    from django.contrib.auth import get_user_model

    from aftersales.people import display_name

    user_model = get_user_model()
    user_model.__str__ = display_name  # type: ignore[method-assign,assignment]
    user_model.get_full_name = display_name  # type: ignore[method-assign,assignment]


def _third_party_names_in_chinese() -> None:
    """The back office names every section in the user's language; django-tasks-db names its
    own in English only ("Tasks Database Backend")."""
    from django.apps import apps

    if apps.is_installed("django_tasks_db"):
        apps.get_app_config("django_tasks_database").verbose_name = _("background tasks")


class AftersalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = _("after-sales service")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(_sync_roles, dispatch_uid="aftersales.sync_roles")
        from aftersales import taskretry  # noqa: F401  (connects the retry of failed tasks)

        _one_rule_for_names()
        _third_party_names_in_chinese()
