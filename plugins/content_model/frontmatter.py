"""Splits a content file into YAML front matter and Markdown body, once, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.error import MarkedYAMLError, YAMLError

from .problems import Problems
from .yaml_lines import scan

_FENCE = re.compile(r"^---[ \t]*$")
_CLOSE = re.compile(r"^(---|\.\.\.)[ \t]*$")
# Generous for any article (a long front matter is 2 KiB), small enough that no file can make reading it costly.
MAX_FRONT_MATTER = 64 * 1024
_TOP_KEY = re.compile(r"^[\"']?([^\s:：#\"'][^:：\"']*?)[\"']?[ \t]*[:：]")


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
    unreadable: frozenset[str] = frozenset()  # fields left out because YAML could not read their lines

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


_INT, _FLOAT = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


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
# YAML 1.1 reads yes/no/on/off as booleans, and 9:30 as the number 570 (base 60): a title "No" and a time
# 9:30 must stay text. Only true/false are booleans, and numbers are written in base 10.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:bool", _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    _INT,
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


@dataclass(frozen=True)
class Lines:
    """Where the keys and items of a parsed YAML node are, 0-based, as the checker reports them."""

    node: Any
    unreadable: frozenset[str] = frozenset()  # top-level keys whose lines were left out: YAML could not read them

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
    if "cannot start any token" in problem:
        return "值以 YAML 的特殊符号（如 @ 或 `）开头，请把整个值用引号括起来"
    if "expected key" in problem or "block end" in problem:
        return "缩进不对，或值以引号、括号开头后面还有文字"
    return "无法解析"


def _error_line(error: MarkedYAMLError) -> tuple[int, int]:
    """The 0-based line and 1-based column of a YAML error where the contributor's slip is.

    An unclosed quote or bracket is noticed lines later: the line that opened it is the one to fix.
    """
    mark, context = error.problem_mark, error.context_mark
    opened = (error.context or "").startswith(("while scanning", "while parsing a flow"))
    if context is not None and opened and (mark is None or context.line <= mark.line):
        mark = context
    return (mark.line, mark.column + 1) if mark is not None else (0, 0)


class _Reader:
    """Reads YAML text and, when a line cannot be read, reports it and reads the rest without its block.

    A block is a top-level key with its indented lines (or a top-level list item): leaving one out keeps the
    line numbers and lets every other field be checked, so that one slip does not hide the others.
    """

    def __init__(self, lines: list[str], mended: set[int], rel: str, problems: Problems, first_line: int) -> None:
        self.lines = lines
        self.mended = mended
        self.rel = rel
        self.problems = problems
        self.first_line = first_line
        self.left_out: set[int] = set()
        self.unreadable: set[str] = set()

    @cached_property
    def starts(self) -> list[int | None]:
        """For each line, the first line of its block (None before the first block): needed only on an error."""
        starts: list[int | None] = []
        current = None
        for index, line in enumerate(self.lines):
            if line.strip() and not line[0].isspace() and not line.startswith("#"):
                current = index
            starts.append(current)
        return starts

    def _block(self, line: int) -> list[int]:
        """The 0-based lines of the block a line belongs to."""
        line = min(max(line, 0), len(self.lines) - 1)
        start = self.starts[line]
        if start is None:
            return [line]
        end = next((i for i in range(start + 1, len(self.lines)) if self.starts[i] != start), len(self.lines))
        return list(range(start, end))

    def _leave_out(self, line: int) -> bool:
        """Leave out the block of a 0-based line; False when there is nothing more to leave out."""
        block = self._block(line)
        start = self.starts[block[0]]
        if start is not None:
            key = _TOP_KEY.match(self.lines[start])
            if key:
                self.unreadable.add(key.group(1).strip())
        fresh = [i for i in block if i not in self.left_out and self.lines[i].strip()]
        self.left_out.update(block)
        return bool(fresh)

    def text(self) -> str:
        return "\n".join("" if i in self.left_out else line for i, line in enumerate(self.lines))

    def anchors(self, text: str) -> list[tuple[int, int, str]]:
        """Every anchor (&a) and alias (*a), found from the parser's events before anything is built from them."""
        found: list[tuple[int, int, str]] = []
        loader = _Loader(text)
        try:
            while loader.check_event():
                event = loader.get_event()
                anchor = getattr(event, "anchor", None)
                if anchor:
                    sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
                    found.append((event.start_mark.line, event.start_mark.column + 1, sign + anchor))
        except MarkedYAMLError:
            pass  # reported when the text is read; anchors before the error are left out first
        finally:
            loader.dispose()
        return found

    def read(self) -> tuple[Any, Lines] | None:
        while True:
            text = self.text()
            # An alias can stand for a tree many times its size (the "billion laughs"): refused before building.
            if "&" in text or "*" in text:
                found = self.anchors(text)
                for line, column, sign in found:
                    self.problems.add("yaml-alias", self.rel, self.first_line + line, column=column, value=sign)
                if found:
                    if not any([self._leave_out(line) for line, _column, _sign in found]):
                        return None
                    continue
            loader = _Loader(text)
            try:
                node = loader.get_single_node()
                value = loader.construct_document(node) if node is not None else None
            except _Duplicate as error:
                line = error.problem_mark.line if error.problem_mark else 0
                self.problems.add("yaml-duplicate-key", self.rel, self.first_line + line, error.key)
                if not self._leave_out(line):
                    return None
                continue
            except MarkedYAMLError as error:
                line, column = _error_line(error)
                if self.mended.intersection(self._block(line)):
                    # The slip reported on that line is the likely cause: one message for one mistake.
                    if not self._leave_out(line):
                        return None
                    continue
                detail = f"{error.problem or error.context}"
                self.problems.add(
                    "yaml-syntax",
                    self.rel,
                    self.first_line + line,
                    column=column,
                    detail=detail,
                    detail_zh=_yaml_detail_zh(error),
                )
                if not self._leave_out(line):
                    return None
                continue
            except YAMLError as error:
                self.problems.add("yaml-syntax", self.rel, self.first_line, detail=str(error), detail_zh="无法解析")
                return None
            finally:
                loader.dispose()
            return plain(value), Lines(node, frozenset(self.unreadable))


def parse_yaml(text: str, rel: str, problems: Problems, first_line: int = 1) -> tuple[Any, Lines] | None:
    """Parse YAML text once; return (plain value, where its parts are) or record why it can't be and return None.

    Every slip found on a line is reported, and what can still be read is read: the value of a front matter
    with one bad line holds every other field, and `Lines.unreadable` names the fields that were left out.
    """
    meant, mended = scan(text.split("\n"), rel, problems, first_line)
    return _Reader(meant, mended, rel, problems, first_line).read()


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


def fences(lines: list[str]) -> tuple[int, int | None]:
    """The indexes of the front matter's opening and closing lines (LF lines, no BOM).

    The first is the first line that is not blank, whether or not it is `---`; the second is None when the
    front matter is not closed.
    """
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or not _FENCE.match(lines[start]):
        return start, None
    return start, next((i for i in range(start + 1, len(lines)) if _CLOSE.match(lines[i])), None)


def parse_file(path: Path, rel: str, problems: Problems) -> Parsed:
    """Parse one Markdown content file; on failure `ok` is False and the problems say why."""
    parsed = Parsed(path=path, rel=rel)
    text = read_text(path, rel, problems)
    if text is None:
        return parsed
    lines = text.split("\n")
    start, end = fences(lines)
    if start >= len(lines) or not _FENCE.match(lines[start]):
        problems.add("no-front-matter", rel, start + 1)
        return parsed
    if end is None:
        problems.add("front-matter-unclosed", rel, len(lines))
        return parsed
    yaml_text = "\n".join(lines[start + 1 : end])
    first_line = start + 2
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FRONT_MATTER:
        problems.add(
            "front-matter-too-large", rel, start + 1, size=f"{size // 1024}", limit=f"{MAX_FRONT_MATTER // 1024}"
        )
        return parsed
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
    parsed.unreadable = where.unreadable
    _record_lines(parsed, where, first_line)
    parsed.body = "\n".join(lines[end + 1 :])
    parsed.body_line = end + 2
    parsed.ok = True
    return parsed
