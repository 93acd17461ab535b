from django import template

from aftersales.people import display_name

register = template.Library()


def person_name(user) -> str:
    """A person as Chinese colleagues write it: family name first, no space (王芳)."""
    return display_name(user)


@register.filter
def person(user) -> str:
    return person_name(user)
