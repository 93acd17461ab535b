"""The one way a status changes: lock, check, transition, save, record who and why.

Every workflow service calls `perform_transition`; views, admin actions and management
commands call the services. A refused or stale transition raises a WorkflowError whose
message is shown to the user (HTTP 403/409), never a 500.
"""

import inspect
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed

from aftersales.links import link_records

M = TypeVar("M", bound=models.Model)
# Typed loosely on purpose: workflow models add updated_by and simple-history's _history_user.


class WorkflowError(Exception):
    """A refusal with a message for the user and the HTTP status that fits it."""

    http_status = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionRefused(WorkflowError):
    http_status = 409


class PermissionRefused(WorkflowError):
    http_status = 403


class StaleRecord(WorkflowError):
    http_status = 409


class RuleViolation(WorkflowError):
    """A business rule refused the request (e.g. units do not match the request)."""

    http_status = 400


SYSTEM_USERNAME = "system"


def system_actor():
    """The named actor of the steps the system takes on its own (an inactive account, no login).

    Closing a repair when the customer confirms receipt, finishing a report run, the customer's
    own signature through a link: no role takes these steps, so none of them is left without a
    check; they run through `perform_transition` as this actor, with a reason that says why.
    """
    user, _created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "password": make_password(None), "last_name": "系统"}
    )
    return user


def is_system_actor(user) -> bool:
    return getattr(user, "username", None) == SYSTEM_USERNAME and not getattr(user, "is_active", True)


def system_step(instance, user) -> bool:
    """The `permission` of a transition that only the system actor takes (no role, not even a superuser)."""
    return is_system_actor(user)


def audit(record, by, reason="") -> None:
    """Who (history user, updated_by) and why for the history row of the next save."""
    if hasattr(record, "updated_by_id"):
        record.updated_by = by
    record._history_user = by
    if reason:
        record._change_reason = str(reason)


def require_permission(user, perm: str, action=None) -> None:
    """Refuse (403) a service call by a user without the permission, naming the action.

    The system actor passes: it opens the records that another workflow's step decided (the
    factory repair order of a technical decision, the supply case of missing parts), and only
    code can name it — it has no password and cannot log in. Its callers give the reason.
    """
    if is_system_actor(user):
        return
    if not user.has_perm(perm):
        if action:
            raise PermissionRefused(_("Your role may not do “%(action)s”.") % {"action": action})
        raise PermissionRefused(_("Your role may not do this."))


def record_create(record: M, *, by, reason, link_from=None, link_kind: str = "") -> M:
    """Save a new workflow record: who made it, the history row's who and why, and its link.

    The one preamble of every create service (after its permission and rule checks): sets
    created_by/updated_by when the model has them, records `by` and `reason` on the history
    row, saves, and links the record to the one it came from (`link_from`, a case for a repair
    order), so both pages show the other.
    """
    if hasattr(record, "created_by_id") and record.created_by_id is None:
        record.created_by = by  # type: ignore[attr-defined]
    audit(record, by, reason)
    record.save()
    if link_from is not None:
        link_records(link_from, record, link_kind, by=by)
    return record


def expect_state(obj, expected_state: str | None, field: str = "status") -> None:
    """Refuse (409) when the record is no longer in the state the user's page showed."""
    if expected_state is not None and getattr(obj, field) != expected_state:
        raise StaleRecord(
            _("Someone else changed this record first (it is now “%(state)s”). Reload the page and check.")
            % {"state": str(getattr(obj, f"get_{field}_display")())}
        )


def lock(model: type[M], pk) -> M:
    """Fetch a row locked FOR UPDATE; must be called inside a transaction."""
    try:
        return model._default_manager.select_for_update().get(pk=pk)
    except model.DoesNotExist:  # type: ignore[attr-defined]
        raise TransitionRefused(_("The record no longer exists.")) from None


def transition_label(obj, name: str) -> str:
    method = getattr(obj, name)
    for t in method._django_fsm.transitions.values():
        if t.custom.get("label"):
            return str(t.custom["label"])
    return name


def state_field_name(obj, name: str) -> str:
    return getattr(obj, name)._django_fsm.field.name


def check_transition(obj, name: str, user) -> None:
    """Raise unless `user` may run transition `name` on `obj` in its present state.

    Checked in this order, so the message says the real reason: the state (409), the role
    (403), then the transition's conditions (409, with the transition's `unmet` text).
    """
    method = getattr(obj, name, None)
    if method is None or not hasattr(method, "_django_fsm"):
        raise TransitionRefused(_("Unknown action."))
    meta = method._django_fsm
    state = meta.field.get_state(obj)
    if not can_proceed(method, check_conditions=False):
        raise TransitionRefused(
            _("“%(action)s” is not possible now: the record is “%(state)s”.")
            % {"action": transition_label(obj, name), "state": state_display(obj, name)}
        )
    # django-fsm's has_transition_perm also checks conditions; the role alone is asked here.
    if not meta.has_transition_perm(obj, state, user):
        raise PermissionRefused(_("Your role may not do “%(action)s”.") % {"action": transition_label(obj, name)})
    if not can_proceed(method):
        transition = meta.get_transition(state)
        unmet = transition.custom.get("unmet") if transition else None
        raise TransitionRefused(
            str(unmet)
            if unmet
            else _("“%(action)s” is not possible yet: its conditions are not met.")
            % {"action": transition_label(obj, name)}
        )


def state_display(obj, name: str) -> str:
    field = state_field_name(obj, name)
    return str(getattr(obj, f"get_{field}_display")())


def perform_transition(
    obj: M,
    name: str,
    *,
    by,
    reason: str = "",
    expected_state: str | None = None,
    **kwargs,
) -> M:
    """Run transition `name` on a row the caller has locked, then save it with who and why.

    `expected_state` is the state the user's page showed: when someone else moved the
    record first, the user is told so instead of acting on a record they have not seen.
    Reserved names (not passed on as such): by, reason, expected_state, and
    django-fsm's own `method` and `instance`; `by` is passed on to a transition that
    declares a `by` parameter.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("perform_transition must run inside transaction.atomic with the row locked")
    expect_state(obj, expected_state, state_field_name(obj, name))
    check_transition(obj, name, by)
    method = getattr(obj, name)
    if "by" in inspect.signature(method).parameters:
        # The STYLE.md form `def approve(self, *, by, ...)`: the transition records the actor.
        kwargs["by"] = by
    try:
        method(**kwargs)
    except TransitionNotAllowed as exc:
        raise TransitionRefused(str(exc)) from exc
    audit(obj, by, reason or transition_label(obj, name))
    obj.save()
    return obj


def available_transitions(obj, user, field: str = "status") -> list:
    """Transitions the user may run now, for drawing the action buttons."""
    getter = getattr(obj, f"get_available_user_{field}_transitions")
    return list(getter(user))


def transition_service(model: type[M], name: str):
    """Build the plain service for a transition that needs no more than the record and a reason."""

    @transaction.atomic
    def service(*, pk, by, reason: str = "", expected_state: str | None = None, **kwargs) -> M:
        obj = lock(model, pk)
        return perform_transition(obj, name, by=by, reason=reason, expected_state=expected_state, **kwargs)

    service.__name__ = f"{model.__name__.lower()}_{name}"
    service.__doc__ = f"Run the “{name}” transition of a {model.__name__}."
    return service
