"""Feeds: Atom and JSON Feed 1.1 for the site, each section, column and topic, with absolute links inside."""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import sys
from functools import partial
from html import escape
from importlib import metadata
from operator import attrgetter
from typing import Any
from urllib.parse import urljoin

from feedgenerator import Atom1Feed
from pelican import signals
from pelican.generators import Generator

import reuse
from content_model.visibility import Visibility
from publishing import SITE
from publishing.templating import asset, plain_text
from reuse import code_of, made, output_cache

log = logging.getLogger(__name__)

FEED_ITEMS = 30
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Our JSON Feed extension (JSON Feed 1.1 lets a publisher add keys that start with "_").
EXTENSION = "_kexie"
_LINK = re.compile(r'(?P<attr>\s(?:src|href|poster|cite)=")(?P<url>[^"#][^"]*)"')
_SRCSET = re.compile(r'(?P<attr>\ssrcset=")(?P<value>[^"]*)"')
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# Only when a caller loaded the model without a "now" (a unit test): a fixed date, never the wall clock.
_NO_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
FEEDGENERATOR = metadata.version("feedgenerator")


def syndicated(articles: list[Any], visibility: Visibility) -> list[Any]:
    """The articles that may leave the site (feeds, API, WeChat copies), newest first, as the content model says.

    A preview build also lists drafts and embargoed items, each with a banner; they never leave through these.
    """
    chosen = [a for a in articles if hasattr(a, "item") and visibility.is_syndicated(a.item)]
    return sorted(chosen, key=attrgetter("date"), reverse=True)


def site_root(settings: dict[str, Any]) -> str:
    """The site's absolute root without a trailing slash; empty in a preview build that was given no SITEURL."""
    return (settings.get("SITE_ABSOLUTE_URL") or "").rstrip("/")


def absolute_url(root: str, url: str) -> str:
    """A site-relative URL made absolute from the site's root (root-relative when the root is unknown)."""
    return f"{root}/{url.lstrip('/')}"


def _absolute(url: str, page_url: str) -> str:
    return url if _SCHEME.match(url) or url.startswith("//") else urljoin(page_url, url)


def absolute_html(html: str, page_url: str) -> str:
    """Relative links in an article's HTML made absolute, since a feed reader has no page to resolve them from."""

    def fix(match: re.Match[str]) -> str:
        return f'{match.group("attr")}{_absolute(match.group("url"), page_url)}"'

    def fix_srcset(match: re.Match[str]) -> str:
        candidates = []
        for candidate in match.group("value").split(","):
            parts = candidate.strip().split(None, 1)
            if parts:
                candidates.append(" ".join([_absolute(parts[0], page_url), *parts[1:]]))
        return f'{match.group("attr")}{", ".join(candidates)}"'

    return _SRCSET.sub(fix_srcset, _LINK.sub(fix, html))


def image_url(item: Any, reference: str, root: str) -> str:
    """The absolute URL of the published copy of an image an item names.

    With the image pipeline (plugin `assets`) the largest rendition is what the site serves; without it, the file
    sits where `asset` puts it.
    """
    path = asset(reference, item)
    try:
        from assets import current as image_build

        rendition = image_build().plan.rendition(item, reference)
        if rendition is not None:
            path = rendition.base.path
    except (ImportError, RuntimeError, AttributeError):
        pass  # the pipeline is not enabled in this build, or is an older one that keeps the original path
    return absolute_url(root, path)


def cover_url(article: Any, root: str) -> str | None:
    """The absolute URL of an article's cover image, if it has one."""
    cover = getattr(article, "cover", None)
    return image_url(article.item, cover, root) if cover else None


class _Atom(Atom1Feed):
    """feedgenerator stamps an empty feed with the wall clock; ours takes the build's SITE_NOW instead."""

    def __init__(self, *args: Any, updated: datetime.datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._updated = updated

    def latest_post_date(self) -> datetime.datetime:
        dates = [item["pubdate"] for item in self.items if item["pubdate"] is not None]
        return max(dates) if dates else self._updated


def atom_feed(
    articles: list[Any],
    *,
    title: str,
    home_url: str,
    feed_url: str,
    site_url: str,
    author: str,
    updated: datetime.datetime,
    limit: int = FEED_ITEMS,
) -> str:
    """An Atom 1.0 document. Summaries are plain text, so they are escaped before going out as type="html"."""
    feed = _Atom(
        title=title,
        link=home_url,
        feed_url=feed_url,
        description="",
        language="zh-CN",
        author_name=author,
        updated=updated,
    )
    for article in articles[:limit]:
        url = absolute_url(site_url, article.url)
        authors = getattr(article, "byline_authors", [])
        feed.add_item(
            title=plain_text(article.title),
            link=url,
            unique_id=url,
            description=escape(plain_text(article.summary)),
            content=absolute_html(article.content, url),
            categories=[tag.name for tag in getattr(article, "tags", [])],
            author_name="、".join(authors) if authors else None,
            pubdate=article.date,
        )
    buffer = io.StringIO()
    feed.write(buffer, "utf-8")
    return buffer.getvalue() + "\n"


def json_feed(
    articles: list[Any], *, title: str, home_url: str, feed_url: str, site_url: str, limit: int = FEED_ITEMS
) -> str:
    """A JSON Feed 1.1 document; titles and summaries as the plain text they are."""
    items = []
    for article in articles[:limit]:
        url = absolute_url(site_url, article.url)
        entry: dict[str, Any] = {
            "id": url,
            "url": url,
            "title": plain_text(article.title),
            "summary": plain_text(article.summary),
            "content_html": absolute_html(article.content, url),
            "date_published": article.date.isoformat(),
            "tags": [tag.name for tag in getattr(article, "tags", [])],
        }
        authors = getattr(article, "byline_authors", [])
        if authors:
            entry["authors"] = [{"name": name} for name in authors]
        image = cover_url(article, site_url)
        if image:
            entry["image"] = image
            # JSON Feed has no alt text for `image`; a site that imports the item needs it (it is required here).
            entry[EXTENSION] = {"cover_alt": plain_text(getattr(article, "cover_alt", "") or "")}
        items.append(entry)
    document = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": home_url,
        "feed_url": feed_url,
        "language": "zh-CN",
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def entry_inputs(article: Any, site_url: str) -> list[Any]:
    """What an entry of a feed is made from, as plain values: equal values, equal entries."""
    return [
        article.url,
        article.title,
        article.summary,
        article.content,
        article.date.isoformat(),
        [tag.name for tag in getattr(article, "tags", [])],
        getattr(article, "byline_authors", []),
        cover_url(article, site_url),
        getattr(article, "cover_alt", "") or "",
    ]


def feed_text(kind: str, articles: list[Any], **options: Any) -> str:
    """An Atom (`kind` "atom") or JSON feed, or the one an earlier build made from the same inputs."""
    make = atom_feed if kind == "atom" else json_feed
    limit = options.get("limit", FEED_ITEMS)
    inputs = [kind, options, [entry_inputs(a, options["site_url"]) for a in articles[:limit]]]
    return made("feed", inputs, lambda: make(articles, **options))


def write_feeds(writer: Any, context: dict[str, Any], articles: list[Any], folder: str, title: str) -> None:
    """`feed.atom` and `feed.json` in `folder` (site-relative, ending in / or empty for the site).

    Only what may leave the site goes in, whatever list the caller hands over. The renderer makes them (and
    leaves them as they are when the articles in them are unchanged).
    """
    root = site_root(context)
    limit = context.get("FEED_MAX_ITEMS") or FEED_ITEMS
    site = context[SITE]
    chosen = syndicated(articles, site.visibility)[:limit]
    home_url = absolute_url(root, folder)
    atom = partial(
        feed_text,
        "atom",
        chosen,
        title=title,
        home_url=home_url,
        feed_url=absolute_url(root, f"{folder}feed.atom"),
        site_url=root,
        author=context.get("SITE_ORGANISATION") or context.get("SITENAME", ""),
        # The newest item's date; an empty feed takes the build's "now" (SITE_NOW), never the wall clock.
        updated=site.options.now or _NO_DATE,
        limit=limit,
    )
    writer.write_data(f"{folder}feed.atom", atom)
    document = partial(
        feed_text,
        "json",
        chosen,
        title=title,
        home_url=home_url,
        feed_url=absolute_url(root, f"{folder}feed.json"),
        site_url=root,
        limit=limit,
    )
    writer.write_data(f"{folder}feed.json", document)


class FeedsGenerator(Generator):
    """Writes the site's and each section's feeds; columns and topics write their own with write_feeds."""

    def generate_context(self) -> None:
        """Nothing to read: the article generator and the publishing plugin have built the context."""

    def generate_output(self, writer: Any) -> None:
        output_cache(self.context[SITE].cache_folder, "feed", code_of(sys.modules[__name__]), FEEDGENERATOR)
        sitename = self.settings["SITENAME"]
        write_feeds(writer, self.context, self.context.get("articles", []), "", sitename)
        for section in self.context.get("site_sections", []):
            write_feeds(writer, self.context, section["articles"], section["url"], f"{sitename} - {section['name']}")
        log.info("wrote the site's and %d sections' feeds", len(self.context.get("site_sections", [])))


def _initialized(pelican: Any) -> None:
    # Templates advertise the JSON feeds of the site and its sections only when this plugin writes them.
    pelican.settings["SYNDICATION_FEEDS"] = True


def get_generators(_pelican: Any) -> type:
    return FeedsGenerator


def register() -> None:
    reuse.register()
    signals.initialized.connect(_initialized)
    signals.get_generators.connect(get_generators)
