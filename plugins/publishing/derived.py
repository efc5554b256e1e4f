"""The base of our generators for derived pages (columns, topics, people, events): render Markdown, write pages."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from pelican.generators import Generator

from content_model.dialect import body_markdown
from content_model.sanitize import sanitize
from content_model.site import Item

from .reader import _ROOT_LINK, iframe_hosts, relative_root


class DerivedGenerator(Generator):
    """Reads nothing itself: it takes the content model and the linked context, then writes pages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._md = body_markdown(self.settings["MARKDOWN"])

    def body_html(self, item: Item) -> Markup:
        """An item's Markdown body as sanitised HTML; root-relative links made relative to the item's page."""
        from assets import responsive_body  # assets imports publishing: import at call time

        html = sanitize(self._md.reset().convert(item.body), iframe_hosts(self.settings))
        html = _ROOT_LINK.sub(lambda m: m.group("attr") + relative_root(item.url), html)
        return Markup(responsive_body(html, item))

    def write_page(self, writer: Any, save_as: str, template: str, url: str, **context: Any) -> None:
        writer.write_file(
            save_as,
            self.get_template(template),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=url,
            page_url=url,
            **context,
        )

    def write_paginated(self, writer: Any, url: str, template: str, articles: list[Any], **context: Any) -> None:
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
            **context,
        )
