"""Setting one review stage in a file's own text: every other byte stays, in each way `review` can be written."""

from __future__ import annotations

import pytest
import yaml

from content_model.review_field import ReviewEditError, review_of, set_review, without_review, yaml_name
from content_model.schema import REVIEW_STAGES


def _set(text: str, stage: str, name: str = "赵磊") -> str:
    return set_review(text, stage, name, REVIEW_STAGES)


@pytest.mark.parametrize(
    ("before", "stage", "after"),
    [
        # absent: one line before the closing fence
        (
            "---\ntitle: 甲\nstatus: draft\n---\n正文\n",
            "first",
            "---\ntitle: 甲\nstatus: draft\nreview: {first: 赵磊}\n---\n正文\n",
        ),
        # flow mapping: replace, append, insert in stage order, keep comments and other quoting
        ("---\nreview: {first: 陈静}  # 初审\n---\n", "first", "---\nreview: {first: 赵磊}  # 初审\n---\n"),
        ("---\nreview: {first: 陈静}\n---\n", "second", "---\nreview: {first: 陈静, second: 赵磊}\n---\n"),
        ("---\nreview: {final: '孙敏'}\n---\n", "second", "---\nreview: {second: 赵磊, final: '孙敏'}\n---\n"),
        ("---\nreview: {}\n---\n", "final", "---\nreview: {final: 赵磊}\n---\n"),
        (
            "---\nreview: {first: 陈静,\n  final: 孙敏}\n---\n",
            "second",
            "---\nreview: {first: 陈静,\n  second: 赵磊, final: 孙敏}\n---\n",
        ),
        # block mapping: replace, add a line with the same indentation, in stage order
        (
            "---\nreview:\n    first: 陈静\n\nx: 1\n---\n",
            "final",
            "---\nreview:\n    first: 陈静\n    final: 赵磊\n\nx: 1\n---\n",
        ),
        ("---\nreview:\n  final: 孙敏\n---\n", "first", "---\nreview:\n  first: 赵磊\n  final: 孙敏\n---\n"),
        ('---\nreview:\n  first: "陈静"\n---\n', "first", "---\nreview:\n  first: 赵磊\n---\n"),
        # empty value
        ("---\nreview:   # 待填\nx: 1\n---\n", "second", "---\nreview: {second: 赵磊}   # 待填\nx: 1\n---\n"),
        # CRLF and a byte-order mark stay as they are
        (
            "\ufeff---\r\ntitle: 甲\r\n---\r\n正文\r\n",
            "first",
            "\ufeff---\r\ntitle: 甲\r\nreview: {first: 赵磊}\r\n---\r\n正文\r\n",
        ),
        (
            "---\r\nreview:\r\n  first: 陈静\r\n---\r\n",
            "second",
            "---\r\nreview:\r\n  first: 陈静\r\n  second: 赵磊\r\n---\r\n",
        ),
    ],
)
def test_one_stage_is_set_and_nothing_else_changes(before: str, stage: str, after: str) -> None:
    assert _set(before, stage) == after
    assert without_review(after) == without_review(before)
    assert review_of(after) == {**(review_of(before) or {}), stage: "赵磊"}


def test_the_body_and_other_fields_are_kept_byte_for_byte() -> None:
    front = "---\ntitle: '\"引号\"的标题'   # 注释\ntags:  [甲,乙]\nreview: {first: 陈静}\n\n---\n"
    text = front + "\n正文 review: {first: x}\n"
    edited = _set(text, "final")
    assert edited == text.replace("{first: 陈静}", "{first: 陈静, final: 赵磊}")


@pytest.mark.parametrize("name", ["O'Brien", "a: b", "甲, 乙", "{x}", "- 甲", "#1", "yes", "null", "1", " 甲"])
def test_names_that_yaml_would_read_otherwise_are_quoted(name: str) -> None:
    edited = _set("---\nreview: {first: 陈静}\n---\n", "second", name)
    assert review_of(edited) == {"first": "陈静", "second": name}
    assert yaml.safe_load(yaml_name(name)) == name


@pytest.mark.parametrize(
    "text",
    [
        "没有头信息\n",
        "---\ntitle: [未闭合\n---\n",
        "---\nreview: 陈静\n---\n",
        "---\nreview: [陈静, 赵磊]\n---\n",
        "---\nreview: {first: [陈静]}\n---\n",
        "---\ntitle: 甲\n",
    ],
)
def test_front_matter_that_cannot_be_edited_safely_is_refused(text: str) -> None:
    with pytest.raises(ReviewEditError) as refused:
        _set(text, "first")
    assert refused.value.zh and refused.value.en


def test_without_review_takes_out_only_the_review_lines() -> None:
    text = "---\ntitle: 甲\nreview:\n  first: 陈静  # 注\n  second: 赵磊\nstatus: published\n---\n正文\n"
    assert without_review(text) == "---\ntitle: 甲\nstatus: published\n---\n正文\n"
    assert without_review("---\ntitle: 甲\n---\n") == "---\ntitle: 甲\n---\n"
    assert without_review("---\ntitle: [\n---\n") is None
