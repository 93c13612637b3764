"""Dates as official papers print them: 2026年12月6日 on the Beijing-time day, years in Chinese numerals."""

import datetime
import re

from django.utils import timezone
from django.utils.dateparse import parse_datetime

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
NUMERALS = "〇一二三四五六七八九"


def local_day(value):
    """The Beijing-time day of a moment (datetime or ISO timestamp) or of a date (or 'YYYY-MM-DD'); None if blank."""
    if isinstance(value, str):
        moment = parse_datetime(value) if "T" in value else None
        if moment is None:
            found = ISO_DATE.match(value)
            return datetime.date(*map(int, found.groups())) if found else None
        value = moment
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return timezone.localtime(value).date()
    return value or None


def chinese_date(value):
    """2026年12月6日; a string that is no date is printed as it is, blank as blank."""
    day = local_day(value)
    if day is None:
        return value if isinstance(value, str) else ""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_year(value):
    """二〇一七年, as the seed's cover prints the year."""
    day = local_day(value)
    if day is None:
        return ""
    return "".join(NUMERALS[int(digit)] for digit in str(day.year)) + "年"
