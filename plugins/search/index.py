"""The search index: documents → hashed shards of bigram postings, one JSON file per document, and meta.json."""

from __future__ import annotations

import hashlib
import json
import math
import multiprocessing
import os
import shutil
import sys
from array import array
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from itertools import compress
from pathlib import Path

from .tokenize import doc_terms

try:
    import resource
except ImportError:  # pragma: no cover - Windows has no getrusage; only the benchmark's figures need it
    resource = None  # type: ignore[assignment]

FORMAT = 1
K1 = 1.2
B = 0.75
# A title match is worth more than the most frequent body match (BM25's tf part peaks at K1 + 1 = 2.2).
TITLE_WEIGHT = 3.0
IMPACT_MAX = 127  # the low 7 bits of a posting's byte; the high bit says "in the title"
TITLE_BIT = 0x80
TF_CAP = 64  # BM25 is saturated long before this
CHAR_IMPACT = 32  # one-character queries rank by the title and the date: characters are not counted
# A query fetches one shard per term: it carries its own postings and, on average, this much of other terms'.
TARGET_SHARD_BYTES = 8 * 1024
MAX_SHARDS = 1 << 14
# Tokenising is pure Python: the slices of a large site are inverted in parallel, one process per core.
MAX_WORKERS = 4
MIN_DOCS_PER_WORKER = 500  # below this, starting a process costs more than it saves
# A term in more than this share of documents is stored as the documents without it. Its idf is below
# ln(1 + 0.6 / 0.4) = 0.92, so its per-document weight hardly ranks: DENSE_SCORE stands for it.
DENSE_FRACTION = 0.4
DENSE_MIN_DOCS = 32
DENSE_SCORE = 1.0
# BM25's idf falls to 0 for a term in every document; this floor keeps its title matches ahead of the rest.
IDF_FLOOR = 0.1
LENGTH_STEPS = 32  # steps per doubling of the average document length
FACETS = ("section", "type", "year", "column", "topic")
COMBO_FACETS = ("section", "type")  # one value per document, coded together in a character or two
LIST_FACETS = ("column", "topic")  # a few documents each, listed by id
FACET_LABELS = {"section": "栏目", "type": "类型", "year": "年份", "column": "专栏", "topic": "专题"}
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass
class Document:
    """One searchable page: its URL relative to the site root, title, plain body text and what filters it."""

    url: str
    title: str
    text: str
    date: datetime | None = None
    image: str = ""
    facets: dict[str, list[str]] = field(default_factory=dict)  # field → value ids
    summary: str = ""  # shown under a result whose body does not hold the query's words


@dataclass
class Stats:
    documents: int = 0
    terms: int = 0
    postings: int = 0
    shards: int = 0
    shard_bytes: int = 0
    doc_bytes: int = 0
    meta_bytes: int = 0
    files: int = 0
    worker_cpu: float = 0.0  # seconds of CPU in worker processes, which RUSAGE_CHILDREN does not see
    worker_peak_kib: int = 0

    @property
    def total_bytes(self) -> int:
        return self.shard_bytes + self.doc_bytes + self.meta_bytes


@dataclass
class Layout:
    """How an index is laid out, and a digest of each of its files: what an update of it needs."""

    id_bytes: int
    avgdl: float
    shards: int
    posting_bytes: list[int] = field(default_factory=list)  # per shard: the bytes of its terms, header left out
    shard_digests: list[bytes] = field(default_factory=list)
    doc_digests: list[bytes] = field(default_factory=list)


def file_digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def term_hash(term: str) -> int:
    """FNV-1a over code points, 32 bits; search.js computes the same to find a term's shard."""
    h = 0x811C9DC5
    for char in term:
        h = ((h ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_of(term: str, shards: int) -> int:
    return term_hash(term) % shards


def shard_count(posting_bytes: int) -> int:
    count = 1
    while count < MAX_SHARDS and count * TARGET_SHARD_BYTES < posting_bytes:
        count *= 2
    return count


def _b64(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        digits.append(_B64[number % 64])
        number //= 64
    return "".join(reversed(digits))


def average_length(docs: list[Document]) -> float:
    """BM25's average document length, rounded to a step of 1/32 octave (about 2 %).

    Every impact depends on it: rounded, an edit that changes a few lengths leaves it, and so every other
    document's postings, as they were, and the index of the last build can be updated in place (update.py).
    """
    if not docs:
        return 1.0
    mean = max(sum(len(d.text) for d in docs) / len(docs), 1.0)
    return 2 ** (round(math.log2(mean) * LENGTH_STEPS) / LENGTH_STEPS)


def _sort_key(doc: Document) -> tuple[str, str]:
    # Oldest first: a new article gets the next id, so adding one leaves the others' files as they were.
    return (doc.date.strftime("%Y-%m-%d %H:%M:%S") if doc.date else "", doc.url)


def invert(docs: list[tuple[str, str]], first_id: int, id_bytes: int, avgdl: float) -> dict[str, bytearray]:
    """term → postings of (text, title) documents numbered from `first_id`: each an id (little-endian) and a byte.

    The byte is BM25's tf part, quantised, with the high bit set for a term of the title. BM25's length
    normalisation counts characters, known before tokenising, so each impact is final when written.
    """
    postings: dict[str, bytearray] = {}
    get = postings.get
    record = id_bytes + 1
    for doc_id, (text, title) in enumerate(docs, first_id):
        counts, chars = doc_terms(text)
        key = doc_id.to_bytes(id_bytes, "little")
        norm = K1 * (1 - B + B * len(text) / max(avgdl, 1.0))
        # One record per count this document has, so that the loop below needs no test.
        records = [
            key + bytes([max(1, min(IMPACT_MAX, round(min(tf, TF_CAP) / (min(tf, TF_CAP) + norm) * IMPACT_MAX)))])
            for tf in range(max(counts.values(), default=0) + 1)
        ]
        # The loop below runs once per posting (46 million at 20,000 articles): keep it this plain.
        for term, tf in counts.items():
            entries = get(term)
            if entries is None:
                postings[term] = bytearray(records[tf])
            else:
                entries += records[tf]
        # A character's presence is enough to rank one-character queries by title and date; counting costs more.
        record_char = key + bytes([CHAR_IMPACT])
        for term in chars:
            entries = get(term)
            if entries is None:
                postings[term] = bytearray(record_char)
            else:
                entries += record_char
        title_counts, title_chars = doc_terms(title)
        for term in sorted({*title_counts, *title_chars}):
            entries = get(term)
            if entries is None:
                postings[term] = bytearray(key + bytes([TITLE_BIT]))
            elif entries[-record:-1] == key:
                entries[-1] |= TITLE_BIT
            else:
                entries += key + bytes([TITLE_BIT])
    return postings


def _invert_job(docs: list[tuple[str, str]], first_id: int, id_bytes: int, avgdl: float) -> tuple[dict, float, int]:
    """invert() in a worker, with the CPU seconds and peak memory (KiB) it took, for the benchmark's figures."""
    if resource is None:  # pragma: no cover - not on Windows
        return invert(docs, first_id, id_bytes, avgdl), 0.0, 0
    before = resource.getrusage(resource.RUSAGE_SELF)
    postings = invert(docs, first_id, id_bytes, avgdl)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return postings, cpu, after.ru_maxrss


def _ids(entries: bytes | bytearray, id_bytes: int) -> array:
    """The document ids of interleaved postings, taken apart by strided slices, which run in C."""
    record = id_bytes + 1
    packed = bytearray(len(entries) // record * id_bytes)
    for byte in range(id_bytes):
        packed[byte::id_bytes] = entries[byte::record]
    ids = array("H" if id_bytes == 2 else "I")
    ids.frombytes(bytes(packed))
    if sys.byteorder != "little":
        ids.byteswap()
    return ids


def pack_ids(ids: Iterable[int], id_bytes: int) -> bytes:
    packed = array("H" if id_bytes == 2 else "I", ids)
    if sys.byteorder != "little":
        packed.byteswap()
    return packed.tobytes()


def encode_term(entries: bytearray, docs: int, id_bytes: int) -> tuple[list[int], bytes | bytearray]:
    """(header fields, bytes) of one term. Postings: [df]. A term in most documents: [df, titles], and the
    documents without it, then those with it in their title: 科协 in every article costs nothing to fetch."""
    record = id_bytes + 1
    df = len(entries) // record
    if docs < DENSE_MIN_DOCS or df <= DENSE_FRACTION * docs:
        return [df], entries  # as they are: a copy of 100 MB of postings would only cost memory
    ids = _ids(entries, id_bytes)
    missing = sorted(set(range(docs)).difference(ids))
    titles = list(compress(ids, map(TITLE_BIT.__and__, entries[id_bytes::record])))
    return [df, len(titles)], pack_ids(missing, id_bytes) + pack_ids(titles, id_bytes)


class IndexBuilder:
    """Collects documents, then writes the index; the same documents always give the same bytes."""

    def __init__(self, facet_labels: dict[str, dict[str, str]] | None = None, workers: int | None = None) -> None:
        self.documents: list[Document] = []
        self.workers = workers if workers is not None else min(os.cpu_count() or 1, MAX_WORKERS)
        # field → value id → label, e.g. {"section": {"news": "科协要闻"}}
        self.facet_labels = facet_labels or {}
        self.stats = Stats()

    def add(self, doc: Document) -> None:
        self.documents.append(doc)

    def extend(self, docs: Iterable[Document]) -> None:
        self.documents.extend(docs)

    def write(self, out: Path, id_bytes: int | None = None) -> Stats:
        """Write the index into `out` (emptied first) and return its figures; ids take 2 bytes up to 65,535
        documents, else 4."""
        docs = sorted(self.documents, key=_sort_key)
        if out.exists():
            shutil.rmtree(out)
        (out / "docs").mkdir(parents=True)
        (out / "shards").mkdir()
        stats = self.stats = Stats(documents=len(docs))
        id_bytes = id_bytes or (2 if len(docs) <= 0xFFFF else 4)
        doc_digests: list[bytes] = []

        def write_documents() -> None:
            for doc_id, doc in enumerate(docs):
                data = doc_bytes(doc)
                (out / "docs" / f"{doc_id}.json").write_bytes(data)
                doc_digests.append(file_digest(data))
                stats.doc_bytes += len(data)

        # The document files are written while the workers invert: this process would only wait.
        avgdl = average_length(docs)
        postings = self._postings(docs, id_bytes, avgdl, meanwhile=write_documents)
        stats.terms = len(postings)
        stats.postings = sum(map(len, postings.values())) // (id_bytes + 1)
        encoded: dict[str, tuple[list[int], bytes | bytearray]] = {}
        for term in list(postings):
            encoded[term] = encode_term(postings.pop(term), len(docs), id_bytes)
        shards = shard_count(sum(len(blob) for _fields, blob in encoded.values()))
        stats.shards = shards
        by_shard: dict[int, list[str]] = {}
        for term in encoded:
            by_shard.setdefault(shard_of(term, shards), []).append(term)
        shard_digests: list[bytes] = []
        self.layout = Layout(id_bytes, avgdl, shards)
        for number in range(shards):
            terms = sorted(by_shard.get(number, []))
            data = shard_bytes(terms, encoded)
            (out / "shards" / f"{number}.bin").write_bytes(data)
            shard_digests.append(file_digest(data))
            self.layout.posting_bytes.append(sum(len(encoded[term][1]) for term in terms))
            stats.shard_bytes += len(data)
        self.layout.shard_digests, self.layout.doc_digests = shard_digests, doc_digests
        stats.meta_bytes = self.write_meta(out, docs, self.layout)
        stats.files = shards + len(docs) + 1
        return stats

    def write_meta(self, out: Path, docs: list[Document], layout: Layout) -> int:
        """meta.json, named by a version that digests every file of the index; returns its size."""
        meta = self._meta(docs, layout.shards, layout.id_bytes)
        # The version names this exact index: the client adds it to every URL, so no cache mixes two builds.
        digest = hashlib.sha256()
        for part in (*layout.shard_digests, *layout.doc_digests):
            digest.update(part)
        digest.update(json.dumps(meta, ensure_ascii=False, sort_keys=True).encode())
        meta["version"] = digest.hexdigest()[:16]
        data = json.dumps(meta, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
        (out / "meta.json").write_bytes(data)
        return len(data)

    def _postings(
        self, docs: list[Document], id_bytes: int, avgdl: float, meanwhile: Callable[[], None]
    ) -> dict[str, bytearray]:
        """term → its postings: contiguous slices of the documents inverted in parallel, then joined in order."""
        workers = max(1, min(self.workers, len(docs) // MIN_DOCS_PER_WORKER))
        if workers == 1:
            meanwhile()
            return invert([(d.text, d.title) for d in docs], 0, id_bytes, avgdl)
        step = -(-len(docs) // workers)
        batches = [
            ([(d.text, d.title) for d in docs[i : i + step]], i, id_bytes, avgdl) for i in range(0, len(docs), step)
        ]
        # Not fork: Pelican's process may hold threads or locks that a forked child would inherit.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
            jobs = [pool.submit(_invert_job, *batch) for batch in batches]
            meanwhile()
            parts = [job.result() for job in jobs]
        self.stats.worker_cpu = sum(cpu for _part, cpu, _rss in parts)
        self.stats.worker_peak_kib = max(rss for _part, _cpu, rss in parts)
        slices = [part for part, _cpu, _rss in parts]
        del parts
        postings = slices.pop(0)
        while slices:
            part = slices.pop(0)  # dropped as soon as it is joined: the postings are the build's largest data
            for term, entries in part.items():  # later slices hold later documents: appending keeps ids ascending
                mine = postings.get(term)
                if mine is None:
                    postings[term] = entries
                else:
                    mine += entries
            del part
        return postings

    def _meta(self, docs: list[Document], shards: int, id_bytes: int) -> dict:
        """What every query needs once: sizes, ranking constants and the filters of every document."""
        values: dict[str, list[str]] = {}
        for name in FACETS:
            seen = {v for d in docs for v in d.facets.get(name, [])}
            order = self.facet_labels.get(name, {})
            # Registry order where there is one (sections, columns); years newest first; the rest by id.
            known = [v for v in order if v in seen]
            values[name] = known + sorted(seen - set(known), reverse=(name == "year"))
        index_of = {name: {v: i for i, v in enumerate(vals)} for name, vals in values.items()}

        def first(doc: Document, name: str) -> int:
            return index_of[name][doc.facets[name][0]] if doc.facets.get(name) else -1

        # Section and type: one code per document, for the few combinations that occur.
        combos: dict[tuple[int, ...], int] = {}
        codes = [combos.setdefault(tuple(first(d, n) for n in COMBO_FACETS), len(combos)) for d in docs]
        width = 1
        while 64**width < max(len(combos), 1):
            width += 1
        # Years: documents are in date order, so each year is a range of ids.
        years: list[list[int]] = []
        for doc_id, doc in enumerate(docs):
            year = first(doc, "year")
            if year >= 0 and (not years or years[-1][0] != year):
                years.append([year, doc_id])
        lists: dict[str, list[list[int]]] = {name: [[] for _ in values[name]] for name in LIST_FACETS}
        for doc_id, doc in enumerate(docs):
            for name in LIST_FACETS:
                for value in dict.fromkeys(doc.facets.get(name, [])):
                    lists[name][index_of[name][value]].append(doc_id)
        return {
            "format": FORMAT,
            "docs": len(docs),
            "shards": shards,
            "idBytes": id_bytes,
            "k1": K1,
            "titleWeight": TITLE_WEIGHT,
            "impactMax": IMPACT_MAX,
            "denseScore": DENSE_SCORE,
            "idfFloor": IDF_FLOOR,
            "facets": {
                "order": list(FACETS),
                "labels": FACET_LABELS,
                "values": {
                    name: [[v, self.facet_labels.get(name, {}).get(v, v)] for v in values[name]] for name in FACETS
                },
                "combo": {
                    "fields": list(COMBO_FACETS),
                    "combos": [list(key) for key in combos],
                    "width": width,
                    "codes": "".join(_b64(code, width) for code in codes),
                },
                "years": years,
                "lists": lists,
            },
        }


def shard_bytes(terms: list[str], encoded: dict[str, tuple[list[int], bytes | bytearray]]) -> bytes:
    """u32 header length, a JSON header {term: [offset, df, (titles)]}, then each term's bytes."""
    header: dict[str, list[int]] = {}
    offset = 0
    for term in terms:
        fields, blob = encoded[term]
        header[term] = [offset, *fields]
        offset += len(blob)
    head = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return len(head).to_bytes(4, "little") + head + b"".join(encoded[term][1] for term in terms)


def doc_bytes(doc: Document) -> bytes:
    """A document's file: what a result shows, and the text a phrase is checked against."""
    return _doc_json(doc).encode()


def read_shard(data: bytes) -> dict[str, tuple[list[int], bytes]]:
    """A shard file taken apart: term → (header fields, bytes), as `_shard` put them together."""
    size = int.from_bytes(data[:4], "little")
    header = json.loads(data[4 : 4 + size])
    body = data[4 + size :]
    terms = sorted(header)  # in the order their bytes were written, some of which may be empty
    if not terms:  # a shard no term of this index falls into
        return {}
    ends = [header[term][0] for term in terms[1:]] + [len(body)]
    return {term: (header[term][1:], body[header[term][0] : end]) for term, end in zip(terms, ends, strict=True)}


def _doc_json(doc: Document) -> str:
    record = {"u": doc.url, "t": doc.title, "d": doc.date.strftime("%Y-%m-%d %H:%M") if doc.date else ""}
    if doc.image:
        record["i"] = doc.image
    if doc.summary:
        record["s"] = doc.summary
    record["x"] = doc.text
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
