"""A small per-address rate limit for the public pages (customer signing links, archive verification).

Those pages answer without a login, so a guessed token or a scraper is slowed down: more than
`per_minute` requests from one address in a minute get a 429 page in the user's language. The
count lives in Django's cache (the default cache of one server; set CACHES to Redis or the
database cache when several servers share the load). Logins are throttled by django-axes.
"""

from functools import wraps

from django.core.cache import cache
from django.utils.translation import gettext as _

from aftersales.middleware import render_refusal

WINDOW_SECONDS = 60


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(scope: str, *, per_minute: int):
    """Refuse (429) a view's requests beyond `per_minute` per address and minute."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            key = f"ratelimit:{scope}:{client_address(request)}"
            cache.add(key, 0, WINDOW_SECONDS)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, WINDOW_SECONDS)
                count = 1
            if count > per_minute:
                response = render_refusal(
                    request, _("Too many requests from this address. Wait a minute and try again."), 429
                )
                response["Retry-After"] = str(WINDOW_SECONDS)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
