"""Visibility: for an item of any kind, what a publish or a preview build shows of it at the build's "now"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Literal, Protocol

State = Literal["published", "draft", "hidden", "withdrawn", "embargoed"]

# The field whose time, while it is after the build's "now", keeps an item back: an article or a gallery waits for
# its date, a column or a topic launches on its start day. People and fixed pages have no time of their own.
EMBARGO_FIELD = {"article": "date", "gallery": "date", "column": "start", "topic": "start"}
# States that a publish build leaves out entirely: no page, no list, no file, no link, no mention.
UNPUBLISHED: frozenset[str] = frozenset({"draft", "embargoed"})
# States that have a page but appear in no list, feed, index or count.
UNLISTED: frozenset[str] = frozenset({"hidden", "withdrawn"})
BANNERS = {"draft": "草稿", "embargoed": "定时发布"}


class HasState(Protocol):
    kind: str
    state: State


def embargo_time(kind: str, values: dict[str, Any]) -> datetime.datetime | None:
    """The time an item of this kind becomes public, if it names one."""
    field = EMBARGO_FIELD.get(kind)
    return values.get(field) if field else None


def state_of(kind: str, values: dict[str, Any], now: datetime.datetime | None) -> State:
    """published (the default), draft, hidden, withdrawn, or embargoed while its time is after `now`."""
    status = values.get("status", "published")
    if status == "draft":
        return status
    when = embargo_time(kind, values)
    if now is not None and when is not None and when > now:
        return "embargoed"  # even a withdrawal notice waits for the item's own time
    return status


@dataclass(frozen=True)
class Visibility:
    """The one rule every page, list, feed, index, count, file and form asks, for one kind of build.

    A publish build shows nothing of a draft or an embargoed item. A preview build shows every item, each that a
    publish build would not show with a banner and noindex, so that reviewers can do their 三审. Nothing leaves the
    site (feeds, API, WeChat copies, calendars, search) and nothing is counted but what is published, in any build.
    """

    publish: bool

    def has_page(self, item: HasState) -> bool:
        """The item's own page is written, and other pages may link to it or name it."""
        return not (self.publish and item.state in UNPUBLISHED)

    def is_listed(self, item: HasState) -> bool:
        """The item appears in lists: the home page, sections, indexes, archives, tags, menus, honour rolls."""
        return self.has_page(item) and item.state not in UNLISTED

    def shows_body(self, item: HasState) -> bool:
        """Its page shows its text: a withdrawn item's page is a short notice instead."""
        return self.has_page(item) and item.state != "withdrawn"

    def files_published(self, item: HasState) -> bool:
        """The files it shows or offers are published: images, photos, attachments."""
        return self.shows_body(item)

    def is_syndicated(self, item: HasState) -> bool:
        """It leaves the site: feeds, the API, WeChat copies, calendars and the search index."""
        return item.state == "published"

    def is_counted(self, item: HasState) -> bool:
        """It counts in the statistics."""
        return item.state == "published"

    def banner(self, item: HasState) -> str:
        """The 草稿 / 定时发布 banner of an item shown only because this is a preview; empty otherwise."""
        return "" if self.publish else BANNERS.get(item.state, "")

    def noindex(self, item: HasState) -> bool:
        """Its page asks search engines to stay away, and the sitemap leaves it out."""
        return bool(self.banner(item)) or item.state in UNLISTED


PUBLISH = Visibility(publish=True)
PREVIEW = Visibility(publish=False)
