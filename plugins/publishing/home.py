"""Links the read articles once: the pinned headline, latest items per section, neighbours within a section."""

from __future__ import annotations

from collections import defaultdict
from operator import attrgetter
from typing import Any

from content_model.publication import pin_active

from . import model_state

LATEST_PER_SECTION = 6


def _sections(articles: list[Any]) -> list[dict[str, Any]]:
    """The registry's sections in order, each with its listed articles, newest first."""
    site = model_state.current()
    by_section: dict[str, list[Any]] = defaultdict(list)
    for article in articles:
        by_section[article.section].append(article)
    entries = sorted(site.registries.get("sections", {}).values(), key=lambda e: (e.get("order", 999), e["id"]))
    return [
        {"id": e["id"], "name": e["name"], "url": f"{e['id']}/", "articles": by_section.get(e["id"], [])}
        for e in entries
    ]


def settle_order(generator) -> None:
    """Newest first, and by slug among articles of the same minute, whatever order the files were read in."""
    # Pelican orders by date alone, keeping the read order among equals; that order comes from the file system.
    for articles in (generator.articles, generator.hidden_articles, generator.drafts):
        articles.sort(key=attrgetter("slug"))
        articles.sort(key=attrgetter("date"), reverse=True)


def link_articles(generator) -> None:
    """Computed once after reading, so that no template scans every article for every page."""
    articles = sorted(generator.articles, key=attrgetter("date"), reverse=True)
    now = model_state.current().options.now
    pinned = sorted(
        (a for a in articles if now is not None and pin_active(a.item.values, now)),
        key=lambda a: (a.item.values["pin"], -a.date.timestamp()),
    )
    sections = _sections(articles)
    for section in sections:
        ordered = section["articles"]
        # newest first: the "previous" item is the older one
        for index, article in enumerate(ordered):
            article.newer_in_section = ordered[index - 1] if index > 0 else None
            article.older_in_section = ordered[index + 1] if index + 1 < len(ordered) else None
        section["latest"] = ordered[:LATEST_PER_SECTION]
    headline = pinned[0] if pinned else (articles[0] if articles else None)
    generator.context["headline"] = headline
    generator.context["pinned_articles"] = pinned
    generator.context["site_sections"] = sections
    generator.context["section_names"] = {s["id"]: s["name"] for s in sections}
    generator.context["articles_by_slug"] = {a.slug: a for a in [*articles, *generator.hidden_articles]}
    generator.context["latest_articles"] = [a for a in articles if a is not headline][:10]


def link_pages(generator) -> None:
    """Fixed pages for the footer menu, by `order`."""
    pages = sorted(generator.pages, key=lambda p: (getattr(p, "order", 999), p.slug))
    generator.context["menu_pages"] = pages
