"""Feeds: Atom (Pelican's writer) and JSON Feed 1.1 for any list of articles, with absolute links inside."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from publishing.templating import plain_text

FEED_ITEMS = 30
_LINK = re.compile(r'(?P<attr>\s(?:src|href|poster)=")(?P<url>[^"#][^"]*)"')


def absolute_html(html: str, page_url: str) -> str:
    """Relative links in an article's HTML made absolute, since a feed reader has no page to resolve them from."""

    def fix(match: re.Match[str]) -> str:
        url = match.group("url")
        if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
            return match.group(0)
        return f'{match.group("attr")}{urljoin(page_url, url)}"'

    return _LINK.sub(fix, html)


def json_feed(articles: list[Any], *, title: str, home_url: str, feed_url: str, site_url: str) -> str:
    """A JSON Feed 1.1 document; titles and summaries as the plain text they are."""
    items = []
    for article in articles[:FEED_ITEMS]:
        url = urljoin(site_url + "/", article.url)
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
        items.append(entry)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home_url,
        "feed_url": feed_url,
        "language": "zh-CN",
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write_feeds(writer, context: dict, articles: list[Any], folder: str, title: str) -> None:
    """`feed.atom` and `feed.json` in `folder` (site-relative, ending in / or empty for the site)."""
    if not articles:
        return  # an empty feed would need a made-up "updated" time
    settings = context
    site_url = (settings.get("SITE_ABSOLUTE_URL") or "").rstrip("/")
    writer.write_feed(articles[:FEED_ITEMS], context, f"{folder}feed.atom", feed_type="atom", feed_title=title)
    document = json_feed(
        articles,
        title=title,
        home_url=f"{site_url}/{folder}",
        feed_url=f"{site_url}/{folder}feed.json",
        site_url=site_url,
    )
    path = Path(writer.output_path) / folder / "feed.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(document, encoding="utf-8")
