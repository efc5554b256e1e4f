"""Encodes what the cache lacks, in parallel across cores, then links every planned file into output/."""

from __future__ import annotations

import logging
import math
import multiprocessing
import multiprocessing.forkserver
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import ImageCache, link_or_copy, same_file
from .images import EncodeResult, Output, encode
from .renditions import Plan

log = logging.getLogger(__name__)

WORKER_DIED = "编码进程意外退出（内存不足？） the encoding process died (out of memory?)"


@dataclass
class Summary:
    """The figures `make bench` reads from the last lines of the build log."""

    encoded: int = 0  # sources decoded and encoded in this build
    cached: int = 0  # sources whose every file came from the cache
    files: int = 0  # files written to output/
    seconds: float = 0.0
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def line(self) -> str:
        rate = self.encoded / self.seconds if self.seconds > 0 else 0.0
        return f"images: {self.encoded} encoded in {self.seconds:.1f} s ({rate:.1f}/s), {self.cached} from cache"


def _console() -> Any:
    try:
        from pelican.log import console  # Pelican's own console, so that our bar nests in its status line
    except ImportError:  # pragma: no cover - Pelican is always there in a build
        from rich.console import Console

        console = Console()
    return console


def interactive(console: Any) -> bool:
    """A live bar on a terminal; plain lines in CI and in logs."""
    return bool(console.is_terminal) and not os.environ.get("CI")


@contextmanager
def progress(total: int) -> Iterator[Callable[[], None]]:
    """A callable to call once per finished source."""
    console = _console()
    if total == 0:
        yield lambda: None
        return
    if interactive(console):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        with Progress(
            TextColumn("图片 images"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("images", total=total)
            yield lambda: bar.advance(task)
        return
    done = 0
    step = max(1, math.ceil(total / 10))  # about ten lines, whatever the count

    def advance() -> None:
        nonlocal done
        done += 1
        if done % step == 0 or done == total:
            say(f"images: {done}/{total}")

    yield advance


def say(line: str) -> None:
    _console().print(line, markup=False, highlight=False, soft_wrap=True)


def _pending(plan: Plan, cache: ImageCache, output: Path) -> tuple[dict[Path, list[Output]], set[Path]]:
    """The outputs the cache lacks (or holds damaged), by source; and every source the plan uses."""
    pending: dict[Path, list[Output]] = {}
    sources: set[Path] = set()
    for target, (source, out) in plan.files.items():
        sources.add(source)
        if not cache.has(source, out.name, output / target):
            outs = pending.setdefault(source, [])
            if out not in outs:
                outs.append(out)
    return pending, sources


def _encode_all(jobs: list[tuple[Path, Path, list[Output]]], workers: int) -> Iterator[EncodeResult]:
    if workers <= 1 or len(jobs) <= 1:
        for source, folder, outputs in jobs:
            yield encode(str(source), str(folder), outputs)
        return
    # Workers fork from a fresh server process that has imported the pipeline once: forking Pelican's own
    # process would copy its threads' locks, and spawning each worker would import everything again.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["assets.images"])
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=context) as pool:
            futures = {pool.submit(encode, str(s), str(f), outs): s for s, f, outs in jobs}
            for future in as_completed(futures):
                try:
                    yield future.result()
                except BrokenProcessPool:
                    yield EncodeResult(str(futures[future]), error=WORKER_DIED)
    finally:
        # Left running, the server would hold the pipeline's imports (some 130 MB) until the build ends, through its
        # memory peak; a later pool starts another. Python stops it so only in its own tests: hence the private name.
        multiprocessing.forkserver._forkserver._stop()  # type: ignore[attr-defined]


def publish(plan: Plan, cache: ImageCache, output: Path, workers: int | None = None) -> Summary:
    """Encode the missing files, then place every planned file in output/. Errors name their file."""
    summary = Summary(errors=dict(plan.errors))
    pending, sources = _pending(plan, cache, output)
    summary.cached = len(sources - set(pending))
    jobs = [(source, cache.folder(source), outs) for source, outs in sorted(pending.items())]
    failed: set[Path] = set()
    started = time.perf_counter()
    with progress(len(jobs)) as advance:
        for result in _encode_all(jobs, workers or os.cpu_count() or 1):
            advance()
            if result.error:
                failed.add(Path(result.source))
                summary.errors[plan.rel(Path(result.source))] = result.error
            else:
                summary.encoded += 1
                for name, written in result.records.items():
                    cache.record(Path(result.source), name, written)
                log.debug("encoded %s in %.2f s", result.source, result.seconds)
    summary.seconds = time.perf_counter() - started
    for target, (source, out) in sorted(plan.files.items()):
        if source in failed:
            continue
        cached = cache.folder(source) / out.name
        if cached.is_file():
            if not same_file(cached, output / target):  # an incremental build's output keeps its links
                link_or_copy(cached, output / target)
            summary.files += 1
    cache.save_known()
    return summary
