"""The publishing rules: an item's state against the build's "now", and what each kind of build shows."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from .times import end_of_day

State = Literal["published", "draft", "hidden", "withdrawn", "embargoed"]

# States that never reach a publish build's output, not even as a file.
NEVER_PUBLISHED: frozenset[str] = frozenset({"draft", "embargoed"})
# States that have a page but appear in no list, feed, index or count.
UNLISTED: frozenset[str] = frozenset({"hidden", "withdrawn"})


def state_of(values: dict[str, Any], now: datetime.datetime | None) -> State:
    """published, draft, hidden, withdrawn, or embargoed when dated after `now`."""
    status = values.get("status", "published")
    if status == "draft":
        return status
    date = values.get("date")
    if now is not None and date is not None and date > now:
        return "embargoed"  # even a withdrawal notice waits for the item's own time
    return status


def pin_active(values: dict[str, Any], now: datetime.datetime) -> bool:
    """A pin holds through its `pin_until` day; with no `pin_until` it holds until removed."""
    if values.get("pin") is None:
        return False
    until = values.get("pin_until")
    return until is None or now <= end_of_day(until)


def preview_banner(state: str) -> str:
    """The banner a preview build puts on an item that a publish build would not show."""
    return {"draft": "草稿", "embargoed": "定时发布"}.get(state, "")
