"""The automatic summary of a body: its first sentences, taken from its paragraphs only, as plain text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from content_model.cache import TextCache, fingerprint

from . import model_state

SUMMARY_CHARS = 120

# Paragraphs inside these are not the story told in the writer's own words: list items, table cells, a figure and
# its caption, folded text, definitions, code. A block quote is skipped too: the words of someone else, out of the
# context that says who speaks and why, would read as the site's own.
SKIPPED_BLOCKS = frozenset({"blockquote", "details", "dl", "figure", "li", "ol", "pre", "table", "ul"})
# Where the opening run of paragraphs ends: a heading, a rule, or any of the blocks above but a figure (a picture
# between two paragraphs of the lead does not end it).
BREAKS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "hr"} | SKIPPED_BLOCKS - {"figure"})
# Inline parts that are not read as part of the sentence: struck-out text, a player's fallback text.
SKIPPED_INLINE = frozenset({"del", "s", "video", "audio", "picture"})

# Han, kana, Hangul, CJK punctuation and full-width forms: written without spaces between them.
_CJK = "\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_CLOSERS = "”’」』）)》〉】〕\"'"
# A sentence ends at 。！？ or an ellipsis, or at . ! ? followed by a space or a Chinese character (so 3.5 and
# example.org run on); the closing quotes and brackets after it belong to the sentence.
_SENTENCE_END = re.compile(rf"(?:(?:[。！？]|…+|[.!?]+(?=[\s{_CLOSERS}{_CJK}]|$))[{_CLOSERS}]*)+")
_SENTENCE_MARKS = frozenset("。！？….!?")
# A sentence ending inside an open quote or bracket is not where the summary may end: 他说：“……。后面还有。”
_PAIRS = (("“", "”"), ("「", "」"), ("『", "』"), ("（", "）"), ("(", ")"), ("《", "》"))
# Where a sentence too long for the summary may be cut: after a comma, a semicolon, an enumeration comma or a colon.
_CLAUSE_END = re.compile(r"[，；、：]|[,;:](?=\s)")
# A line break in the source between two CJK characters is a soft wrap, not a space.
_SOFT_WRAP = re.compile(rf"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD_CHAR = re.compile(r"[A-Za-z0-9]")
_PIECE = 2048  # characters of the body parsed at a time
_WATCHED = sorted(BREAKS | {"p"})


_caches: dict[Path | None, TextCache] = {}


def cached_summary(html: str) -> str:
    """plain_summary(html), kept between builds beside content/: parsing every body on every build costs seconds
    at 20,000 articles, looking its summary up a few microseconds."""
    folder = model_state.current().cache_folder
    if folder not in _caches:
        code = Path(__file__).read_bytes()
        depends_on = fingerprint(code, etree.__version__, repr(etree.LIBXML_VERSION), str(SUMMARY_CHARS))
        _caches[folder] = TextCache(folder, "summary", depends_on, preload=True)
    return _caches[folder].get(html, plain_summary)


def save_summaries() -> None:
    for cache in _caches.values():
        cache.save()


def plain_summary(html: str, limit: int = SUMMARY_CHARS) -> str:
    """The body's first sentences, at most `limit` characters: the default summary.

    It is read from the body's opening run of paragraphs that end a sentence. Headings, lists, tables, figures
    and their captions, image alt text, code and block quotes are never read. A paragraph that ends no sentence
    (a heading set in bold, a salutation or lead-in ending in a colon, a note such as （作者系……）) is skipped
    before the run; after it, such a paragraph, a heading, a list, a table, a quote or a rule ends the run. Only
    when the body has no paragraph that ends a sentence are the others read.

    The summary ends where a sentence ends; a first sentence longer than `limit` is cut after a comma or the like
    and ends with ……
    """
    story: list[str] = []
    others: list[str] = []
    told = 0
    for text in _blocks(html):
        if text and text.rstrip(_CLOSERS)[-1:] in _SENTENCE_MARKS:
            story.append(text)
            told += len(text)
            if told > limit:
                break  # what follows can't change the summary: the rest of the body is not parsed
        elif story:
            break
        elif text:
            others.append(text)
    return shorten(_join(story or others), limit)


def _blocks(html: str) -> Iterator[str | None]:
    """The text of each paragraph that is not inside a list, table, figure, quote or the like, and None where a
    heading, rule or such a block begins; in the body's order.

    The body is parsed a piece at a time, as the paragraphs are asked for: a summary needs only the first few.
    """
    parser = etree.HTMLPullParser(events=("start", "end"), tag=_WATCHED)
    for start in range(0, len(html), _PIECE):
        parser.feed(html[start : start + _PIECE])
        yield from _read(parser)
    if html:
        parser.close()
        yield from _read(parser)


def _read(parser: Any) -> Iterator[str | None]:
    for event, element in parser.read_events():
        if event == "start":
            if element.tag in BREAKS:
                yield None
        elif element.tag == "p" and not any(a.tag in SKIPPED_BLOCKS for a in element.iterancestors()):
            text = " ".join(_SOFT_WRAP.sub("", _text(element)).split())
            if text:
                yield text


def _text(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in SKIPPED_INLINE and not _footnote_mark(child):
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _footnote_mark(element: Any) -> bool:
    # Markdown's footnote reference: <sup><a class="footnote-ref" href="#fn:1">1</a></sup>
    return element.tag == "sup" and any("footnote-ref" in (a.get("class") or "") for a in element.iter("a"))


def _join(texts: list[str]) -> str:
    joined = ""
    for text in texts:
        # Chinese paragraphs follow each other without a space; two English ones with one.
        apart = joined and not _CJK_CHAR.match(joined[-1]) and not _CJK_CHAR.match(text[0])
        joined += (" " if apart else "") + text
    return joined


def shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    """`text` when it fits; else its sentences that fit, or the first sentence cut at a clause, with ……"""
    if len(text) <= limit:
        return text
    # Only the first `limit` characters, and the one after them, can hold the end: a match that runs past the
    # limit is no end, however it would continue.
    ends = [end for m in _SENTENCE_END.finditer(text, 0, limit + 1) if (end := m.end()) <= limit]
    ends = [end for end in ends if _closed(text[:end])]
    if ends:
        return text[: ends[-1]].rstrip()
    # A clause in the first half would leave too little: then the cut falls at the limit.
    clauses = [m.start() for m in _CLAUSE_END.finditer(text, limit // 2, limit + 2) if m.start() <= limit]
    cut = clauses[-1] if clauses else _word_boundary(text, limit)
    return text[:cut].rstrip() + "……"


def _closed(text: str) -> bool:
    """No quote or bracket left open (a stray closing one, as in 1）, does no harm)."""
    return all(text.count(opening) <= text.count(closing) for opening, closing in _PAIRS)


def _word_boundary(text: str, limit: int) -> int:
    # Not in the middle of an English word or a number, when a space comes before it.
    if _WORD_CHAR.match(text[limit - 1]) and _WORD_CHAR.match(text[limit]):
        space = text.rfind(" ", 0, limit)
        if space > 0:
            return space
    return limit
