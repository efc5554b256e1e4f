"""The search index's cost on a generated Chinese corpus: time, size on disk, peak memory and bytes per query."""

from __future__ import annotations

import argparse
import gzip
import random
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .corpus import Vocabulary, articles
from .index import Document, IndexBuilder, Stats
from .query import IndexReader

# What readers look for: names (a rare one, and the corpus's most written-about person is added), a place, a
# campaign, a common word, a phrase of several words, two words, one character.
SEED = 2020
CORPUS_PEAK_MIB = 0.0  # the process's peak once the corpus is generated, before indexing starts
QUERIES = ("李明", "洛阳", "脱贫攻坚", "科普", "洛阳市科协", "乡村振兴 专家", "驻马店", "科技工作者日", "洛")


@dataclass
class QueryCost:
    query: str
    results: int
    total: int
    files: int
    bytes: int
    shard_bytes: int
    doc_bytes: int
    gzip_bytes: int
    seconds: float


def documents(count: int, chars: int, seed: int = SEED) -> list[Document]:
    return [
        Document(
            url=f"articles/{a.date:%Y}/{a.date:%m}/a{a.number}/",
            title=a.title,
            text=a.body,
            date=a.date,
            facets={"section": [a.section], "type": [a.type], "year": [f"{a.date:%Y}"]},
        )
        for a in articles(count, chars, seed)
    ]


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: steadier than wall time on a busy machine."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


def measure_queries(root: Path, queries: tuple[str, ...]) -> list[QueryCost]:
    costs = []
    for query in queries:
        reader = IndexReader(root)  # a fresh reader: nothing cached, as a first visit
        started = time.perf_counter()
        answer = reader.search(query)
        seconds = time.perf_counter() - started
        zipped = sum(len(gzip.compress(reader.cache[name], 6)) for name in answer.fetched)
        shards = sum(size for name, size in answer.fetched.items() if name.startswith("shards/"))
        docs = sum(size for name, size in answer.fetched.items() if name.startswith("docs/"))
        costs.append(
            QueryCost(
                query,
                len(answer.results),
                answer.total,
                len(answer.fetched),
                answer.bytes,
                shards,
                docs,
                zipped,
                seconds,
            )
        )
    return costs


def run(
    count: int = 20000, chars: int = 2300, out: Path | None = None, workers: int | None = None
) -> tuple[Stats, float, float, list[QueryCost]]:
    """Index `count` generated articles into `out` (a temporary folder if None); return figures."""
    docs = documents(count, chars)
    global CORPUS_PEAK_MIB
    CORPUS_PEAK_MIB = peak_mib()
    with tempfile.TemporaryDirectory() as tmp:
        target = out or Path(tmp) / "index"
        started, cpu = time.perf_counter(), cpu_seconds()
        builder = IndexBuilder(workers=workers)
        builder.extend(docs)
        stats = builder.write(target)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu + stats.worker_cpu
        famous = Vocabulary(random.Random(SEED)).people[0]
        costs = measure_queries(target, (*QUERIES, famous))
    return stats, seconds, cpu, costs


def report(count: int, chars: int, stats: Stats, seconds: float, cpu: float, costs: list[QueryCost]) -> str:
    typical = statistics.median(c.bytes for c in costs)
    lines = [
        f"search index: {count} articles of about {chars} characters",
        f"  index time      {seconds:.1f} s ({cpu:.1f} s of CPU)",
        f"  index size      {stats.total_bytes / 2**20:.1f} MiB in {stats.files} files"
        f" (postings {stats.shard_bytes / 2**20:.1f} MiB in {stats.shards} shards,"
        f" documents {stats.doc_bytes / 2**20:.1f} MiB, meta {stats.meta_bytes / 1024:.0f} KiB)",
        f"  terms/postings  {stats.terms} / {stats.postings}",
        f"  peak memory     {peak_mib():.0f} MiB (ru_maxrss of this process; {CORPUS_PEAK_MIB:.0f} MiB before indexing)"
        + (f"; each of its workers at most {stats.worker_peak_kib / 1024:.0f} MiB" if stats.worker_peak_kib else ""),
        f"  per query       median {typical / 1024:.0f} KiB, max {max(c.bytes for c in costs) / 1024:.0f} KiB"
        " (a first visit: meta.json + shards + document files for the first page of results)",
    ]
    for c in costs:
        lines.append(
            f"    {c.query:<10}\t{c.total:>6} hits  {c.files:>3} files  {c.bytes / 1024:>4.0f} KiB"
            f" = shards {c.shard_bytes / 1024:.0f} + documents {c.doc_bytes / 1024:.0f} + meta"
            f"  (gzip {c.gzip_bytes / 1024:.0f} KiB)  {c.seconds * 1000:.0f} ms"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--chars", type=int, default=2300)
    parser.add_argument("--out", type=Path, default=None, help="keep the index in this folder")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: one per core, at most 4)")
    args = parser.parse_args(argv)
    stats, seconds, cpu, costs = run(args.articles, args.chars, args.out, args.workers)
    print(report(args.articles, args.chars, stats, seconds, cpu, costs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
