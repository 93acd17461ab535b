"""Times as the office reads them: every datetime shown or exported is in Asia/Shanghai (TIME_ZONE).

The database keeps UTC; a page, an export or a PDF that formats a datetime goes through
`local_format`, so a call taken at 22:25 reads 22:25 everywhere (not 14:25).
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format


def local_format(value: date | datetime | None, fmt: str = "Y-m-d H:i") -> str:
    """`value` in the office's time zone and the given Django date format; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, fmt)
