"""Working-time arithmetic on the Chinese working calendar kept in the database.

A day is a working day when the calendar says so (make-up day 调休) or, failing an entry, when
its weekday has working periods and it is not a holiday. A year without an entered schedule
falls back to weekends-only; the callers get `missing_years` so they can warn, never crash.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from aftersales.models import CalendarDay, CalendarYear, WorkingPeriod

CHINESE_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}

# Ten years of days: a deadline further away than that is a data error, not a reason to hang.
MAX_DAYS = 3660


@dataclass
class WorkingCalendar:
    """Loads each year once; one instance serves one computation (or one request)."""

    periods: dict[int, list[tuple[time, time]]] = field(default_factory=dict)
    _years: dict[int, tuple[bool, dict[date, str]]] = field(default_factory=dict)
    missing_years: set[int] = field(default_factory=set)

    def __post_init__(self):
        if not self.periods:
            for p in WorkingPeriod.objects.order_by("weekday", "starts"):
                self.periods.setdefault(p.weekday, []).append((p.starts, p.ends))

    def _year(self, year: int) -> tuple[bool, dict[date, str]]:
        if year not in self._years:
            known = CalendarYear.objects.filter(year=year).exists()
            days = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "kind")) if known else {}
            self._years[year] = (known, days)
        known, days = self._years[year]
        if not known:
            self.missing_years.add(year)
        return known, days

    def periods_on(self, day: date) -> list[tuple[time, time]]:
        """The working periods of a day (none on holidays and ordinary days off)."""
        _known, days = self._year(day.year)
        kind = days.get(day)
        if kind == CalendarDay.Kind.HOLIDAY:
            return []
        if kind == CalendarDay.Kind.WORKDAY:
            # A make-up day is worked like a normal weekday: Monday's hours.
            return self.periods.get(day.weekday()) or self.periods.get(0, [])
        return self.periods.get(day.weekday(), [])

    def is_working_day(self, day: date) -> bool:
        return bool(self.periods_on(day))

    def _windows(self, start: datetime):
        """Working windows (aware datetimes) from `start` onwards, in order."""
        tz = timezone.get_current_timezone()
        local = timezone.localtime(start, tz)
        day = local.date()
        for _i in range(MAX_DAYS):
            for starts, ends in self.periods_on(day):
                w_start = datetime.combine(day, starts, tzinfo=tz)
                w_end = datetime.combine(day, ends, tzinfo=tz)
                if w_end <= local:
                    continue
                yield max(w_start, local), w_end
            day += timedelta(days=1)

    def add_working_seconds(self, start: datetime, seconds: float) -> datetime:
        """The moment when `seconds` of working time have passed after `start`."""
        left = timedelta(seconds=seconds)
        if left <= timedelta(0):
            return start
        for w_start, w_end in self._windows(start):
            span = w_end - w_start
            if span >= left:
                return w_start + left
            left -= span
        return start + timedelta(days=MAX_DAYS)

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        if end <= start:
            return 0.0
        total = 0.0
        for w_start, w_end in self._windows(start):
            if w_start >= end:
                break
            total += (min(w_end, end) - w_start).total_seconds()
        return total

    def note_years(self, start: datetime, end: datetime) -> None:
        """Record missing schedules for every year a calendar-time span touches."""
        for year in range(timezone.localtime(start).year, timezone.localtime(end).year + 1):
            self._year(year)


def years_without_schedule(years) -> list[int]:
    known = set(CalendarYear.objects.filter(year__in=list(years)).values_list("year", flat=True))
    return sorted(set(years) - known)


@transaction.atomic
def calendar_import_year(*, year: int, by=None) -> CalendarYear | None:
    """Import a year's holidays and make-up days from chinese_calendar; None when it has no data yet."""
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return None
    cal_year, _created = CalendarYear.objects.get_or_create(
        year=year, defaults={"source": CalendarYear.Source.PACKAGE, "created_by": by}
    )
    existing = set(CalendarDay.objects.filter(date__year=year).values_list("date", flat=True))
    rows = []
    for source, kind in (
        (chinese_calendar.holidays, CalendarDay.Kind.HOLIDAY),
        (chinese_calendar.workdays, CalendarDay.Kind.WORKDAY),
    ):
        for day, name in source.items():
            if day.year != year or day in existing:
                continue
            if kind == CalendarDay.Kind.WORKDAY and day.weekday() < 5:
                continue
            rows.append(
                CalendarDay(
                    calendar_year=cal_year,
                    date=day,
                    kind=kind,
                    name=CHINESE_HOLIDAY_NAMES.get(name, name),
                    created_by=by,
                )
            )
    CalendarDay.objects.bulk_create(rows)
    return cal_year
