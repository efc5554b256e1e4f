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
