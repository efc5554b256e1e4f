"""Build phase times: monotonic marks at Pelican's signals, written as JSON to $BUILD_TIMES_FILE at `finalized`."""

from __future__ import annotations

import json
import logging
import os
import time
import weakref
from pathlib import Path
from typing import Any

import blinker
from pelican import signals

log = logging.getLogger(__name__)

ENV_FILE = "BUILD_TIMES_FILE"
FORMAT = 1

# Module import is the earliest moment a plugin sees: Pelican loads plugins just before `initialized`.
_marks: dict[str, float] = {"plugins_loaded": time.monotonic()}
_written = {"files": 0, "last": 0.0}


def _mark(name: str) -> Any:
    def receiver(*_args: Any, **_kwargs: Any) -> None:
        # Some signals fire once per file (article_generator_preread): the first one marks the phase.
        if name not in _marks or name not in ONCE_PER_FILE:
            _marks[name] = time.monotonic()

    receiver.__name__ = f"mark_{name}"
    return receiver


ONCE_PER_FILE = frozenset(["article_generator_preread"])

# Kept at module level: blinker holds receivers weakly, and a local closure would be collected at once.
_RECEIVERS = {
    name: _mark(name)
    for name in (
        "article_generator_init",
        "article_generator_preread",
        "article_generator_pretaxonomy",
        "article_generator_finalized",
        "page_generator_init",
        "page_generator_finalized",
        "all_generators_finalized",
        "article_writer_finalized",
        "page_writer_finalized",
    )
}
_RENDERED = _mark("pages_rendered")


class PhaseMarker:
    """A generator that writes nothing: listed last among the plugins' generators, it marks when the others are done.

    Some generators write files themselves (calendars, JSON, WeChat copies) without `content_written`, so the
    last written file is not the end of rendering; the end of this generator's turn is.
    """

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def generate_context(self) -> None:
        _marks["contexts_done"] = time.monotonic()

    def generate_output(self, _writer: Any) -> None:
        _marks["generators_written"] = time.monotonic()


def _generators(_pelican: Any) -> type:
    return PhaseMarker


def _between(start: str, end: str) -> float | None:
    if start in _marks and end in _marks:
        return round(_marks[end] - _marks[start], 4)
    return None


def phases() -> dict[str, float | None]:
    """Durations in seconds; a phase whose signals did not fire is None.

    Every receiver of ours runs after the other plugins' receivers of the same signal (buildtimes is
    registered last), so a phase ends when the other plugins' work at its closing signal is done.
    """
    return {
        # The content model's read and check, which the publishing plugin runs at `initialized`.
        "model": _between("plugins_loaded", "initialized"),
        # The other plugins' `initialized` work, generators and their template environments, emptying output/.
        "setup": _between("initialized", "article_generator_preread"),
        # Pelican reading the articles: Markdown to HTML, the reader's metadata, content_object_init.
        "read": _between("article_generator_preread", "article_generator_pretaxonomy"),
        # Taxonomies, our linking (sections, relations), pages, derived generators' contexts; then the images and
        # attachments planned and published (encoded into their cache, placed in output/).
        "link": _between("article_generator_pretaxonomy", "all_generators_finalized"),
        # Generators hand their pages, feeds, calendars, JSON and the search index's files to the rendering plugin.
        "collect": _between("all_generators_finalized", "generators_written"),
        # Pelican's static generator (theme files), then the pages rendered and written by the rendering plugin.
        "render": _between("generators_written", "pages_rendered"),
        # The other `finalized` receivers: sitemap, /admin/, saving the page records, removing stale files.
        "finalize": _between("pages_rendered", "finalized"),
        "total": _between("plugins_loaded", "finalized"),
    }


def _initialized(_pelican: Any) -> None:
    _marks["initialized"] = time.monotonic()
    # Connected now, after the other plugins' (the rendering plugin connects its last receiver at `initialized`).
    signals.finalized.connect(_finalized)
    # Blinker calls receivers in the order they connected; one connected after ours would run outside `finalize`.
    receivers = list(signals.finalized.receivers.values())
    last = receivers[-1] if receivers else None
    if isinstance(last, weakref.ref):
        last = last()
    if last is not _finalized:
        log.warning("buildtimes is not the last `finalized` receiver: list it last in PLUGINS")


def _written_file(_path: str, **_kwargs: Any) -> None:
    _written["files"] += 1
    _written["last"] = time.monotonic()


def _finalized(_pelican: Any) -> None:
    _marks["finalized"] = time.monotonic()
    if _written["files"]:
        _marks["last_written"] = _written["last"]
    target = os.environ.get(ENV_FILE)
    if target:
        report = {
            "format": FORMAT,
            "clock": "time.monotonic",
            "marks": dict(sorted(_marks.items(), key=lambda kv: kv[1])),
            "phases": phases(),
            "files_written": _written["files"],
            "pid": os.getpid(),
        }
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    # Marks are per run: a devserver's next run (same process, no `initialized`) starts afresh.
    _marks.clear()
    _marks["plugins_loaded"] = time.monotonic()
    _written.update(files=0, last=0.0)


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.get_generators.connect(_generators)
    for name, receiver in _RECEIVERS.items():
        getattr(signals, name).connect(receiver)
    signals.content_written.connect(_written_file)
    # Sent by the rendering plugin when every page is written (a named signal: no import needed).
    blinker.signal("rendering.pages_rendered").connect(_RENDERED)
