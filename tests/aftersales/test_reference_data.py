"""The reference data in fixtures/: loaded by `loaddata` without duplicates, the real 调休 calendar,
and seed_demo refusing to run without it."""

import json
import runpy
from collections import Counter
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from aftersales.models import CalendarDay, Customer, Department
from aftersales.servicedesk.models import SlaPolicy
from aftersales.workcalendar import WorkingCalendar
from tests.conftest import FIXTURES_DIR, load_reference_data

pytestmark = pytest.mark.django_db


def fixture_rows() -> Counter:
    """Rows per model label in all the fixture files."""
    rows: Counter = Counter()
    for path in FIXTURES_DIR.glob("*.json"):
        rows.update(obj["model"] for obj in json.loads(path.read_text(encoding="utf-8")))
    return rows


def row_counts(labels) -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in labels}


def test_it_loads_twice_with_the_same_rows():
    expected = fixture_rows()
    assert expected["aftersales.calendarday"] > 200 and expected["aftersales.component"] > 10
    load_reference_data()
    first = row_counts(expected)
    load_reference_data()
    assert row_counts(expected) == first == dict(expected)


def test_it_reloads_edited_rows_to_the_file_and_keeps_added_rows():
    load_reference_data()
    Department.objects.filter(code="AS").update(name="售后部（改名）")
    Department.objects.create(code="ZZ", name="新设部门")
    load_reference_data()
    assert Department.objects.get(code="AS").name == "售后服务部"
    assert Department.objects.filter(code="ZZ").exists()


def test_the_calendar_has_the_2026_national_day_make_up_days():
    days = {d.date: (d.kind, d.name) for d in CalendarDay.objects.filter(date__range=("2026-09-19", "2026-10-11"))}
    assert days[date(2026, 9, 20)] == ("workday", "国庆节")  # make-up Sunday
    assert days[date(2026, 10, 10)] == ("workday", "国庆节")  # make-up Saturday
    assert all(days[date(2026, 10, day)] == ("holiday", "国庆节") for day in range(1, 8))
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date(2026, 10, 10))  # Saturday, make-up day
    assert not calendar.is_working_day(date(2026, 10, 5))  # Monday, holiday
    assert not calendar.is_working_day(date(2026, 10, 11))  # ordinary Sunday
    assert calendar.missing_years == set()


def test_the_calendar_file_is_what_the_script_makes_from_the_pinned_package():
    script = runpy.run_path(str(FIXTURES_DIR.parent / "scripts" / "make_calendar_fixture.py"))
    committed = json.loads((FIXTURES_DIR / "calendar.json").read_text(encoding="utf-8"))
    assert committed == script["rows"](2020, 2026)


def test_the_default_sla_policy_is_loaded():
    assert SlaPolicy.objects.get(is_default=True).name == "标准服务承诺"


def test_seed_demo_without_the_fixtures_says_how_to_load_them():
    with pytest.raises(CommandError) as refused:
        call_command("seed_demo")
    message = str(refused.value)
    assert "loaddata fixtures/*.json" in message
    assert "aftersales.department" in message and "aftersales.productmodel XD-1200" in message
    assert not Customer.objects.exists() and not get_user_model().objects.filter(username="clerk").exists()
