"""Dictionary-free tokens for Chinese search: NFKC, lower-cased words, overlapping CJK bigrams and unigrams."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from html import unescape

# Han (with extensions and compatibility ideographs), kana and Hangul are written without spaces: they get n-grams.
# search.js holds the same ranges; change both together.
CJK_RANGES = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f"
_CJK = f"[{CJK_RANGES}]"
# A run of CJK characters, or a run of other letters and digits (Python's [^\W_] is JS's [\p{L}\p{N}]).
_RUN = re.compile(f"({_CJK}+)|((?:(?!{_CJK})[^\\W_])+)")
_CJK_RE = re.compile(_CJK)
_CJK_RUNS = re.compile(f"{_CJK}+")
_WORD_RUNS = re.compile(f"(?:(?!{_CJK})[^\\W_])+")

_BLOCK_TAG = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|blockquote|pre|figure|figcaption|section|"
    r"article|aside|header|footer|nav|hr|br|address|details|summary)\b[^>]*>",
    re.IGNORECASE,
)
_SKIPPED = re.compile(r"<(script|style|template)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# A line break between two CJK characters is a soft wrap in the source, not a space (CSS Text segment-break rule).
_CJK_WRAP = re.compile(f"(?<={_CJK})[ \\t]*\\n[ \\t]*(?={_CJK})")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def normalize(text: str) -> str:
    """The form both the index and the query are compared in: NFKC (full-width → half-width), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def html_text(html: str) -> str:
    """The readable text of an HTML body: paragraphs on their own lines; inline tags vanish without a space,
    so that 洛阳<strong>市</strong> still reads 洛阳市."""
    html = _COMMENT.sub("", _SKIPPED.sub("", html))
    # Source line breaks are spaces in HTML, except between CJK characters; only block tags end a line.
    html = _CJK_WRAP.sub("", html).replace("\n", " ")
    text = unescape(_TAG.sub("", _BLOCK_TAG.sub("\n", html)))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def runs(text: str) -> Iterator[tuple[bool, str]]:
    """(is_cjk, run) for each run of CJK characters or of other letters and digits in normalised text."""
    for match in _RUN.finditer(text):
        cjk = match.group(1)
        yield (True, cjk) if cjk is not None else (False, match.group(2))


def run_terms(is_cjk: bool, run: str) -> list[str]:
    """A CJK run's overlapping bigrams (its character if it has one), or a word as it is."""
    if not is_cjk:
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def doc_terms(text: str) -> tuple[Counter[str], set[str]]:
    """A document's bigrams and words with their counts, and its CJK characters (for one-character queries).

    Runs are found in the raw text and then normalised: NFKC maps CJK to CJK and words to words, and a whole
    document's NFKC costs more than its tokenising. Every step below iterates in C; 20,000 articles depend on it.
    """
    joined = "\x00".join(_CJK_RUNS.findall(text))
    if not unicodedata.is_normalized("NFKC", joined):
        joined = unicodedata.normalize("NFKC", joined)
    counts = Counter(map(operator.add, joined, joined[1:]))
    # Pairs across the separator are not bigrams; each run boundary made exactly these keys.
    cjk_runs = joined.split("\x00")
    for key in {r[-1] + "\x00" for r in cjk_runs[:-1]} | {"\x00" + r[0] for r in cjk_runs[1:]}:
        counts.pop(key)
    chars = set(joined)
    chars.discard("\x00")
    words = _WORD_RUNS.findall(text)
    if words:
        for is_cjk, run in runs(normalize(" ".join(words))):
            if is_cjk:  # a compatibility character that NFKC turned into CJK: as a query would read it
                counts.update(run[i : i + 2] for i in range(len(run) - 1))
                chars.update(run)
            else:
                counts[run] += 1
    return counts, chars


def query_words(query: str) -> list[str]:
    """The words of a query, normalised, in order, without repeats; punctuation and spaces separate words."""
    seen: dict[str, None] = {}
    for word in re.split(r"[^\w]|_", normalize(query)):
        if word:
            seen.setdefault(word, None)
    return list(seen)


def word_terms(word: str) -> list[str]:
    """The index terms a query word needs: all must be in a document for the word to be there."""
    terms: list[str] = []
    for is_cjk, run in runs(word):
        for term in run_terms(is_cjk, run):
            if term not in terms:
                terms.append(term)
    return terms


def needs_check(word: str) -> bool:
    """True when the terms' presence does not prove the word's: more than one term, so their order is unknown."""
    return len(word_terms(word)) > 1


def has_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))
