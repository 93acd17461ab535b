"""Workflow events: how one workflow starts the linked record of another.

The emitting service names the event (`publish("shipment.received", shipment=..., by=...)`)
inside its transaction; an app that exists subscribes in its AppConfig.ready(). When no
app subscribes, nothing happens and the caller shows what waits (e.g. "待安装").
Handlers run in the same transaction, so a failure rolls the whole step back.

Events used across the apps:
  case.decided        case, decision, by          → fieldservice / warranty / repair
  shipment.received   shipment, by                → fieldservice installation job
  shipment.missing_parts  shipment, description, by  → aftersales service case (free supply)
  job.arrived         job, arrived_at, by         → aftersales arrival clock stops
  job.completed       job, by                     → aftersales case resolution
  quality.site_visit  sheet, people, by           → fieldservice job for a major quality problem
"""

from collections import defaultdict
from collections.abc import Callable

_handlers: dict[str, list[Callable]] = defaultdict(list)


def subscribe(event: str, handler: Callable) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def publish(event: str, **payload) -> list:
    """Call every handler of the event; returns what they returned (records they created)."""
    return [result for handler in list(_handlers[event]) if (result := handler(**payload)) is not None]


def subscribers(event: str) -> list[Callable]:
    return list(_handlers[event])
