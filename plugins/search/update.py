"""The index of the last build, kept in .cache/search/: updated where documents changed, then copied to output/.

A build whose documents are those of the last one, in the same order, with a few of them changed, rewrites only
the files those change: their document files, the shards of the terms they had or have, and meta.json. Anything
else (documents added, removed or reordered, a new average length, a frequent term that became rare, another
shard count, other code) writes the whole index again. Either way the bytes are those a clean build writes, and
every kept file is checked against the digest recorded when it was written before it is published. Each file
reaches output/ as a page job named by its digest: the rendering plugin leaves one whose bytes did not change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from dataclasses import asdict
from pathlib import Path

from . import index, tokenize
from .index import TITLE_BIT, Document, IndexBuilder, Layout, Stats

log = logging.getLogger(__name__)

FOLDER = "search"  # in the cache folder
STATE = "state.json"
# Above this share of changed documents, updating costs about what writing the whole index does.
MAX_CHANGED_SHARE = 0.2


class CannotUpdate(Exception):
    """The kept index cannot be updated into this build's: the message says why."""


def code_version() -> str:
    """What the bytes of an index depend on besides its documents: this code and Python's Unicode tables."""
    parts = [Path(module.__file__ or "").read_bytes() for module in (index, tokenize, sys.modules[__name__])]
    return hashlib.sha256(b"\0".join([*parts, sys.version.encode()])).hexdigest()


def _terms(text: str, title: str) -> set[str]:
    counts, chars = tokenize.doc_terms(text)
    title_counts, title_chars = tokenize.doc_terms(title)
    return {*counts, *chars, *title_counts, *title_chars}


def _sparse(blob: bytes, id_bytes: int) -> dict[int, int]:
    """doc id → posting byte, of a term stored as its postings."""
    record = id_bytes + 1
    return {
        int.from_bytes(blob[at : at + id_bytes], "little"): blob[at + id_bytes] for at in range(0, len(blob), record)
    }


def _ids(blob: bytes, id_bytes: int) -> list[int]:
    return [int.from_bytes(blob[at : at + id_bytes], "little") for at in range(0, len(blob), id_bytes)]


def _dense(
    term: str, fields: list[int], blob: bytes, changed: dict[int, int | None], docs: int, id_bytes: int
) -> tuple[list[int], bytes]:
    """A term stored as the documents without it (and those with it in their title), with the changed documents'
    postings (None: the term is gone from it) applied. Its impacts are not stored: should it become rare, they
    would be needed."""
    df = fields[0]
    ids = _ids(blob, id_bytes)
    missing, in_title = set(ids[: docs - df]), set(ids[docs - df :])
    for doc_id, byte in changed.items():
        missing.discard(doc_id)
        in_title.discard(doc_id)
        if byte is None:
            missing.add(doc_id)
        elif byte & TITLE_BIT:
            in_title.add(doc_id)
    df = docs - len(missing)
    if df <= index.DENSE_FRACTION * docs:
        raise CannotUpdate(f"the frequent term {term!r} became rare: its impacts are not kept")
    blob = index.pack_ids(sorted(missing), id_bytes) + index.pack_ids(sorted(in_title), id_bytes)
    return [df, len(in_title)], blob


class KeptIndex:
    """The last build's index and its layout, in one folder of the cache."""

    def __init__(self, cache: Path) -> None:
        self.folder = cache / FOLDER
        self.files = self.folder / "index"
        self.state_path = self.folder / STATE

    def make(self, builder: IndexBuilder) -> tuple[Stats, str]:
        """This build's index in the cache: updated from the kept one where it can be, else written whole.
        Returns the figures and how it was made."""
        docs = sorted(builder.documents, key=index._sort_key)
        try:
            stats, how = self._update(builder, docs), "updated"
            for name, digest in self.outputs():  # every file published is the one recorded: else all made again
                self._kept_file(name, bytes.fromhex(digest))
        except CannotUpdate as why:
            how = f"written whole ({why})"
            self.state_path.unlink(missing_ok=True)
            stats = builder.write(self.files)
            self._save(builder.layout, docs)
        return stats, how

    def outputs(self) -> list[tuple[str, str]]:
        """(name, digest) of every file of the index as it is now in the cache, meta.json last."""
        layout = self._load()["layout"]
        names = [f"shards/{n}.bin" for n in range(layout["shards"])] + [
            f"docs/{n}.json" for n in range(len(layout["doc_digests"]))
        ]
        digests = [*layout["shard_digests"], *layout["doc_digests"]]
        meta = index.file_digest((self.files / "meta.json").read_bytes()).hex()
        return [*zip(names, digests, strict=True), ("meta.json", meta)]

    def _load(self) -> dict:
        try:
            state = json.loads(self.state_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CannotUpdate("no index was kept") from error
        if not isinstance(state, dict) or state.get("code") != code_version():
            raise CannotUpdate("the index's code changed")
        return state

    def _save(self, layout: Layout, docs: list[Document]) -> None:
        state = {
            "code": code_version(),
            "layout": {
                **asdict(layout),
                "shard_digests": [d.hex() for d in layout.shard_digests],
                "doc_digests": [d.hex() for d in layout.doc_digests],
            },
            "urls": [doc.url for doc in docs],
        }
        partial = self.state_path.with_name(STATE + ".part")
        partial.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, self.state_path)

    def _kept_file(self, name: str, digest: bytes) -> bytes:
        """A file of the kept index, as it was written: anything else is never used."""
        try:
            data = (self.files / name).read_bytes()
        except OSError as error:
            raise CannotUpdate(f"{name} is missing") from error
        if index.file_digest(data) != digest:
            log.warning("搜索索引缓存文件已损坏，重新生成 A kept search index file was damaged, made again: %s", name)
            raise CannotUpdate(f"{name} was changed")
        return data

    def _update(self, builder: IndexBuilder, docs: list[Document]) -> Stats:
        state = self._load()
        if state["urls"] != [doc.url for doc in docs]:
            raise CannotUpdate("documents were added, removed or reordered")
        kept = state["layout"]
        layout = Layout(
            kept["id_bytes"],
            kept["avgdl"],
            kept["shards"],
            list(kept["posting_bytes"]),
            [bytes.fromhex(d) for d in kept["shard_digests"]],
            [bytes.fromhex(d) for d in kept["doc_digests"]],
        )
        if index.average_length(docs) != layout.avgdl:
            raise CannotUpdate("the average length of a document changed")
        # Only the changed documents' files are kept in memory: at 20,000 articles all of them are some 140 MB.
        datas: dict[int, bytes] = {}
        for doc_id, doc in enumerate(docs):
            data = index.doc_bytes(doc)
            if index.file_digest(data) != layout.doc_digests[doc_id]:
                datas[doc_id] = data
        changed = sorted(datas)
        if len(changed) > max(1, MAX_CHANGED_SHARE * len(docs)):
            raise CannotUpdate(f"{len(changed)} documents changed")
        # Everything is read and checked before anything is written: a failure leaves the kept index whole.
        before: set[str] = set()
        for doc_id in changed:
            old = json.loads(self._kept_file(f"docs/{doc_id}.json", layout.doc_digests[doc_id]))
            before |= _terms(old["x"], old["t"])
        postings: dict[str, dict[int, int | None]] = {}
        for doc_id in changed:
            doc = docs[doc_id]
            inverted = index.invert([(doc.text, doc.title)], doc_id, layout.id_bytes, layout.avgdl)
            for term, entries in inverted.items():
                postings.setdefault(term, {})[doc_id] = entries[layout.id_bytes]
        affected = before | set(postings)
        by_shard: dict[int, list[str]] = {}
        for term in affected:
            by_shard.setdefault(index.shard_of(term, layout.shards), []).append(term)
        shards: dict[int, bytes] = {}
        posting_bytes = dict(enumerate(layout.posting_bytes))
        for number, terms in by_shard.items():
            data = self._kept_file(f"shards/{number}.bin", layout.shard_digests[number])
            encoded = index.read_shard(data)
            for term in terms:
                # The changed documents' new postings of this term; None where the term has left the document.
                mine = {doc_id: None for doc_id in changed} | postings.get(term, {})
                fields, blob = encoded.pop(term, ([0], b""))
                if len(fields) > 1:
                    encoded[term] = _dense(term, fields, blob, mine, len(docs), layout.id_bytes)
                    continue
                entries = _sparse(blob, layout.id_bytes)
                entries.update(mine)
                joined = bytearray()
                for doc_id in sorted(entries):
                    byte = entries[doc_id]
                    if byte is not None:
                        joined += doc_id.to_bytes(layout.id_bytes, "little") + bytes([byte])
                if joined:
                    new_fields, new_blob = index.encode_term(joined, len(docs), layout.id_bytes)
                    encoded[term] = (new_fields, bytes(new_blob))
            new_data = index.shard_bytes(sorted(encoded), encoded)  # type: ignore[arg-type]
            if new_data != data:  # a document's new length may leave its impacts, and so the shard, as they were
                shards[number] = new_data
                posting_bytes[number] = sum(len(blob) for _fields, blob in encoded.values())
        if index.shard_count(sum(posting_bytes.values())) != layout.shards:
            raise CannotUpdate("the number of shards changed")

        self.state_path.unlink()  # until the files below are all written, the kept index is not to be trusted
        for doc_id in changed:
            _replace(self.files / "docs" / f"{doc_id}.json", datas[doc_id])
            layout.doc_digests[doc_id] = index.file_digest(datas[doc_id])
        for number, data in shards.items():
            _replace(self.files / "shards" / f"{number}.bin", data)
            layout.shard_digests[number] = index.file_digest(data)
        layout.posting_bytes = [posting_bytes[number] for number in range(layout.shards)]
        stats = Stats(documents=len(docs), shards=layout.shards, files=layout.shards + len(docs) + 1)
        stats.meta_bytes = builder.write_meta(self.files, docs, layout)
        self._save(layout, docs)
        builder.layout = layout
        log.info("search index update: %d documents changed, %d shards rewritten", len(changed), len(shards))
        return stats


def kept_bytes(folder: str, name: str, digest: str) -> bytes:
    """A file of the kept index for output/ (a page job): exactly the bytes recorded when it was written."""
    data = (Path(folder) / name).read_bytes()
    if index.file_digest(data).hex() != digest:
        raise CannotUpdate(f"the kept search index file {name} changed while the site was built")
    return data


def _replace(path: Path, data: bytes) -> None:
    """Written beside, then renamed: a copy of the old file that something still holds keeps its bytes."""
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, path)
