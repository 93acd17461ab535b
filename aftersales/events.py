"""Workflow events: how one workflow starts the linked record of another, and the work after commit.

Two lanes:

1. **Events** (records of other workflows). An event is a frozen dataclass declared here, in the
   core, so the publishing and the subscribing apps never import each other. The emitting service
   publishes an instance inside its transaction (`publish(ShipmentReceived(shipment=…, by=…))`);
   an app that exists subscribes a handler to the class in its AppConfig.ready()
   (`subscribe(ShipmentReceived, on_shipment_received)`), and the handler receives the event
   object. Handlers run in the publisher's transaction, so a failure rolls the whole step back.
   When no app subscribes, nothing happens and the caller shows what waits (e.g. "待安装").
2. **Notifications** (mail, PDF archiving, summaries) leave only after commit, as django-tasks
   tasks: `enqueue_on_commit(task, *args)`. They take ids, not objects, are idempotent (they record
   what they did, so a retry does not mail or archive twice), and let a failure raise: the task
   backend records it and the task can be retried; nothing is swallowed.

Field types: scalars are typed exactly (a decision is the code of `ServiceCase.Decision`, a `str`;
people are a tuple of users, never a string to iterate; the acting user is `by: User`). The
workflow records (case, shipment, job, sheet) are typed `Any`: the core must not import the
workflow apps, and the subscribers narrow them where they use them. `__post_init__` refuses the
shapes that broke before (a string where a list of people or a choice code is expected).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event; `by` is the user whose step published it."""

    by: User


@dataclass(frozen=True, kw_only=True)
class CaseDecided(Event):
    """The technical department decided a service case → fieldservice / warranty / repairs."""

    case: Any
    decision: str  # ServiceCase.Decision code: "onsite", "factory", "replace", "return", "claim", "remote"

    def __post_init__(self) -> None:
        if not isinstance(self.decision, str) or not self.decision:
            raise TypeError("CaseDecided.decision must be a ServiceCase.Decision code")


@dataclass(frozen=True, kw_only=True)
class ShipmentReceived(Event):
    """The customer confirmed receipt → installation job; a repair return closes its repair order."""

    shipment: Any


@dataclass(frozen=True, kw_only=True)
class ShipmentMissingParts(Event):
    """Parts missing at unpacking → a service case for their free supply."""

    shipment: Any
    description: str


@dataclass(frozen=True, kw_only=True)
class JobDispatched(Event):
    """Technicians were sent on a service job → the arrival clock of the linked cases starts."""

    job: Any
    dispatched_at: datetime


@dataclass(frozen=True, kw_only=True)
class JobArrived(Event):
    """A technician arrived on site → the arrival clock of the linked cases stops."""

    job: Any
    arrived_at: datetime


@dataclass(frozen=True, kw_only=True)
class JobCompleted(Event):
    """The customer signed form A → the linked cases are resolved."""

    job: Any


@dataclass(frozen=True, kw_only=True)
class QualitySiteVisit(Event):
    """QC / R&D named the people going on site for a major quality problem → a quality job."""

    sheet: Any
    people: tuple[User, ...]

    def __post_init__(self) -> None:
        if isinstance(self.people, str) or not isinstance(self.people, tuple):
            raise TypeError("QualitySiteVisit.people must be a tuple of users, not a string")


@dataclass(frozen=True, kw_only=True)
class RepairCompleted(Event):
    """A factory repair, replacement or return is done → the service desk resolves its cases."""

    record: Any
    case: Any  # the case the record was opened from, or None
    text: str


@dataclass(frozen=True, kw_only=True)
class UnitShip(Event):
    """A repaired or replacement unit goes back to the customer → shipping files its shipment."""

    unit: Any
    kind: str  # Shipment.Kind code: "repair_return" or "replacement"
    site: Any
    contact_name: str
    contact_phone: str
    notes: str = ""


EVENTS: tuple[type[Event], ...] = (
    CaseDecided,
    ShipmentReceived,
    ShipmentMissingParts,
    JobDispatched,
    JobArrived,
    JobCompleted,
    QualitySiteVisit,
    RepairCompleted,
    UnitShip,
)

E = TypeVar("E", bound=Event)

_handlers: dict[type[Event], list[Callable[[Any], Any]]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E], Any]) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: Event) -> list:
    """Call every handler of the event's class; returns what they returned (records they created)."""
    if not isinstance(event, Event):
        raise TypeError("publish() takes an event instance (see aftersales.events)")
    return [result for handler in list(_handlers[type(event)]) if (result := handler(event)) is not None]


def subscribers(event_type: type[Event]) -> list[Callable[[Any], Any]]:
    return list(_handlers[event_type])


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue a django-tasks task once the current transaction commits (never on rollback).

    The one way to run notifications after a write: the task's failure is the task backend's
    to record and retry, so nothing here catches it.
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))
