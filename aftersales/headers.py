"""The Content-Security-Policy header (django-csp), with the one allowance the admin needs."""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse


class CSPMiddleware(BaseCSPMiddleware):
    """settings.CONTENT_SECURITY_POLICY on every response; under the admin's URL the directives of
    CONTENT_SECURITY_POLICY_ADMIN_UPDATE are added.

    The admin's pages come from Django's and simple-history's templates, not from templates/, and
    one of them still carries an inline style: it is allowed there by its hash, nowhere else.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.update is None and request.path.startswith(reverse("admin:index")):
            parts.update = settings.CONTENT_SECURITY_POLICY_ADMIN_UPDATE
        return parts
