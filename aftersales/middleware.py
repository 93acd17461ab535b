import re

from django.conf import settings
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
        if isinstance(exception, OverflowError):
            # A number or date typed or tampered beyond what Python or the database holds, in code
            # that is not ours to bound (the admin's date drill-down, a choice of 30-digit ids on
            # SQLite): the request is wrong, not the server.
            return render_refusal(request, _("A number or date in the request is out of range."), 400)
        return None


# C0 control characters other than tab, line feed and carriage return: no form field means them,
# and PostgreSQL refuses a NUL in any text value (a 500 from deep inside a query otherwise).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# What gunicorn accepts as a whole request line (limit_request_line): the development server and
# the tests answer the same. No link of ours comes near it; SQLite refuses a LIKE past 50,000 bytes.
MAX_QUERY_STRING = 4094


class InputCheckMiddleware:
    """A request with a control character in its path, a GET or POST name or value or its user
    agent is refused with a 400 page before any view or query sees it; so is an address longer
    than the production server would take. A session cookie with one is ignored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        if CONTROL_CHARACTERS.search(session_key) and hasattr(request, "session"):
            # A tampered session cookie (a quoted "\000" is read as a NUL): no session, rather than
            # a lookup PostgreSQL refuses. Nothing has read the session yet: this middleware comes
            # right after SessionMiddleware, whose store loads lazily.
            request.session = type(request.session)()
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return render_refusal(request, _("The address is too long."), 400)
        if self._has_control_character(request):
            return render_refusal(
                request, _("The request contains control characters (such as a NUL byte) and was not processed."), 400
            )
        return self.get_response(request)

    @staticmethod
    def _has_control_character(request) -> bool:
        # The user agent is stored (signatures, failed logins); gunicorn refuses control characters
        # in any header, the development server does not.
        texts = [request.path, request.META.get("HTTP_USER_AGENT", "")]
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for data in sources:
            for key, values in data.lists():
                texts.append(key)
                texts.extend(v for v in values if isinstance(v, str))
        if request.method == "POST":
            # The file fields' names; Django keeps only the printable characters of the files' own.
            texts.extend(request.FILES)
        return any(CONTROL_CHARACTERS.search(text) for text in texts)


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
