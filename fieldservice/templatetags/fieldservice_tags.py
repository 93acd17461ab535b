from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def box(value, choice):
    """A paper-form tick box: ☑ when the value is the choice, ☐ otherwise."""
    return format_html('<span class="box">{}</span>', "☑" if value == choice else "☐")
