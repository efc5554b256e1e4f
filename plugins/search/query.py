"""A query over a written index, step by step as search.js runs it, counting the bytes of every file it reads."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .index import _B64, TITLE_BIT, shard_of
from .tokenize import needs_check, normalize, query_words, word_terms

PAGE_SIZE = 10  # results on a page: the client fetches one document file per result it shows or rejects
EXACT_TITLE_BONUS = 1000.0  # a query that is a whole title puts that article first


@dataclass
class Term:
    """One term's postings as a shard stores them: a list of (id, impact), or, for a dense term, the ids without it."""

    df: int
    ids: list[int] = field(default_factory=list)
    impacts: bytes = b""
    missing: set[int] | None = None  # dense terms only
    titles: set[int] = field(default_factory=set)


@dataclass
class Result:
    id: int
    url: str
    title: str
    date: str
    text: str
    score: float


@dataclass
class Answer:
    results: list[Result]
    total: int  # candidates after filters: exact when `exact`, else an upper bound
    exact: bool
    fetched: dict[str, int] = field(default_factory=dict)  # file → bytes: what a browser would transfer
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # field → value → candidates

    @property
    def bytes(self) -> int:
        return sum(self.fetched.values())


def _decode(code: str) -> int:
    value = 0
    for char in code:
        value = value * 64 + _B64.index(char)
    return value


class IndexReader:
    """Reads meta.json, shards and document files from an index folder, caching them as a browser would."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, bytes] = {}
        self.fetched: dict[str, int] = {}
        self.meta: dict[str, Any] = json.loads(self._get("meta.json"))
        self.shards: dict[int, tuple[dict[str, list[int]], bytes, int]] = {}
        facets = self.meta["facets"]
        combo = facets["combo"]
        width, codes = combo["width"], combo["codes"]
        self.doc_combo = [_decode(codes[i : i + width]) for i in range(0, len(codes), width)]
        self.lists = {name: [set(ids) for ids in lists] for name, lists in facets["lists"].items()}

    def _get(self, rel: str) -> bytes:
        if rel not in self.cache:
            self.cache[rel] = (self.root / rel).read_bytes()
        self.fetched[rel] = len(self.cache[rel])
        return self.cache[rel]

    def term(self, term: str) -> Term | None:
        number = shard_of(term, self.meta["shards"])
        if number not in self.shards:
            data = self._get(f"shards/{number}.bin")
            size = int.from_bytes(data[:4], "little")
            self.shards[number] = (json.loads(data[4 : 4 + size]), data, 4 + size)
        header, data, base = self.shards[number]
        if term not in header:
            return None
        offset, df, *dense = header[term]
        width = self.meta["idBytes"]
        start = base + offset

        def ids(at: int, count: int, step: int) -> list[int]:
            return [int.from_bytes(data[i : i + width], "little") for i in range(at, at + count * step, step)]

        if dense:
            missing = self.meta["docs"] - df
            return Term(
                df,
                missing=set(ids(start, missing, width)),
                titles=set(ids(start + missing * width, dense[0], width)),
            )
        record = width + 1
        return Term(df, ids=ids(start, df, record), impacts=data[start + width : start + df * record : record])

    def document(self, doc_id: int) -> dict[str, Any]:
        return json.loads(self._get(f"docs/{doc_id}.json"))

    def values_of(self, doc_id: int, name: str) -> list[str]:
        """The ids of the values of filter `name` that a document has."""
        facets = self.meta["facets"]
        values = [v for v, _label in facets["values"][name]]
        if name in facets["combo"]["fields"]:
            index = facets["combo"]["combos"][self.doc_combo[doc_id]][facets["combo"]["fields"].index(name)]
            return [values[index]] if index >= 0 else []
        if name == "year":
            year = -1
            for value, first in facets["years"]:
                if first > doc_id:
                    break
                year = value
            return [values[year]] if year >= 0 else []
        return [values[i] for i, members in enumerate(self.lists[name]) if doc_id in members]

    def search(self, query: str, filters: dict[str, list[str]] | None = None, limit: int = PAGE_SIZE) -> Answer:
        """Ranked, checked results: the same steps as search.js, so that its byte counts are the browser's."""
        self.fetched = {}
        self._get("meta.json")
        filters = {name: wanted for name, wanted in (filters or {}).items() if wanted}
        words = query_words(query)
        terms = list(dict.fromkeys(t for w in words for t in word_terms(w)))
        if not terms:
            return Answer([], 0, True, dict(self.fetched))
        found = {t: self.term(t) for t in terms}
        if any(v is None for v in found.values()):
            return Answer([], 0, True, dict(self.fetched))
        scores = self._scores([v for v in found.values() if v is not None])
        facets: dict[str, dict[str, int]] = {name: {} for name in self.meta["facets"]["order"]}
        candidates = []
        for doc_id in scores:
            values = {name: self.values_of(doc_id, name) for name in facets}
            failing = [n for n, wanted in filters.items() if not set(values[n]) & set(wanted)]
            for name in facets:
                if not failing or failing == [name]:  # a filter's own chips count as if it were off
                    for value in values[name]:
                        facets[name][value] = facets[name].get(value, 0) + 1
            if not failing:
                candidates.append(doc_id)
        candidates.sort(key=lambda d: (-scores[d], -d))
        return self._check(candidates, scores, words, limit, facets)

    def _scores(self, terms: list[Term]) -> dict[int, float]:
        """BM25 over the terms, all of them required: lists first, rarest first, then dense terms as filters."""
        meta = self.meta
        n, k1, title_weight, impact_max = meta["docs"], meta["k1"], meta["titleWeight"], meta["impactMax"]
        terms = sorted(terms, key=lambda t: (t.missing is not None, t.df))
        scores: dict[int, float] | None = None
        for term in terms:
            idf = max(meta["idfFloor"], math.log(1 + (n - term.df + 0.5) / (term.df + 0.5)))
            if term.missing is None:
                weights = {
                    d: idf * ((i & 0x7F) / impact_max * (k1 + 1) + (title_weight if i & TITLE_BIT else 0))
                    for d, i in zip(term.ids, term.impacts, strict=True)
                }
                scores = weights if scores is None else {d: s + weights[d] for d, s in scores.items() if d in weights}
            else:
                pool = scores if scores is not None else dict.fromkeys(range(n), 0.0)
                scores = {
                    d: s + idf * (meta["denseScore"] + (title_weight if d in term.titles else 0))
                    for d, s in pool.items()
                    if d not in term.missing
                }
        return scores or {}

    def _check(
        self, candidates: list[int], scores: dict[int, float], words: list[str], limit: int, facets: dict
    ) -> Answer:
        """Fetch documents in rank order until `limit` pass: a word of several terms must be in the text."""
        checked = [w for w in words if needs_check(w)]
        whole = "".join(words)
        results: list[Result] = []
        rejected = 0
        for doc_id in candidates:
            if len(results) >= limit:
                break
            record = self.document(doc_id)
            text = normalize(record["t"] + "\n" + record["x"])
            if any(w not in text for w in checked):
                rejected += 1
                continue
            score = scores[doc_id]
            if "".join(query_words(record["t"])) == whole:
                score += EXACT_TITLE_BONUS
            results.append(Result(doc_id, record["u"], record["t"], record["d"], record["x"], score))
        results.sort(key=lambda r: (-r.score, -r.id))
        exact = not checked or len(results) + rejected == len(candidates)
        total = len(candidates) - rejected if exact else len(candidates)
        return Answer(results, total, exact, dict(self.fetched), facets)
