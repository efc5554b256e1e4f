"""图集: /galleries/ and /galleries/<id>/ in index.md's order, and the gallery each article shows after its body."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from pelican import signals

from assets import gallery_files, responsive_body
from content_model.site import Item
from publishing import SITE
from publishing.derived import DerivedGenerator
from publishing.summary import plain_summary

log = logging.getLogger(__name__)

INDEX_URL = "galleries/"


@dataclass(frozen=True)
class Photo:
    """One photo of a gallery, as index.md describes it (or as the file name orders it)."""

    file: str
    alt: str
    caption: str
    number: int  # 1-based: the anchor #photo-N on the gallery page


@dataclass
class Gallery:
    """A gallery as its pages and the articles that show it use it."""

    item: Item
    photos: list[Photo]
    body: Markup = field(default_factory=Markup)
    articles: list[Any] = field(default_factory=list)  # listed articles whose `gallery:` names it

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def url(self) -> str:
        return self.item.url

    @property
    def title(self) -> str:
        return self.item.get("title", self.item.id)

    @property
    def date(self) -> datetime.datetime:
        return self.item.get("date")

    @property
    def photographers(self) -> list[str]:
        return self.item.get("photographers", [])

    @property
    def cover(self) -> Photo | None:
        return self.photos[0] if self.photos else None

    @property
    def summary(self) -> str:
        return plain_summary(str(self.body)) or self.title


def gallery_photos(item: Item) -> list[Photo]:
    """Listed photos first, with their caption and alt; unlisted ones by file name, with the title as alt text."""
    described = {photo["file"]: photo for photo in item.get("photos", []) if "file" in photo}
    title = item.get("title", item.id)
    return [
        Photo(name, described.get(name, {}).get("alt") or title, described.get(name, {}).get("caption", ""), number)
        for number, name in enumerate(gallery_files(item), start=1)
    ]


_views: dict[str, Gallery] = {}


def gallery_view(gallery: Any) -> Gallery | None:
    """Template global: a gallery from its id, its content Item or itself; None when there is no such gallery, or
    when it has no page in this build (a draft or a future date)."""
    if isinstance(gallery, Gallery):
        return gallery
    if isinstance(gallery, Item):
        gallery = gallery.id
    return _views.get(str(gallery)) if gallery else None


class GalleriesGenerator(DerivedGenerator):
    """Galleries are pages of their own, whether or not an article shows them; a draft or a future date keeps
    a gallery, its photos and the strip under an article out of a publish build."""

    def generate_context(self) -> None:
        site = self.context[SITE]
        visibility = site.visibility
        showing: dict[str, list[Any]] = defaultdict(list)
        for article in self.context.get("articles", []):  # listed articles only: hidden ones link nowhere
            if getattr(article, "gallery", None):
                showing[article.gallery].append(article)
        galleries = []
        for item in site.items.get("gallery", {}).values():
            if not visibility.has_page(item):
                continue
            body = Markup(responsive_body(str(self.body_html(item)), item)) if item.body.strip() else Markup("")
            galleries.append(Gallery(item, gallery_photos(item), body, showing.get(item.id, [])))
        galleries.sort(key=lambda g: (g.date, g.id), reverse=True)
        _views.clear()
        _views.update({g.id: g for g in galleries})
        self.galleries = galleries
        self.context["galleries"] = [g for g in galleries if visibility.is_listed(g.item)]

    def generate_output(self, writer: Any) -> None:
        self._write(writer, INDEX_URL, "galleries", galleries=self.context["galleries"])
        for gallery in self.galleries:
            self._write(writer, gallery.url, "gallery", **self.shown_as(gallery.item), gallery=gallery)
        log.info("wrote %d galleries", len(self.galleries))

    def _write(self, writer: Any, url: str, template: str, **context: Any) -> None:
        # Relative URLs always: the same output works at a domain's root and under a gh-pages path.
        writer.write_file(
            url + "index.html",
            self.get_template(template),
            self.context,
            relative_urls=True,
            url=url,
            page_url=url,
            **context,
        )


def _initialized(pelican: Any) -> None:
    _views.clear()
    pelican.settings["JINJA_GLOBALS"] = {**pelican.settings.get("JINJA_GLOBALS", {}), "gallery_view": gallery_view}


def get_generators(_pelican: Any) -> type:
    return GalleriesGenerator


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.get_generators.connect(get_generators)
