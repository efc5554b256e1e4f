"""Links the read articles once: the pinned headline, photo news, latest items per section, neighbours in a section;
then the portal's blocks made from the other plugins' lists (topics and columns, the honour roll, galleries, links)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from itertools import islice
from operator import attrgetter
from typing import Any

from content_model.publication import pin_active
from content_model.times import end_of_day

from .context import SITE

LATEST_PER_SECTION = 5  # the first section, beside 图片新闻
HOME_SECTION_ITEMS = 4  # each other section, in the grid below
PHOTO_NEWS = 4
ENTRANCES = 6
HOME_GALLERIES = 3
HOME_PEOPLE = 8


def _sections(site: Any, articles: list[Any]) -> list[dict[str, Any]]:
    """The registry's sections in order, each with its listed articles, newest first."""
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


def photo_news(articles: list[Any], headline: Any, limit: int = PHOTO_NEWS) -> list[Any]:
    """图片新闻: the newest listed articles that have a cover, the headline aside (it shows its own picture)."""
    return list(islice((a for a in articles if getattr(a, "cover", None) and a is not headline), limit))


def link_articles(generator) -> None:
    """Computed once after reading, so that no template scans every article for every page."""
    # The article generator's list is what this build may list: a publish build holds no draft or embargoed item,
    # and hidden or withdrawn items are apart, in hidden_articles.
    articles = sorted(generator.articles, key=attrgetter("date"), reverse=True)
    site = generator.context[SITE]
    now = site.options.now
    pinned = sorted(
        (a for a in articles if now is not None and pin_active(a.item.values, now)),
        key=lambda a: (a.item.values["pin"], -a.date.timestamp()),
    )
    sections = _sections(site, articles)
    first = next((section for section in sections if section["articles"]), None)
    for section in sections:
        ordered = section["articles"]
        # newest first: the "previous" item is the older one
        for index, article in enumerate(ordered):
            article.newer_in_section = ordered[index - 1] if index > 0 else None
            article.older_in_section = ordered[index + 1] if index + 1 < len(ordered) else None
        section["latest"] = ordered[: LATEST_PER_SECTION if section is first else HOME_SECTION_ITEMS]
    headline = pinned[0] if pinned else (articles[0] if articles else None)
    generator.context["headline"] = headline
    generator.context["pinned_articles"] = pinned
    generator.context["photo_news"] = photo_news(articles, headline)
    generator.context["site_sections"] = sections
    generator.context["section_names"] = {s["id"]: s["name"] for s in sections}
    generator.context["articles_by_slug"] = {a.slug: a for a in [*articles, *generator.hidden_articles]}
    generator.context["latest_articles"] = [a for a in articles if a is not headline][:10]


def link_pages(generator) -> None:
    """Fixed pages for the footer menu, by `order`."""
    pages = sorted(generator.pages, key=lambda p: (getattr(p, "order", 999), p.slug))
    generator.context["menu_pages"] = pages


# The portal's blocks. They take the lists the topics, columns, people and galleries plugins made for this build,
# which hold only what the build may list: the home page never picks items from the content model itself.


def _running(item: Any, now: datetime.datetime | None) -> bool:
    """A topic or column runs until the end of its `end` day; without `end`, until it is given one."""
    end = item.get("end")
    return end is None or now is None or now <= end_of_day(end)


def _picture(entry: dict[str, Any]) -> tuple[Any, str] | None:
    """A topic's or column's banner, else the cover of its newest article that has one: (item, reference)."""
    item = entry["item"]
    if item.get("banner"):
        return item, item.get("banner")
    for article in entry.get("featured", []) + entry.get("articles", []):
        if getattr(article, "cover", None):
            return article.item, article.cover
    return None


def entrances(
    topics: list[dict[str, Any]], columns: list[dict[str, Any]], now: datetime.datetime | None, limit: int = ENTRANCES
) -> list[dict[str, Any]]:
    """专题专栏: the topics, then the columns, that still run, each kind in its editors' order; when fewer than
    `limit` run, those that ended last fill the block."""
    both = [("专题", t) for t in topics] + [("专栏", c) for c in columns]
    running = [(kind, e) for kind, e in both if _running(e["item"], now)]
    ended = sorted(
        ((kind, e) for kind, e in both if not _running(e["item"], now)),
        key=lambda pair: pair[1]["item"].get("end"),
        reverse=True,
    )
    chosen = (running + ended)[:limit]
    return [
        {
            "kind": kind,
            "title": entry["title"],
            "url": entry["url"],
            "description": entry["item"].get("description", ""),
            "picture": _picture(entry),
            "running": _running(entry["item"], now),
        }
        for kind, entry in chosen
    ]


def link_groups(links: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The links registry grouped by `group`, groups and links in file order; an entry the check refused a name,
    an address or a group is left out."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for entry in links.values():
        if entry.get("name") and entry.get("url") and entry.get("group"):
            groups.setdefault(entry["group"], []).append(entry)
    return [{"name": name, "links": members} for name, members in groups.items()]


def link_portal(generators: list[Any]) -> None:
    """Once every generator has built its context: the blocks of the home page that come from other plugins."""
    if not generators:
        return
    context = generators[0].context
    site = context[SITE]
    rolls = context.get("honour_rolls") or []
    topics, columns = context.get("site_topics", []), context.get("site_columns", [])
    context["home_entrances"] = entrances(topics, columns, site.options.now)
    context["home_roll"] = rolls[0] if rolls else None
    context["home_people"] = rolls[0]["people"][:HOME_PEOPLE] if rolls else []
    context["home_galleries"] = list(context.get("galleries", []))[:HOME_GALLERIES]
    context["system_links"] = link_groups(site.registries.get("links", {}))
