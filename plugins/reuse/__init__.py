"""Outputs kept in .cache/ by a digest of their inputs: a build makes again only those whose inputs changed.

For files made from content objects (feeds, API pages, WeChat copies): each kind names what all its outputs depend
on (its code, its template, library versions), each output the inputs it is made from; an output whose inputs and
kind are unchanged is taken from the last build instead of being made again. Workers store what they made.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from content_model.cache import TextCache, fingerprint

# New outputs a process stores at once, so that they do not pile up in a worker's memory.
SAVE_EVERY = 200

_caches: dict[str, TextCache] = {}


def code_of(*modules: ModuleType) -> bytes:
    """The source of the modules an output is made by."""
    return b"\0".join(Path(module.__file__ or "").read_bytes() for module in modules)


def output_cache(folder: Path | None, kind: str, *depends_on: str | bytes) -> TextCache:
    """This build's cache of one kind of output; `depends_on` is what every one of them is made with besides its
    own inputs. Made in the main process before the pages are rendered, so that every worker has it."""
    cache = TextCache(folder, f"{kind}_output", fingerprint(*depends_on, sys.version), save_every=SAVE_EVERY)
    _caches[kind] = cache
    return cache


def inputs_text(inputs: Any) -> str:
    """The inputs of one output as one text: equal inputs, equal texts."""
    return json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=str)


def made(kind: str, inputs: Any, make: Callable[[], str]) -> str:
    """make(), or what it made from the same inputs in an earlier build."""
    cache = _caches.get(kind)
    if cache is None:
        return make()
    return cache.get(inputs_text(inputs), lambda _text: make())


def store_all(*_args: Any, **_kwargs: Any) -> None:
    """Store what this process made: at the end of each worker, and in the main process once pages are rendered."""
    for cache in _caches.values():
        cache.save()


def register() -> None:
    from rendering import pages_rendered, share_worker_state

    share_worker_state("reuse", store_all, lambda _nothing: None)
    pages_rendered.connect(store_all)
