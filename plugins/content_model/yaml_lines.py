"""Slips of a Chinese keyboard in YAML lines (full-width colons, Tab indents, …), found before YAML reads them."""

from __future__ import annotations

import re
from collections import defaultdict

from . import schema as S
from .advice import CHINESE_FIELD_NAMES
from .problems import Problems


def _kinds_by_name() -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = defaultdict(set)

    def walk(fields: tuple[S.Field, ...]) -> None:
        for spec in fields:
            kinds[spec.name].add(spec.kind)
            walk(spec.subfields)

    for table in (S.ARTICLE, S.COLUMN, S.TOPIC, S.PERSON, S.GALLERY, S.PAGE, S.NOTICE):
        walk(tuple(table.values()))
    return kinds


_KINDS = _kinds_by_name()
FIELD_NAMES = frozenset(_KINDS)
LIST_FIELDS = frozenset(name for name, kinds in _KINDS.items() if kinds <= {S.TEXTS, S.IDS})
STRUCTURE_FIELDS = LIST_FIELDS | frozenset(
    name for name, kinds in _KINDS.items() if kinds <= {S.TEXTS, S.IDS, S.MAPPING, S.MAPPINGS}
)
TEXT_FIELDS = frozenset(name for name, kinds in _KINDS.items() if kinds == {S.TEXT})

_CHINESE_KEY = "|".join(sorted(map(re.escape, CHINESE_FIELD_NAMES), key=len, reverse=True))
_KEY_LINE = re.compile(
    r"^(?P<indent>[ \t\u3000]*)(?P<dash>-[ \t]+)?"
    rf"(?P<key>[A-Za-z_][A-Za-z0-9_]*|{_CHINESE_KEY})(?P<gap>[ \t]*)(?P<colon>[:：])(?P<after>.*)$"
)
_INDENT = re.compile(r"^[ \t\u3000]*")
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060]")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*[ \t]*(#.*)?$")
_FLOW_KEY = re.compile(r"(?P<space>[ \t]*)(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*(?P<colon>[:：])[ \t]*")
_HASHTAG = re.compile(r"\S #\S")  # `2020年 #科普日# 活动`: YAML drops everything from ` #` as a comment
_LIST_MARKS = {"【": "[", "［": "[", "】": "]", "］": "]", "｛": "{", "｝": "}"}
_FULLWIDTH_OPENING = "【［｛"
_ASCII_BRACKETS = str.maketrans("【［｛】］｝", "[[{]]}")
_FLOW_SUSPECT = re.compile("[：，、；【［｛】］｝]")
# A top-level key with nothing after it, or a block or a list that goes on below: what may nest under it.
_OPENS_BLOCK = re.compile(r"^[^:：#]+[:：][ \t]*(?:[|>][-+0-9]*[ \t]*|[\[{][^\]}]*)?(?:#.*)?$")
_NESTED_KEY = re.compile(r"^[ \t\u3000]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*[:：]")
# `title 科协要闻`: a field name, a space and a value, with no colon at all on the line.
_NO_COLON = re.compile(rf"^([A-Za-z_][A-Za-z0-9_]*|{_CHINESE_KEY})[ \t\u3000]+([^:：#\s][^:：]*)$")
# A line none of the rules can find fault with (`type: news`, `date: 2020-07-20 09:30`) is passed at once.
_SUSPECT = re.compile(
    "[\t\u3000：，、；【［｛】］｝“”‘’「」『』\"'#\\[{|>\ufeff\u200b\u200c\u200d\u2060]|^[ -]*[^\\s:]+:(?!//)\\S"
)
_FULLWIDTH_CLOSING = "】］｝"
_CHINESE_QUOTES = "“‘「『"
INVISIBLE_NAMES = {  # what each is called, in Chinese and in English
    "\ufeff": ("BOM（U+FEFF）", "a BOM (U+FEFF)"),
    "\u200b": ("零宽空格（U+200B）", "a zero-width space (U+200B)"),
    "\u200c": ("零宽字符（U+200C）", "a zero-width non-joiner (U+200C)"),
    "\u200d": ("零宽字符（U+200D）", "a zero-width joiner (U+200D)"),
    "\u2060": ("零宽字符（U+2060）", "a word joiner (U+2060)"),
}


def _closing_quote(value: str) -> int | None:
    """Index of the quote that closes the one value starts with, or None."""
    quote = value[0]
    index = 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1 : index + 2] == "'":
                index += 2
                continue
            return index
        index += 1
    return None


def _closing_bracket(value: str) -> int | None:
    """Index of the bracket that closes the one value starts with (quotes inside respected), or None."""
    depth, quote = 0, ""
    for index, char in enumerate(value):
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return index
    return None


def single_quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _rest_after(value: str, end: int) -> str:
    """What follows a closed quote or bracket, less a trailing comment."""
    rest = value[end + 1 :]
    return "" if re.match(r"^\s*(#.*)?$", rest) else rest.strip()


class _Scanner:
    """Walks the lines once, keeping what spans lines: a block scalar's body is text, not YAML to check."""

    def __init__(self, lines: list[str], rel: str, problems: Problems, first_line: int) -> None:
        self.lines = list(lines)
        self.rel = rel
        self.problems = problems
        self.first = first_line  # the file's line number of the first line
        self.mended: set[int] = set()  # lines read as meant: a YAML error there is the slip already reported
        self.block_indent: int | None = None  # the indent of the key that opened a block scalar
        self.top_has_value = False  # the last top-level key has its value on its line: nothing may nest under it

    def run(self) -> tuple[list[str], set[int]]:
        for index, line in enumerate(self.lines):
            indent = len(_INDENT.match(line).group(0))
            if self.block_indent is not None:
                if not line.strip() or indent > self.block_indent:
                    continue
                self.block_indent = None
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            nested_key = indent > 0 and self.top_has_value and _NESTED_KEY.match(line)
            if indent == 0:
                # a list item (as registries may write) or a key with nothing after it: lines nest under it
                self.top_has_value = not (line.startswith("-") or _OPENS_BLOCK.match(line))
            if nested_key or _SUSPECT.search(line) or (indent == 0 and _NO_COLON.match(line)):
                self.lines[index] = self.line(index, line)
        return self.lines, self.mended

    def line(self, index: int, line: str) -> str:
        """The line as meant, with every slip on it recorded; the line itself when it has none."""
        before = len(self.problems.items)
        meant = self._mend(index, line)
        if len(self.problems.items) == before:
            return line
        self.mended.add(index)
        return meant

    def _mend(self, index: int, line: str) -> str:
        missing = _NO_COLON.match(line)
        if missing:
            self.problems.add(
                "yaml-colon-missing",
                self.rel,
                self.first + index,
                missing.group(1),
                column=missing.end(1) + 1,
                value=missing.group(2).strip(),
            )
            return f"{missing.group(1)}: {missing.group(2).strip()}"
        nested = _NESTED_KEY.match(line)
        if nested and self.top_has_value and line[:1].isspace():
            self.problems.add("yaml-indent", self.rel, self.first + index, nested.group(1), column=1)
            line = line.lstrip(" \t\u3000")
        for match in _INVISIBLE.finditer(line):
            self.problems.add(
                "yaml-invisible-char",
                self.rel,
                self.first + index,
                column=match.start() + 1,
                what_zh=INVISIBLE_NAMES[match.group(0)][0],
                what_en=INVISIBLE_NAMES[match.group(0)][1],
            )
        line = _INVISIBLE.sub("", line)
        indent = _INDENT.match(line).group(0)
        if "\t" in indent:
            self.problems.add("yaml-tab", self.rel, self.first + index, column=indent.index("\t") + 1)
        if "\u3000" in indent:
            self.problems.add("yaml-fullwidth-space", self.rel, self.first + index, column=indent.index("\u3000") + 1)
        if indent.strip(" "):
            line = indent.replace("\t", "  ").replace("\u3000", "  ") + line[len(indent) :]
        match = _KEY_LINE.match(line)
        if match is None or (not match.group("key").isascii() and (match.group("indent") or match.group("dash"))):
            return self.flow_line(index, line, len(indent))
        key, after = match.group("key"), match.group("after")
        head = line[: match.start("colon")]
        colon_at = match.start("colon") + 1
        if match.group("colon") == "：":
            self.problems.add("yaml-fullwidth-colon", self.rel, self.first + index, key, column=colon_at)
            after = after.lstrip(" \t\u3000")
        elif after.startswith("\u3000"):
            self.problems.add("yaml-fullwidth-space", self.rel, self.first + index, key, column=colon_at + 1)
            after = after.lstrip("\u3000")
        elif after and after[0] not in " \t" and not after.startswith("//"):
            self.problems.add(
                "yaml-colon-space", self.rel, self.first + index, key, column=colon_at + 1, value=after.strip()
            )
        value = after.strip()
        value_at = len(head) + 2 + (len(after) - len(after.lstrip()))  # as the repaired line has it
        value = self.value(index, key, value, value_at)
        if _BLOCK_SCALAR.match(value):
            self.block_indent = len(match.group("indent")) + len(match.group("dash") or "")
        return f"{head}: {value}" if value else f"{head}:"

    def value(self, index: int, key: str, value: str, column: int) -> str:
        """Check a `key: value` line's value; return it as YAML would read it as meant."""
        if not value or value.startswith("#"):
            return value
        first = value[0]
        if first in _CHINESE_QUOTES and (": " in value or value.endswith(":")):
            return self.needs_quotes(index, key, column, value, single_quoted(value))
        if first in "\"'":
            end = _closing_quote(value)
            if end is None:
                if len(value) > 1 and value[-1] in "”’“‘":
                    self.problems.add(
                        "yaml-quote-mismatch",
                        self.rel,
                        self.first + index,
                        key,
                        column=column + len(value) - 1,
                        opening=first,
                        closing=value[-1],
                    )
                    return value[:-1] + first
                return value  # a quoted value over several lines: YAML says whether it closes
            if _rest_after(value, end):
                double = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
                return self.needs_quotes(index, key, column, value, single_quoted(value) if first == '"' else double)
            return value
        if first in "[{" + _FULLWIDTH_OPENING and key in STRUCTURE_FIELDS:
            # the list itself, not a comment after it (`authors: []   # 作者，如 [张华]`)
            end = _closing_bracket(value.translate(_ASCII_BRACKETS))
            if end is None:
                comment = re.search(r"\s#", value)
                end = (comment.start() if comment else len(value)) - 1
            listed, rest = value[: end + 1], value[end + 1 :]
            return self.flow(index, listed, column - 1, key in LIST_FIELDS, key) + rest
        if first in "[{":
            end = _closing_bracket(value)
            if end is not None and _rest_after(value, end):
                return self.needs_quotes(index, key, column, value, single_quoted(value))
            return value
        written = re.split(r"\s#", value, maxsplit=1)[0]  # less a comment after it
        if key in LIST_FIELDS and any(mark in written for mark in "，、；"):
            # `authors: 张华、李文博` is a list typed without its brackets
            return self.flow(index, f"[{written.strip()}]", column - 2, True, key)
        if key in TEXT_FIELDS and _HASHTAG.search(value):
            at = _HASHTAG.search(value).start() + 2
            self.problems.add(
                "yaml-comment-in-value",
                self.rel,
                self.first + index,
                key,
                column=column + at,
                value=value,
                fixed=single_quoted(value),
            )
            return single_quoted(value)
        return value

    def needs_quotes(self, index: int, key: str, column: int, value: str, meant: str) -> str:
        """A value YAML cannot read unquoted (`"最美"李明`, `[重要]通知`): say how to quote it, and read it so."""
        self.problems.add(
            "yaml-value-needs-quotes", self.rel, self.first + index, key, column=column, value=value, fixed=meant
        )
        return meant

    def flow(self, index: int, text: str, offset: int, list_field: bool, key: str = "") -> str:
        """A list or braces typed on a Chinese keyboard: `{first：陈静}`, `[科技，脱贫]`, `【科技, 脱贫】`.

        A full-width comma separates items in a list of texts or ids, or before a key; elsewhere it is text.
        """
        if not _FLOW_SUSPECT.search(text):
            return text  # the common case, seen at once
        brackets = text[:1] in _FULLWIDTH_OPENING
        out: list[str] = []
        marks: list[tuple[int, str]] = []  # where a full-width mark stands for a list's own
        quote, position = "", 0
        while position < len(text):
            char = text[position]
            position += 1
            if quote or char in "\"'":
                quote = "" if char == quote else (quote or char)
                out.append(char)
                continue
            if brackets and (char in _FULLWIDTH_OPENING or char in _FULLWIDTH_CLOSING):
                marks.append((position, char))
                char = _LIST_MARKS[char]
            elif char in "，、；" and (list_field or _FLOW_KEY.match(text, position)):
                marks.append((position, char))
                char = ", "
            if char in "{[," or char == ", ":
                out.append(char)
                name = _FLOW_KEY.match(text, position)
                if name and name.group("colon") == "：":
                    self.problems.add(
                        "yaml-fullwidth-colon",
                        self.rel,
                        self.first + index,
                        name.group("key"),
                        column=offset + name.start("colon") + 1,
                    )
                    out.append(f"{name.group('space')}{name.group('key')}: ")
                    position = name.end()
                continue
            out.append(char)
        fixed = re.sub(r", +", ", ", "".join(out))
        if marks:
            at, mark = marks[0]
            self.problems.add(
                "yaml-fullwidth-list",
                self.rel,
                self.first + index,
                key,
                column=offset + at,
                mark=mark,
                value=text,
                fixed=fixed,
            )
        return fixed

    def flow_line(self, index: int, line: str, start: int) -> str:
        """`- {media：henan-daily, …}`: a list item in braces, as registries and `adopted_by` write them."""
        body = line[start:]
        item = re.match(r"-[ \t]+", body)
        text = body[item.end() :] if item else body
        if not text.startswith(("{", "[")):
            return line
        at = len(line) - len(text)
        return line[:at] + self.flow(index, text, at, list_field=False)


def scan(lines: list[str], rel: str, problems: Problems, first_line: int = 1) -> tuple[list[str], set[int]]:
    """Report every slip in the lines; return the lines as they read with each slip mended (to read the rest),
    and the indexes of the mended lines.

    `first_line` is the file's line number of the first of `lines`.
    """
    return _Scanner(lines, rel, problems, first_line).run()
