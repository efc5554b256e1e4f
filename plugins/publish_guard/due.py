"""What came due since the last deploy: a scheduled run builds only when something did, or the content changed.

Each time-bound rule of the content model is asked twice, at the last deploy's build time and now: an item's state
(an article's or gallery's `date`, a column's or topic's `start`), an article's pin (`pin_until`), an event moving
from upcoming to past, the urgent notice's `expires`. Whatever answers differently came due.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content_model.publication import event_upcoming, notice_holds, pin_active
from content_model.site import Item, Site
from content_model.times import end_of_day, list_format
from content_model.visibility import EMBARGO_FIELD, state_of

from . import mark


@dataclass(frozen=True)
class Due:
    """One thing that came due: the file, the line and field that hold its time, the time, and what happened."""

    rel: str
    line: int
    field: str
    when: datetime.datetime
    zh: str
    en: str

    def line_text(self) -> str:
        return (
            f"{self.rel}:{self.line} {self.field} {list_format(self.when)}：{self.zh}\n"
            f"    {self.rel} line {self.line}, {self.field} {list_format(self.when)}: {self.en}"
        )


def _item_due(item: Item, since: datetime.datetime, now: datetime.datetime) -> list[Due]:
    found: list[Due] = []
    values, line_of = item.values, item.parsed.line_of
    field = EMBARGO_FIELD.get(item.kind)
    if field and state_of(item.kind, values, since) != state_of(item.kind, values, now):
        found.append(
            Due(item.rel, line_of(field), field, values[field], "发布时间已到，应上线", "its time came: it goes live")
        )
    if item.kind == "article" and pin_active(values, since) != pin_active(values, now):
        until = end_of_day(values["pin_until"])
        found.append(Due(item.rel, line_of("pin_until"), "pin_until", until, "置顶已到期", "its pin ended"))
    event = values.get("event") if item.kind == "article" else None
    if event and event_upcoming(event, since) != event_upcoming(event, now):
        end = end_of_day(event.get("end") or event["start"])
        found.append(
            Due(item.rel, line_of("event"), "event", end, "活动已结束，移入往期", "the event ended: it is past")
        )
    return found


def came_due(site: Site, since: datetime.datetime, now: datetime.datetime) -> list[Due]:
    """Everything whose time-bound rules answer differently at `since` than at `now`, by file and line."""
    found = [due for items in site.items.values() for item in items.values() for due in _item_due(item, since, now)]
    notice = site.notice
    if notice and notice_holds(notice, since) != notice_holds(notice, now):
        rel = site.rel(site.content_root / "data/notice.yml")
        found.append(Due(rel, 1, "expires", notice["expires"], "紧急通知已到期，应撤下", "the notice expired"))
    return sorted(found, key=lambda due: (due.when, due.rel, due.field))


@dataclass(frozen=True)
class LastDeploy:
    """What the last deploy's publish mark says: the time its build judged by, and the commit it read."""

    now: datetime.datetime
    commit: str | None


def read_mark(text: str | None) -> LastDeploy | None:
    """The mark's time and commit, or None when there is no readable mark."""
    try:
        mark: Any = json.loads(text or "")
        return LastDeploy(datetime.datetime.fromisoformat(mark["now"]), mark.get("commit"))
    except (ValueError, TypeError, KeyError):
        return None


def last_deploy(root: Path, output: Path) -> LastDeploy | None:
    """The last deploy: on a server that runs `make release`, the mark in output/ when it is the build of the commit
    recorded as deployed; else the mark on the deployed gh-pages branch (the deploy workflow)."""
    from content_model.deployed import RECORD_FILE, deployed_mark

    record = root / RECORD_FILE
    if record.is_file() and (output / mark.MARK).is_file():
        local = read_mark((output / mark.MARK).read_text(encoding="utf-8"))
        if local is not None and local.commit == record.read_text(encoding="utf-8").strip():
            return local
    return read_mark(deployed_mark(root))
