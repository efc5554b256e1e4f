"""The Markdown of bodies: Python-Markdown's `extra`, with attribute lists (`{: …}`) limited to class and id.

Listed in MARKDOWN's extensions as "content_model.dialect", in the place of "markdown.extensions.extra".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder

from .cache import fingerprint

# Python-Markdown's `extra` but for its attribute lists, whose place ours take.
EXTRA_WITHOUT_ATTRIBUTE_LISTS = ["fenced_code", "footnotes", "def_list", "tables", "abbr", "md_in_html"]
# What bodies are converted with when the site gives no MARKDOWN setting (its own is the same).
DEFAULT_SETTINGS: dict[str, Any] = {
    "extensions": ["content_model.dialect", "markdown.extensions.sane_lists"],
    "extension_configs": {},
    "output_format": "html5",
}
# `{#id}` anchors a heading, `{.name}` styles a block; nothing else may be set this way.
ATTRIBUTE_LIST_NAMES = frozenset(["id", "class"])
# Pelican adds it to read its own metadata; our front matter is YAML, and a body never starts with metadata.
_META = "markdown.extensions.meta"


class _ClassAndIdOnly(AttrListTreeprocessor):
    """Python-Markdown's attribute lists, keeping `.class`, `#id`, class= and id=; the rest is noted and dropped."""

    def __init__(self, md: Markdown, refused: list[str]) -> None:
        super().__init__(md)
        self.refused = refused

    def assign_attrs(self, elem: Element, attrs_string: str, *, strict: bool = False) -> str:
        attrs, remainder = get_attrs_and_remainder(attrs_string)
        if strict and remainder:
            return remainder
        for name, value in attrs:
            if name == ".":
                elem.set("class", f"{elem.get('class')} {value}" if elem.get("class") else value)
            elif name.lower() in ATTRIBUTE_LIST_NAMES and value is not None:
                elem.set(name.lower(), value)
            else:
                self.refused.append(name)
        return remainder


class BodyExtension(Extension):
    """`extra`'s extensions, and the limited attribute lists under attr_list's own name and priority."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.refused: list[str] = []  # names dropped from the last document converted

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtensions([f"markdown.extensions.{name}" for name in EXTRA_WITHOUT_ATTRIBUTE_LISTS], {})
        md.treeprocessors.register(_ClassAndIdOnly(md, self.refused), "attr_list", 8)
        md.registerExtension(self)

    def reset(self) -> None:
        self.refused.clear()


def makeExtension(**kwargs: Any) -> BodyExtension:
    return BodyExtension(**kwargs)


def body_settings(settings: dict[str, Any] | None) -> dict[str, Any]:
    """The MARKDOWN settings that convert a body: the site's (or ours), without Pelican's metadata extension."""
    chosen = dict(settings or DEFAULT_SETTINGS)
    chosen["extensions"] = [e for e in chosen.get("extensions", []) if e != _META]
    return chosen


_converters: dict[str, Markdown] = {}


def body_markdown(settings: dict[str, Any] | None) -> Markdown:
    """One Markdown converter per set of settings, shared: call reset() before each convert()."""
    chosen = body_settings(settings)
    key = repr(sorted(chosen.items()))
    if key not in _converters:
        _converters[key] = Markdown(**chosen)
    return _converters[key]


def refused_attributes(md: Markdown) -> list[str]:
    """Names the last convert() dropped from attribute lists; empty when these lists are not in use."""
    for extension in md.registeredExtensions:
        if isinstance(extension, BodyExtension):
            return list(extension.refused)
    return []


def version() -> str:
    """Our part of what converted bodies depend on: for the keys of caches that keep them."""
    return fingerprint(Path(__file__).read_bytes())
