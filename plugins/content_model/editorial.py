"""Editorial rules of the pull-request gate: house lexicon, sensitive words, copy style, links, stale columns."""

from __future__ import annotations

import datetime
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import TextCache
from .copystyle import STYLED_FIELDS, first_difference, prose_lines, styled, styles
from .frontmatter import parse_yaml, read_text
from .problems import Problems
from .schema import LEXICON_ENTRY, NOTICE, SENSITIVE_ENTRY
from .validate import Validator

# The word lists and the urgent notice, in content/data/ beside the registries.
LEXICON_FILE = "data/lexicon.yml"
SENSITIVE_FILE = "data/sensitive.yml"
NOTICE_FILE = "data/notice.yml"


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
        if style and styles(text):
            fixed = self.style_cache.get(text, styled) if self.style_cache else styled(text)
            if fixed != text:
                column, before, after = first_difference(text, fixed)
                self.problems.add("copy-style", rel, line, field, column=column, value=before, fixed=after)

    def item(self, item: Any) -> None:
        """Title, summary, tags and body of an article or page."""
        values, line_of = item.values, item.parsed.line_of
        for name in STYLED_FIELDS:
            if name in values:
                self.text(item.rel, line_of(name), name, values[name])
        for tag in values.get("tags", []):
            self.text(item.rel, line_of("tags"), "tags", tag, style=False)
        for line, text in prose_lines(item.body, item.parsed.body_line):
            self.text(item.rel, line, "body", text)


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
