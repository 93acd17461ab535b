from django import template

register = template.Library()


def person_name(user) -> str:
    """A person as Chinese colleagues write it: family name first, no space (王芳)."""
    if user is None:
        return ""
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


@register.filter
def person(user) -> str:
    return person_name(user)
