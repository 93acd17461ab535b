"""The public signing page behind a customer link; each purpose is handled by its app.

An app registers `register_signing_handler("form_a", view)`; the view receives
(request, link, token) after the token was checked (valid, unexpired, unused).
"""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from aftersales.middleware import render_refusal
from aftersales.ratelimit import rate_limited
from aftersales.signatures import signing_link_resolve
from aftersales.views import office_language
from aftersales.workflow import WorkflowError

_signing_handlers: dict[str, Callable] = {}


def register_signing_handler(purpose: str, view: Callable) -> None:
    _signing_handlers[purpose] = view


@never_cache
@rate_limited("sign", per_minute=30)
@office_language
def sign_link(request, token: str):
    try:
        link = signing_link_resolve(token)
    except WorkflowError as exc:
        return render_refusal(request, exc.message, 410)
    handler = _signing_handlers.get(link.purpose)
    if handler is None:
        return render_refusal(request, _("This signing link is not valid. Ask the technician for a new one."), 410)
    return handler(request, link, token)
