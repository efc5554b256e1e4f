"""Edited bodies applied to a built site in memory: which edits can be, how, and which pages then show them."""

from __future__ import annotations

import os
from array import array
from collections import defaultdict
from typing import Any

from pelican.contents import Article, Content, Page

from content_model.records import Signature, signature
from rendering.digest import digest, object_key
from rendering.manifest import Manifest
from rendering.tracking import same_on_every_page

# Fields of a content object that its Markdown body makes; anything else that differs needs a full build.
BODY_FIELDS = frozenset({"_content", "_summary"})
# Fields compared apart (or not at all): back-references to the build, and the model's item.
SKIPPED_FIELDS = frozenset({"_context", "settings", "item", "metadata"})


def sources_of(settings: dict[str, Any]) -> dict[str, Signature]:
    """The signature of every file the site is built from: content/, the theme and its template overrides."""
    roots = [settings["PATH"], settings["THEME"], *settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    found: dict[str, Signature] = {}
    for root in roots:
        for folder, dirs, files in os.walk(os.path.realpath(root)):
            dirs.sort()
            for name in files:
                path = os.path.join(folder, name)
                found[path] = signature(path)
    return found


def item_digest(item: Any) -> bytes:
    """Everything of an item but its body, and whether its body shows images or links to files."""
    fields = (item.kind, item.id, item.rel, item.url, item.values, item.slug_made, item.state)
    return digest((fields, bool(item.images), item.linked_files))


def body_edit_refused(item: Any, before: Any) -> str:
    """Why an item read again differs from the built one (`before`) in more than its body; or nothing."""
    if item is None or before is None:
        return "not an article or page of the site"
    if item.kind not in ("article", "page"):
        return f"a {item.kind}, whose body other pages show"
    if item.images or before.images:
        # Images are planned as their pages render: a new plan needs a build's `finalized`.
        return "its body has images"
    if item_digest(item) != item_digest(before):
        return "its front matter, state or linked files changed"
    return ""


def patch_item(built: Any, new: Any) -> None:
    built.parsed, built.links, built.images = new.parsed, new.links, new.images


def patch_content(built: Any, fresh: Any) -> str:
    """Write the body of a content object read again onto the built one; why not, when more than the body differs."""
    for name, value in vars(fresh).items():
        if name in SKIPPED_FIELDS or name in BODY_FIELDS:
            continue
        if getattr(built, name, None) != value:
            return f"its {name} changed"
    others = {k: v for k, v in fresh.metadata.items() if k not in ("summary", "item")}
    if others != {k: v for k, v in built.metadata.items() if k not in ("summary", "item")}:
        return "its metadata changed"
    for name in BODY_FIELDS:
        if hasattr(fresh, name):
            setattr(built, name, getattr(fresh, name))
    if "summary" in fresh.metadata:
        built.metadata["summary"] = fresh.metadata["summary"]
    return ""


def forget_rendered_bodies() -> None:
    """Pelican memoizes each object's body and summary by page address: a patched body must be made again."""
    Content.get_content.cache.clear()  # type: ignore[attr-defined]
    Content.get_summary.cache.clear()  # type: ignore[attr-defined]


def content_class(kind: str) -> type:
    return Article if kind == "article" else Page


def keys_of(objects: list[Any]) -> set[str]:
    return {key for key in map(object_key, objects) if key is not None}


def numbers_by_object(manifest: Manifest) -> dict[str, list[int]]:
    """The manifest's dependencies on each content object (its fields, and the whole object), by the object's key."""
    index: dict[str, list[int]] = defaultdict(list)
    for number, dep in enumerate(manifest.table):
        if dep[0] in ("a", "d"):
            index[dep[1]].append(number)
    return index


def pages_reading(manifest: Manifest, numbers: list[int], changed_values: Any) -> set[str]:
    """The recorded pages that read one of these dependencies (on the edited objects) whose value changed.

    `changed_values(numbers)` says which of the manifest's shared dependencies no longer have their recorded value;
    a page's own dependencies on these objects (a body with links made relative to the page) always count.
    """
    shared = [n for n in numbers if same_on_every_page(manifest.table[n])]
    own = set(numbers).difference(shared)
    changed = set(changed_values(shared))
    return {
        name
        for name, record in manifest.previous.items()
        if not changed.isdisjoint(array("I", record.shared)) or not own.isdisjoint(array("I", record.own))
    }
