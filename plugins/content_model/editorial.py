"""Editorial rules of the pull-request gate: house lexicon, sensitive words, copy style, links, stale columns."""

from __future__ import annotations

import datetime
import difflib
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import autocorrect_py

from .cache import TextCache, fingerprint
from .frontmatter import parse_yaml, read_text
from .problems import Problems
from .schema import LEXICON_ENTRY, NOTICE, SENSITIVE_ENTRY
from .validate import Validator

# The word lists and the urgent notice, in content/data/ beside the registries.
LEXICON_FILE = "data/lexicon.yml"
SENSITIVE_FILE = "data/sensitive.yml"
NOTICE_FILE = "data/notice.yml"

# Official Chinese style writes 2020年7月15日 and 80%以下 without spaces, and "专家+合作社" as one term;
# autocorrect would space them, so only its other changes are kept: CJK–Latin spacing and full-width punctuation.
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_TIGHT = re.compile(r"[0-9%‰+＋]")
_TOKEN_AFTER = re.compile(r"[0-9A-Za-z.%]+")
_TOKEN_BEFORE = re.compile(r"[0-9A-Za-z.%]+$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Term:
    """A lexicon or sensitive-word entry: what to find, and what to say."""

    text: str
    right: str
    level: str
    note: str


class Wordlist:
    """Finds every listed term in a line with one regular expression, longest terms first."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = {t.text: t for t in terms}
        ordered = sorted(self.terms, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(t) for t in ordered)) if ordered else None

    def find(self, text: str) -> list[tuple[Term, int]]:
        if self.pattern is None:
            return []
        return [(self.terms[m.group(0)], m.start() + 1) for m in self.pattern.finditer(text)]


def _load_list(path: Path, rel: str, fields: dict, problems: Problems) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    text = read_text(path, rel, problems)
    if text is None:
        return []
    result = parse_yaml(text, rel, problems)
    if result is None:
        return []
    value, where = result
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add("registry-not-list", rel, 1)
        return []
    validator = Validator(rel, problems)
    entries = []
    for index, entry in enumerate(value):
        line = where.item(index) + 1
        if not isinstance(entry, dict):
            problems.add("registry-not-list", rel, line)
            continue
        checked = validator.mapping(entry, fields, lambda _n, ln=line: ln)
        entries.append(checked.values)
    return entries


def load_lexicon(content_root: Path, rel_of: Any, problems: Problems) -> Wordlist:
    path = content_root / LEXICON_FILE
    entries = _load_list(path, rel_of(path), LEXICON_ENTRY, problems)
    return Wordlist([Term(e["wrong"], e["right"], "error", e.get("note", "")) for e in entries if "wrong" in e])


def load_sensitive(content_root: Path, rel_of: Any, problems: Problems) -> Wordlist:
    path = content_root / SENSITIVE_FILE
    entries = _load_list(path, rel_of(path), SENSITIVE_ENTRY, problems)
    return Wordlist(
        [
            Term(e["word"], e.get("advice", ""), e.get("level", "error"), e.get("note", ""))
            for e in entries
            if "word" in e
        ]
    )


def load_notice(content_root: Path, rel_of: Any, problems: Problems) -> dict[str, Any] | None:
    """The urgent notice (突发事件快速响应), if content/data/notice.yml exists."""
    path = content_root / NOTICE_FILE
    if not path.exists():
        return None
    rel = rel_of(path)
    text = read_text(path, rel, problems)
    if text is None:
        return None
    result = parse_yaml(text, rel, problems)
    if result is None or result[0] is None:
        return None
    value, where = result
    if not isinstance(value, dict):
        problems.add("yaml-not-mapping", rel, 1)
        return None
    checked = Validator(rel, problems).mapping(value, NOTICE, lambda name: (where.key(name) or 0) + 1)
    return checked.values if "text" in checked.values and "expires" in checked.values else None


def prose_lines(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line number, text) of a body's prose; code blocks are examples, not copy."""
    out, fenced = [], False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and line.strip():
            out.append((first_line + offset, line))
    return out


def _kept_change(old: str, i1: int, i2: int, new: str, j1: int, j2: int) -> bool:
    """Whether one of autocorrect's edits is ours to keep: not a space it put next to a digit, % or +."""
    if i1 == i2 and new[j1:j2] == " ":
        before = old[i1 - 1] if i1 > 0 else ""
        after = old[i1] if i1 < len(old) else ""
        pair = (before, after)
        tight = any(_TIGHT.match(c or "") for c in pair) and any(
            _CJK.match(c or "") or _TIGHT.match(c or "") for c in pair
        )
        # A token such as 5G or 3D is Latin as a whole and keeps its spaces.
        token = _TOKEN_AFTER.match(old, i1) if _TIGHT.match(after or "") else _TOKEN_BEFORE.search(old[:i1])
        if tight and not (token and re.search(r"[A-Za-z]", token.group(0))):
            return False
    return True


def _opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """Edits from old to new. autocorrect only adds or drops spaces and swaps punctuation one for one, so a
    linear walk finds them; anything else falls back to difflib, which is quadratic on long lines."""
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    while i < len(old) and j < len(new):
        if old[i] == new[j]:
            ops.append(("equal", i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
        elif new[j] == " ":
            ops.append(("insert", i, i, j, j + 1))
            j += 1
        elif old[i] == " ":
            ops.append(("delete", i, i + 1, j, j))
            i += 1
        elif not old[i].isalnum() and not new[j].isalnum():
            ops.append(("replace", i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
        else:
            break
    if i == len(old) and j == len(new):
        return ops
    return difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def style_cache(folder: Path | None, *, preload: bool = True) -> TextCache:
    """The cache of `styled`: its results change with autocorrect's version and with this file."""
    depends_on = fingerprint(metadata.version("autocorrect-py"), Path(__file__).read_bytes())
    return TextCache(folder, "styled", depends_on, preload=preload)


def styled(line: str) -> str:
    """The line as the copy-style rules would have it (the safe fixes `make fix` applies).

    A full-width space separating the halves of a headline (科技战疫　创新强国) is house style: kept as is.
    """
    parts = []
    for part in line.split("\u3000"):
        new = autocorrect_py.format(part)
        if new == part:
            parts.append(part)
            continue
        out = []
        for tag, i1, i2, j1, j2 in _opcodes(part, new):
            if tag == "equal" or not _kept_change(part, i1, i2, new, j1, j2):
                out.append(part[i1:i2])
            else:
                out.append(new[j1:j2])
        parts.append("".join(out))
    return "\u3000".join(parts)


def first_difference(old: str, new: str, context: int = 12) -> tuple[int, str, str]:
    """Column (1-based) of the first change, and a short excerpt of the old and new text around it."""
    index = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    start = max(0, index - context)
    grown = len(new) - len(old)
    return index + 1, old[start : index + context], new[start : index + context + max(grown, 0)]


class Editorial:
    """Applies the editorial rules to one content file's text fields and body."""

    def __init__(
        self, lexicon: Wordlist, sensitive: Wordlist, problems: Problems, style_cache: TextCache | None = None
    ) -> None:
        self.lexicon = lexicon
        self.sensitive = sensitive
        self.problems = problems
        self.style_cache = style_cache

    def text(self, rel: str, line: int, field: str, text: str, *, style: bool = True) -> None:
        for term, column in self.lexicon.find(text):
            self.problems.add(
                "lexicon",
                rel,
                line,
                field,
                column=column,
                value=term.text,
                right=term.right,
                note=f"（{term.note}）" if term.note else "",
            )
        for term, column in self.sensitive.find(text):
            advice = term.right or "请删除或改写"
            if term.level == "error":
                self.problems.add(
                    "sensitive-word", rel, line, field, column=column, value=term.text, advice=advice, note=term.note
                )
            else:
                self.problems.add(
                    "sensitive-word-warning",
                    rel,
                    line,
                    field,
                    column=column,
                    value=term.text,
                    advice=advice,
                    note=term.note,
                )
        if style and not text.lstrip().startswith(("|", "<")):  # tables and raw HTML are left as written
            fixed = self.style_cache.get(text, styled) if self.style_cache else styled(text)
            if fixed != text:
                column, before, after = first_difference(text, fixed)
                self.problems.add("copy-style", rel, line, field, column=column, value=before, fixed=after)

    def item(self, item: Any) -> None:
        """Title, summary, tags and body of an article or page."""
        values, line_of = item.values, item.parsed.line_of
        for name in ("title", "summary", "cover_alt", "withdrawn_reason", "milestone"):
            if name in values:
                self.text(item.rel, line_of(name), name, values[name])
        for tag in values.get("tags", []):
            self.text(item.rel, line_of("tags"), "tags", tag, style=False)
        for line, text in prose_lines(item.body, item.parsed.body_line):
            self.text(item.rel, line, "body", text)


def fix_file(path: Path) -> tuple[str, str] | None:
    """The file's text before and after the safe copy-style fixes, body only; None when nothing changes."""
    original = path.read_text(encoding="utf-8")
    lines = original.split("\n")
    fences = [i for i, line in enumerate(lines) if line.strip() == "---"]
    start = fences[1] + 1 if len(fences) >= 2 and fences[0] == 0 else 0
    fenced = False
    for index in range(start, len(lines)):
        if _FENCE.match(lines[index]):
            fenced = not fenced
            continue
        if not fenced and lines[index].strip() and not lines[index].lstrip().startswith(("|", "<")):
            lines[index] = styled(lines[index])  # tables and raw HTML are left as written, as the check does
    fixed = "\n".join(lines)
    return None if fixed == original else (original, fixed)


def first_commit_times(repo_root: Path, folder: str) -> dict[str, datetime.datetime]:
    """When each file under `folder` was first committed, from one `git log`; empty outside a git checkout."""
    try:
        result = subprocess.run(
            ["git", "log", "--relative", "--diff-filter=A", "--format=@%cI", "--name-only", "--", folder],
            cwd=repo_root,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    added: dict[str, datetime.datetime] = {}
    moment: datetime.datetime | None = None
    for line in result.stdout.splitlines():
        if line.startswith("@"):
            moment = datetime.datetime.fromisoformat(line[1:])
        elif line.strip() and moment is not None:
            added[line.strip()] = moment  # log runs newest first: the last seen is the first commit
    return added
