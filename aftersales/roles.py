"""Roles are Django groups with Chinese names; each app declares what its roles may do.

An app lists its permissions per role in `<app>/roles.py` as
    PERMISSIONS = {"clerk": ["shipping.view_shipment", ...], ...}
and `sync_role_permissions()` (run after every migrate) gives the groups exactly those.
"""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    key: str
    group_name: str  # stored in Chinese: the name the department knows the role by
    label: Promise  # English source, translated in the UI
    demo_usernames: tuple[str, ...]


ROLES: tuple[Role, ...] = (
    Role("clerk", "售后文员", _("after-sales clerk"), ("clerk",)),
    Role("as_manager", "售后经理", _("after-sales manager"), ("as_manager",)),
    Role("sales", "业务经理", _("sales manager"), ("sales",)),
    Role("gm", "总经理", _("general manager"), ("gm",)),
    Role("finance", "财务部", _("finance"), ("finance",)),
    Role("warehouse", "库房", _("warehouse"), ("warehouse",)),
    Role("logistics", "物流", _("logistics"), ("logistics",)),
    Role("techdept", "技术部", _("technical department"), ("techdept",)),
    Role("technician", "技术人员", _("technician"), ("tech1", "tech2")),
    Role("qc", "品质管理中心", _("QC centre"), ("qc",)),
    Role("rnd", "技术研发部", _("R&D"), ("rnd",)),
    # 技术支持程序 3.2–3.3: where the technical department lacks the capability, the product
    # (deputy) director directs the product department to send people.
    Role("pdirector", "产品总监", _("product director"), ("pdirector",)),
    Role("production", "生产部", _("production"), ("production",)),
    Role("purchasing", "采购部", _("purchasing"), ("purchasing",)),
    Role("deptmgr", "部门经理", _("department manager"), ("deptmgr",)),
    Role("leader", "公司领导", _("company leadership"), ("leader",)),
)
ROLES_BY_KEY = {role.key: role for role in ROLES}
ROLE_KEYS = tuple(ROLES_BY_KEY)

# Master data: everyone reads it; the after-sales office keeps it.
CORE_PERMISSIONS: dict[str, list[str]] = {
    role.key: [
        "aftersales.view_customer",
        "aftersales.view_contact",
        "aftersales.view_site",
        "aftersales.view_productmodel",
        "aftersales.view_component",
        "aftersales.view_unit",
        "aftersales.view_department",
        "aftersales.view_supplier",
    ]
    for role in ROLES
}
for _key in ("clerk", "as_manager"):
    CORE_PERMISSIONS[_key] += [
        f"aftersales.{action}_{model}"
        for model in ("customer", "contact", "site", "unit")
        for action in ("add", "change")
    ] + ["aftersales.view_officecity", "aftersales.view_neighbouringcity"]
CORE_PERMISSIONS["as_manager"] += [
    f"aftersales.{action}_{model}"
    for model in ("officecity", "neighbouringcity", "productmodel", "component")
    for action in ("add", "change", "delete")
]
# The after-sales manager unlocks an account locked after wrong passwords (django-axes, which
# has no Chinese: its model's name is translated here, for the permission names and the admin).
CORE_PERMISSIONS["as_manager"] += ["axes.view_accessattempt", "axes.delete_accessattempt"]
AXES_NAMES = (_("access attempt"), _("access attempts"))
CORE_PERMISSIONS["purchasing"] += ["aftersales.add_supplier", "aftersales.change_supplier"]


def group(role_key: str):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=ROLES_BY_KEY[role_key].group_name)


def declared_permissions() -> dict[str, set[str]]:
    """Every app's declared permissions per role, merged."""
    merged: dict[str, set[str]] = {key: set(perms) for key, perms in CORE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.roles")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.roles":
                raise
            continue
        for key, perms in getattr(module, "PERMISSIONS", {}).items():
            if key not in ROLES_BY_KEY:
                raise ValueError(f"{config.name}.roles names an unknown role {key!r}")
            merged.setdefault(key, set()).update(perms)
    return merged


def sync_role_permissions(verbosity: int = 0) -> None:
    """Create the role groups and give each exactly its declared permissions."""
    from django.contrib.auth.models import Group, Permission

    declared = declared_permissions()
    for role in ROLES:
        grp, _created = Group.objects.get_or_create(name=role.group_name)
        wanted = declared.get(role.key, set())
        perms = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is None:
                # The model's migration has not run yet; the next post_migrate picks it up.
                if verbosity:
                    print(f"permission {dotted} not found yet")
                continue
            perms.append(perm)
        grp.permissions.set(perms)


def user_role_keys(user) -> frozenset[str]:
    """The role keys of a user, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_keys", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role.key for role in ROLES if role.group_name in names)
        user._role_keys = cached
    return cached


def has_role(user, *keys: str) -> bool:
    return bool(user_role_keys(user) & set(keys)) or getattr(user, "is_superuser", False)
