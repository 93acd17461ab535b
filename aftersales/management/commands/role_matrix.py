"""Print the role × permission matrix (Markdown) from what each app's roles.py declares.

README.md carries its output under "Roles and what they may do"; a test keeps the two equal.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from aftersales.roles import ROLES, declared_permissions

# One phrase per default permission, so the model's translated name reads naturally in Chinese.
DEFAULT_LABELS = {
    "add": "Can add %(model)s",
    "change": "Can change %(model)s",
    "delete": "Can delete %(model)s",
    "view": "Can view %(model)s",
}


def permission_labels() -> dict[str, str]:
    """Every model permission ("app_label.codename") with its name in the active language, in model order."""
    labels: dict[str, str] = {}
    for model in apps.get_models():
        opts = model._meta
        for action in opts.default_permissions:
            labels[f"{opts.app_label}.{action}_{opts.model_name}"] = _(DEFAULT_LABELS[action]) % {
                "model": opts.verbose_name
            }
        for codename, name in opts.permissions:
            labels[f"{opts.app_label}.{codename}"] = str(name)
    return labels


def role_matrix() -> str:
    """The Markdown table: one row per declared permission, one column per role (its Chinese group name)."""
    declared = declared_permissions()
    labels = permission_labels()
    unknown = set().union(*declared.values()) - set(labels)
    if unknown:
        raise ValueError(f"roles.py declares permissions no model has: {sorted(unknown)}")
    lines = [
        "| " + " | ".join([_("permission"), _("codename"), *(role.group_name for role in ROLES)]) + " |",
        "|" + "---|" * (2 + len(ROLES)),
    ]
    for dotted, label in labels.items():
        marks = ["✓" if dotted in declared.get(role.key, set()) else "" for role in ROLES]
        if any(marks):
            lines.append("| " + " | ".join([label, f"`{dotted}`", *marks]) + " |")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Print the role × permission matrix (Markdown) that README.md shows."

    def handle(self, *args, **options):
        with translation.override("zh-hans"):
            self.stdout.write(role_matrix())
