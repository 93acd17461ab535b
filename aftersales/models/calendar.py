"""The working calendar: working hours per weekday, and per year China's statutory holidays and
adjusted working days (调休 make-up days), kept in the database and editable in the admin.

The State Council publishes next year's schedule late in the year, so a year may have no
schedule yet: the calendar then falls back to weekends-only and the managers are warned.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.base import NaturalKeyManager, TrackedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingPeriod(TrackedModel):
    """One span of working time on a weekday (e.g. Monday 08:30–12:00); a day may have several."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("working period")
        verbose_name_plural = _("working hours")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends__gt=models.F("starts")), name="working_period_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class CalendarYear(TrackedModel):
    """A year whose schedule of holidays and make-up working days has been entered."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("imported from chinese_calendar")
        MANUAL = "manual", _("entered by hand")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = NaturalKeyManager("year")

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def natural_key(self) -> tuple[int]:
        return (self.year,)


class CalendarDay(TrackedModel):
    """A day that differs from its weekday: a statutory holiday, or a make-up working day."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("holiday")
        WORKDAY = "workday", _("make-up working day")

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("calendar year"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    objects = NaturalKeyManager("date")

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()

    def natural_key(self) -> tuple[str]:
        return (self.date.isoformat(),)
