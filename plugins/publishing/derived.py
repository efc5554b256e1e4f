"""The base of our generators for derived pages (columns, topics, people, events): render Markdown, write pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from pelican.generators import Generator

from content_model.dialect import body_markdown
from content_model.sanitize import sanitize
from content_model.site import Item

from .context import SITE
from .reader import _ROOT_LINK, iframe_hosts, relative_root, unlink_unpublished

# What other plugins do to a derived page's body once it is sanitised, by name (the image pipeline makes its images
# responsive): they add themselves, so that this plugin imports none of them.
_body_filters: dict[str, Callable[[str, Item], str]] = {}


def add_body_filter(name: str, body_filter: Callable[[str, Item], str]) -> None:
    _body_filters[name] = body_filter


class DerivedGenerator(Generator):
    """Reads nothing itself: it takes the content model and the linked context, then writes pages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._md = body_markdown(self.settings["MARKDOWN"])

    def body_html(self, item: Item) -> Markup:
        """An item's Markdown body as sanitised HTML; root-relative links made relative to the item's page."""
        html = sanitize(self._md.reset().convert(item.body), iframe_hosts(self.settings))
        html = unlink_unpublished(html, self.context[SITE])
        html = _ROOT_LINK.sub(lambda m: m.group("attr") + relative_root(item.url), html)
        for body_filter in _body_filters.values():
            html = body_filter(html, item)
        return Markup(html)

    def write_page(
        self, writer: Any, save_as: str, template: str, url: str, about: Item | None = None, **context: Any
    ) -> None:
        """One page; `about` is the item it is the page of, whose visibility gives its banner and noindex."""
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            page_url=url,
            **self.shown_as(about),
            **context,
        )

    def write_paginated(
        self, writer: Any, url: str, template: str, articles: list[Any], about: Item | None = None, **context: Any
    ) -> None:
        """A list of articles over several pages: url, then url/page/2/ …, as section pages are."""
        writer.write_file(
            url + "index.html",
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            paginated={"articles": articles},
            template_name=template,
            url=url,
            page_url=url,
            **self.shown_as(about),
            **context,
        )

    def shown_as(self, item: Item | None) -> dict[str, Any]:
        """What the page of an item says of its visibility: a preview's banner, noindex, and its sitemap entry."""
        if item is None:
            return {}
        visibility = self.context[SITE].visibility
        noindex = visibility.noindex(item)
        # `announce` reaches the renderer's writer: a page that is not announced gets no sitemap entry.
        return {"preview_banner": visibility.banner(item), "noindex": noindex, "announce": not noindex}
