"""Write fixtures/calendar.json: China's statutory holidays and make-up working days (调休) per year,
from the chinesecalendar package, for `manage.py loaddata`.

Run it when the State Council has published next year's schedule and a chinesecalendar release
knows it (upgrade the pin in requirements.txt first), then commit the regenerated file:

    .venv/bin/python scripts/make_calendar_fixture.py [FIRST_YEAR LAST_YEAR]   # default 2020 2026

Rows carry natural keys (the year, the date) instead of ids, so loading the file into a database
that already has some of these years updates those rows and adds the missing ones.
"""

import json
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")

import django  # noqa: E402

django.setup()

import chinese_calendar  # noqa: E402

from aftersales.workcalendar import CHINESE_HOLIDAY_NAMES  # noqa: E402

OUTPUT = ROOT / "fixtures" / "calendar.json"
FIRST_YEAR, LAST_YEAR = 2020, 2026
# loaddata saves rows raw (auto_now/auto_now_add are not filled in), so every row carries its
# timestamps; a fixed value keeps the regenerated file's diff down to the changed days.
STAMP = "2026-01-01T00:00:00+08:00"


def rows(first: int, last: int) -> list[dict]:
    """One calendar year per year, then its holidays and its weekend make-up working days."""
    result: list[dict] = []
    for year in range(first, last + 1):
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            raise SystemExit(f"chinesecalendar {chinese_calendar.__version__} does not know {year} yet")
        result.append(_row("aftersales.calendaryear", {"year": year, "source": "package", "notes": ""}))
        days = [(day, "holiday", name) for day, name in chinese_calendar.holidays.items() if day.year == year]
        # A listed workday on Monday–Friday is an ordinary working day; only weekend ones are 调休.
        days += [
            (day, "workday", name)
            for day, name in chinese_calendar.workdays.items()
            if day.year == year and day.weekday() >= 5
        ]
        for day, kind, name in sorted(days):
            fields = {"calendar_year": [year], "date": day.isoformat(), "kind": kind}
            result.append(_row("aftersales.calendarday", fields | {"name": CHINESE_HOLIDAY_NAMES.get(name, name)}))
    return result


def _row(model: str, fields: dict) -> dict:
    return {"model": model, "fields": fields | {"created_at": STAMP, "updated_at": STAMP}}


def write(objects: list[dict], path: Path) -> None:
    """A JSON list with one row per line: readable, and a new year is a diff of added lines."""
    lines = ",\n".join(json.dumps(obj, ensure_ascii=False) for obj in objects)
    path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")


if __name__ == "__main__":
    first, last = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) == 3 else (FIRST_YEAR, LAST_YEAR)
    objects = rows(first, last)
    write(objects, OUTPUT)
    print(f"{OUTPUT.relative_to(ROOT)}: {last - first + 1} years, {len(objects) - (last - first + 1)} days")
