"""The pin rule: whether an article still leads the home page at the build's "now" (visibility.py says what shows)."""

from __future__ import annotations

import datetime
from typing import Any

from .times import end_of_day


def pin_active(values: dict[str, Any], now: datetime.datetime) -> bool:
    """A pin holds through its `pin_until` day; with no `pin_until` it holds until removed."""
    if values.get("pin") is None:
        return False
    until = values.get("pin_until")
    return until is None or now <= end_of_day(until)


def notice_holds(notice: dict[str, Any] | None, now: datetime.datetime | None) -> bool:
    """The urgent notice shows until its `expires` time has passed."""
    return bool(notice) and (now is None or not notice["expires"] < now)  # type: ignore[index]


def event_upcoming(event: dict[str, Any], now: datetime.datetime) -> bool:
    """An event is upcoming until the day after it ends (its `end`, or its `start`) begins."""
    end = event.get("end") or event["start"]
    return end >= now.replace(hour=0, minute=0, second=0, microsecond=0)
