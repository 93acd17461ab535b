"""Keyset pagination: pages by the last row seen, never OFFSET and never COUNT(*).

Stays as fast on page 10,000 as on page 1 when an index covers the ordering columns.
"""

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    has_next: bool
    is_first: bool


def _encode(values: list) -> str:
    def plain(value):
        if isinstance(value, datetime):
            return {"dt": value.isoformat()}
        if isinstance(value, date):
            return {"d": value.isoformat()}
        if isinstance(value, Decimal):
            return {"dec": str(value)}
        return value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> list | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list):
        return None
    out = []
    for value in values:
        if isinstance(value, dict) and "dt" in value:
            value = parse_datetime(value["dt"])
        elif isinstance(value, dict) and "d" in value:
            value = parse_date(value["d"])
        elif isinstance(value, dict) and "dec" in value:
            value = Decimal(value["dec"])
        out.append(value)
    return out


def keyset_page(
    queryset: QuerySet, *, ordering: tuple[str, ...] = ("-created_at", "-pk"), cursor: str | None = None, size: int = 50
) -> KeysetPage:
    """One page of `queryset` in `ordering` (the last field must be unique, e.g. pk)."""
    fields = [f.lstrip("-") for f in ordering]
    qs = queryset.order_by(*ordering)
    values = _decode(cursor) if cursor else None
    if values is not None and len(values) == len(fields):
        # (a, b, c) after (x, y, z): a beyond x, or a = x and b beyond y, or ...
        condition = Q()
        for i, name in enumerate(fields):
            op = "lt" if ordering[i].startswith("-") else "gt"
            step = Q(**{f"{name}__{op}": values[i]})
            for j in range(i):
                step &= Q(**{fields[j]: values[j]})
            condition |= step
        # The OR above is exact; the bound on the leading column lets the database seek into
        # the index instead of walking it from the first row (deep pages stay fast).
        lead_op = "lte" if ordering[0].startswith("-") else "gte"
        qs = qs.filter(condition, Q(**{f"{fields[0]}__{lead_op}": values[0]}))
    else:
        values = None
    rows = list(qs[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if has_next and rows:
        last = rows[-1]
        next_cursor = _encode([_attr(last, name) for name in fields])
    return KeysetPage(items=rows, next_cursor=next_cursor, has_next=has_next, is_first=values is None)


def _attr(obj, dotted: str):
    value = obj
    for part in dotted.split("__"):
        value = getattr(value, "pk" if part == "pk" else part)
    return value
