"""/api/: a paged JSON index of the published, listed articles, for sub-sites and other tools (docs/api.md)."""

from __future__ import annotations

import json
import logging
import sys
from functools import partial
from typing import Any

from pelican import signals
from pelican.generators import Generator

import feeds
import reuse
from feeds import absolute_url, cover_url, site_root, syndicated
from publishing import SITE
from publishing.templating import TYPE_NAMES, plain_text
from reuse import code_of, made, output_cache

log = logging.getLogger(__name__)

API_VERSION = 1
PAGE_SIZE = 100
FOLDER = "api/"

# What each field of an article means: written into /api/index.json, so that the API describes itself.
FIELDS = {
    "id": "稿件标识（slug），全站唯一 The article's slug, unique across the site",
    "title": "标题（纯文本）Title, plain text",
    "url": "稿件网址 The article's absolute URL",
    "date": "发布时间，ISO 8601，北京时间 Publication time, ISO 8601, Asia/Shanghai",
    "summary": "摘要（纯文本）Summary, plain text",
    "cover": "封面图 {url, alt}，没有封面时为 null The cover image {url, alt}, or null",
    "section": "栏目 {id, name} The section",
    "type": "稿件类型 {id, name} The article type",
    "department": "报送单位 {id, name} The department that submitted it",
    "columns": "专栏 [{id, title, url}] Columns",
    "topics": "专题 [{id, title, url}] Topics",
    "tags": "标签 Tags",
    "authors": "作者 Authors",
    "source": "来源 Source",
    "source_url": "原文链接，转载稿件才有 Original URL, for reposted items only",
    "wechat_url": "公众号排版稿网址，构建了公众号稿时才有 The WeChat-ready copy, when built",
}


def _named(registry: dict[str, dict[str, Any]], key: str | None) -> dict[str, Any] | None:
    if not key:
        return None
    entry = registry.get(key)
    return {"id": key, "name": entry["name"] if entry else key}


def article_record(article: Any, root: str, registries: dict[str, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    """One article as the API shows it: metadata, URL, summary and cover; never the body."""
    values = article.item.values
    cover = cover_url(article, root)
    record: dict[str, Any] = {
        "id": article.slug,
        "title": plain_text(article.title),
        "url": absolute_url(root, article.url),
        "date": article.date.isoformat(),
        "summary": plain_text(article.summary),
        "cover": {"url": cover, "alt": values.get("cover_alt", "")} if cover else None,
        "section": _named(registries.get("sections", {}), values.get("section")),
        "type": {"id": values.get("type", "news"), "name": TYPE_NAMES.get(values.get("type", "news"), "")},
        "department": _named(registries.get("departments", {}), values.get("department")),
        "columns": [
            {"id": c.id, "title": c.get("title"), "url": absolute_url(root, c.url)}
            for c in getattr(article, "column_items", [])
        ],
        "topics": [
            {"id": t.id, "title": t.get("title"), "url": absolute_url(root, t.url)}
            for t in getattr(article, "topic_items", [])
        ],
        "tags": list(values.get("tags", [])),
        "authors": list(values.get("authors", [])),
        "source": values.get("source", ""),
    }
    if values.get("source_url"):
        record["source_url"] = values["source_url"]
    if getattr(article, "wechat_url", None):
        record["wechat_url"] = absolute_url(root, article.wechat_url)
    return record


def page_url(number: int) -> str:
    return f"{FOLDER}articles/page-{number}.json"


def page_count(total: int, size: int) -> int:
    """Pages of `size` records; one, empty, when there are none."""
    return max(1, -(-total // size))


def page_document(items: list[dict[str, Any]], number: int, total: int, root: str, size: int) -> dict[str, Any]:
    """Page `number` of the article records, newest first, linked to its neighbours; `items` are the ones on it."""
    count = page_count(total, size)
    return {
        "version": API_VERSION,
        "page": number,
        "pages": count,
        "per_page": size,
        "total": total,
        "first": absolute_url(root, page_url(1)),
        "last": absolute_url(root, page_url(count)),
        "prev": absolute_url(root, page_url(number - 1)) if number > 1 else None,
        "next": absolute_url(root, page_url(number + 1)) if number < count else None,
        "items": items,
    }


def index_document(
    name: str, organisation: str, latest: str | None, total: int, root: str, size: int
) -> dict[str, Any]:
    """/api/index.json: what the API offers and how to read it."""
    count = page_count(total, size)
    return {
        "version": API_VERSION,
        "name": name,
        "organisation": organisation,
        "home_page_url": absolute_url(root, ""),
        "description": (
            "已发布稿件的分页索引，最新的在前；每页 per_page 篇，用 next 翻页。"
            " A paged index of the published articles, newest first; follow `next` from the first page."
        ),
        "latest": latest,
        "articles": {
            "first": absolute_url(root, page_url(1)),
            "pages": count,
            "per_page": size,
            "total": total,
            "order": "newest first",
            "fields": FIELDS,
        },
        "feeds": {"atom": absolute_url(root, "feed.atom"), "json": absolute_url(root, "feed.json")},
    }


def _dump(data: Any) -> str:
    # Sorted keys and no timestamps of the build: the same content gives the same bytes. Compact, because
    # indenting makes json fall back from its C encoder to Python; the files are smaller on a phone too.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def record_inputs(article: Any, root: str) -> list[Any]:
    """What an article's record is made from, as plain values: equal values, equal records."""
    return [
        article.slug,
        article.title,
        article.url,
        article.date.isoformat(),
        article.summary,
        cover_url(article, root),
        article.item.values,
        [(c.id, c.get("title"), c.url) for c in getattr(article, "column_items", [])],
        [(t.id, t.get("title"), t.url) for t in getattr(article, "topic_items", [])],
        getattr(article, "wechat_url", None),
    ]


def _page_text(articles: list[Any], number: int, total: int, root: str, size: int, registries: dict[str, Any]) -> str:
    """One page of the index: `articles` are the ones on it; made again only when what they show changed."""

    def make() -> str:
        records = [article_record(a, root, registries) for a in articles]
        return _dump(page_document(records, number, total, root, size))

    shown = {name: registries.get(name, {}) for name in ("sections", "departments")}
    inputs = [number, total, root, size, shown, [record_inputs(a, root) for a in articles]]
    return made("api", inputs, make)


def _index_text(name: str, organisation: str, newest: Any, total: int, root: str, size: int) -> str:
    latest = newest.date.isoformat() if newest is not None else None
    return _dump(index_document(name, organisation, latest, total, root, size))


class ApiGenerator(Generator):
    """Writes /api/index.json and /api/articles/page-N.json from the listed articles of this build."""

    def generate_context(self) -> None:
        """Nothing to read: the article generator has built the context."""

    def generate_output(self, writer: Any) -> None:
        root = site_root(self.settings)
        size = int(self.settings.get("API_PAGE_SIZE") or PAGE_SIZE)
        site = self.context[SITE]
        output_cache(site.cache_folder, "api", code_of(sys.modules[__name__], feeds))
        registries = site.registries
        articles = syndicated(self.context.get("articles", []), site.visibility)
        total = len(articles)
        count = page_count(total, size)
        for number in range(1, count + 1):
            chosen = articles[(number - 1) * size : number * size]
            writer.write_data(page_url(number), partial(_page_text, chosen, number, total, root, size, registries))
        name, organisation = self.settings.get("SITENAME", ""), self.settings.get("SITE_ORGANISATION", "")
        newest = articles[0] if articles else None
        writer.write_data(f"{FOLDER}index.json", partial(_index_text, name, organisation, newest, total, root, size))
        log.info("wrote the API: %d articles in %d pages", total, count)


def get_generators(_pelican: Any) -> type:
    return ApiGenerator


def register() -> None:
    reuse.register()
    signals.get_generators.connect(get_generators)
