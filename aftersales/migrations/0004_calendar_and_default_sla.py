"""Seed the working calendar (weekday hours, 2020–2026 holidays and make-up days from the
chinese_calendar package) and the default SLA policy from the seed commitments."""

import datetime

from django.db import migrations

DEFAULT_PERIODS = [(datetime.time(8, 30), datetime.time(12, 0)), (datetime.time(13, 30), datetime.time(18, 0))]
FIRST_YEAR, LAST_YEAR = 2020, 2026
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def seed(apps, schema_editor):
    import chinese_calendar

    WorkingPeriod = apps.get_model("aftersales", "WorkingPeriod")
    CalendarYear = apps.get_model("aftersales", "CalendarYear")
    CalendarDay = apps.get_model("aftersales", "CalendarDay")
    SlaPolicy = apps.get_model("aftersales", "SlaPolicy")
    if not WorkingPeriod.objects.exists():
        for weekday in range(5):
            for starts, ends in DEFAULT_PERIODS:
                WorkingPeriod.objects.create(weekday=weekday, starts=starts, ends=ends)
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        cal_year, created = CalendarYear.objects.get_or_create(year=year, defaults={"source": "package"})
        if not created:
            continue
        days = []
        for day, name in sorted(chinese_calendar.holidays.items()):
            if day.year == year:
                days.append(CalendarDay(calendar_year=cal_year, date=day, kind="holiday", name=CHINESE_NAMES.get(name, name)))
        for day, name in sorted(chinese_calendar.workdays.items()):
            if day.year == year and day.weekday() >= 5:
                days.append(CalendarDay(calendar_year=cal_year, date=day, kind="workday", name=CHINESE_NAMES.get(name, name)))
        CalendarDay.objects.bulk_create(days)
    SlaPolicy.objects.get_or_create(is_default=True, defaults={"name": "标准服务承诺"})


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0003_servicedesk")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
