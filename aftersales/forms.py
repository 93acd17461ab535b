"""Form fields every app shares: dates within a sane range, and optional bounded numbers.

A date typed or tampered far outside the years this business can have (`?date_to=9999-12-31`)
becomes a form error, not an OverflowError when a view adds a day to it or turns it into a
datetime. A position from the browser that is no number in its range is simply dropped.
"""

import math
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)


def validate_date_range(value: date) -> None:
    """Refuse a date (or the local day of a datetime) outside MIN_DATE … MAX_DATE."""
    try:
        day = timezone.localtime(value) if isinstance(value, datetime) and timezone.is_aware(value) else value
    except OverflowError:
        day = date.max
    if isinstance(day, datetime):
        day = day.date()
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s."),
            code="date_range",
            params={"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()},
        )


class BoundedDateField(forms.DateField):
    """A date between MIN_DATE and MAX_DATE; the browser's date picker is told the same bounds.

    `clamp=True` is for filters: a date beyond the range is taken as the range's end (nothing
    lies past it), so the other filters of the list still apply and nothing needs explaining.
    """

    default_validators = [validate_date_range]

    def __init__(self, *, clamp: bool = False, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.clamp = clamp

    def to_python(self, value):
        day = super().to_python(value)
        if self.clamp and day is not None:
            day = min(max(day, MIN_DATE), MAX_DATE)
        return day

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if getattr(widget, "input_type", "") == "date":
            attrs.update(min=MIN_DATE.isoformat(), max=MAX_DATE.isoformat())
        return attrs


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time between MIN_DATE and MAX_DATE (their local days)."""

    default_validators = [validate_date_range]


class OptionalFloatField(forms.Field):
    """A number within [min_value, max_value], or None: a value that is none is dropped, not an error.

    For what the browser fills in by itself (the position of a signature): a bad value must not
    stop the person from signing.
    """

    widget = forms.HiddenInput

    def __init__(self, *, min_value: float, max_value: float, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.min_value, self.max_value = min_value, max_value

    def to_python(self, value) -> float | None:
        return bounded_float(value, self.min_value, self.max_value)


def bounded_float(value, min_value: float, max_value: float) -> float | None:
    """`value` as a finite float within [min_value, max_value], else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip()[:64])
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(number) or not min_value <= number <= max_value:
        return None
    return number


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (photos of a call or a trip, receipts, filed documents); each file is
    checked by the service that stores it (aftersales.attachments)."""

    def __init__(self, *args, accept="image/*", **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
