"""Reading a sub-site's feed: one fetch of the given URL, then JSON Feed, Atom or RSS into plain entries."""

from __future__ import annotations

import calendar
import datetime
import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import feedparser
from bs4 import BeautifulSoup

from content_model.times import SITE_TZ

from . import remote

TIMEOUT = 30  # seconds for each fetch in all: connecting, redirects and reading
MAX_BYTES = 20 * 1024 * 1024  # a feed bigger than this is not a feed we should import from
ACCEPT = (
    "application/feed+json, application/json;q=0.9, application/atom+xml, application/rss+xml, application/xml;q=0.8"
)
# feedparser's complaints that still leave a well-formed feed: a declared charset that was wrong, a text/plain type.
HARMLESS = ("CharacterEncodingOverride", "NonXMLContentType")


class FeedError(Exception):
    """A feed that cannot be read or is not a feed; the message is Chinese first, then English."""


@dataclass
class Entry:
    """One item of a feed, as plain values."""

    id: str
    url: str
    title: str
    date: datetime.datetime | None
    html: str
    summary: str = ""
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: str = ""
    image_alt: str = ""


@dataclass
class Feed:
    title: str
    kind: str  # "json" or feedparser's version, e.g. "atom10"
    entries: list[Entry]


def fetch(location: str, timeout: float = TIMEOUT) -> tuple[bytes, str]:
    """The feed's bytes and its address, read within `timeout` seconds in all (see remote.py for the rules)."""
    parts = urlparse(location)
    if parts.scheme not in ("http", "https"):
        path = Path(location)
        if parts.scheme or not path.is_file():
            raise FeedError(
                f"订阅源地址应以 http:// 或 https:// 开头（或是本机上的文件）：{location}\n"
                f"The feed must be an http:// or https:// address (or a local file): {location}"
            )
        return path.read_bytes(), path.resolve().as_uri()
    try:
        fetched = remote.fetch(location, timeout=timeout, limit=MAX_BYTES, trusted=location, accept=ACCEPT)
    except remote.FetchError as error:
        if error.status:
            raise FeedError(
                f"订阅源返回错误 {error.status}：{location}\nThe feed answered with HTTP {error.status}: {location}"
            ) from None
        raise FeedError(
            f"无法读取订阅源（{error.zh}）：{location}\nThe feed could not be read ({error.en}): {location}"
        ) from None
    return fetched.data, fetched.url


def _json_date(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=SITE_TZ) if moment.tzinfo is None else moment.astimezone(SITE_TZ)


def _text_to_html(text: str) -> str:
    return "".join(f"<p>{escape(part.strip())}</p>" for part in text.split("\n\n") if part.strip())


def _strings(values: Any) -> list[str]:
    return [v.strip() for v in values if isinstance(v, str) and v.strip()] if isinstance(values, list) else []


def parse_json_feed(document: Any, location: str) -> Feed:
    """A JSON Feed 1.0 or 1.1 document (https://jsonfeed.org/version/1.1)."""
    version = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/version/1"):
        raise FeedError(
            f"这不是 JSON Feed（缺少 version）：{location}\nThis is not a JSON Feed (no `version`): {location}"
        )
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedError(f"JSON Feed 缺少 items 列表：{location}\nThe JSON Feed has no `items` list: {location}")
    entries = []
    for item in items:
        if not isinstance(item, dict) or item.get("id") in (None, ""):
            raise FeedError(f"JSON Feed 中有条目缺少 id：{location}\nAn item of the JSON Feed has no `id`: {location}")
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        extension = item.get("_kexie") if isinstance(item.get("_kexie"), dict) else {}
        html = item.get("content_html")
        if not isinstance(html, str):
            html = _text_to_html(item.get("content_text") or "") if isinstance(item.get("content_text"), str) else ""
        entries.append(
            Entry(
                id=str(item["id"]),
                url=str(item.get("url") or ""),
                title=str(item.get("title") or ""),
                date=_json_date(item.get("date_published")) or _json_date(item.get("date_modified")),
                html=html,
                summary=str(item.get("summary") or ""),
                authors=[a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)],
                tags=_strings(item.get("tags")),
                image=str(item.get("image") or ""),
                image_alt=str(extension.get("cover_alt") or ""),
            )
        )
    return Feed(title=str(document.get("title") or ""), kind="json", entries=entries)


def _html_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text(" ")


def _parsed_date(entry: Any) -> datetime.datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            # feedparser gives UTC struct_time
            return datetime.datetime.fromtimestamp(calendar.timegm(value), tz=datetime.UTC).astimezone(SITE_TZ)
    return None


def parse_xml_feed(data: bytes, location: str) -> Feed:
    """An Atom or RSS document, through feedparser."""
    parsed = feedparser.parse(data)
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if problem is not None and type(problem).__name__ not in HARMLESS:
        raise FeedError(f"订阅源格式有误（{problem}）：{location}\nThe feed is malformed ({problem}): {location}")
    if not parsed.get("version"):
        raise FeedError(
            f"这不是 Atom、RSS 或 JSON Feed 订阅源：{location}\nThis is not an Atom, RSS or JSON Feed: {location}"
        )
    entries = []
    for entry in parsed.entries:
        contents = entry.get("content") or []
        html = contents[0].get("value", "") if contents else entry.get("summary", "")
        entries.append(
            Entry(
                id=str(entry.get("id") or entry.get("link") or ""),
                url=str(entry.get("link") or ""),
                title=str(entry.get("title") or ""),
                date=_parsed_date(entry),
                html=html,
                # Atom and RSS summaries are HTML; ours are plain text everywhere
                summary=_html_text(entry.get("summary", "")) if contents else "",
                authors=[a.get("name", "") for a in entry.get("authors", []) if a.get("name")],
                tags=[t.get("term", "") for t in entry.get("tags", []) if t.get("term")],
            )
        )
    return Feed(title=str(parsed.feed.get("title") or ""), kind=parsed.get("version", ""), entries=entries)


def parse(data: bytes, location: str) -> Feed:
    """JSON Feed when the document is JSON, else Atom or RSS."""
    text_start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if text_start in (b"{", b"["):
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise FeedError(
                f"JSON Feed 不是有效的 JSON（{error}）：{location}\n"
                f"The JSON Feed is not valid JSON ({error}): {location}"
            ) from None
        return parse_json_feed(document, location)
    return parse_xml_feed(data, location)
