"""The `review` field in a file's own text: where it is, the text without it, and setting one stage in place."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from .frontmatter import _CLOSE, _FENCE, plain

# A name written without quotes reads back as the same text in any YAML context, flow mappings included.
_PLAIN_NAME = re.compile(r"^[^\s\"'#:,\[\]{}&*!|>%@`?-][^\"'#:,\[\]{}]*(?<!\s)$")


class ReviewEditError(ValueError):
    """The file's front matter cannot be edited safely; says why in both languages."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class _Place:
    """Where the front matter's YAML is in the text, and the line ending the file uses."""

    start: int  # offset of the first YAML character
    end: int  # offset of the closing fence line
    newline: str


def _front_matter(text: str) -> _Place | None:
    lines = text.splitlines(keepends=True)
    offset = 0
    index = 0
    if lines and lines[0].startswith("\ufeff"):
        lines[0] = lines[0][1:]
        offset = 1
    while index < len(lines) and not lines[index].strip():
        offset += len(lines[index])
        index += 1
    if index >= len(lines) or not _FENCE.match(lines[index].rstrip("\r\n")):
        return None
    newline = "\r\n" if lines[index].endswith("\r\n") else "\n"
    offset += len(lines[index])
    start = offset
    for line in lines[index + 1 :]:
        if _CLOSE.match(line.rstrip("\r\n")):
            return _Place(start, offset, newline)
        offset += len(line)
    return None


def _compose(text: str, place: _Place) -> yaml.MappingNode | None:
    try:
        node = yaml.compose(text[place.start : place.end], Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return yaml.MappingNode("tag:yaml.org,2002:map", [])
    return node if isinstance(node, yaml.MappingNode) else None


def _review_nodes(node: yaml.MappingNode) -> tuple[yaml.Node, yaml.Node] | None:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "review":
            return key, value
    return None


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _line_end(text: str, at: int) -> int:
    """Offset just after the line ending of the line holding offset `at`."""
    found = text.find("\n", at)
    return len(text) if found < 0 else found + 1


def _last_end(node: yaml.Node) -> int:
    """Where the last written part of a node ends (a block mapping's own end is the next key's line)."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _last_end(node.value[-1][1])
    return node.end_mark.index


def without_review(text: str) -> str | None:
    """The text with the `review` entry's lines taken out; None when the front matter cannot be read.

    Two versions of a file with equal results differ in their review field at most.
    """
    place = _front_matter(text)
    if place is None:
        return None
    node = _compose(text, place)
    if node is None:
        return None
    found = _review_nodes(node)
    if found is None:
        return text
    key, value = found
    start = _line_start(text, place.start + key.start_mark.index)
    end = _line_end(text, place.start + _last_end(value))
    return text[:start] + text[end:]


def review_of(text: str) -> dict[str, Any] | None:
    """The review mapping as written ({} when absent); None when the front matter cannot be read or is not one."""
    place = _front_matter(text)
    if place is None:
        return None
    try:
        fields = yaml.load(text[place.start : place.end], Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return None
    if fields is None:
        return {}
    if not isinstance(fields, dict):
        return None
    review = plain(fields).get("review")
    if review is None or review == "":
        return {}
    return review if isinstance(review, dict) else None


def yaml_name(name: str) -> str:
    """The name as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if _PLAIN_NAME.match(name):
        try:
            if yaml.safe_load(name) == name:
                return name
        except yaml.YAMLError:
            pass
    return json.dumps(name, ensure_ascii=False)


def set_review(text: str, stage: str, name: str, stages: tuple[str, ...]) -> str:
    """The text with review.<stage> set to `name`; every other byte as it was. `stages` gives their order."""
    place = _front_matter(text)
    if place is None:
        raise ReviewEditError("文件开头没有 YAML 头信息", "the file has no front matter")
    node = _compose(text, place)
    if node is None:
        raise ReviewEditError(
            "头信息有格式错误，请先运行 make check 改正", "its front matter has errors: run make check first"
        )
    value = yaml_name(name)
    found = _review_nodes(node)
    if found is None:
        at = place.end
        edited = text[:at] + f"review: {{{stage}: {value}}}{place.newline}" + text[at:]
    else:
        edited = _edit_review(text, place, found, stage, value, stages)
    _verify(text, edited, stage, name)
    return edited


def _edit_review(
    text: str, place: _Place, found: tuple[yaml.Node, yaml.Node], stage: str, value: str, stages: tuple[str, ...]
) -> str:
    key, review = found
    base = place.start
    if isinstance(review, yaml.ScalarNode) and review.tag == "tag:yaml.org,2002:null":
        start = base + key.end_mark.index
        end = max(text.index(":", start) + 1, base + review.end_mark.index)
        return text[:start] + f": {{{stage}: {value}}}" + text[end:]
    if not isinstance(review, yaml.MappingNode):
        raise ReviewEditError(
            "review 应写成 {first: 初审人, second: 复审人, final: 终审人}",
            "review must be written as {first: …, second: …, final: …}",
        )
    entries = [(k, v) for k, v in review.value if isinstance(k, yaml.ScalarNode)]
    for entry_key, entry_value in entries:
        if entry_key.value == stage:
            if not isinstance(entry_value, yaml.ScalarNode):
                raise ReviewEditError(f"review.{stage} 应是一个姓名", f"review.{stage} must be a name")
            start, end = base + entry_value.start_mark.index, base + entry_value.end_mark.index
            return text[:start] + value + text[end:]
    later = stages[stages.index(stage) + 1 :] if stage in stages else ()
    before = next(((k, v) for k, v in entries if k.value in later), None)
    if review.flow_style:
        if before is not None:
            at = base + before[0].start_mark.index
            return text[:at] + f"{stage}: {value}, " + text[at:]
        if entries:
            at = base + entries[-1][1].end_mark.index
            return text[:at] + f", {stage}: {value}" + text[at:]
        at = base + review.end_mark.index - 1  # the closing brace of an empty {}
        return text[:at] + f"{stage}: {value}" + text[at:]
    indent = " " * entries[0][0].start_mark.column if entries else "  "
    line = f"{indent}{stage}: {value}{place.newline}"
    if before is not None:
        at = _line_start(text, base + before[0].start_mark.index)
    else:
        at = _line_end(text, base + _last_end(review))
    if at > 0 and not text[:at].endswith("\n"):
        line = place.newline + line  # the last entry ends the file without a line ending
    return text[:at] + line + text[at:]


def _verify(old: str, new: str, stage: str, name: str) -> None:
    """The edit changed review.<stage> and nothing else, or it is refused."""
    before, after = review_of(old) or {}, review_of(new)
    expected = {**before, stage: name}
    if after != expected or without_review(old) != without_review(new):
        raise ReviewEditError(
            "无法在不改动其他内容的情况下写入 review，请手工改为 review: {first: …, second: …, final: …} 的写法后重试",
            "review cannot be set without touching anything else: rewrite it as review: {first: …, second: …, "
            "final: …} and try again",
        )
