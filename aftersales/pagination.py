"""Keyset pagination: pages by the last row seen, never OFFSET and never COUNT(*).

Stays as fast on page 10,000 as on page 1 when an index covers the ordering columns.

The cursor comes back from the browser (`?after=`), so it is untrusted: it is decoded only into
values of the ordering fields' own types and ranges. A tampered, truncated or stale cursor gives
the first page with `bad_cursor` set (the list says the link was not valid), never an error.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

# A cursor holds a few short values; anything longer was not made by _encode.
MAX_CURSOR_LENGTH = 512
# Rows are dated within these years; a date outside cannot be a row's and would overflow on the
# way to the database (a year-9999 datetime with an offset is past datetime.max in UTC).
MIN_YEAR, MAX_YEAR = 1900, 2200
# Every backend stores integers in at most 64 bits; SQLite raises OverflowError beyond.
MAX_INT = 2**63 - 1


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    has_next: bool
    is_first: bool
    bad_cursor: bool = False  # a cursor was given and refused: this is the first page instead


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


class _Invalid(Exception):
    pass


def _plain_value(value):
    """One decoded cursor value: a datetime, date, Decimal, int, str or bool, never None."""
    if isinstance(value, dict):
        if len(value) != 1:
            raise _Invalid
        ((kind, text),) = value.items()
        if not isinstance(text, str):
            raise _Invalid
        if kind == "dt":
            parsed = datetime.fromisoformat(text)
            if settings.USE_TZ and timezone.is_naive(parsed):
                raise _Invalid
            if not MIN_YEAR <= parsed.year <= MAX_YEAR:
                raise _Invalid
            return parsed
        if kind == "d":
            parsed_date = date.fromisoformat(text)
            if not MIN_YEAR <= parsed_date.year <= MAX_YEAR:
                raise _Invalid
            return parsed_date
        if kind == "dec":
            number = Decimal(text)
            if not number.is_finite():
                raise _Invalid
            return number
        raise _Invalid
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if not -MAX_INT <= value <= MAX_INT:
            raise _Invalid
        return value
    raise _Invalid  # None, floats, lists


def _decode(cursor: str) -> list | None:
    """The values of a cursor made by _encode, or None for anything else (never raises)."""
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_LENGTH:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or not values:
            return None
        return [_plain_value(v) for v in values]
    except (_Invalid, ValueError, TypeError, ArithmeticError, RecursionError, binascii.Error, InvalidOperation):
        return None


def _field(model, dotted: str) -> models.Field | None:
    """The model field behind an ordering name such as "created_at", "pk" or "case__created_at"."""
    opts = model._meta
    found = None
    for part in dotted.split("__"):
        try:
            found = opts.pk if part == "pk" else opts.get_field(part)
        except FieldDoesNotExist:
            return None
        if found.is_relation:
            if found.related_model is None:
                return None
            opts = found.related_model._meta
            found = found.target_field if hasattr(found, "target_field") else opts.pk
    return found  # type: ignore[return-value]


def _fits(field: models.Field | None, value) -> bool:
    """Whether a decoded value can stand for a value of this field (type and range)."""
    if field is None:
        return False
    if isinstance(field, models.DateTimeField):
        return isinstance(value, datetime)
    if isinstance(field, models.DateField):
        return isinstance(value, date) and not isinstance(value, datetime)
    if isinstance(field, models.DecimalField):
        if not isinstance(value, Decimal):
            return False
        digits = field.max_digits - field.decimal_places if field.max_digits is not None else 64
        return abs(value) < Decimal(10) ** digits
    if isinstance(field, models.BooleanField):
        return isinstance(value, bool)
    if isinstance(field, models.IntegerField | models.AutoField):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(field, models.CharField | models.TextField):
        return isinstance(value, str) and "\x00" not in value
    return False


def decode_cursor(cursor: str | None, model, ordering: tuple[str, ...]) -> list | None:
    """The cursor's values if they fit the ordering fields of `model` one by one, else None."""
    if not cursor:
        return None
    values = _decode(cursor)
    names = [name.lstrip("-") for name in ordering]
    if values is None or len(values) != len(names):
        return None
    if not all(_fits(_field(model, name), value) for name, value in zip(names, values, strict=True)):
        return None
    return values


def keyset_page(
    queryset: QuerySet, *, ordering: tuple[str, ...] = ("-created_at", "-pk"), cursor: str | None = None, size: int = 50
) -> KeysetPage:
    """One page of `queryset` in `ordering` (the last field must be unique, e.g. pk)."""
    fields = [f.lstrip("-") for f in ordering]
    qs = queryset.order_by(*ordering)
    values = decode_cursor(cursor, queryset.model, ordering)
    if values is not None:
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
    rows = list(qs[: size + 1])
    has_next = len(rows) > size
    rows = rows[:size]
    next_cursor = None
    if has_next and rows:
        last = rows[-1]
        next_cursor = _encode([_attr(last, name) for name in fields])
    return KeysetPage(
        items=rows,
        next_cursor=next_cursor,
        has_next=has_next,
        is_first=values is None,
        bad_cursor=bool(cursor) and values is None,
    )


def _attr(obj, dotted: str):
    value = obj
    for part in dotted.split("__"):
        value = getattr(value, "pk" if part == "pk" else part)
    return value
