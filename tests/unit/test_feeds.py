"""Unit tests of the feeds: absolute links, Atom and JSON Feed 1.1 documents, what may leave the site."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import feedparser
import jsonschema
from markupsafe import Markup, escape

from content_model.times import parse_time
from content_model.visibility import PREVIEW, PUBLISH
from feeds import absolute_html, atom_feed, json_feed, syndicated

SITE = "https://www.hnast.example"
# RFC 3339, as JSON Feed requires; jsonschema checks "format" only with optional packages, so the pattern says it.
DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"

# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) as a JSON Schema: the parts a reader relies on.
_AUTHOR = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "url": {"type": "string", "format": "uri"},
        "avatar": {"type": "string"},
    },
    "anyOf": [{"required": ["name"]}, {"required": ["url"]}, {"required": ["avatar"]}],
}
JSON_FEED_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string", "minLength": 1},
        "home_page_url": {"type": "string", "format": "uri", "pattern": "^https?://"},
        "feed_url": {"type": "string", "format": "uri", "pattern": "^https?://"},
        "description": {"type": "string"},
        "language": {"type": "string"},
        "authors": {"type": "array", "items": _AUTHOR},
        "expired": {"type": "boolean"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
                    "external_url": {"type": "string", "format": "uri"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string", "format": "uri", "pattern": "^https?://"},
                    "banner_image": {"type": "string", "format": "uri"},
                    "date_published": {"type": "string", "format": "date-time", "pattern": DATE_TIME},
                    "date_modified": {"type": "string", "format": "date-time", "pattern": DATE_TIME},
                    "authors": {"type": "array", "items": _AUTHOR},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                },
                # Extensions start with an underscore; anything else must be a JSON Feed 1.1 field.
                "patternProperties": {"^_": {"type": "object"}},
                "additionalProperties": False,
            },
        },
    },
    "patternProperties": {"^_": {"type": "object"}},
    "additionalProperties": False,
}


def validate_json_feed(document: dict[str, Any]) -> None:
    jsonschema.validate(document, JSON_FEED_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def fake_article(slug: str, date: str, *, state: str = "published", banner: str = "", **extra: Any) -> Any:
    """Just what the feeds read of a Pelican article made by our reader."""
    url = f"articles/{date[:4]}/{date[5:7]}/{slug}/"
    item = SimpleNamespace(state=state, url=url, values={}, id=slug)
    values = {
        "slug": slug,
        "url": url,
        "title": Markup(escape(f"标题{slug}")),
        "summary": Markup(escape(f"摘要{slug}")),
        "content": '<p>正文<a href="../../../../columns/x/">专栏</a></p><img src="photo.jpg" alt="图" '
        'srcset="photo-480w.jpg 480w, photo-960w.jpg 960w">',
        "date": parse_time(date),
        "tags": [SimpleNamespace(name="科普")],
        "byline_authors": ["张华"],
        "preview_banner": banner,
        "item": item,
    }
    values.update(extra)
    return SimpleNamespace(**values)


def test_relative_links_become_absolute_and_others_stay() -> None:
    html = (
        '<a href="../../x/">x</a><img src="a.jpg" srcset="a-480w.jpg 480w, /b.jpg 960w">'
        '<a href="https://other.example/">o</a><a href="mailto:a@b.example">m</a><a href="#fn:1">1</a>'
        '<video poster="p.jpg" src="//cdn.example/v.mp4"></video>'
    )
    out = absolute_html(html, f"{SITE}/articles/2020/07/a/")
    assert f'href="{SITE}/articles/2020/x/"' in out
    assert f'src="{SITE}/articles/2020/07/a/a.jpg"' in out
    assert f'srcset="{SITE}/articles/2020/07/a/a-480w.jpg 480w, {SITE}/b.jpg 960w"' in out
    assert 'href="https://other.example/"' in out and 'href="mailto:a@b.example"' in out
    assert 'href="#fn:1"' in out and 'src="//cdn.example/v.mp4"' in out
    assert f'poster="{SITE}/articles/2020/07/a/p.jpg"' in out


def test_only_listed_published_articles_leave_newest_first() -> None:
    articles = [
        fake_article("old", "2020-07-01"),
        fake_article("draft", "2020-07-05", state="draft", banner="草稿"),
        fake_article("embargo", "2020-07-30", state="embargoed", banner="定时发布"),
        fake_article("hidden", "2020-07-03", state="hidden"),
        fake_article("withdrawn", "2020-07-04", state="withdrawn"),
        fake_article("new", "2020-07-10"),
    ]
    assert [a.slug for a in syndicated(articles, PUBLISH)] == ["new", "old"]
    # A preview lists drafts with their banner; they never leave the site through a feed.
    assert [a.slug for a in syndicated(articles, PREVIEW)] == ["new", "old"]


def test_json_feed_is_valid_json_feed_1_1_with_absolute_content() -> None:
    articles = syndicated([fake_article("a", "2020-07-20 09:30"), fake_article("b", "2020-07-21 10:00")], PUBLISH)
    text = json_feed(articles, title="站点", home_url=f"{SITE}/", feed_url=f"{SITE}/feed.json", site_url=SITE)
    document = json.loads(text)
    validate_json_feed(document)
    assert [i["id"] for i in document["items"]] == [f"{SITE}/articles/2020/07/b/", f"{SITE}/articles/2020/07/a/"]
    content = document["items"][0]["content_html"]
    assert f'href="{SITE}/columns/x/"' in content and f'src="{SITE}/articles/2020/07/b/photo.jpg"' in content
    assert document["items"][0]["date_published"] == "2020-07-21T10:00:00+08:00"


def test_a_schema_check_catches_a_broken_feed() -> None:
    import pytest

    with pytest.raises(jsonschema.ValidationError):
        validate_json_feed({"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": [{"url": "x"}]})


def test_atom_feed_parses_without_complaint_and_escapes_plain_text() -> None:
    evil = '<img src=x onerror=alert(1)>&"'
    article = fake_article("a", "2020-07-20 09:30", title=Markup(escape(evil)), summary=Markup(escape(evil)))
    text = atom_feed(
        [article],
        title="站点 - 专栏",
        home_url=f"{SITE}/columns/x/",
        feed_url=f"{SITE}/columns/x/feed.atom",
        site_url=SITE,
        author="河南省科学技术协会",
        updated=parse_time("2020-07-25 12:00"),
    )
    feed = feedparser.parse(text)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "站点 - 专栏"
    entry = feed.entries[0]
    assert entry.title == evil
    assert entry.link == entry.id == f"{SITE}/articles/2020/07/a/"
    assert f'src="{SITE}/articles/2020/07/a/photo.jpg"' in entry.content[0].value
    assert "<img src=x" not in text
    assert feed.feed.updated == "2020-07-20T09:30:00+08:00"


def test_an_empty_feed_takes_the_builds_now_not_the_clock() -> None:
    now = parse_time("2020-07-25 12:00")
    first = atom_feed(
        [], title="t", home_url=f"{SITE}/", feed_url=f"{SITE}/feed.atom", site_url=SITE, author="a", updated=now
    )
    second = atom_feed(
        [], title="t", home_url=f"{SITE}/", feed_url=f"{SITE}/feed.atom", site_url=SITE, author="a", updated=now
    )
    assert first == second
    assert "<updated>2020-07-25T12:00:00+08:00</updated>" in first
    assert not feedparser.parse(first).bozo
