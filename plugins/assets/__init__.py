"""Publishes what this build's pages show from content/: images through one cached pipeline, and attachments."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from content_model.files import OutsideContent, resolve
from content_model.schema import IMAGE_SUFFIXES
from content_model.site import Item
from publishing import SITE, model_state
from publishing.derived import add_body_filter
from rendering import add_file_inputs, keep_output

from .attachments import AttachmentError, describe, publish_attachment
from .cache import ImageCache
from .images import ImageSettings
from .renditions import (
    BODY_SIZES,
    Plan,
    asset_path,
    page_url_maker,
    picture_markup,
    plain_img,
    rewrite_body,
    unwrap,
)
from .runner import publish, say

log = logging.getLogger(__name__)

OG_DEFAULT_IMAGE = "/images/og-default.jpg"
CACHE_FOLDER = Path(".cache") / "images"
STOPPED = "构建已停止：以上图片无法发布。 The build stopped: the images above cannot be published."


def _rel(path: Path) -> str:
    try:
        return model_state.current().rel(path)
    except RuntimeError:
        return str(path)


def _publishes(item: Item) -> bool:
    return model_state.current().visibility.files_published(item)


class Build:
    """One Pelican run: what to publish, and the cache it comes from."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self.content_root = Path(settings["PATH"]).resolve()
        # Beside content/, never in output/: output/ is deleted on every build.
        cache_root = settings.get("IMAGE_CACHE_PATH") or self.content_root.parent / CACHE_FOLDER
        self.cache = ImageCache(Path(cache_root))
        self.plan = Plan(ImageSettings.from_settings(settings), self.content_root, _rel, self.cache.header, _publishes)
        # Each item's attachments: (source, where in output/), planned with the images.
        self.attachments: dict[Path, tuple[Item, str, Path]] = {}
        self.workers = int(settings.get("IMAGE_WORKERS") or os.cpu_count() or 1)
        self.og_default = settings.get("OG_DEFAULT_IMAGE", OG_DEFAULT_IMAGE)
        self.body_sizes = settings.get("IMAGE_BODY_SIZES", BODY_SIZES)


_build: Build | None = None


def current() -> Build:
    if _build is None:
        raise RuntimeError("the assets plugin was not initialised")
    return _build


# Template functions


@pass_context
def picture(
    context: Any,
    item: Any,
    reference: str,
    alt: str,
    sizes: str = "100vw",
    eager: bool = False,
    class_: str | None = None,
    priority: bool | None = None,
) -> Markup:
    """A responsive <picture> of an image an item names; using it publishes the image with this build.

    `eager` for images in the first screen (no lazy loading); they also get fetchpriority="high" unless
    `priority` says otherwise. `class_` goes on the <img>.
    """
    url = page_url_maker(context)
    rendition = current().plan.rendition(item, reference)
    if rendition is None:
        return plain_img(asset_path(reference, unwrap(item)), alt, url, class_)
    high = eager if priority is None else priority
    return picture_markup(rendition, alt or "", url, sizes=sizes, lazy=not eager, high_priority=high, class_=class_)


def attachment_info(item: Any, reference: str) -> tuple[str, str]:
    """(type, size) of an attachment for its list entry, e.g. ('PDF', '125 KB')."""
    try:
        model_item = unwrap(item)
        return describe(resolve(reference, model_item.path, current().content_root))
    except (OSError, OutsideContent, TypeError):
        return "", ""


@pass_context
def image_url(context: Any, item: Any, reference: str) -> str:
    """The URL of the largest published copy (at most 2560 px wide, no metadata): for links and downloads."""
    rendition = current().plan.rendition(item, reference)
    path = rendition.base.path if rendition else asset_path(reference, unwrap(item))
    return page_url_maker(context)(path)


def gallery_files(item: Item) -> list[str]:
    """A gallery's photos in order: those listed in index.md, then the others by file name."""
    listed = [photo["file"] for photo in item.get("photos", []) if "file" in photo]
    names = set(listed)
    others = sorted(
        p.name
        for p in item.path.parent.iterdir()
        if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and p.name not in names
    )
    return list(dict.fromkeys(listed)) + others


def default_reference(item: Item) -> str | None:
    """The image that represents an item when it is shared: none of an item whose files this build leaves out."""
    if not _publishes(item):
        return None
    for name in ("cover", "photo", "banner"):
        if item.get(name):
            return item.get(name)
    if item.kind == "gallery":
        files = gallery_files(item)
        return files[0] if files else None
    return item.images[0].src if item.images else None


def og_image(item: Any, reference: str | None = None) -> dict[str, Any] | None:
    """The Open Graph image of an item: its cover, else its first image, else the site's default, cropped 1200×630."""
    if item is None:
        return None
    build = current()
    try:
        model_item = unwrap(item)
    except TypeError:
        return None
    reference = reference or default_reference(model_item)
    variant = build.plan.og(model_item, reference) if reference else None
    if variant is None and _publishes(model_item) and build.og_default:
        try:
            exists = resolve(build.og_default, model_item.path, build.content_root).is_file()
        except OutsideContent:
            exists = False
        if exists:
            variant = build.plan.og(model_item, build.og_default)
    if variant is None:
        return None
    return {"url": variant.path, "width": variant.width, "height": variant.height}


def responsive_body(html: str, item: Any) -> str:
    """The body HTML with its content images made responsive: for generators that render Markdown themselves."""
    build = current()
    return rewrite_body(html, unwrap(item), build.plan, build.body_sizes)


# Signals


def _files_behind(obj: Any) -> list[Path]:
    """The files an item's pages are made from besides its Markdown: images, attachments, gallery photos."""
    item = obj if isinstance(obj, Item) else getattr(obj, "item", None)
    if not isinstance(item, Item) or _build is None:
        return []
    files = []
    for reference, _is_image in item_files(item):
        try:
            files.append(resolve(reference, item.path, _build.content_root))
        except OutsideContent:
            continue
    return files


def _initialized(pelican: Any) -> None:
    global _build
    _build = Build(pelican.settings)
    add_file_inputs(_files_behind)
    add_body_filter("images", responsive_body)
    pelican.settings["JINJA_GLOBALS"] = {
        **pelican.settings.get("JINJA_GLOBALS", {}),
        "picture": picture,
        "attachment_info": attachment_info,
        "image_url": image_url,
        "og_image": og_image,
    }


def _content_init(content: Any) -> None:
    """Once per article or page, right after reading: every content object that exists gets a page."""
    item = getattr(content, "item", None)
    if _build is None or not isinstance(item, Item) or not getattr(content, "_content", None):
        return
    content._content = rewrite_body(content._content, item, _build.plan, _build.body_sizes)


def item_files(item: Item) -> list[tuple[str, bool]]:
    """(reference, is_image) for every file an item shows or offers, whether or not this build publishes them."""
    refs: list[tuple[str, bool]] = []
    refs.extend((image.src, True) for image in item.images)
    refs.extend((a["file"], False) for a in item.get("attachments", []))
    # a body link to a file beside the item (e.g. a PDF not listed as an attachment) must work too
    refs.extend((url, url.lower().endswith(IMAGE_SUFFIXES)) for url in item.linked_files)
    for name in ("cover", "photo", "banner"):
        if item.get(name):
            refs.append((item.get(name), True))
    if item.kind == "gallery":
        refs.extend((name, True) for name in gallery_files(item))
    return refs


def _plan_item(build: Build, item: Item) -> None:
    if not _publishes(item):
        return  # a withdrawal notice shows nothing of the item; a publish build, nothing of a draft
    og_image(item)
    for reference, is_image in item_files(item):
        if is_image:
            build.plan.rendition(item, reference)
            continue
        source = resolve(reference, item.path, build.content_root)
        if source.is_file():
            build.attachments.setdefault(Path(asset_path(reference, item)), (item, reference, source))


def _plan(generators: list[Any]) -> None:
    """Every file of every item this build publishes, from the content model, planned and published before any page
    is rendered.

    The pages' templates then only look their images up: what they show is what is published, whichever pages an
    incremental build renders."""
    build = current()
    for item in generators[0].context[SITE].by_path.values():
        _plan_item(build, item)
    build.plan.frozen = True
    # Published now, before the pages are collected and rendered: the encoding processes then run beside a build
    # that holds the site alone, not its pages' records as well (some 400 MB more at 20,000 articles).
    _publish(Path(generators[0].output_path))


def _publish(output: Path) -> None:
    build = current()
    for target, (item, reference, source) in sorted(build.attachments.items()):
        try:
            publish_attachment(source, output / target)
        except AttachmentError as error:
            print(
                f"{item.rel}：附件“{reference}”无法去除脚本和文档信息，未发布。请运行 make check 查看原因和改法。\n"
                f"{item.rel}: the attachment `{reference}` could not be cleaned of scripts and metadata and was "
                f"not published. Run make check for the reason and the fix. ({error})",
                file=sys.stderr,
            )
            raise SystemExit(1) from None
    summary = publish(build.plan, build.cache, output, build.workers)
    for target in [*build.plan.files, *build.attachments]:
        keep_output(os.path.join(output, target))
    log.info("published %d image files and %d attachments", summary.files, len(build.attachments))
    if summary.errors:
        for name, message in sorted(summary.errors.items()):
            print(f"{name}: {message}", file=sys.stderr)
        print(STOPPED, file=sys.stderr)
        say(summary.line)
        raise SystemExit(1)
    say(summary.line)


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.content_object_init.connect(_content_init)
    signals.all_generators_finalized.connect(_plan)
