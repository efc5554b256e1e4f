"""Section, tag, year and month pages, from the lists Pelican already built: none of 4.12's quadratic filters."""

from __future__ import annotations

import calendar
from collections import defaultdict
from itertools import groupby
from typing import Any

from pelican import signals

from publishing.derived import DerivedGenerator

_taken: dict[str, Any] = {}


def take_listings(generator: Any) -> None:
    """Pelican 4.12 rebuilds each tag and category page's article list by scanning every article
    (`[a for a in self.dates if a in articles]`): 17 s of a 20,000-article build. Its lists are already in
    date order, so we keep them and leave Pelican's loops nothing to do; the context keeps its copies."""
    _taken["categories"] = list(generator.categories)
    _taken["tags"] = list(generator.tags.items()) if hasattr(generator.tags, "items") else list(generator.tags)
    generator.categories = []
    generator.tags = {}
    generator.period_archives = period_archives(generator.dates, generator.articles, generator.settings)
    generator.context["period_archives"] = generator.period_archives


PERIOD_KEYS = {"year": lambda a: (a.date.year,), "month": lambda a: (a.date.year, a.date.month)}


def period_archives(dates: list[Any], articles: list[Any], settings: dict[str, Any]) -> dict[str, list[dict]]:
    """Pelican's year and month archives, grouped in one pass: 4.12 filters every article against each period's
    list (`[a for a in articles if a in dates]`), 20 s of a 20,000-article build. Pelican writes the pages."""
    archives: dict[str, list[dict]] = defaultdict(list)
    for granularity, save_as in settings.get("PERIOD_ARCHIVES_SAVE_AS", {}).items():
        key = PERIOD_KEYS[granularity]
        url = settings[f"{granularity.upper()}_ARCHIVE_URL"]
        in_order: dict[tuple[int, ...], list[Any]] = defaultdict(list)
        for article in articles:
            in_order[key(article)].append(article)
        for period, group in groupby(dates, key=key):
            period_dates = list(group)
            first = period_dates[0].date
            named = period if granularity == "year" else (period[0], calendar.month_name[period[1]])
            archives[granularity].append(
                {
                    "dates": period_dates,
                    "articles": in_order[period],
                    "save_as": save_as.format(date=first),
                    "url": url.format(date=first),
                    "period": named,
                    "period_num": period,
                }
            )
    return archives


class ListingsGenerator(DerivedGenerator):
    """Writes /<section>/ and /tags/<slug>/, paginated as Pelican would, newest first."""

    def generate_output(self, writer: Any) -> None:
        for category, articles in _taken.get("categories", []):
            self.write_paginated(writer, category.url, "category", articles, category=category)
        for tag, articles in _taken.get("tags", []):
            self.write_paginated(writer, tag.url, "tag", articles, tag=tag)
        _taken.clear()


def get_generators(_pelican: Any) -> type:
    return ListingsGenerator


def register() -> None:
    signals.article_generator_finalized.connect(take_listings)
    signals.get_generators.connect(get_generators)
