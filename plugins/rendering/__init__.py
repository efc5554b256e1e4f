"""Renders every page of the site: collected from all generators, rendered in parallel, and only where inputs changed.

Pelican renders and writes each page the moment a generator asks. Here the writer only collects pages; at
`finalized` (before any other plugin's receiver) they are rendered by forked workers that share the built context.
With INCREMENTAL_BUILD, each page's reads are recorded (context names, fields of content objects, templates,
objects handed to functions) and the next build re-renders only pages whose reads changed; files no longer part
of the site are removed from output/. The result is the same bytes a clean build writes.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import blinker
from pelican import Pelican as PelicanBuild
from pelican import signals

from . import heap, tracking
from .digest import add_file_inputs, digest, new_hash
from .manifest import Manifest
from .outputs import Sweep
from .renderer import Inputs, flush, share_worker_state
from .writer import CollectingWriter, PageJob, site_context

__all__ = ["PageJob", "add_file_inputs", "full_builds_only", "keep_output", "pages_rendered", "share_worker_state"]

log = logging.getLogger(__name__)

# Sent once the pages are rendered, with the number rendered and kept: the bench's phase timer listens.
pages_rendered = blinker.signal("rendering.pages_rendered")
CACHE_FOLDER = ".cache/pages"
# Settings read by templates through names (each page records those), or saying only how many processes render.
UNTRACKED_SETTINGS = frozenset({"JINJA_GLOBALS", "JINJA_FILTERS", "RENDER_WORKERS"})


class _Run:
    """The state of one build (a devserver runs several in one process)."""

    def __init__(self) -> None:
        self.writer: CollectingWriter | None = None
        self.sweep: Sweep | None = None
        self.manifest: Manifest | None = None
        self.fingerprint = b""
        self.jobs: list[PageJob] = []
        self.generators: list[Any] = []


_run = _Run()
# Why no edit may be applied to a site built in memory, when a plugin says so at `initialized`.
_full_builds_only = ""


def last_build() -> _Run:
    """What the last build in this process left: its page jobs, generators and manifest (the devserver keeps them)."""
    return _run


def full_builds_only_reason() -> str:
    return _full_builds_only


def incremental(settings: dict[str, Any]) -> bool:
    return bool(settings.get("INCREMENTAL_BUILD")) and not settings.get("DELETE_OUTPUT_DIRECTORY")


def cache_folder(settings: dict[str, Any]) -> Path:
    configured = settings.get("RENDER_CACHE_PATH")
    return Path(configured) if configured else Path(settings["PATH"]).resolve().parent / CACHE_FOLDER


def fingerprint(settings: dict[str, Any]) -> bytes:
    """What every page depends on: the settings, our plugins' code, and the versions of Pelican and Jinja."""
    h = new_hash()
    h.update(digest({k: v for k, v in sorted(settings.items()) if k not in UNTRACKED_SETTINGS}, lenient=True))
    for folder in settings.get("PLUGIN_PATHS", []):
        for path in sorted(Path(folder).rglob("*.py")):
            h.update(path.as_posix().encode())
            h.update(path.read_bytes())
    for package in ("pelican", "jinja2", "markdown"):
        h.update(metadata.version(package).encode())
    h.update(sys.version.encode())
    return h.digest()


def full_builds_only(why: str) -> None:
    """A plugin writes files that article bodies change outside page jobs: the devserver rebuilds on each edit."""
    global _full_builds_only
    _full_builds_only = why


def keep_output(path: str | os.PathLike[str]) -> None:
    """Tell the sweep that a file in output/ belongs to this build (needed for hard-linked files)."""
    if _run.sweep is not None:
        _run.sweep.keep(os.fspath(path))


def _writer(pelican: Any) -> type:
    return _Writer


class _Writer(CollectingWriter):
    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings=settings)
        _run.writer = self


def _records(pelican: Any, suffix: str) -> Path:
    """One of the files the builds of one output folder keep in the cache folder (the manifest, the sweep's mark)."""
    key = digest(os.path.realpath(pelican.output_path)).hex()[:16]
    return cache_folder(pelican.settings) / f"{key}{suffix}"


def _start(pelican: Any) -> None:
    """Each build begins here, before output/ is emptied or read."""
    global _run
    _run = _Run()
    if incremental(pelican.settings):
        _run.fingerprint = fingerprint(pelican.settings)
        _run.sweep = Sweep(Path(pelican.output_path), _records(pelican, ".start"))
        _run.manifest = Manifest.load(_records(pelican, ".marshal"), _run.fingerprint)
        if not _run.manifest.previous:
            # No page of output/ is known to be this build's: start from an empty folder, as Pelican would.
            pelican.delete_outputdir = True


def _track(generator: Any) -> None:
    if incremental(generator.settings):
        tracking.install(generator.env)
        _run.generators.append(generator)


def registry(context: dict[str, Any]) -> dict[str, Any]:
    """Every content object and content-model item by the key pages record them with."""
    from publishing.context import SITE

    from .digest import object_key

    found: dict[str, Any] = {}
    objects: list[Any] = list(context.get("generated_content", {}).values())
    for name in ("articles", "hidden_articles", "drafts", "pages", "hidden_pages", "draft_pages"):
        objects.extend(context.get(name, []))
    if SITE in context:
        objects.extend(context[SITE].by_path.values())
    for obj in objects:
        key = object_key(obj)
        if key is not None:
            found[key] = obj
    return found


def _site_built(_generators: Any) -> None:
    heap.keep_off_built_objects()


def _flush(pelican: Any) -> None:
    writer = _run.writer
    if writer is None:
        return
    jobs = list(writer.jobs.values())
    writer.jobs = {}
    workers = int(pelican.settings.get("RENDER_WORKERS") or os.cpu_count() or 1)
    inputs = None
    if _run.manifest is not None and jobs:
        context = site_context(jobs)
        inputs = Inputs(context, registry(context))
    results = flush(jobs, writer.output_path, _run.manifest, inputs, workers)
    _run.jobs = jobs
    for job, _result in zip(jobs, results, strict=True):
        if _run.sweep is not None:
            _run.sweep.keep(job.name)
        if job.announce:
            signals.content_written.send(os.path.join(writer.output_path, job.name), context=job.local_context())
    pages_rendered.send(pelican, count=len(results))


def _finish(pelican: Any) -> None:
    """After every other `finalized` receiver: save what the pages read, then drop files this build did not make."""
    if _run.manifest is not None:
        _run.manifest.save()
    if _run.sweep is not None:
        _run.sweep.remove_stale()
    heap.release()


def _initialized(pelican: Any) -> None:
    global _full_builds_only
    _full_builds_only = ""
    heap.pause()
    # Connected now, after every plugin registered its own receivers, so that this one runs last.
    signals.finalized.connect(_finish)


class Pelican(PelicanBuild):
    """Pelican as the settings name it (`PELICAN_CLASS`): the `pelican` command ends without freeing the heap.

    Once a build has finished every file is written and closed, and freeing a large site's millions of objects one
    by one at interpreter exit takes seconds (about 4 s at 20,000 articles). A build that failed exits as usual.
    """

    def run(self) -> None:
        super().run()
        command = Path(sys.argv[0])
        if command.name == "pelican" or command.parts[-2:] == ("pelican", "__main__.py"):  # not run in-process
            atexit.register(_hard_exit)  # registered last, so it runs first; only after a build that finished


def _hard_exit() -> None:
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.get_writer.connect(_writer)
    signals.get_generators.connect(_start)
    signals.generator_init.connect(_track)
    signals.all_generators_finalized.connect(_site_built)
    signals.finalized.connect(_flush)
