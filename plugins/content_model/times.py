"""Times in Asia/Shanghai: parsing contributors' dates, the build's "now", and the two display formats."""

from __future__ import annotations

import datetime
import os
import re
from zoneinfo import ZoneInfo

SITE_TZ = ZoneInfo("Asia/Shanghai")
_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T_](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


class BadTime(ValueError):
    """A time that is not YYYY-MM-DD or YYYY-MM-DD HH:MM."""


def parse_time(value: object) -> datetime.datetime:
    """A contributor's date or date-time, as an aware datetime in Asia/Shanghai."""
    if isinstance(value, datetime.datetime):
        naive = value.replace(tzinfo=None)
        return naive.replace(tzinfo=SITE_TZ)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=SITE_TZ)
    match = _TIME.match(str(value).strip())
    if not match:
        raise BadTime(str(value))
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime.datetime(year, month, day, hour, minute, second, tzinfo=SITE_TZ)
    except ValueError as error:
        raise BadTime(str(value)) from error


def end_of_day(moment: datetime.datetime) -> datetime.datetime:
    """The last instant of that day: `pin_until` holds through the whole day."""
    return moment.replace(hour=23, minute=59, second=59, microsecond=999999)


def site_now(value: str | None = None) -> datetime.datetime:
    """The build's "now": SITE_NOW when set, else the real time in Asia/Shanghai."""
    value = value if value is not None else os.environ.get("SITE_NOW", "")
    if value.strip():
        return parse_time(value)
    return datetime.datetime.now(SITE_TZ).replace(microsecond=0)


def list_format(moment: datetime.datetime) -> str:
    """`2020-07-15 10:00`, as lists show dates."""
    return moment.astimezone(SITE_TZ).strftime("%Y-%m-%d %H:%M")


def text_format(moment: datetime.datetime) -> str:
    """`2020年7月15日`, as running text shows dates, with no locale needed."""
    moment = moment.astimezone(SITE_TZ)
    return f"{moment.year}年{moment.month}月{moment.day}日"
