"""站内搜索: the /search/ page, and at the end of the build a Chinese full-text index of what this build published."""

from __future__ import annotations

import functools
import logging
import multiprocessing
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import ArticlesGenerator, PagesGenerator

from content_model.site import Item, Site
from publishing import SITE
from publishing.derived import DerivedGenerator
from publishing.templating import TYPE_NAMES, asset, plain_text
from rendering import full_builds_only

from .index import Document, IndexBuilder, Stats
from .tokenize import html_text
from .update import KeptIndex, kept_bytes

log = logging.getLogger(__name__)

PAGE_URL = "search/"
INDEX_PATH = "search/index"  # the content model's URL table: /search/index/ when the index is not Pagefind's
PAGE_TYPE = ("page", "信息页")  # fixed pages in the 类型 filter, as page.html names them

# The documents of the build in progress: collected when every generator has read, written when the build ends.
_pending: list[Document] | None = None
_labels: dict[str, dict[str, str]] = {}
_cache: Path | None = None  # where the last build's index is kept, to be updated where documents changed


def article_document(article: Any, listed: Callable[[str, list[str]], list[str]]) -> Document:
    """`listed(kind, ids)`: the ids of columns or topics that are listed in this build, for the filter chips."""
    values = article.item.values
    return Document(
        url=article.url,
        title=plain_text(article.title),
        text=html_text(article.content),
        summary=plain_text(article.summary),
        date=values["date"],
        image=asset(values["cover"], article.item) if values.get("cover") else "",
        facets={
            "section": [values["section"]],
            "type": [values["type"]],
            "year": [f"{values['date']:%Y}"],
            "column": listed("column", values.get("columns", [])),
            "topic": listed("topic", values.get("topics", [])),
        },
    )


def page_document(page: Any) -> Document:
    return Document(
        url=page.url,
        title=plain_text(page.title),
        text=html_text(page.content),
        summary=plain_text(page.summary),
        facets={"type": [PAGE_TYPE[0]]},
    )


def listed_items(site: Site, kind: str) -> list[Item]:
    """The items of a kind that this build lists, by `order` then id: the only ones a filter chip may name."""
    visibility = site.visibility
    chosen = [item for item in site.items[kind].values() if visibility.is_listed(item)]
    return sorted(chosen, key=lambda item: (item.get("order", 999), item.id))


def facet_labels(site: Site) -> dict[str, dict[str, str]]:
    """The names readers see on the filter chips, in the registries' order."""
    sections = sorted(site.registries.get("sections", {}).values(), key=lambda e: (e.get("order", 999), e["id"]))
    columns, topics = listed_items(site, "column"), listed_items(site, "topic")
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
    global _pending, _labels, _cache
    _pending = None
    settings = generators[0].settings if generators else {}
    if not index_enabled(settings):
        return
    site = generators[0].context[SITE]
    visibility = site.visibility
    labels = facet_labels(site)

    def listed(kind: str, ids: list[str]) -> list[str]:
        return [i for i in ids if i in labels[kind]]

    documents: list[Document] = []
    for generator in generators:
        # A preview build lists drafts and embargoed items too: the index holds what is published, in any build.
        if isinstance(generator, ArticlesGenerator):
            documents += [article_document(a, listed) for a in generator.articles if visibility.is_syndicated(a.item)]
        elif isinstance(generator, PagesGenerator):
            documents += [page_document(p) for p in generator.pages if visibility.is_syndicated(p.item)]
    _pending, _labels, _cache = documents, labels, site.cache_folder


def write_index(writer: Any, settings: dict[str, Any]) -> None:
    """The index made (or updated) in the cache from this build's documents; each of its files a page job."""
    global _pending
    if _pending is None:
        if not index_enabled(settings):
            log.info("SEARCH_INDEX = False: 本次预览构建未生成搜索索引 (the search index was skipped)")
        return
    started = time.perf_counter()
    # Inverted in the forked process alone by default: each inverting worker holds its share of the texts and of the
    # postings too (about 200 MB at 20,000 articles, beside this process and the forked one); one costs some 10 s.
    builder = IndexBuilder(_labels, workers=settings.get("SEARCH_INDEX_WORKERS", 1))
    builder.extend(_pending)
    # A build without caches (a unit test's site) keeps the index in a folder of its own until the process ends.
    kept = KeptIndex(_cache if _cache is not None else Path(tempfile.mkdtemp(prefix="search-index-")))
    stats, how = _make_apart(kept, builder)
    for name, digest in kept.outputs():
        writer.write_data(f"{INDEX_PATH}/{name}", functools.partial(kept_bytes, str(kept.files), name, digest))
    _pending = None
    log.info(
        "search index: %d documents, %d shards, %d files, %s, %.1f s",
        stats.documents,
        stats.shards,
        stats.files,
        how,
        time.perf_counter() - started,
    )


def _make_apart(kept: KeptIndex, builder: IndexBuilder) -> tuple[Stats, str]:
    """The index made in a forked process: a whole index's postings would grow this process's heap for the rest of
    the build, and the render workers forked from it after (about 340 MB more at 20,000 articles). The documents are
    made here before: made there, reading every article would copy most of the site's memory pages (1 GB, not 0.5)."""
    processes = multiprocessing.get_context("fork")
    receive, send = processes.Pipe(duplex=False)
    child = processes.Process(target=_make_and_send, args=(kept, builder, send))
    child.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = None
    child.join()
    if not isinstance(result, tuple):
        raise RuntimeError(f"the search index could not be made: {result or f'exit status {child.exitcode}'}")
    return result


def _make_and_send(kept: KeptIndex, builder: IndexBuilder, send: Any) -> None:
    try:
        send.send(kept.make(builder))
    except BaseException as error:  # any failure is reported to the build, which stops
        send.send(f"{type(error).__name__}: {error}")
        raise


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
        write_index(writer, self.settings)


def get_generators(_pelican: Any) -> type:
    return SearchGenerator


def _initialized(pelican: Any) -> None:
    if index_enabled(pelican.settings):
        full_builds_only("the search index is made from every body, as a full build collects its pages")


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.get_generators.connect(get_generators)
    signals.all_generators_finalized.connect(collect)
