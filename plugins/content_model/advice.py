"""Advice that names the real fix: the id behind a name someone wrote, the English name of a field."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import schema as S
from .problems import Problems
from .slugs import is_id, slugify

# What people call a field besides its label in the schema (标题 is title's label already).
FIELD_SYNONYMS = {
    "日期": "date",
    "时间": "date",
    "发布日期": "date",
    "作者": "authors",
    "单位": "department",
    "报送单位": "department",
    "部门": "department",
    "封面": "cover",
    "编辑": "editor",
    "审核": "review",
    "链接": "source_url",
    "原文": "source_url",
    "类别": "type",
    "分类": "section",
    "关键词": "tags",
}
# Every label a contributor may type as a field name, for spotting `标题：…` before YAML reads the line.
CHINESE_FIELD_NAMES = frozenset(FIELD_SYNONYMS) | frozenset(
    f.label
    for table in (S.ARTICLE, S.COLUMN, S.TOPIC, S.PERSON, S.GALLERY, S.PAGE)
    for f in table.values()
    if not f.label.isascii()
)

_STRIP = re.compile(r"[\s\"'“”‘’《》「」『』()（）]")
CLOSE_ENOUGH = 0.6
NEAREST = 5


def english_field(name: str, fields: Mapping[str, S.Field]) -> str | None:
    """The field a Chinese field name means (标题 → title), among the fields allowed here."""
    text = _STRIP.sub("", name)
    for spec in fields.values():
        if spec.label == text or text in spec.label.split("/"):
            return spec.name
    meant = FIELD_SYNONYMS.get(text)
    return meant if meant in fields else None


def _normal(text: str) -> str:
    return _STRIP.sub("", unicodedata.normalize("NFKC", text)).lower()


def _name(entry: Any) -> str:
    """A registry entry's or an item's human name: a name, else a title."""
    return str(entry.get("name") or entry.get("title") or "")


@dataclass(frozen=True)
class Match:
    """The registry entry a written value most likely means."""

    id: str
    name: str
    exact: bool


class Registry:
    """One registry's entries, as a written value is matched against them: by name, title, pinyin or id.

    The pinyin of a name is what people type for an id (xinyangshi-kexie); article titles are too many to
    read as pinyin, and their slugs are matched as ids.
    """

    def __init__(self, known: Mapping[str, Any], *, pinyin: bool = True) -> None:
        self.known = known
        self.pinyin = pinyin

    def _forms(self, name: str) -> tuple[str, ...]:
        normal = _normal(name)
        if not normal:
            return ()
        return (normal, slugify(name)) if self.pinyin else (normal,)

    def _score(self, value: str, entry_id: str, name: str) -> float:
        ratios = [difflib.SequenceMatcher(None, value, entry_id).ratio()]
        for form in self._forms(name):
            ratios.append(difflib.SequenceMatcher(None, value, form).ratio())
        normal = _normal(name)
        if len(value) >= 2 and normal and (value in normal or normal in value):
            ratios.append(0.8)  # 信阳科协 within 信阳市科协's neighbourhood, 河南日报社 around 河南日报
        return max(ratios)

    def exact(self, value: str) -> Match | None:
        """The entry whose name or title the value is, or the pinyin of it (信阳市科协, xinyangshi-kexie)."""
        written = _normal(value)
        for entry_id, entry in self.known.items():
            name = _name(entry)
            if written and written in self._forms(name):
                return Match(entry_id, name, exact=True)
        return None

    def ranked(self, value: str) -> list[tuple[float, str]]:
        """Every entry's closeness to the value, closest first; the id in capitals counts as the id."""
        written = _normal(value)
        if written in self.known:
            return [(1.0, written)]
        scored = [(self._score(written, entry_id, _name(entry)), entry_id) for entry_id, entry in self.known.items()]
        return sorted(scored, key=lambda pair: -pair[0])

    def label(self, entry_id: str) -> str:
        """`xyskx（信阳市科协）`: an id with its name."""
        name = _name(self.known[entry_id])
        return f"{entry_id}（{name}）" if name else entry_id


def report_unknown_reference(
    problems: Problems, rel: str, line: int, field: str, value: str, registry: str, known: Mapping[str, Any]
) -> None:
    """An id that is not in its registry: point at the entry meant, or list the nearest ids and the registry."""
    zh_name, en_name, where = S.REGISTRY_NAMES[registry]
    entries = Registry(known, pinyin=registry != "articles")
    match = entries.exact(value)
    typo = difflib.get_close_matches(value, list(known), n=1, cutoff=CLOSE_ENOUGH) if is_id(value) else []
    if match is None and typo:
        suggestion_zh, suggestion_en = f"（是否想写“{typo[0]}”？）", f" (did you mean `{typo[0]}`?)"
    else:
        ranked = entries.ranked(value) if match is None else []
        if match is None and ranked and ranked[0][0] >= CLOSE_ENOUGH:
            match = Match(ranked[0][1], _name(known[ranked[0][1]]), exact=False)
        if match is not None:
            problems.add(
                "name-not-id" if match.exact else "name-not-id-close",
                rel,
                line,
                field,
                value=value,
                name=match.name or match.id,
                suggestion=match.id,
                registry_zh=zh_name,
                registry_en=en_name,
                where=where,
            )
            return
        # a small registry is listed whole, in its own order; a large one by closeness
        chosen = list(known) if len(known) <= NEAREST else [entry_id for _score, entry_id in ranked[:NEAREST]]
        listed = "、".join(entries.label(entry_id) for entry_id in chosen)
        suggestion_zh = f"（已登记的有：{listed}）" if chosen else "（登记表还是空的）"
        suggestion_en = f" (registered ids include: {', '.join(chosen)})" if chosen else " (nothing is registered yet)"
    problems.add(
        "unknown-ref",
        rel,
        line,
        field,
        value=value,
        registry_zh=zh_name,
        registry_en=en_name,
        where=where,
        suggestion_zh=suggestion_zh,
        suggestion_en=suggestion_en,
    )
