"""Checks a mapping against a schema: types, required fields, unknown fields; registry ids are noted for later."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from . import schema as S
from .advice import english_field
from .problems import Problems
from .slugs import is_id, slugify
from .times import BadTime, parse_time, suggest_time


@dataclass(frozen=True)
class Reference:
    """An id that must exist in a registry; checked once every file has been read."""

    registry: str
    value: str
    line: int
    field: str


@dataclass
class Checked:
    """The normalised values of one mapping, and the references it makes."""

    values: dict[str, Any] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)


_EXPECTED = {
    S.TEXT: ("一段文字", "a text"),
    S.TEXTS: ("文字列表，如 [甲, 乙]", "a list of texts, like [a, b]"),
    S.ID: ("标识（小写字母、数字、连字符）", "an id (lower-case letters, digits, hyphens)"),
    S.IDS: ("标识列表，如 [a, b]", "a list of ids, like [a, b]"),
    S.INT: ("整数", "a whole number"),
    S.BOOL: ("true 或 false", "true or false"),
    S.PATH: ("文件路径", "a file path"),
    S.MAPPING: ("花括号中的字段，如 {a: 1, b: 2}", "fields in braces, like {a: 1, b: 2}"),
    S.MAPPINGS: ("列表，每项为花括号中的字段", "a list of entries in braces"),
    S.URL: ("网址", "an address"),
    S.CHOICE: ("可选值之一", "one of the choices"),
    S.TIME: ("时间", "a time"),
}


_CHINESE_OPENING = "“‘「『"
_CHINESE_CLOSING = "”’」』"


def suggestion(value: str, candidates: list[str] | tuple[str, ...]) -> tuple[str, str]:
    """A did-you-mean clause in both languages, or empty strings."""
    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    if not close:
        return "", ""
    return f"（是否想写“{close[0]}”？）", f" (did you mean `{close[0]}`?)"


class Validator:
    """Validates one file's fields, recording problems against its path and lines."""

    def __init__(self, rel: str, problems: Problems) -> None:
        self.rel = rel
        self.problems = problems

    def mapping(
        self,
        data: dict[str, Any],
        fields: dict[str, S.Field],
        line_of: Any,
        prefix: str = "",
        unreadable: frozenset[str] = frozenset(),
    ) -> Checked:
        """Check every key of `data` against `fields`; `line_of(name)` gives a key's line.

        `unreadable` names fields whose lines were left out because YAML could not read them.
        """
        checked = Checked()
        for name, value in data.items():
            label = f"{prefix}{name}"
            spec = fields.get(name)
            if spec is None:
                self._unknown(name, label, fields, line_of(name))
                continue
            if value is None or value == "" or value == []:
                continue  # an empty value is as if the field were absent
            result = self.value(spec, value, line_of(name), label, checked)
            if result is not None:
                checked.values[name] = result
        for spec in fields.values():
            if spec.name in unreadable:
                continue  # its line could not be read, and says so
            if spec.required and spec.name not in checked.values and not self._reported(spec.name, data):
                self.problems.add(
                    "required",
                    self.rel,
                    line_of(spec.name) if spec.name in data else line_of(""),
                    f"{prefix}{spec.name}",
                    label=spec.label,
                    example=spec.example,
                )
        return checked

    def _unknown(self, name: str, label: str, fields: dict[str, S.Field], line: int) -> None:
        english = english_field(name, fields)
        if english is not None:
            example = fields[english].example
            self.problems.add(
                "field-name-chinese", self.rel, line, label, value=name, suggestion=english, example=example
            )
            return
        zh, en = suggestion(name, tuple(fields))
        self.problems.add("unknown-field", self.rel, line, label, suggestion_zh=zh, suggestion_en=en)

    @staticmethod
    def _reported(name: str, data: dict[str, Any]) -> bool:
        # A present but invalid value has its own message; don't also call it missing.
        return name in data and data[name] not in (None, "", [])

    def _wrong(self, spec: S.Field, value: Any, line: int, label: str) -> None:
        zh, en = _EXPECTED[spec.kind]
        self.problems.add(
            "wrong-type", self.rel, line, label, expected_zh=zh, expected_en=en, value=value, example=spec.example
        )

    def _text(self, spec: S.Field, value: Any, line: int, label: str) -> str | None:
        if isinstance(value, (bool, dict, list)):
            self._wrong(spec, value, line, label)
            return None
        text = str(value).strip()
        if spec.kind != S.TEXT and len(text) > 1 and text[0] in _CHINESE_OPENING and text[-1] in _CHINESE_CLOSING:
            # An id, address or time between Chinese quotes: YAML keeps the quotes as part of the value.
            fixed = text[1:-1].strip()
            self.problems.add("value-in-chinese-quotes", self.rel, line, label, value=text, fixed=fixed)
            return fixed
        return text

    def _id(self, spec: S.Field, value: Any, line: int, label: str, checked: Checked) -> str | None:
        text = self._text(spec, value, line, label)
        if text is None:
            return None
        if spec.registry:
            # Checked once every file is read: a name written for an id (信阳市科协) is matched to its id there.
            checked.references.append(Reference(spec.registry, text, line, label))
            return text if is_id(text) else None
        if not is_id(text):
            self.problems.add("bad-id", self.rel, line, label, value=text, suggestion=slugify(text) or "news")
            return None
        return text

    def value(self, spec: S.Field, value: Any, line: int, label: str, checked: Checked) -> Any:
        kind = spec.kind
        if kind == S.TEXT:
            return self._text(spec, value, line, label)
        if kind == S.PATH:
            return self._text(spec, value, line, label)
        if kind in (S.TEXTS, S.IDS):
            items = value if isinstance(value, list) else [value]
            out = []
            for item in items:
                if item is None:
                    continue
                if kind == S.IDS:
                    result = self._id(spec, item, line, label, checked)
                else:
                    result = self._text(spec, item, line, label)
                if result:
                    out.append(result)
            return out
        if kind == S.ID:
            return self._id(spec, value, line, label, checked)
        if kind == S.TIME:
            text = self._text(spec, value, line, label)
            if text is None:
                return None
            try:
                return parse_time(text)
            except BadTime:
                meant = suggest_time(text)
                if meant is not None:
                    self.problems.add("date-format", self.rel, line, label, value=text, suggestion=meant)
                else:
                    self.problems.add("bad-date", self.rel, line, label, value=text)
                return None
        if kind == S.INT:
            if isinstance(value, bool) or not isinstance(value, int):
                if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
                    return int(value)
                self._wrong(spec, value, line, label)
                return None
            return value
        if kind == S.BOOL:
            if not isinstance(value, bool):
                self._wrong(spec, value, line, label)
                return None
            return value
        if kind == S.URL:
            text = self._text(spec, value, line, label)
            if text is None:
                return None
            parts = urlparse(text)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                self.problems.add("bad-url", self.rel, line, label, value=text)
                return None
            return text
        if kind == S.CHOICE:
            text = self._text(spec, value, line, label)
            if text is None:
                return None
            if text not in spec.choices:
                zh, en = suggestion(text, spec.choices)
                self.problems.add(
                    "bad-choice",
                    self.rel,
                    line,
                    label,
                    value=text,
                    choices=", ".join(spec.choices),
                    suggestion_zh=zh,
                    suggestion_en=en,
                )
                return None
            return text
        if kind == S.MAPPING:
            if not isinstance(value, dict):
                self._wrong(spec, value, line, label)
                return None
            sub = self.mapping(value, {f.name: f for f in spec.subfields}, lambda _n: line, f"{label}.")
            checked.references.extend(sub.references)
            return sub.values
        if kind == S.MAPPINGS:
            items = value if isinstance(value, list) else [value]
            out = []
            for index, item in enumerate(items):
                item_line = self.item_line(spec.name, index, line)
                if not isinstance(item, dict):
                    self._wrong(spec, item, item_line, label)
                    continue
                sub = self.mapping(
                    item, {f.name: f for f in spec.subfields}, lambda _n, ln=item_line: ln, f"{label}[{index}]."
                )
                checked.references.extend(sub.references)
                out.append(sub.values)
            return out
        raise AssertionError(f"unknown field kind {kind}")

    # Replaced per file by the caller, which knows each list item's line.
    def item_line(self, name: str, index: int, default: int) -> int:
        return default
