from datetime import timedelta

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from aftersales.idempotency import new_token
from aftersales.links import linked_records
from aftersales.pdf import qr_data_uri
from aftersales.people import display_name
from aftersales.registry import page_fragments
from aftersales.steps import steps_context

register = template.Library()


@register.filter
def duration_short(value) -> str:
    """A duration as people say it: 3天5小时, 2小时10分, 45分."""
    if value is None:
        return ""
    if not isinstance(value, timedelta):
        return str(value)
    negative = value.total_seconds() < 0
    seconds = int(abs(value.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        text = _("%(d)dd %(h)dh") % {"d": days, "h": hours}
    elif hours:
        text = _("%(h)dh %(m)dmin") % {"h": hours, "m": minutes}
    else:
        text = _("%(m)dmin") % {"m": minutes}
    return f"-{text}" if negative else text


@register.simple_tag
def form_token() -> str:
    """A one-time token for a form, so a double submit finds the first result."""
    return new_token()


@register.simple_tag
def qr_code(url: str) -> str:
    return qr_data_uri(url)


@register.inclusion_tag("aftersales/includes/links.html")
def record_links(obj):
    return {"links": linked_records(obj)}


@register.filter
def person(user) -> str:
    """王芳, not 芳 王."""
    return display_name(user)


@register.filter
def verbose_name(obj) -> str:
    return str(obj._meta.verbose_name) if hasattr(obj, "_meta") else ""


@register.inclusion_tag("aftersales/includes/steps.html", takes_context=True)
def steps(context, obj):
    """The steps the user may run on `obj` now (declared in `<app>/steps.py`), as buttons and forms."""
    return {**steps_context(context, obj), "request": context["request"], "csrf_token": context.get("csrf_token")}


@register.simple_tag(takes_context=True)
def fragments(context, obj) -> SafeString:
    """What other apps show on this record's page (aftersales.registry.page_fragments), each its own template."""
    request = context["request"]
    parts = [render_to_string(f.template, f.context(request, obj), request) for f in page_fragments(obj)]
    return mark_safe("".join(parts))  # each part was rendered (and escaped) by its own template
