"""Section and tag pages, written from the lists Pelican already built: none of 4.12's quadratic per-page filter."""

from __future__ import annotations

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
