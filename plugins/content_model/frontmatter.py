"""Splits a content file into YAML front matter and Markdown body, once, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.error import MarkedYAMLError, YAMLError

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


class _Duplicate(ConstructorError):
    """A key given twice in one mapping: YAML would keep only the last, silently."""

    def __init__(self, key: str, mark: Any) -> None:
        super().__init__(None, None, f'found duplicate key "{key}"', mark)
        self.key = key


class _Loader(yaml.CSafeLoader):
    """libyaml's parser (fast) with our rules: dates stay text, only true/false are booleans, no duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise _Duplicate(str(key), key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Dates stay text: times.parse_time reads them, so a bad date gets its own clear message.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
# YAML 1.1 reads yes/no/on/off as booleans; a title "No" must stay text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class Lines:
    """Where the keys and items of a parsed YAML node are, 0-based, as the checker reports them."""

    node: Any

    def key(self, name: str) -> int | None:
        if isinstance(self.node, yaml.MappingNode):
            for key_node, _value in self.node.value:
                if key_node.value == name:
                    return key_node.start_mark.line
        return None

    def item(self, index: int) -> int:
        return self.node.value[index].start_mark.line

    def child(self, name: str) -> Lines | None:
        if isinstance(self.node, yaml.MappingNode):
            for key_node, value_node in self.node.value:
                if key_node.value == name:
                    return Lines(value_node)
        return None


def plain(value: Any) -> Any:
    """Plain Python values (str, int, bool, float, list, dict) with string keys."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
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


def parse_yaml(text: str, rel: str, problems: Problems, first_line: int = 1) -> tuple[Any, Lines] | None:
    """Parse YAML text once; return (plain value, where its parts are) or record the error and return None."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except _Duplicate as error:
        mark = error.problem_mark
        problems.add("yaml-duplicate-key", rel, first_line + (mark.line if mark else 0), error.key)
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
    finally:
        loader.dispose()
    return plain(value), Lines(node)


def _record_lines(parsed: Parsed, lines: Lines, offset: int) -> None:
    if not isinstance(lines.node, yaml.MappingNode):
        return
    for key_node, value_node in lines.node.value:
        name = str(key_node.value)
        parsed.lines[name] = offset + key_node.start_mark.line
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                parsed.item_lines[(name, index)] = offset + item.start_mark.line


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
    value, where = result
    if value is None:
        value = {}
    if not isinstance(value, dict):
        problems.add("yaml-not-mapping", rel, first_line)
        return parsed
    parsed.fields = value
    _record_lines(parsed, where, first_line)
    parsed.body = "\n".join(lines[end + 1 :])
    parsed.body_line = end + 2
    parsed.ok = True
    return parsed
