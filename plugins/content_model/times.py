"""Times in Asia/Shanghai: parsing contributors' dates, the build's "now", and the two display formats."""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
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


# What people type for a date on a Chinese keyboard: 2020/7/20, 2020.07.20, 2020年7月20日, full-width digits,
# 09：30, 9点30分, 下午3:00. NFKC has already made full-width digits, colons, slashes and dots ASCII.
_LOOSE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
    r"(?:[\sT_,]*(上午|早上|中午|下午|晚上)?\s*(\d{1,2})\s*[:时点]\s*(\d{1,2})?\s*分?)?$"
)
_AFTERNOON = ("下午", "晚上")


def suggest_time(value: object) -> str | None:
    """The value in our format when it is a date written another way (2020/7/20 → 2020-07-20), else None."""
    match = _LOOSE.match(unicodedata.normalize("NFKC", str(value)).strip())
    if not match:
        return None
    year, month, day, part, hour, minute = match.groups()
    try:
        moment = datetime.datetime(int(year), int(month), int(day))
        if hour is None:
            return f"{moment:%Y-%m-%d}"
        hours = int(hour) + (12 if part in _AFTERNOON and int(hour) < 12 else 0)
        moment = moment.replace(hour=hours, minute=int(minute or 0))
    except ValueError:
        return None
    return f"{moment:%Y-%m-%d %H:%M}"


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
