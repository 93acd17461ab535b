from aftersales.registry import nav_items
from aftersales.roles import ROLES, user_role_keys


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"draft_saved": request.session.pop("draft_saved", []) if hasattr(request, "session") else []}
    keys = user_role_keys(user)
    return {
        "draft_saved": request.session.pop("draft_saved", []) if hasattr(request, "session") else [],
        "nav_items": nav_items(user),
        "user_roles": [role for role in ROLES if role.key in keys],
    }
