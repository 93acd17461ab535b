from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _

from aftersales.workflow import WorkflowError


class TransitionErrorMiddleware:
    """Last safety net: a refused, stale or invalid request becomes a clear page, never a 500.

    Views normally catch WorkflowError themselves and show the message on the form; this
    catches what they did not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, WorkflowError):
            return render_refusal(request, exception.message, exception.http_status)
        if isinstance(exception, ValidationError):
            return render_refusal(request, " ".join(exception.messages), 400)
        if isinstance(exception, PermissionDenied):
            return None  # Django's own 403 page (templates/403.html)
        return None


def render_refusal(request, message: str, status: int):
    titles = {
        400: _("The request was not accepted"),
        403: _("Not allowed"),
        409: _("Not possible now"),
        429: _("Too many requests"),
    }
    return render(
        request,
        "refused.html",
        {
            "message": message,
            "title": titles.get(status, _("Not possible now")),
            "status": status,
            "back": request.META.get("HTTP_REFERER", ""),
        },
        status=status,
    )
