"""A record's timeline from its history: who, when, why, and the state it moved to."""

from dataclasses import dataclass
from datetime import datetime

from aftersales.people import display_name


@dataclass
class TimelineEntry:
    when: datetime
    who: str
    reason: str
    state: str
    state_changed: bool
    kind: str  # "+" created, "~" changed, "-" deleted


def timeline(obj, status_field: str = "status", limit: int = 200) -> list[TimelineEntry]:
    """Newest first; a state change is marked so the page can show the step."""
    rows = list(obj.history.select_related("history_user").order_by("history_date", "history_id")[:limit])
    field = obj._meta.get_field(status_field) if status_field and hasattr(obj, status_field) else None
    labels = dict(field.flatchoices) if field is not None else {}
    entries, previous = [], None
    for row in rows:
        state = getattr(row, status_field, "") if field is not None else ""
        entries.append(
            TimelineEntry(
                when=row.history_date,
                who=display_name(row.history_user) if row.history_user else "",
                reason=row.history_change_reason or "",
                state=str(labels.get(state, state)),
                state_changed=state != previous,
                kind=row.history_type,
            )
        )
        previous = state
    entries.reverse()
    return entries
