"""站内搜索: the /search/ page, and at the end of the build a Chinese full-text index of what this build published."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from publishing import model_state
from publishing.derived import DerivedGenerator
from publishing.templating import TYPE_NAMES, asset, plain_text
from rendering import full_builds_only

from .index import Document, IndexBuilder
from .tokenize import html_text

log = logging.getLogger(__name__)

PAGE_URL = "search/"
INDEX_PATH = "search/index"  # the content model's URL table: /search/index/ when the index is not Pagefind's
PAGE_TYPE = ("page", "信息页")  # fixed pages in the 类型 filter, as page.html names them

# The documents of the build in progress: collected when every generator has read, written when the build ends.
_pending: list[Document] | None = None
_labels: dict[str, dict[str, str]] = {}


def searchable(item: Any) -> bool:
    """Published and listed: never a draft, an embargoed, hidden or withdrawn item, whatever Pelican read."""
    return item.state == "published" and item.values.get("status", "published") == "published"


def article_document(article: Any) -> Document:
    values = article.item.values
    return Document(
        url=article.url,
        title=plain_text(article.title),
        text=html_text(article.content),
        date=values["date"],
        image=asset(values["cover"], article.item) if values.get("cover") else "",
        facets={
            "section": [values["section"]],
            "type": [values["type"]],
            "year": [f"{values['date']:%Y}"],
            "column": list(values.get("columns", [])),
            "topic": list(values.get("topics", [])),
        },
    )


def page_document(page: Any) -> Document:
    return Document(
        url=page.url, title=plain_text(page.title), text=html_text(page.content), facets={"type": [PAGE_TYPE[0]]}
    )


def facet_labels() -> dict[str, dict[str, str]]:
    """The names readers see on the filter chips, in the registries' order."""
    site = model_state.current()
    sections = sorted(site.registries.get("sections", {}).values(), key=lambda e: (e.get("order", 999), e["id"]))
    columns = sorted(site.items["column"].values(), key=lambda c: (c.get("order", 999), c.id))
    topics = sorted(site.items["topic"].values(), key=lambda t: (t.get("order", 999), t.id))
    return {
        "section": {e["id"]: e["name"] for e in sections},
        "type": {**TYPE_NAMES, PAGE_TYPE[0]: PAGE_TYPE[1]},
        "column": {c.id: c.get("title", c.id) for c in columns},
        "topic": {t.id: t.get("title", t.id) for t in topics},
    }


def index_enabled(settings: dict) -> bool:
    # A preview may skip the index to build faster; a publish build never does.
    return bool(settings.get("PUBLISH_BUILD")) or bool(settings.get("SEARCH_INDEX", True))


def collect(generators: list[Any]) -> None:
    """Once every generator has read: the listed, published articles and pages, as Pelican rendered them."""
    global _pending, _labels
    _pending = None
    settings = generators[0].settings if generators else {}
    if not index_enabled(settings):
        return
    documents: list[Document] = []
    for generator in generators:
        # `articles` and `pages` hold only listed items (hidden and withdrawn ones are in hidden_*), and a
        # publish build never read a draft or an embargoed item; a preview did, so the model's state decides.
        if isinstance(generator, ArticlesGenerator):
            documents += [article_document(a) for a in generator.articles if searchable(a.item)]
        elif isinstance(generator, PagesGenerator):
            documents += [page_document(p) for p in generator.pages if searchable(p.item)]
    _pending, _labels = documents, facet_labels()


def write_index(pelican: Any) -> None:
    """The finalize step: the whole index, rewritten from this build's documents."""
    global _pending
    if _pending is None:
        if not index_enabled(pelican.settings):
            log.info("SEARCH_INDEX = False: 本次预览构建未生成搜索索引 (the search index was skipped)")
        return
    started = time.perf_counter()
    builder = IndexBuilder(_labels, workers=pelican.settings.get("SEARCH_INDEX_WORKERS"))
    builder.extend(_pending)
    stats = builder.write(Path(pelican.output_path) / INDEX_PATH)
    _pending = None
    log.info(
        "search index: %d documents, %d terms, %.1f MiB in %d files, %.1f s",
        stats.documents,
        stats.terms,
        stats.total_bytes / 2**20,
        stats.files,
        time.perf_counter() - started,
    )


class SearchGenerator(DerivedGenerator):
    """Writes /search/: the form works without JavaScript; search.js reads the index and shows the results."""

    def generate_context(self) -> None:
        pass

    def generate_output(self, writer: Any) -> None:
        self.write_page(
            writer,
            PAGE_URL + "index.html",
            "search",
            PAGE_URL,
            search_index_url=INDEX_PATH + "/",
            search_index_built=index_enabled(self.settings),
        )


def get_generators(_pelican: Any) -> type:
    return SearchGenerator


def _initialized(pelican: Any) -> None:
    if index_enabled(pelican.settings):
        full_builds_only("the search index is made from every body, at the end of a full build")


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(collect)
    signals.finalized.connect(write_index)
