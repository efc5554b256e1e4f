"""The built site kept between `make html` runs: an edit of article bodies patches it and renders only what shows them.

A full incremental build saves its linked context and page jobs here (beside the page manifest). The next build
uses them instead of reading and linking every file when all that changed is the Markdown body of existing
articles or pages: front matter, states, other files, settings, code and the clock all as they were. The content
model reads and checks every file as in any build, and its findings are reported as always. The build then reads
the edited files again, writes the new body onto the kept objects, and renders the pages that read them.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import logging
import os
import pickle
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from content_model.records import Signature

from .digest import object_key
from .edits import (
    content_class,
    item_digest,
    keys_of,
    numbers_by_object,
    pages_reading,
    patch_content,
    patch_item,
)
from .manifest import Manifest
from .writer import PageJob

log = logging.getLogger(__name__)

FORMAT = 2
# More edited files than this since the site was kept: building afresh costs about the same, and keeps it small.
MOST_PATCHED = 200
# Saving walks linked objects (an article's neighbours, their neighbours …) depth-first.
PICKLE_STACK = 1 << 30


@dataclass
class Header:
    """What the kept site was built from; small, so that a build can tell whether to load the site at all."""

    fingerprint: bytes
    # The settings' fingerprint when Pelican starts (plugins add settings later): judged before the content is read.
    early_fingerprint: bytes
    now: datetime.datetime | None
    generators: list[str]
    sources: dict[str, Signature]
    # The `item_digest` of each article and page, by its path from the repository root.
    items: dict[str, bytes]
    # Files whose kept objects are older than the file (patched by a build since): patched again on each use.
    patched: set[str] = field(default_factory=set)
    format: int = FORMAT


@dataclass
class KeptJob:
    """A page job kept without its template: the index of the generator whose environment has it, and its name."""

    job: PageJob
    generator: int | None
    template: str | None

    def restore(self, generators: list[Any]) -> PageJob:
        if self.generator is None:
            return self.job
        template = generators[self.generator].env.get_template(self.template)
        return dataclasses.replace(self.job, template=template)


def generator_name(generator: Any) -> str:
    return f"{type(generator).__module__}.{type(generator).__qualname__}"


class _Pickler(pickle.Pickler):
    """Settings are not saved: the next build has the same ones (the fingerprint says so) and hands them back."""

    def __init__(self, handle: Any, settings: dict[str, Any]) -> None:
        super().__init__(handle, protocol=pickle.HIGHEST_PROTOCOL)
        self._settings = {id(settings): "settings"}
        self._settings.update({id(value): key for key, value in settings.items() if _shared(value)})

    def persistent_id(self, obj: Any) -> str | None:
        return self._settings.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, handle: Any, settings: dict[str, Any]) -> None:
        super().__init__(handle)
        self._settings = settings

    def persistent_load(self, pid: str) -> Any:
        return self._settings if pid == "settings" else self._settings[pid]


def _shared(value: Any) -> bool:
    # Small values are pickled as they are; a setting's dicts, lists and functions are taken from the next build.
    return not isinstance(value, (str, int, float, bool, type(None), tuple))


class KeptSite:
    """The files of a kept site for one output folder: the context and jobs, and a small header to judge them by."""

    def __init__(self, body_path: Path, header_path: Path) -> None:
        self.body_path = body_path
        self.header_path = header_path

    def forget(self) -> None:
        self.header_path.unlink(missing_ok=True)
        self.body_path.unlink(missing_ok=True)

    def save(self, header: Header, jobs: list[PageJob], generators: list[Any], site: Any, settings: Any) -> bool:
        """Keep this build's site; False (and nothing kept) when a page's template is none of the generators'."""
        self.forget()
        environments = {id(g.env): number for number, g in enumerate(generators) if hasattr(g, "env")}
        kept: list[KeptJob] = []
        for job in jobs:
            if job.template is None:
                kept.append(KeptJob(job, None, None))
                continue
            number = environments.get(id(job.template.environment))
            if number is None:
                log.info("the site is not kept: %s has a template of no generator", job.name)
                return False
            kept.append(KeptJob(dataclasses.replace(job, template=None), number, job.template.name))
        failure: list[BaseException] = []

        def dump() -> None:
            try:
                _write(self.body_path, lambda handle: _Pickler(handle, settings).dump({"jobs": kept, "site": site}))
            except BaseException as error:  # reported below, in the build's thread
                failure.append(error)

        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 1_000_000))
        stack = threading.stack_size(PICKLE_STACK)
        try:
            thread = threading.Thread(target=dump, name="keep-site")
            thread.start()
            thread.join()
        finally:
            threading.stack_size(stack)
            sys.setrecursionlimit(limit)
        if failure:
            self.forget()
            log.info("the site is not kept: %s", failure[0])
            return False
        self.save_header(header)
        return True

    def save_header(self, header: Header) -> None:
        _write(self.header_path, lambda handle: pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL))

    def header(self) -> Header | None:
        try:
            with self.header_path.open("rb") as handle:
                header = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as error:  # an unreadable header means a full build, nothing worse
            log.info("the kept site is not used: %s", error)
            return None
        return header if isinstance(header, Header) and header.format == FORMAT else None

    def load(self, settings: dict[str, Any]) -> tuple[list[KeptJob], Any]:
        with self.body_path.open("rb") as handle:
            body = _Unpickler(handle, settings).load()
        return body["jobs"], body["site"]


def _write(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        with tmp.open("wb") as handle:
            write(handle)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def why_not(header: Header, early_fingerprint: bytes, now: Any, sources: dict[str, Signature]) -> str:
    """Why the kept site cannot serve this build; empty when it can (the files' contents are judged later)."""
    if header.early_fingerprint != early_fingerprint:
        return "settings, plugins or Pelican changed"
    if header.now != now:
        return "the build's time (SITE_NOW) changed"
    if header.sources.keys() != sources.keys():
        return "files were added or removed"
    changed = [path for path, was in header.sources.items() if sources[path] != was]
    if len(changed) + len(header.patched) > MOST_PATCHED:
        return "many files changed"
    for path in changed:
        if not path.endswith(".md"):
            return f"{path} is not Markdown"
    return ""


def same_item(item: Any, kept: bytes | None) -> str:
    """Why an item read again differs from the kept one in more than its body (`kept`: its digest); or nothing."""
    if item is None or kept is None:
        return "not an article or page of the site"
    if item.kind not in ("article", "page"):
        return f"a {item.kind}, whose body other pages show"
    if item.images:
        return "its body has images"
    if item_digest(item) != kept:
        return "its front matter, state or linked files changed"
    return ""


def outputs_unchanged(manifest: Manifest, output: str) -> str:
    """Why the output folder is not as the last build left it (by the recorded pages); or nothing."""
    if not manifest.previous:
        return "no pages were recorded"
    for name, record in manifest.previous.items():
        if not record.written_at(os.path.join(output, name)):
            return f"{name} was changed in the output (or removed)"
    return ""


@dataclass
class Early:
    """A build that may patch the kept site, begun when Pelican starts: what it loaded."""

    header: Header
    manifest: Manifest
    jobs: list[KeptJob]
    site: Any
    changed: list[str]  # since the last build
    patched: list[str]  # those, and those patched by earlier builds since the site was kept

    @classmethod
    def begin(
        cls,
        store: KeptSite,
        settings: dict[str, Any],
        output: str,
        fingerprint: bytes,
        sources: dict[str, Signature],
        manifest_path: Path,
    ) -> Early | None:
        """Load the kept site, when the files say it may serve this build."""
        from content_model.times import site_now

        header = store.header()
        if header is None:
            return None
        try:
            now = site_now()
        except Exception:  # a bad SITE_NOW: the full build says what is wrong with it
            return None
        why = why_not(header, fingerprint, now, sources)
        if not why:
            manifest = Manifest.load(manifest_path, header.fingerprint)  # the final settings are compared later
            why = outputs_unchanged(manifest, output)
        if why:
            log.info("a full build: the kept site cannot serve it (%s)", why)
            return None
        changed = [path for path, was in header.sources.items() if sources[path] != was]
        patched = sorted({*changed, *header.patched})
        try:
            jobs, site = store.load(settings)  # some 1.4 million objects at 20,000 articles (heap.pause)
        except Exception as error:  # a kept site this code cannot read means a full build
            log.info("a full build: the kept site cannot serve it (unreadable: %s)", error)
            return None
        return cls(header, manifest, jobs, site, changed, patched)

    def give_up(self) -> None:
        """The kept objects are garbage now: freed before the full build makes its own."""
        self.jobs, self.site = [], None
        gc.collect()


class Patch:
    """One build served by the kept site: `run` says why it cannot be, or patches and renders and says nothing."""

    def __init__(self, pelican: Any, store: KeptSite, early: Early, items: dict[str, Any], sources: Any) -> None:
        self.pelican = pelican
        self.store = store
        self.early = early
        self.items = items  # the edited files' items, as the content model read them in this build
        self.sources = sources
        self.read_again = 0
        self.rendered = 0

    def run(self, classes: list[type], workers: int) -> str:
        early = self.early
        for path in early.patched:
            item = self.items.get(path)
            why = same_item(item, early.header.items.get(item.rel) if item is not None else None)
            if why:
                return f"{early.site.rel(Path(path))}: {why}"
        for path in early.patched:
            patch_item(early.site.item_for(path), self.items[path])
        context = next(kept.job.context for kept in early.jobs if kept.generator is not None)  # the shared one
        # Those with a template environment, as the full build listed them (the others render nothing).
        generators = [g for g in (self._generator(cls, context) for cls in classes) if hasattr(g, "env")]
        if [generator_name(g) for g in generators] != early.header.generators:
            return "the generators changed"
        fresh = self._read_again(early.patched, generators, context)
        return self._render(context, generators, fresh, workers)

    def _generator(self, cls: type, context: dict[str, Any]) -> Any:
        pelican = self.pelican
        return cls(
            context=context,
            settings=pelican.settings,
            path=pelican.path,
            theme=pelican.theme,
            output_path=pelican.output_path,
        )

    def _read_again(self, paths: list[str], generators: list[Any], context: dict[str, Any]) -> dict[str, Any]:
        """Each file's content object made afresh by Pelican's reader (from the patched item), as a full build."""
        from pelican.generators import ArticlesGenerator, PagesGenerator

        readers = {
            "article": next(g for g in generators if isinstance(g, ArticlesGenerator)),
            "page": next(g for g in generators if isinstance(g, PagesGenerator)),
        }
        fresh: dict[str, Any] = {}
        for path in paths:
            kind = self.items[path].kind
            generator = readers[kind]
            fresh[path] = generator.readers.read_file(
                base_path=generator.path,
                path=os.path.relpath(path, os.path.realpath(generator.path)),
                content_class=content_class(kind),
                context=context,
            )
        return fresh

    def _render(self, context: dict[str, Any], generators: list[Any], fresh: dict[str, Any], workers: int) -> str:
        from publishing.reader import save_markdown_caches

        from . import registry
        from .renderer import Inputs, settle_all

        early, manifest = self.early, self.early.manifest
        objects = registry(context)
        for path, obj in fresh.items():
            old = objects.get(object_key(obj) or "")
            why = "it has no page" if old is None else patch_content(old, obj)
            if why:
                return f"{early.site.rel(Path(path))}: {why}"
        save_markdown_caches()
        keys = keys_of([objects[object_key(fresh[p]) or ""] for p in early.changed])
        keys |= keys_of([early.site.item_for(p) for p in early.changed])
        inputs = Inputs(context, objects)
        env = generators[0].env
        index = numbers_by_object(manifest)
        numbers = [number for key in keys for number in index.get(key, ())]
        table, values = manifest.table, manifest.values
        names = pages_reading(manifest, numbers, lambda shared: inputs.changed_among(shared, table, values, env))
        selected = [
            kept.restore(generators)
            for kept in early.jobs
            if kept.job.name in names or kept.job.name not in manifest.previous
        ]
        results = settle_all(selected, self.pelican.output_path, None, inputs, workers) if selected else []
        for name, record in manifest.previous.items():
            manifest.keep(name, record)
        for result in results:
            if result.dependencies is not None and result.digest is not None:
                manifest.add(
                    result.path, result.dependencies, result.shared_values, result.digest, result.size, result.mtime_ns
                )
            else:
                manifest.pages.pop(result.path, None)
        manifest.save(prune=False)  # the next full build prunes: the few pages rendered here add little
        early.header.sources = self.sources
        early.header.patched = set(fresh)
        self.store.save_header(early.header)
        self.read_again, self.rendered = len(fresh), len(results)
        return ""
