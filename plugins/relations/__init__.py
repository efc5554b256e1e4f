"""Links the read articles once, by id: columns, topics, people, releases and related articles."""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from pelican import signals

from content_model.corrections import originals
from content_model.site import Item, Site
from publishing import SITE

RELATED_COUNT = 5
# Each article is compared only with its nearest neighbours in each shared group, so that a tag
# carried by thousands of articles costs linear, not quadratic, time.
RELATED_WINDOW = 30
WEIGHTS = {"topics": 3, "people": 3, "tags": 1}


@dataclass
class Relations:
    """Plain indexes built once after reading; templates and generators only look them up."""

    by_column: dict[str, list[Any]] = field(default_factory=dict)
    by_topic: dict[str, list[Any]] = field(default_factory=dict)
    by_person: dict[str, list[Any]] = field(default_factory=dict)
    by_gallery: dict[str, list[Any]] = field(default_factory=dict)
    interpretations: dict[str, list[Any]] = field(default_factory=dict)
    by_slug: dict[str, Any] = field(default_factory=dict)


def _group(articles: list[Any], key: str) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for article in articles:
        values = article.item.values.get(key) or []
        for value in [values] if isinstance(values, str) else values:
            groups[value].append(article)
    return dict(groups)


def _related(articles: list[Any]) -> dict[int, list[Any]]:
    """Up to RELATED_COUNT related articles each, by shared topics, people and tags."""
    scores: dict[int, dict[int, int]] = {id(a): {} for a in articles}
    by_id = {id(a): a for a in articles}
    for key, weight in WEIGHTS.items():
        groups = _group(articles, key) if key != "tags" else _group_tags(articles)
        for members in groups.values():
            ids = [id(a) for a in members]
            for index, article_id in enumerate(ids):
                row = scores[article_id]
                for other_id in ids[max(0, index - RELATED_WINDOW) : index + RELATED_WINDOW + 1]:
                    if other_id != article_id:
                        row[other_id] = row.get(other_id, 0) + weight
    # Newer first among equal scores; each date's timestamp is taken once, not once per comparison.
    newest = {id(a): -a.date.timestamp() for a in articles}
    related: dict[int, list[Any]] = {}
    for article_id, candidates in scores.items():
        if candidates:
            # The same as sorted(...)[:RELATED_COUNT], without ordering the other candidates.
            ranked = heapq.nsmallest(RELATED_COUNT, candidates.items(), key=lambda kv: (-kv[1], newest[kv[0]]))
            related[article_id] = [by_id[other] for other, _score in ranked]
    return related


def _group_tags(articles: list[Any]) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = defaultdict(list)
    for article in articles:
        for tag in getattr(article, "tags", []):
            groups[tag.slug].append(article)
    return dict(groups)


def shown(site: Site, kind: str, ids: list[str]) -> list[Item]:
    """The items of a kind that these ids name and that have a page in this build, in the given order."""
    items, visibility = site.items[kind], site.visibility
    return [items[i] for i in ids if i in items and visibility.has_page(items[i])]


def _neighbours(members: list[Any], older: str, newer: str) -> None:
    for index, article in enumerate(members):
        if not hasattr(article, older):
            setattr(article, older, members[index + 1] if index + 1 < len(members) else None)
            setattr(article, newer, members[index - 1] if index > 0 else None)


def link(generator) -> None:
    """After the article generator has read everything; listed articles only, newest first."""
    site = generator.context[SITE]
    articles = sorted(generator.articles, key=attrgetter("date"), reverse=True)
    relations = Relations(
        by_column=_group(articles, "columns"),
        by_topic=_group(articles, "topics"),
        by_person=_group(articles, "people"),
        by_gallery=_group(articles, "gallery"),
        interpretations=_group([a for a in articles if a.item.values.get("type") == "interpretation"], "interprets"),
        by_slug={a.slug: a for a in [*articles, *generator.hidden_articles]},
    )
    related = _related(articles)
    for article in articles:
        values = article.item.values
        # Only what has a page in this build is named or linked: a draft column stays out of a published article.
        article.column_items = shown(site, "column", values.get("columns", []))
        article.topic_items = shown(site, "topic", values.get("topics", []))
        article.person_items = shown(site, "person", values.get("people", []))
        article.related = related.get(id(article), [])
        article.interpretations = sorted(relations.interpretations.get(article.slug, []), key=attrgetter("date"))
        article.release = relations.by_slug.get(values.get("interprets", ""))
    shown_columns = {column.id for column in shown(site, "column", list(relations.by_column))}
    for column_id, members in relations.by_column.items():
        # an article in two columns takes its neighbours from the first column that lists it and has a page
        if column_id in shown_columns:
            _neighbours(members, "older_in_column", "newer_in_column")
    for article in articles:
        if not hasattr(article, "older_in_column"):
            article.older_in_column = article.newer_in_column = None
    _link_corrections(site, [*articles, *generator.hidden_articles], relations.by_slug)
    generator.context["relations"] = relations


def _link_corrections(site: Site, articles: list[Any], by_slug: dict[str, Any]) -> None:
    """A withdrawn item's notice links to its correction, and the correction back to the notice, when both show."""
    corrected, visibility = originals(site), site.visibility
    for article in articles:
        article.correction = article.corrects = None
    for slug, original in corrected.items():
        correction, notice = by_slug.get(slug), by_slug.get(original.id)
        if correction is None or notice is None:
            continue  # not written by this build
        if visibility.has_page(correction.item):
            notice.correction = correction
        if visibility.has_page(original):
            correction.corrects = notice


def register() -> None:
    signals.article_generator_finalized.connect(link)
