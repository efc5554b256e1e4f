"""What pages show of an image: the files it is published as, its <picture> markup, Open Graph crops, body rewrites."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from markupsafe import Markup, escape

from content_model.files import BadImage, OutsideContent, resolve
from content_model.site import Item, save_as
from publishing.reader import relative_root

from .images import SUFFIXES, Header, ImageSettings, Output, crop_size, describe, read_header, responsive_sizes

# The suffixes a published file may keep from its source, by the format it is written in.
KEEPS_SUFFIX = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
# The widest fallback file that `src` names: browsers that read srcset pick better, the others get this.
DEFAULT_MAX_WIDTH = 960
BODY_SIZES = "(min-width: 48rem) 46rem, calc(100vw - 2rem)"
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Variant:
    """One published file of an image."""

    path: str  # site-relative
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class Rendition:
    """An image as a page shows it: several widths in WebP and a fallback format, plus the largest as `base`."""

    source: Path
    header: Header
    base: Variant  # the largest fallback, at the item's asset path: what "download original" gives
    variants: tuple[Variant, ...]

    def of_format(self, fmt: str) -> list[Variant]:
        return [v for v in self.variants if v.format == fmt]

    @property
    def default(self) -> Variant:
        fallback = self.of_format(self.header.fallback)
        fitting = [v for v in fallback if v.width <= DEFAULT_MAX_WIDTH]
        return fitting[-1] if fitting else fallback[0]


def unwrap(item: Any) -> Item:
    """The content-model Item behind a Pelican content object, a view or a context dict."""
    if isinstance(item, Item):
        return item
    if isinstance(item, Mapping) and "item" in item:
        return item["item"]
    inner = getattr(item, "item", None)
    if isinstance(inner, Item):
        return inner
    raise TypeError(f"not a content item: {item!r}")


def asset_path(reference: str, item: Item) -> str:
    """Where an item's file is published (as publishing.templating.asset says): /images/… kept, others beside it."""
    if reference.startswith("/"):
        return reference.lstrip("/")
    return item.url + reference.rsplit("/", 1)[-1]


class Unplanned(RuntimeError):
    """A page asked for an image file that the plan made from the content model does not hold."""


class Plan:
    """Every file this build publishes from content images, what makes each one, and the errors met on the way."""

    def __init__(
        self,
        settings: ImageSettings,
        content_root: Path,
        rel: Callable[[Path], str] = str,
        read_header: Callable[[Path], Header] = read_header,
        publishes: Callable[[Item], bool] = lambda _item: True,
    ) -> None:
        self.settings = settings
        self.content_root = content_root
        self.rel = rel
        self.read_header = read_header  # in a build, the image cache's, which keeps headers from build to build
        # Whether this build publishes an item's files (the content model's visibility): asked before any is planned.
        self.publishes = publishes
        self.files: dict[str, tuple[Path, Output]] = {}
        self.errors: dict[str, str] = {}
        self._headers: dict[Path, Header | BadImage] = {}
        self._renditions: dict[tuple[Path, str], Rendition | None] = {}
        # Once every item's files are planned from the content model, before any page is rendered.
        self.frozen = False

    # Planning

    def header(self, source: Path) -> Header:
        known = self._headers.get(source)
        if known is None:
            try:
                known = self.read_header(source)
            except BadImage as bad:
                known = bad
            self._headers[source] = known
        if isinstance(known, BadImage):
            raise known
        return known

    def _source(self, reference: str, item: Item) -> Path | None:
        try:
            source = resolve(reference, item.path, self.content_root)
        except OutsideContent:
            self.errors[f"{item.rel}: {reference}"] = "路径在 content/ 之外 the path leaves content/"
            return None
        if not source.is_file():
            self.errors[f"{item.rel}: {reference}"] = "文件不存在 the file does not exist"
            return None
        return source

    def _claim(self, path: str, source: Path, out: Output) -> None:
        if self.frozen and self.files.get(path) != (source, out):
            # A page rendered in a worker cannot add a file to the build: every file comes from the model's plan.
            raise Unplanned(f"{self.rel(source)}: {path} was not planned from the content model before rendering")
        known = self.files.get(path)
        if known is not None and known != (source, out):
            self.errors[self.rel(source)] = (
                f"与 {self.rel(known[0])} 发布到同一个文件 {path}，请改名 "
                f"publishes to the same file {path} as {self.rel(known[0])}: rename one of them"
            )
            return
        self.files[path] = (source, out)

    def rendition(self, item: Any, reference: str) -> Rendition | None:
        """The responsive set of an image an item names; its files are published with this build.

        None when the image cannot be published, or when this build publishes nothing of the item's files.
        """
        item = unwrap(item)
        if not self.publishes(item):
            return None
        target = asset_path(reference, item)
        source = self._source(reference, item)
        if source is None:
            return None
        key = (source, target)
        if key in self._renditions:
            return self._renditions[key]
        try:
            header = self.header(source)
        except BadImage as bad:
            self.errors[self.rel(source)] = describe(bad)
            self._renditions[key] = None
            return None
        folder, name = posixpath.split(target)
        stem, suffix = posixpath.splitext(name)
        prefix = posixpath.join(folder, stem)
        fallback = header.fallback
        variants = []
        outputs: list[Output] = []
        for width, height in responsive_sizes(header, self.settings):
            for fmt in dict.fromkeys(("WEBP", fallback)):
                quality = self.settings.webp_quality if fmt == "WEBP" else self.settings.jpeg_quality
                out = Output("resize", width, height, fmt, quality)
                variant = Variant(f"{prefix}-{width}w{SUFFIXES[fmt]}", width, height, fmt)
                self._claim(variant.path, source, out)
                variants.append(variant)
                if fmt == fallback:
                    outputs.append(out)
        # The base keeps the name the item gives, unless its format changes (HEIC and GIF become JPEG or PNG).
        base_suffix = suffix if suffix.lower() in KEEPS_SUFFIX[fallback] else SUFFIXES[fallback]
        largest = outputs[-1]
        base = Variant(prefix + base_suffix, largest.width, largest.height, fallback)
        self._claim(base.path, source, largest)
        rendition = Rendition(source, header, base, tuple(variants))
        self._renditions[key] = rendition
        return rendition

    def og(self, item: Any, reference: str) -> Variant | None:
        """The centre crop an Open Graph image wants (1200×630 unless the source is smaller), as JPEG."""
        item = unwrap(item)
        if not self.publishes(item):
            return None
        source = self._source(reference, item)
        if source is None:
            return None
        try:
            header = self.header(source)
        except BadImage as bad:
            self.errors[self.rel(source)] = describe(bad)
            return None
        width, height = crop_size(header, self.settings)
        stem = posixpath.splitext(asset_path(reference, item))[0]
        variant = Variant(f"{stem}-og.jpg", width, height, "JPEG")
        self._claim(variant.path, source, Output("crop", width, height, "JPEG", self.settings.jpeg_quality))
        return variant


# Markup


def relative_to_page(path: str, page_file: str) -> str:
    """A site path as seen from the page written to `page_file`, percent-encoded: a space or comma in a file
    name would otherwise split a srcset entry."""
    return quote(posixpath.relpath(path, posixpath.dirname(page_file) or "."))


def page_url_maker(context: Mapping[str, Any]) -> Callable[[str], str]:
    """URLs as the templates write them: relative to the page when the writer made SITEURL relative."""
    siteurl = str(context.get("SITEURL", "") or "")
    page_file = context.get("output_file")
    if page_file and "://" not in siteurl and not siteurl.startswith("/"):
        return lambda path: relative_to_page(path, str(page_file))
    return lambda path: f"{siteurl}/{quote(path)}"


def srcset(variants: list[Variant], url: Callable[[str], str]) -> str:
    return ", ".join(f"{url(v.path)} {v.width}w" for v in variants)


def picture_markup(
    rendition: Rendition,
    alt: str,
    url: Callable[[str], str],
    *,
    sizes: str = "100vw",
    lazy: bool = True,
    high_priority: bool = False,
    class_: str | None = None,
    extra: Mapping[str, str] | None = None,
) -> Markup:
    """<picture> with a WebP source and the fallback's srcset; width and height reserve the space while loading."""
    default = rendition.default
    fallback = rendition.of_format(rendition.header.fallback)
    attrs: dict[str, Any] = {"src": url(default.path), "srcset": srcset(fallback, url), "sizes": sizes}
    if class_:
        attrs["class"] = class_
    attrs.update({"width": default.width, "height": default.height, "alt": alt})
    attrs.update(extra or {})
    if lazy:
        attrs["loading"] = "lazy"
    attrs["decoding"] = "async"
    if high_priority:
        attrs["fetchpriority"] = "high"
    img = "<img" + "".join(f' {name}="{escape(value)}"' for name, value in attrs.items()) + ">"
    source = ""
    if rendition.header.fallback != "WEBP":
        webp = srcset(rendition.of_format("WEBP"), url)
        source = f'<source type="image/webp" srcset="{escape(webp)}" sizes="{escape(sizes)}">'
    return Markup(f"<picture>{source}{img}</picture>")


def plain_img(path: str, alt: str, url: Callable[[str], str], class_: str | None = None) -> Markup:
    """What a page shows when an image could not be planned: the build fails anyway, with the reason."""
    cls = f' class="{escape(class_)}"' if class_ else ""
    return Markup(f'<img src="{escape(url(path))}" alt="{escape(alt)}"{cls}>')


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _attributes(tag: str) -> dict[str, str]:
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.attrs


def rewrite_body(html: str, item: Item, plan: Plan, sizes: str = BODY_SIZES) -> str:
    """Each body <img> of a content image becomes a responsive <picture>; the first loads eagerly, the rest lazily."""
    if "<img" not in html.lower() or not item.images:
        return html
    root = relative_root(item.url)  # the reader wrote /images/… this way
    by_src = {}
    for use in item.images:
        written = root + use.src[1:] if use.src.startswith("/") and not use.src.startswith("//") else use.src
        by_src.setdefault(written, use)
    page_file = save_as(item.url)

    def url(path: str) -> str:
        return relative_to_page(path, page_file)

    seen = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal seen
        attrs = _attributes(match.group(0))
        src = attrs.get("src", "")
        use = by_src.get(src) or by_src.get(unquote(src))
        if use is None:
            return match.group(0)  # not one of ours (a remote image): left as written
        rendition = plan.rendition(item, use.src)
        if rendition is None:
            return match.group(0)
        extra = {k: v for k, v in attrs.items() if k in ("title", "id")}
        markup = picture_markup(
            rendition,
            attrs.get("alt", use.alt),
            url,
            sizes=sizes,
            lazy=seen > 0,
            class_=attrs.get("class") or None,
            extra=extra,
        )
        seen += 1
        return str(markup)

    return _IMG.sub(replace, html)
