"""Digests of the values a page shows: equal digests in two builds mean the page would render the same."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePath
from typing import Any

from jinja2 import Template, Undefined
from pelican.contents import Content
from pelican.paginator import Page as PaginatorPage
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

from content_model.site import Item

# Attributes whose value depends on the page that shows them: Pelican makes a body's links relative to it.
PAGE_RELATIVE = frozenset({"content", "summary", "get_content", "get_summary"})
# Links and back-references whose values are digested elsewhere, and the settings every page shares.
SKIPPED_FIELDS = frozenset({"_context", "settings", "_summary_cache"})
MAX_DEPTH = 12


class Volatile(Exception):
    """A value this module cannot digest: the page that shows it is rendered on every build."""


def object_key(value: Any) -> str | None:
    """The name a content object keeps from build to build; values that have none are digested whole."""
    if isinstance(value, Content):
        return f"c:{value.source_path}"
    if isinstance(value, Item):
        return f"i:{value.rel}"
    return None


DIGEST_SIZE = 16


def new_hash() -> Any:
    return hashlib.blake2b(digest_size=DIGEST_SIZE)


def digest(value: Any, *, lenient: bool = False) -> bytes:
    """The digest of a value; content objects count by name only (what a page reads of them is digested apart)."""
    h = new_hash()
    feed(h, value, 0, lenient)
    return h.digest()


# Functions that name the files behind a content object (its images, attachments): a page that hands the
# object to a function (a <picture>, an attachment's size) changes when one of those files does.
_file_inputs: list[Callable[[Any], Iterable[Path]]] = []


def add_file_inputs(function: Callable[[Any], Iterable[Path]]) -> None:
    _file_inputs.append(function)


def objects_in(value: Any, depth: int = 0) -> list[Any]:
    """The content objects among a value's parts (lists, dicts, a partial's arguments), a few levels deep."""
    if object_key(value) is not None:
        return [value]
    if depth > 3:
        return []
    if isinstance(value, functools.partial):
        parts: Iterable[Any] = (*value.args, *value.keywords.values())
    elif isinstance(value, (list, tuple)):
        parts = value
    elif isinstance(value, dict):
        parts = value.values()
    else:
        return []
    return [found for part in parts for found in objects_in(part, depth + 1)]


def deep_digest(value: Any) -> bytes:
    """Everything of one content object: for pages that hand it to a function instead of reading fields."""
    h = new_hash()
    for function in _file_inputs:
        for path in function(value):
            try:
                stat = os.stat(path)
                h.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns};".encode("utf-8", "surrogatepass"))
            except OSError:
                h.update(f"{path}|missing;".encode("utf-8", "surrogatepass"))
    h.update(type(value).__qualname__.encode())
    if dataclasses.is_dataclass(value):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    else:
        fields = {k: v for k, v in vars(value).items() if k not in SKIPPED_FIELDS}
    for name in sorted(fields):
        h.update(name.encode())
        feed(h, fields[name], 1, False)
    return h.digest()


_PLAIN_SCALARS = frozenset({type(None), bool, int, float})


def feed(h: Any, value: Any, depth: int, lenient: bool) -> None:
    # The commonest exact types first, by one type lookup each: the same bytes as the general checks below. The
    # branches are written twice on purpose: one shape table for both paths made 20k edit builds ~1.5 s slower.
    kind = type(value)
    if kind is str:
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data))
        h.update(data)
        return
    if kind in _PLAIN_SCALARS:
        h.update(f"{kind.__name__}:{value!r};".encode())
        return
    if kind is list or kind is tuple:
        if depth > MAX_DEPTH:
            raise Volatile("too deep")
        h.update(b"[%d" % len(value))
        for v in value:
            feed(h, v, depth + 1, lenient)
        h.update(b"]")
        return
    if kind is dict:
        if depth > MAX_DEPTH:
            raise Volatile("too deep")
        h.update(b"{%d" % len(value))
        for k, v in value.items():
            feed(h, k, depth + 1, lenient)
            feed(h, v, depth + 1, lenient)
        h.update(b"}")
        return
    if value is None or isinstance(value, (bool, int, float)):
        h.update(f"{type(value).__name__}:{value!r};".encode())
        return
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        h.update(b"s%d:" % len(data))
        h.update(data)
        return
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        h.update(b"t" + value.isoformat().encode() + b";")
        return
    key = object_key(value)
    if key is not None:
        h.update(b"k" + key.encode("utf-8", "surrogatepass") + b";")
        return
    if depth > MAX_DEPTH:
        raise Volatile("too deep")
    depth += 1
    if isinstance(value, (list, tuple)):
        h.update(b"[%d" % len(value))
        for v in value:
            feed(h, v, depth, lenient)
        h.update(b"]")
    elif isinstance(value, dict):
        h.update(b"{%d" % len(value))
        for k, v in value.items():
            feed(h, k, depth, lenient)
            feed(h, v, depth, lenient)
        h.update(b"}")
    elif isinstance(value, (set, frozenset)):
        h.update(b"<%d" % len(value))
        for d in sorted(digest(v, lenient=lenient) for v in value):
            h.update(d)
        h.update(b">")
    elif isinstance(value, URLWrapper):
        h.update(f"w{type(value).__name__}:{value.name}|{value.slug};".encode())
    elif isinstance(value, PaginatorPage):
        h.update(f"p{value.name}|{value.number}|{value.paginator.num_pages}|{value.paginator.count};".encode())
        feed(h, list(value.object_list), depth, lenient)
    elif isinstance(value, Paginator):
        h.update(f"P{value.name}|{value.num_pages}|{value.count}|{value.per_page};".encode())
    elif isinstance(value, Undefined):
        h.update(b"u;")
    elif isinstance(value, Template):
        h.update(f"T{value.name};".encode())
    elif isinstance(value, datetime.tzinfo):
        h.update(f"z{value};".encode())
    elif isinstance(value, re.Pattern):
        h.update(f"r{value.pattern!r}|{value.flags};".encode())
    elif isinstance(value, PurePath):
        h.update(b"f" + str(value).encode("utf-8", "surrogatepass") + b";")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        h.update(f"D{type(value).__qualname__}".encode())
        for f in dataclasses.fields(value):
            feed(h, getattr(value, f.name), depth, lenient)
    elif isinstance(value, functools.partial):
        # A file's maker (rendering.PageJob.produce): the function, and everything it is handed.
        h.update(f"F{value.func.__module__}.{value.func.__qualname__}".encode())
        feed(h, list(value.args), depth, lenient)
        feed(h, dict(sorted(value.keywords.items())), depth, lenient)
    elif callable(value):
        owner = getattr(value, "__self__", None)
        if object_key(owner) is not None:
            # A method of a content object: its result depends on the whole object.
            h.update(b"m" + deep_digest(owner))
        h.update(
            f"c{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)};".encode()
        )
    elif lenient:
        h.update(f"?{type(value).__module__}.{type(value).__qualname__};".encode())
    else:
        raise Volatile(f"{type(value).__module__}.{type(value).__qualname__}")
