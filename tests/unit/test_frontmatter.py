"""frontmatter.parse_file: splitting a content file into YAML front matter and body, with line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from content_model.frontmatter import Parsed, parse_file
from content_model.problems import Problems

from .conftest import assert_well_formed

REL = "content/articles/x.md"


def parse(tmp_path: Path, data: str | bytes) -> tuple[Parsed, Problems]:
    path = tmp_path / "x.md"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    problems = Problems()
    return parse_file(path, REL, problems), problems


SAMPLE = "---\ntitle: 科协要闻\ndate: 2020-07-20 09:30\ntags:\n  - 科普\n  - 科技工作者\n---\n第一段。\n\n第二段。\n"


def test_lf_file_is_split_into_fields_and_body(tmp_path):
    parsed, problems = parse(tmp_path, SAMPLE)
    assert problems.items == []
    assert parsed.ok
    assert parsed.fields["title"] == "科协要闻"
    assert parsed.fields["tags"] == ["科普", "科技工作者"]
    assert parsed.body == "第一段。\n\n第二段。\n"
    assert parsed.body_line == 8  # the line after the closing ---


def test_crlf_file_reads_like_lf(tmp_path):
    lf, _ = parse(tmp_path, SAMPLE)
    crlf, problems = parse(tmp_path, SAMPLE.replace("\n", "\r\n"))
    assert problems.items == []
    assert crlf.ok
    assert crlf.fields == lf.fields
    assert crlf.lines == lf.lines
    assert crlf.item_lines == lf.item_lines
    assert crlf.body == lf.body
    assert "\r" not in crlf.body
    assert crlf.body_line == lf.body_line


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_utf8_bom_is_accepted(tmp_path, newline):
    parsed, problems = parse(tmp_path, b"\xef\xbb\xbf" + SAMPLE.replace("\n", newline).encode("utf-8"))
    assert problems.items == []
    assert parsed.ok
    assert "title" in parsed.fields  # not "\ufefftitle"
    assert parsed.line_of("title") == 2


def test_missing_opening_fence(tmp_path):
    parsed, problems = parse(tmp_path, "title: 科协要闻\ndate: 2020-07-20\n---\n正文\n")
    assert not parsed.ok
    [problem] = problems.items
    assert problem.code == "no-front-matter"
    assert problem.line == 1
    assert_well_formed(problem, REL)


def test_empty_file_has_no_front_matter(tmp_path):
    parsed, problems = parse(tmp_path, "")
    assert not parsed.ok
    assert [p.code for p in problems.items] == ["no-front-matter"]


def test_unclosed_front_matter(tmp_path):
    parsed, problems = parse(tmp_path, "---\ntitle: 科协要闻\ndate: 2020-07-20\n\n正文没有结束行。\n")
    assert not parsed.ok
    [problem] = problems.items
    assert problem.code == "front-matter-unclosed"
    assert problem.line >= 1
    assert_well_formed(problem, REL)


@pytest.mark.parametrize(
    ("text", "line", "left_out"),
    [
        # a colon inside an unquoted value, on line 4 of the file
        ("---\ntitle: 科协要闻\ndate: 2020-07-20\nsummary: 时间: 上午\ndepartment: dyxcb\n---\n", 4, "summary"),
        # the same with CRLF
        (
            "---\r\ntitle: 科协要闻\r\ndate: 2020-07-20\r\nsummary: 时间: 上午\r\ndepartment: dyxcb\r\n---\r\n",
            4,
            "summary",
        ),
        # the colon case on line 2
        ("---\ntitle: 会议: 开幕\ndate: 2020-07-20\n---\n", 2, "title"),
        # a list left open: reported where it opens, not where YAML notices
        ("---\ntitle: 科协要闻\ntags: [科普, 青少年\ndate: 2020-07-20\n---\n", 3, "tags"),
        # a quote left open
        ('---\ntitle: 科协要闻\nsummary: "摘要\ndate: 2020-07-20\n---\n', 3, "summary"),
    ],
)
def test_yaml_syntax_error_reports_the_file_line_and_reads_the_other_fields(tmp_path, text, line, left_out):
    parsed, problems = parse(tmp_path, text)
    [problem] = problems.items
    assert problem.code == "yaml-syntax"
    assert problem.line == line
    assert problem.column >= 1
    assert problem.level == "error"
    assert_well_formed(problem, REL)
    # The line that cannot be read is left out; every other field is read and can be checked.
    assert parsed.ok
    assert parsed.unreadable == {left_out}
    assert left_out not in parsed.fields
    assert parsed.fields["date"] == "2020-07-20"


def test_duplicate_key_names_the_field(tmp_path):
    parsed, problems = parse(tmp_path, "---\ntitle: 科协要闻\ndate: 2020-07-20\ntitle: 又一个标题\n---\n")
    [problem] = problems.items
    assert problem.code == "yaml-duplicate-key"
    assert problem.field == "title"
    assert problem.line == 4
    assert "title" in problem.message_zh and "`title`" in problem.message_en
    assert_well_formed(problem, REL)
    assert parsed.unreadable == {"title"}  # which of the two is meant is the contributor's choice
    assert parsed.fields["date"] == "2020-07-20"


@pytest.mark.parametrize("yaml", ["- title\n- date\n", "只是一行文字\n", "42\n"])
def test_front_matter_that_is_not_a_mapping(tmp_path, yaml):
    parsed, problems = parse(tmp_path, f"---\n{yaml}---\n正文\n")
    assert not parsed.ok
    [problem] = problems.items
    assert problem.code == "yaml-not-mapping"
    assert problem.line == 2
    assert_well_formed(problem, REL)


def test_empty_front_matter_is_an_empty_mapping(tmp_path):
    parsed, problems = parse(tmp_path, "---\n---\n正文\n")
    assert problems.items == []
    assert parsed.ok
    assert parsed.fields == {}
    assert parsed.body == "正文\n"


def test_non_utf8_bytes_give_not_utf8_with_the_line(tmp_path):
    data = "---\ntitle: ok\nsummary: 河南省科协\n---\n".encode("gbk")  # GBK bytes on line 3
    parsed, problems = parse(tmp_path, data)
    assert not parsed.ok
    [problem] = problems.items
    assert problem.code == "not-utf8"
    assert problem.line == 3
    assert "3" in problem.message_zh and "3" in problem.message_en
    assert_well_formed(problem, REL)


def test_line_of_gives_each_key_and_each_list_item(tmp_path):
    text = (
        "---\n"  # 1
        "title: 科协要闻\n"  # 2
        "tags: [科普, 科技工作者]\n"  # 3
        "adopted_by:\n"  # 4
        "  - {media: henan-daily, date: 2020-07-22}\n"  # 5
        "\n"  # 6
        "  - {media: xinhua, date: 2020-07-23}\n"  # 7
        "people:\n"  # 8
        "  - li-ming\n"  # 9
        "  - gao-jun\n"  # 10
        "# a comment\n"  # 11
        "date: 2020-07-20\n"  # 12
        "---\n"
        "正文\n"
    )
    parsed, problems = parse(tmp_path, text)
    assert problems.items == []
    assert parsed.line_of("title") == 2
    assert parsed.line_of("tags") == 3
    assert parsed.line_of("adopted_by") == 4
    assert parsed.line_of("people") == 8
    assert parsed.line_of("date") == 12
    assert parsed.line_of("tags", 0) == 3
    assert parsed.line_of("tags", 1) == 3
    assert parsed.line_of("adopted_by", 0) == 5
    assert parsed.line_of("adopted_by", 1) == 7
    assert parsed.line_of("people", 0) == 9
    assert parsed.line_of("people", 1) == 10
    # an unknown index falls back to the key's line; an absent key to line 1
    assert parsed.line_of("people", 5) == 8
    assert parsed.line_of("absent") == 1
    assert parsed.body_line == 14


def test_line_numbers_count_the_bom_and_crlf_lines(tmp_path):
    text = "\ufeff---\r\ntitle: 科协要闻\r\n\r\ndate: 2020-07-20\r\n---\r\n正文\r\n"
    parsed, problems = parse(tmp_path, text)
    assert problems.items == []
    assert parsed.line_of("title") == 2
    assert parsed.line_of("date") == 4
    assert parsed.body_line == 6


def test_closing_fence_may_be_three_dots(tmp_path):
    parsed, problems = parse(tmp_path, "---\ntitle: 科协要闻\n...\n正文\n")
    assert problems.items == []
    assert parsed.ok
    assert parsed.body == "正文\n"
