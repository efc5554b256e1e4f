"""Splits a content file into YAML front matter and Markdown body, once, keeping line numbers."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .problems import Problems

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")


@dataclass
class Parsed:
    """A content file's front matter (plain Python values) with the line of every key."""

    path: Path
    rel: str
    fields: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[tuple[str, int], int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    ok: bool = False

    def line_of(self, name: str, index: int | None = None) -> int:
        """Line of a field, or of one item of a list field; 1-based."""
        if index is not None and (name, index) in self.item_lines:
            return self.item_lines[(name, index)]
        return self.lines.get(name, 1)


class _Constructor(RoundTripConstructor):
    """Dates stay text here: times.parse_time reads them, so a bad date gets its own clear message."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def plain(value: Any) -> Any:
    """ruamel's round-trip types to plain Python values (str, int, bool, date, list, dict)."""
    if isinstance(value, (CommentedMap, dict)):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (CommentedSeq, list)):
        return [plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second)
    if isinstance(value, datetime.date):
        return datetime.date(value.year, value.month, value.day)
    if isinstance(value, str):
        return str(value)
    return value


def _yaml_detail_zh(error: MarkedYAMLError) -> str:
    problem = (error.problem or "").lower()
    if "mapping values are not allowed" in problem:
        return "这一行多了一个冒号，值中含冒号时请用引号括起来"
    if "could not find expected ':'" in problem:
        return "缺少冒号，应写成“字段: 值”"
    if "found character '\\t'" in problem or "tab" in problem:
        return "不能用 Tab 缩进，请用空格"
    if "expected ',' or ']'" in problem or "flow sequence" in problem:
        return "方括号列表没有正确结束"
    if "expected ',' or '}'" in problem or "flow mapping" in problem:
        return "花括号没有正确结束"
    if "found unexpected end of stream" in problem or "quoted scalar" in problem:
        return "引号没有成对"
    return "无法解析"


def parse_yaml(text: str, rel: str, problems: Problems, first_line: int = 1) -> tuple[Any, Any] | None:
    """Parse YAML text; return (plain value, raw ruamel node) or record the error and return None."""
    try:
        raw = _yaml().load(text)
    except DuplicateKeyError as error:
        mark = error.problem_mark
        name = ""
        match = re.search(r'found duplicate key "([^"]*)"', str(error))
        if match:
            name = match.group(1)
        line = first_line + (mark.line if mark else 0)
        problems.add("yaml-duplicate-key", rel, line, name)
        return None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 0
        detail = f"{error.problem or error.context}"
        problems.add("yaml-syntax", rel, line, column=column, detail=detail, detail_zh=_yaml_detail_zh(error))
        return None
    except YAMLError as error:
        problems.add("yaml-syntax", rel, first_line, detail=str(error), detail_zh="无法解析")
        return None
    return plain(raw), raw


def _record_lines(parsed: Parsed, raw: CommentedMap, offset: int) -> None:
    for key in raw:
        line, _col = raw.lc.key(key)
        parsed.lines[str(key)] = offset + line
        value = raw[key]
        if isinstance(value, CommentedSeq):
            for index in range(len(value)):
                item_line, _ = value.lc.item(index)
                parsed.item_lines[(str(key), index)] = offset + item_line


def read_text(path: Path, rel: str, problems: Problems) -> str | None:
    """Read a file as UTF-8 (BOM tolerated) with LF endings, or record why it can't be."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add("not-utf8", rel, line, at=line)
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_file(path: Path, rel: str, problems: Problems) -> Parsed:
    """Parse one Markdown content file; on failure `ok` is False and the problems say why."""
    parsed = Parsed(path=path, rel=rel)
    text = read_text(path, rel, problems)
    if text is None:
        return parsed
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or not _FENCE.match(lines[start]):
        problems.add("no-front-matter", rel, start + 1)
        return parsed
    end = next((i for i in range(start + 1, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is None:
        problems.add("front-matter-unclosed", rel, len(lines))
        return parsed
    yaml_text = "\n".join(lines[start + 1 : end])
    first_line = start + 2
    result = parse_yaml(yaml_text, rel, problems, first_line)
    if result is None:
        return parsed
    value, raw = result
    if value is None:
        value, raw = {}, CommentedMap()
    if not isinstance(value, dict):
        problems.add("yaml-not-mapping", rel, first_line)
        return parsed
    parsed.fields = value
    _record_lines(parsed, raw, first_line)
    parsed.body = "\n".join(lines[end + 1 :])
    parsed.body_line = end + 2
    parsed.ok = True
    return parsed
