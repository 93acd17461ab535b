"""A staff session handed to a customer to sign in person is locked to the signing screen.

When a technician hands the tablet over, the app that owns the signing screen locks the
session (`lock`): from then on every request of that session, whatever its URL, is sent back
to the signing screen — or, once the customer has finished (`finish`), to the unlock page.
Only the signing screen, the unlock page and static files are served; no menu, no back office,
no logout. The lock is released only by the account's own password on the unlock page
(`unlock`); after MAX_TRIES wrong passwords the session is logged out altogether.

The core knows no app: the app names its screen, unlock and return pages when it locks.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from django.shortcuts import redirect

SESSION_KEY = "aftersales.signing_lock"
MAX_TRIES = 5


def lock(request: HttpRequest, *, screen: str, unlock: str, back: str) -> None:
    """Lock the session to the signing screen `screen` (a path) until the password is given at `unlock`."""
    current = request.session.get(SESSION_KEY)
    if current and current.get("screen") == screen:
        return  # the same hand-over again (a reload): keep its tries and whether the customer finished
    request.session[SESSION_KEY] = {"screen": screen, "unlock": unlock, "back": back, "finished": False, "tries": 0}


def finish(request: HttpRequest) -> None:
    """The customer has finished: the session now waits for the technician's password."""
    state = request.session.get(SESSION_KEY)
    if state:
        request.session[SESSION_KEY] = {**state, "finished": True}


def state_of(request: HttpRequest) -> dict | None:
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY) if session is not None else None


def is_locked(request: HttpRequest) -> bool:
    return state_of(request) is not None


@dataclass(frozen=True)
class Unlock:
    released: bool
    back: str = ""
    tries_left: int = MAX_TRIES
    logged_out: bool = False


def unlock(request: HttpRequest, password: str) -> Unlock:
    """Release the lock with the session user's own password; too many wrong tries log the session out."""
    state = state_of(request)
    if state is None:
        return Unlock(released=True, back="")
    user = request.user
    if user.is_authenticated and password and user.check_password(password):
        del request.session[SESSION_KEY]
        return Unlock(released=True, back=state["back"])
    tries = state.get("tries", 0) + 1
    if tries >= MAX_TRIES:
        # Whoever holds the tablet cannot guess on: the session ends, a new login is needed (and
        # the login itself is throttled by django-axes).
        logout(request)
        return Unlock(released=False, tries_left=0, logged_out=True)
    request.session[SESSION_KEY] = {**state, "tries": tries}
    return Unlock(released=False, tries_left=MAX_TRIES - tries)


def _allowed(path: str, state: dict) -> bool:
    return path in (state["screen"], state["unlock"]) or path.startswith(settings.STATIC_URL or "/static/")


class SigningLockMiddleware:
    """Sends every request of a locked session to its signing screen or its unlock page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = state_of(request)
        if state is not None and not _allowed(request.path, state):
            return redirect(state["unlock"] if state.get("finished") else state["screen"])
        return self.get_response(request)
