"""The working calendar: Chinese holidays and make-up days, and years without a schedule."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from aftersales.models import CalendarDay, CalendarYear
from aftersales.workcalendar import WorkingCalendar, calendar_import_year

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*args):
    return datetime(*args, tzinfo=SH)


def test_calendar_has_national_day_2025_with_make_up_days():
    days = dict(CalendarDay.objects.filter(date__range=("2025-09-27", "2025-10-12")).values_list("date", "kind"))
    assert days[at(2025, 10, 1).date()] == "holiday"
    assert days[at(2025, 10, 8).date()] == "holiday"
    assert days[at(2025, 9, 28).date()] == "workday"  # make-up Sunday
    assert days[at(2025, 10, 11).date()] == "workday"  # make-up Saturday
    assert CalendarDay.objects.get(date="2025-10-01").name == "国庆节"


def test_working_days_follow_the_schedule():
    cal = WorkingCalendar()
    assert cal.is_working_day(at(2025, 9, 28).date())  # Sunday, make-up day
    assert not cal.is_working_day(at(2025, 10, 2).date())  # Thursday, holiday
    assert not cal.is_working_day(at(2025, 9, 27).date())  # ordinary Saturday
    assert cal.missing_years == set()


def test_eight_working_hours_from_friday_17h_before_national_day_use_the_make_up_sunday():
    # Friday 26 Sep 2025 17:00: one hour left that day (until 18:00), Saturday off,
    # Sunday 28 Sep is a make-up working day: 08:30–12:00 (3.5h) + 13:30–17:00 (3.5h).
    cal = WorkingCalendar()
    assert cal.add_working_seconds(at(2025, 9, 26, 17, 0), 8 * 3600) == at(2025, 9, 28, 17, 0)


def test_eight_working_hours_across_the_holiday_week():
    # Tuesday 30 Sep 14:00: 4h that day; 1–8 Oct are holidays; Thursday 9 Oct 08:30–12:00 + 30 min.
    cal = WorkingCalendar()
    assert cal.add_working_seconds(at(2025, 9, 30, 14, 0), 8 * 3600) == at(2025, 10, 9, 14, 0)


def test_eight_working_hours_from_friday_10_oct_use_the_make_up_saturday():
    cal = WorkingCalendar()
    assert cal.add_working_seconds(at(2025, 10, 10, 17, 0), 8 * 3600) == at(2025, 10, 11, 17, 0)


def test_working_seconds_between_skips_holidays():
    cal = WorkingCalendar()
    assert cal.working_seconds_between(at(2025, 9, 30, 17, 0), at(2025, 10, 9, 9, 30)) == 2 * 3600


def test_a_year_without_schedule_falls_back_to_weekends_and_is_reported():
    cal = WorkingCalendar()
    # Thursday 31 Dec 2026 17:00 + 8h: 1h on Thursday; 1 Jan 2027 (a Friday) counts as a
    # working day because 2027 has no schedule yet: 7h on Friday → 17:00.
    assert cal.add_working_seconds(at(2026, 12, 31, 17, 0), 8 * 3600) == at(2027, 1, 1, 17, 0)
    assert cal.missing_years == {2027}


def test_import_of_a_year_the_package_does_not_know_returns_none():
    assert calendar_import_year(year=2027) is None
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_import_of_a_known_year_is_idempotent():
    CalendarYear.objects.filter(year=2019).delete()
    first = calendar_import_year(year=2019)
    count = CalendarDay.objects.filter(date__year=2019).count()
    calendar_import_year(year=2019)
    assert first.year == 2019 and count > 20
    assert CalendarDay.objects.filter(date__year=2019).count() == count
