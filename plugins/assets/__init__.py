"""Publishes the images and attachments of the items this build outputs, and nothing else from content/."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from pelican import signals

from content_model.files import resolve
from content_model.site import Item
from publishing.templating import asset

from .images import publish_image

log = logging.getLogger(__name__)

_published_items: list[Item] = []


def _collect_articles(generator) -> None:
    # Only what has a page in this build: publish builds never read drafts or embargoed items.
    _published_items.extend(a.item for a in [*generator.articles, *generator.hidden_articles])


def _collect_pages(generator) -> None:
    _published_items.extend(p.item for p in [*generator.pages, *generator.hidden_pages])


def item_files(item: Item) -> list[tuple[str, bool]]:
    """(reference, is_image) for every file an item shows or offers."""
    refs: list[tuple[str, bool]] = []
    if item.state != "withdrawn":
        refs.extend((image.src, True) for image in item.images)
        refs.extend((a["file"], False) for a in item.get("attachments", []))
    for name in ("cover", "photo", "banner"):
        if item.get(name):
            refs.append((item.get(name), True))
    return refs


def output_path_for(reference: str, item: Item, output: Path) -> Path:
    return output / asset(reference, item)


def _finalized(pelican) -> None:
    output = Path(pelican.output_path)
    content_root = Path(pelican.settings["PATH"])
    done: set[Path] = set()
    for item in _published_items:
        for reference, is_image in item_files(item):
            source = resolve(reference, item.path, content_root)
            target = output_path_for(reference, item, output)
            if target in done:
                continue
            done.add(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            if is_image:
                publish_image(source, target)
            else:
                shutil.copyfile(source, target)
    log.info("published files of %d items", len(_published_items))
    _published_items.clear()


def register() -> None:
    signals.article_generator_finalized.connect(_collect_articles)
    signals.page_generator_finalized.connect(_collect_pages)
    signals.finalized.connect(_finalized)
