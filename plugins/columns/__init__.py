"""专栏: /columns/ in `order`, and each column's page (banner, introduction, partner, dates, articles) and feeds."""

from __future__ import annotations

from typing import Any

from pelican import signals

from feeds import write_feeds
from publishing import SITE
from publishing.derived import DerivedGenerator


class ColumnsGenerator(DerivedGenerator):
    """Writes the column pages from the content model's columns and the linked articles."""

    def generate_context(self) -> None:
        site = self.context[SITE]
        visibility = site.visibility
        relations = self.context["relations"]
        columns = sorted(
            (c for c in site.items["column"].values() if visibility.has_page(c)),
            key=lambda c: (c.get("order", 999), c.id),
        )
        self.columns = [
            {"item": c, "url": c.url, "title": c.get("title"), "articles": relations.by_column.get(c.id, [])}
            for c in columns
        ]
        self.listed = [column for column in self.columns if visibility.is_listed(column["item"])]
        self.context["site_columns"] = self.listed

    def generate_output(self, writer: Any) -> None:
        self.write_page(writer, "columns/index.html", "columns", "columns/", columns=self.listed)
        for column in self.columns:
            item = column["item"]
            self.write_paginated(
                writer, item.url, "column", column["articles"], item, column=column, intro=self.body_html(item)
            )
            write_feeds(
                writer, self.context, column["articles"], item.url, f"{self.settings['SITENAME']} - {column['title']}"
            )


def get_generators(_pelican: Any) -> type:
    return ColumnsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
