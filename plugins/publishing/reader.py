"""The Markdown reader: takes front matter already parsed by the content model and applies the publishing rules."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markupsafe import Markup, escape
from pelican.contents import Category, Tag
from pelican.plugins.yaml_metadata import YAMLMetadataReader
from pelican.utils import SafeDatetime

from content_model import dialect, sanitize
from content_model.cache import TextCache, fingerprint
from content_model.site import Item, Site, save_as
from content_model.slugs import slugify
from content_model.visibility import Visibility

from . import model_state
from .summary import cached_summary, save_summaries

_ROOT_LINK = re.compile(r'(?P<attr>\s(?:src|href|poster)=")/(?!/)')
_MD_FILE_LINK = re.compile(r'(?P<attr>\shref=")(?P<path>[^":#?]+\.md)(?P<fragment>#[^"]*)?"')
_SITE_LINK = re.compile(r'\shref="/(?!/)(?P<path>[^"#?]*)[^"]*"')


_markdown_caches: dict[Path | None, TextCache] = {}


def markdown_cache(settings: dict[str, Any]) -> TextCache:
    """Bodies converted to sanitised HTML in earlier builds, keyed on the Markdown text, its settings, the
    versions of Markdown and of our dialect, and the sanitiser's allow-list (with IFRAME_HOSTS)."""
    folder = model_state.current().cache_folder
    if folder not in _markdown_caches:
        depends_on = fingerprint(
            metadata.version("markdown"),
            repr(sorted(settings["MARKDOWN"].items())),
            dialect.version(),
            sanitize.version(iframe_hosts(settings)),
        )
        _markdown_caches[folder] = TextCache(folder, "markdown", depends_on)
    return _markdown_caches[folder]


def iframe_hosts(settings: dict[str, Any]) -> tuple[str, ...]:
    return tuple(settings.get("IFRAME_HOSTS") or ())


def save_markdown_caches(*_args: Any) -> None:
    for cache in _markdown_caches.values():
        cache.save()
    save_summaries()


def relative_root(url: str) -> str:
    """The way back from a page's folder to the site root, so output works under any path."""
    depth = url.strip("/").count("/") + 1 if url.strip("/") else 0
    return "../" * depth if url.endswith("/") else "../" * (depth - 1)


def link_markdown_files(html: str, item: Item) -> str:
    """Links written as another content file's path (../news/x.md) become links to that item's page."""
    if ".md" not in html:  # most bodies: a substring test is much cheaper than the pattern
        return html
    site = model_state.current()

    def replace(match: re.Match[str]) -> str:
        target = site.item_for(item.path.parent / unquote(match.group("path")))
        if target is None:
            return match.group(0)  # the checker has already reported it
        if not site.visibility.has_page(target):
            return ""  # the words stay, not a link to what this build leaves out (the checker warns)
        return f'{match.group("attr")}{relative_root(item.url)}{target.url}{match.group("fragment") or ""}"'

    return _MD_FILE_LINK.sub(replace, html)


def unlink_unpublished(html: str, site: Site) -> str:
    """A link written as a site address (/columns/x/) to an item this build leaves out keeps its words, not its
    address: an embargoed item's URL must not show before its time (the checker warns)."""
    if ' href="/' not in html:
        return html

    def replace(match: re.Match[str]) -> str:
        path = unquote(match.group("path"))
        target = site.item_at(path if path.endswith("/") or not path else path + "/")
        return "" if target is not None and not site.visibility.has_page(target) else match.group(0)

    return _SITE_LINK.sub(replace, html)


def to_pelican_datetime(moment: Any) -> SafeDatetime:
    return SafeDatetime(
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second, tzinfo=moment.tzinfo
    )


def make_tag(name: str, settings: dict) -> Tag:
    """A tag whose URL slug is pinyin, not Pelican's unidecode transliteration."""
    tag = Tag(name, settings)
    tag.slug = slugify(name) or "tag"
    return tag


class ModelReader(YAMLMetadataReader):
    """Reads each Markdown file through the one content model; never parses front matter a second way."""

    enabled = True

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        site = model_state.current()
        item = site.item_for(source_path)
        if item is None:
            # Every file was checked before the build began, so this is our bug, not the contributor's.
            raise RuntimeError(f"{source_path} was not loaded by the content model")
        visibility = site.visibility
        if not visibility.has_page(item):
            # Pelican drops "skip" documents before making any content object: nothing of them is written.
            return "", {"status": "skip"}
        html = markdown_cache(self.settings).get(item.body, self._convert) if visibility.shows_body(item) else ""
        html = unlink_unpublished(html, site)
        html = _ROOT_LINK.sub(lambda m: m.group("attr") + relative_root(item.url), html)
        html = link_markdown_files(html, item)
        return html, self.metadata_for(item, html, visibility)

    def _convert(self, body: str) -> str:
        # Sanitised where the HTML is made: the page, summary, feeds, API and WeChat copy all take it from here.
        return sanitize.sanitize(self._md.reset().convert(body), iframe_hosts(self.settings))

    def metadata_for(self, item: Item, html: str, visibility: Visibility) -> dict[str, Any]:
        values = item.values
        meta: dict[str, Any] = {
            "item": item,
            "slug": item.id,
            "state": item.state,
            "preview_banner": visibility.banner(item),
            "noindex": visibility.noindex(item),
        }
        if item.kind == "article":
            meta.update(self._article(item, values, html))
        else:
            meta["title"] = Markup(escape(values["title"]))
            # Without one, Pelican would make a page's summary of its HTML, tags and all.
            meta["summary"] = Markup(escape(values.get("summary") or cached_summary(html)))
            if "order" in values:
                meta["order"] = values["order"]
        # Pelican lists "published" items and keeps "hidden" ones apart, each with a page of its own.
        meta["status"] = "published" if visibility.is_listed(item) else "hidden"
        if item.url:
            # The model made the URL by the contract's table (the same as ARTICLE_URL and PAGE_URL); handing
            # it over saves Pelican formatting it again on every access (Pelican's url/save_as metadata).
            meta["url"] = item.url
            meta["save_as"] = save_as(item.url)
        return meta

    def _article(self, item: Item, values: dict[str, Any], html: str) -> dict[str, Any]:
        site = model_state.current()
        summary = values.get("summary") or cached_summary(html)
        meta: dict[str, Any] = {
            "title": Markup(escape(values["title"])),
            "date": to_pelican_datetime(values["date"]),
            "category": Category(values["section"], self.settings),
            "section": values["section"],
            "section_name": site.section_name(values["section"]),
            "tags": [make_tag(t, self.settings) for t in values.get("tags", [])],
            "summary": Markup(escape(summary)),
        }
        if not site.visibility.shows_body(item):
            meta["template"] = "withdrawn"
        # Every other field is offered to templates as it is, under its contract name.
        for name, value in values.items():
            meta.setdefault(name, value)
        meta["byline_authors"] = values.get("authors", [])
        meta.pop("authors", None)  # Pelican would make author pages, which the URL table does not have
        return meta


def add_reader(readers: Any) -> None:
    for extension in ModelReader.file_extensions:
        readers.reader_classes[extension] = ModelReader
