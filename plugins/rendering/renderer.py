"""Renders the collected pages here and in forked workers, skipping pages whose recorded inputs are unchanged."""

from __future__ import annotations

import collections
import logging
import multiprocessing
import multiprocessing.util
import os
import sys
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from . import heap, tracking
from .digest import Volatile, deep_digest, digest, new_hash, object_key, objects_in
from .manifest import Manifest, PageRecord
from .tracking import same_on_every_page
from .writer import PageJob

log = logging.getLogger(__name__)

MISSING = object()
# Below this many pages a pool costs more than it saves.
POOL_THRESHOLD = 64
CHUNK = 32
# Shared values (by number) handed to a worker at once: each is cheap, so fewer and larger chunks.
SHARED_CHUNK = 4096

# Other plugins' state that templates change while rendering (e.g. images a page asks for): (export, merge).
_worker_state: dict[str, tuple[Callable[[], Any], Callable[[Any], None]]] = {}


def share_worker_state(name: str, export: Callable[[], Any], merge: Callable[[Any], None]) -> None:
    """Have what `export` returns in each worker handed to `merge` in the main process after rendering."""
    _worker_state[name] = (export, merge)


@dataclass
class Rendered:
    """What rendering one page produced: its file's stat, and what it read (when tracking)."""

    path: str
    size: int
    mtime_ns: int
    dependencies: tuple[tracking.Dependency, ...] | None = None
    digest: bytes | None = None
    kept: bool = False  # its recorded inputs were unchanged: the file was left as it was
    # The values of its dependencies that are `same_on_every_page`, in their order, joined; the others are in `digest`.
    shared_values: bytes = b""


def _relative_to(job: PageJob, local: dict[str, Any]) -> None:
    # Pelican's bodies make their links relative to the page being written, through the shared context.
    job.context["localsiteurl"] = local["localsiteurl"]


class Inputs:
    """The current value of each dependency, computed at most once per build."""

    def __init__(self, context: dict[str, Any], registry: dict[str, Any]) -> None:
        self.context = context
        self.registry = registry
        self._globals: dict[Any, bytes] = {}  # the templates' globals by name
        # Object key → field (None: the whole object; with the page's URL for a page-relative one) → value. Keyed by
        # each read's tuple, the 440,000 values a process digests at 20,000 articles took some 200 MB, mostly keys:
        # each page's reads are strings of their own; an object's fields in one small dict, interned, take a fifth.
        self._objects: dict[str, dict[Any, bytes]] = {}
        self._sources: dict[tuple[int, str], bytes] = {}
        self._by_identity: dict[int, tuple[Any, bytes]] = {}
        # Numbers of the manifest's shared dependencies whose value is not the one recorded.
        self.changed: set[int] = set()

    def value(self, dep: tracking.Dependency, job: PageJob, local: dict[str, Any]) -> bytes:
        kind = dep[0]
        if kind == "p":
            return digest(job.produce)
        if kind == "a" or kind == "d":
            field: Any = dep[2] if kind == "a" else None
            if kind == "a" and tracking.page_relative(dep):
                field = (field, local.get("localsiteurl"))
            values = self._objects.get(dep[1])
            if values is None:
                values = self._objects[sys.intern(dep[1])] = {}
            known = values.get(field)
            if known is None:
                env = job.template.environment if job.template is not None else None
                known = values[sys.intern(field) if isinstance(field, str) else field] = self._object_value(dep, env)
            return known
        env: Environment = job.template.environment
        if kind == "n":
            name = dep[1]
            if name in local:
                value = local[name]
                if job.context.get(name) is value or job.kwargs.get(name) is value:
                    return self._digest_once(value)
                return digest(value)
            memo_key = ("g", name, id(env))
            known = self._globals.get(memo_key)
            if known is None:
                value = env.globals.get(name, MISSING)
                known = self._globals[memo_key] = digest("<undefined>" if value is MISSING else value)
            return known
        memo_key = (id(env), dep[1])  # a template's source
        known = self._sources.get(memo_key)
        if known is None:
            source, _filename, _uptodate = env.loader.get_source(env, dep[1])  # type: ignore[union-attr]
            known = self._sources[memo_key] = digest(source)
        return known

    def _object_value(self, dep: tracking.Dependency, env: Environment | None) -> bytes:
        obj = self.registry.get(dep[1])
        if obj is None:
            raise Volatile(f"gone: {dep[1]}")
        return deep_digest(obj) if dep[0] == "d" else digest(env.getattr(obj, dep[2]))  # type: ignore[union-attr]

    def changed_among(
        self, numbers: list[int], table: list[tracking.Dependency], recorded: list[bytes | None], env: Environment
    ) -> list[int]:
        """Which of these shared dependencies (by number) no longer have their recorded value, or have none."""
        changed: list[int] = []
        for number in numbers:
            try:
                now: bytes | None = self._object_value(table[number], env)
            except Exception:  # e.g. an object that is gone: the pages that read it are rendered, and may say why
                now = None
            if now is None or now != recorded[number]:
                changed.append(number)
        return changed

    def _digest_once(self, value: Any) -> bytes:
        """The digest of a value the pages were collected with: one object, digested once however many show it."""
        # Such a value lives as long as the jobs, so its id is not reused by another object during the build.
        known = self._by_identity.get(id(value))
        if known is None or known[0] is not value:
            known = self._by_identity[id(value)] = (value, digest(value))
        return known[1]

    def own_digest(self, job: PageJob, own: bytes, table: list[tracking.Dependency]) -> bytes:
        """The digest of a recorded page's own dependencies (by number in the manifest's table), as `record` made it."""
        local = job.local_context()
        _relative_to(job, local)
        h = new_hash()
        for number in array("I", own):
            h.update(self.value(table[number], job, local))
        return h.digest()

    def record(
        self, job: PageJob, dependencies: tuple[tracking.Dependency, ...], local: dict[str, Any]
    ) -> tuple[bytes, bytes]:
        """A rendered page's own dependencies digested in the order recorded, and the values of its shared ones."""
        _relative_to(job, local)
        h = new_hash()
        shared: list[bytes] = []
        for dep in dependencies:
            value = self.value(dep, job, local)
            if same_on_every_page(dep):
                shared.append(value)
            else:
                h.update(value)
        # One string per page, not one object per value: a full build hands back some 2.7 million values.
        return h.digest(), b"".join(shared)


def render(job: PageJob, output_path: str, inputs: Inputs | None) -> Rendered:
    """Render and write one page, as Pelican's writer does; with `inputs`, also note what the page read."""
    local = job.local_context()
    if local["localsiteurl"]:
        job.context["localsiteurl"] = local["localsiteurl"]
    if inputs is not None:
        tracking.start()
    try:
        if job.produce is not None:
            made = job.produce()
            data = made.encode("utf-8") if isinstance(made, str) else made
        else:
            # What `prepare` adds is digested through `job.reads`: the record keeps to the context it is checked with.
            variables = {**local, **job.prepare()} if job.prepare is not None else local
            data = job.template.render(variables).encode("utf-8")
    finally:
        reads = tracking.stop() if inputs is not None else set()
    path = os.path.join(output_path, job.name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
    stat = os.stat(path)
    result = Rendered(job.name, stat.st_size, stat.st_mtime_ns)
    if inputs is not None:
        if job.produce is not None:
            reads.add(("p",))
            reads.update(("d", key) for key in map(object_key, objects_in(job.produce)) if key is not None)
        else:
            reads.add(("t", job.template.name))
        reads.update(("d", key) for key in map(object_key, job.reads) if key is not None)
        dependencies = tuple(sorted(reads))
        try:
            result.digest, result.shared_values = inputs.record(job, dependencies, local)
            result.dependencies = dependencies
        except Volatile as why:
            log.debug("%s is rendered on every build: %s", job.name, why)
    return result


def template_environment(jobs: list[PageJob]) -> Environment | None:
    """The environment of the pages' templates (the one that reads content objects' fields)."""
    return next((job.template.environment for job in jobs if job.template is not None), None)


# The pool's workers are forked with these in memory; nothing but a chunk's indices is sent to them.
_pending: list[PageJob] = []
_output_path = ""
_manifest: Manifest | None = None
_inputs: Inputs | None = None
_environment: Environment | None = None
_handed_back: Any = None  # in a render worker: where it puts its plugins' state as it ends


def settle(job: PageJob, output_path: str, manifest: Manifest | None, inputs: Inputs | None) -> Rendered:
    """Leave a page whose recorded inputs are unchanged as it is; render any other."""
    record = manifest.previous.get(job.name) if manifest is not None and inputs is not None else None
    if record is not None and _unchanged(job, record, output_path, manifest, inputs):  # type: ignore[arg-type]
        return _kept(job, record)
    return render(job, output_path, inputs)


def _note(manifest: Manifest | None, result: Rendered) -> Rendered:
    """Put a settled page in the manifest as soon as it comes back, and drop what it read from the result.

    Held until every page is rendered, the reads of 20,000 pages (a few hundred each, as tuples unpickled in this
    process) would take some 800 MB; noted in the manifest's table they take a few bytes each.
    """
    if manifest is not None:
        if result.kept:
            manifest.keep(result.path, manifest.previous[result.path])
        elif result.dependencies is not None and result.digest is not None:
            manifest.add(
                result.path, result.dependencies, result.shared_values, result.digest, result.size, result.mtime_ns
            )
    result.dependencies, result.shared_values = None, b""
    return result


def _kept(job: PageJob, record: PageRecord) -> Rendered:
    return Rendered(job.name, record.size, record.mtime_ns, None, record.digest, kept=True)


def _settle_chunk(indices: list[int]) -> list[tuple[int, Rendered | None]]:
    # A kept page comes back as None: the main process has its record, and most pages are kept.
    settled = ((i, settle(_pending[i], _output_path, _manifest, _inputs)) for i in indices)
    return [(i, None if result.kept else result) for i, result in settled]


def _changed_chunk(numbers: list[int]) -> list[int]:
    manifest, inputs = _manifest, _inputs
    return inputs.changed_among(numbers, manifest.table, manifest.values, _environment)  # type: ignore[union-attr,arg-type]


def _find_changed(manifest: Manifest, inputs: Inputs, env: Environment, pool: Any = None) -> None:
    """Digest each recorded value that is the same on every page once, spread over the processes; note what changed.

    Left to each page's check, every process would digest nearly all of them: at 20,000 articles, about 500,000
    fields and 20,000 whole objects. A page is then checked against the changed ones as a set, in one step.
    """
    numbers = [number for number, dep in enumerate(manifest.table) if same_on_every_page(dep)]
    if pool is None:
        inputs.changed.update(inputs.changed_among(numbers, manifest.table, manifest.values, env))
        return
    chunks = [numbers[start : start + SHARED_CHUNK] for start in range(0, len(numbers), SHARED_CHUNK)]
    share_out(pool, _changed_chunk, chunks, inputs.changed.update)


def share_out(pool: Any, function: Callable[[Any], Any], chunks: list[Any], take: Callable[[Any], None]) -> None:
    """Work through `chunks` in this process and in the pool's workers alike; `take` each result here as it comes.

    This process takes its turn because it already holds every object the pages read: a forked worker copies each
    memory page whose objects it touches (reading an object changes its reference count), so at 20,000 articles
    each worker comes to hold most of the site again. One worker fewer, at the same speed, is that much memory
    less. Each worker is kept two chunks ahead, so that it never waits for this one.
    """
    ahead = 2 * pool._processes
    waiting: collections.deque[Any] = collections.deque()
    position = 0
    while position < len(chunks) or waiting:
        while position < len(chunks) and len(waiting) < ahead:
            waiting.append(pool.apply_async(function, (chunks[position],)))
            position += 1
        while waiting and waiting[0].ready():
            take(waiting.popleft().get())
        if position < len(chunks):
            take(function(chunks[position]))
            position += 1
        elif waiting:
            take(waiting.popleft().get())


def _start_worker(handed_back: Any) -> None:
    """In each render worker as it starts: hand back the plugins' state once, when the worker ends."""
    global _handed_back
    _handed_back = handed_back
    multiprocessing.util.Finalize(None, _hand_back_state, exitpriority=10)


def _hand_back_state() -> None:
    _handed_back.put({name: export() for name, (export, _merge) in _worker_state.items()})


def settle_all(
    jobs: list[PageJob], output_path: str, manifest: Manifest | None, inputs: Inputs | None, workers: int
) -> list[Rendered]:
    """Settle every job, in this process and `workers - 1` forked ones when there are enough of them; results in
    job order, each noted in `manifest` (when there is one) as it comes back.

    Checking a page's inputs costs a fair part of rendering it, so the workers do both.
    """
    global _pending, _output_path, _manifest, _inputs, _environment
    checking = manifest is not None and inputs is not None and bool(manifest.previous)
    if workers <= 1 or len(jobs) < POOL_THRESHOLD:
        if checking:
            _find_changed(manifest, inputs, template_environment(jobs))  # type: ignore[arg-type]
        return [_note(manifest, settle(job, output_path, manifest, inputs)) for job in jobs]
    _pending, _output_path, _manifest, _inputs = jobs, output_path, manifest, inputs
    _environment = template_environment(jobs)
    results: list[Rendered | None] = [None] * len(jobs)
    chunks = [list(range(start, min(start + CHUNK, len(jobs)))) for start in range(0, len(jobs), CHUNK)]

    def take(done: list[tuple[int, Rendered | None]]) -> None:
        for index, result in done:
            job = jobs[index]
            results[index] = _note(manifest, result or _kept(job, manifest.previous[job.name]))  # type: ignore[union-attr]

    # The page jobs too, made since the site's objects were: never collected in the workers, their pages stay shared.
    heap.keep_off_built_objects()
    processes = multiprocessing.get_context("fork")
    handed_back = processes.SimpleQueue()
    helpers = workers - 1
    try:
        if checking:
            # A pool of its own: the render workers must be forked once this process knows what changed.
            with processes.Pool(helpers) as pool:
                _find_changed(manifest, inputs, _environment, pool)  # type: ignore[arg-type]
        pool = processes.Pool(helpers, initializer=_start_worker, initargs=(handed_back,))
        try:
            share_out(pool, _settle_chunk, chunks, take)
            pool.close()  # each worker ends, handing back its state once
            states = [handed_back.get() for _ in range(helpers)]
            pool.join()
        finally:
            pool.terminate()
    finally:
        _pending, _manifest, _inputs, _environment = [], None, None, None
    for state in states:
        for name, value in state.items():
            _worker_state[name][1](value)
    return [r for r in results if r is not None]


def flush(
    jobs: list[PageJob], output_path: str, manifest: Manifest | None, inputs: Inputs | None, workers: int
) -> list[Rendered]:
    """Every job's file is current afterwards; with a manifest, unchanged pages are left as they are."""
    started = time.perf_counter()
    results = settle_all(jobs, output_path, manifest, inputs, workers)
    kept = sum(result.kept for result in results)
    log.info(
        "rendered %d pages, %d unchanged, in %.1f s (%d processes)",
        len(results) - kept,
        kept,
        time.perf_counter() - started,
        workers if len(jobs) >= POOL_THRESHOLD else 1,
    )
    return results


def _unchanged(job: PageJob, record: PageRecord, output_path: str, manifest: Manifest, inputs: Inputs) -> bool:
    if not record.written_at(os.path.join(output_path, job.name)):
        return False
    if not inputs.changed.isdisjoint(array("I", record.shared)):
        return False
    try:
        return inputs.own_digest(job, record.own, manifest.table) == record.digest
    except Volatile:
        return False
