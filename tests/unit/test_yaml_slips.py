"""Slips of a Chinese keyboard in front matter: each reported on its own line with its own advice, the rest read."""

from __future__ import annotations

import datetime
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

import content_model
from content_model.frontmatter import MAX_FRONT_MATTER, Parsed, parse_file
from content_model.problems import Problems
from content_model.scaffold import draft

from .conftest import assert_well_formed, codes, find, one

REL = "content/articles/x.md"
REVIEW = "review: {first: 陈静, second: 赵磊, final: 孙敏}"


def parse(tmp_path: Path, text: str) -> tuple[Parsed, Problems]:
    path = tmp_path / "x.md"
    path.write_bytes(text.encode("utf-8"))
    problems = Problems()
    return parse_file(path, REL, problems), problems


def front(*lines: str) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n正文。\n"


def only(problems: Problems) -> tuple[str, int, str]:
    [problem] = problems.items
    assert_well_formed(problem, REL)
    assert problem.level == "error"
    return problem.code, problem.line, problem.field


# Full-width colons, on the line where they stand


@pytest.mark.parametrize(
    ("lines", "line", "field"),
    [
        (("title：科协要闻", "date: 2020-07-20"), 2, "title"),  # YAML itself blames line 3
        (("title: 科协要闻", "date：2020-07-20"), 3, "date"),
        (("title: 科协要闻", "review:", "  first：陈静"), 4, "first"),
        (("title: 科协要闻", "review: {first：陈静, second: 赵磊}"), 3, "first"),
        (("title: 科协要闻", "adopted_by:", "  - {media：xinhua, date: 2020-07-22}"), 4, "media"),
        (("title: 科协要闻", "adopted_by:", "  - media：xinhua", "    date: 2020-07-22"), 4, "media"),
        (("title: 科协要闻", "date ： 2020-07-20"), 3, "date"),
    ],
)
def test_a_fullwidth_colon_is_named_on_its_line(tmp_path, lines, line, field):
    parsed, problems = parse(tmp_path, front(*lines))
    assert only(problems) == ("yaml-fullwidth-colon", line, field)
    problem = problems.items[0]
    assert "全角冒号" in problem.message_zh and f"{field}: " in problem.message_zh
    assert parsed.ok and parsed.fields["title"] == "科协要闻"  # read as meant: every other field is checked


def test_a_fullwidth_colon_after_a_chinese_field_name(tmp_path):
    _parsed, problems = parse(tmp_path, front("标题：科协要闻", "date: 2020-07-20"))
    assert only(problems) == ("yaml-fullwidth-colon", 2, "标题")


def test_a_fullwidth_colon_inside_a_value_is_text(tmp_path):
    parsed, problems = parse(tmp_path, front("title: 会议：开幕", "summary: |", "  时间：上午", "  地点：郑州"))
    assert problems.items == []
    assert parsed.fields["title"] == "会议：开幕"


def test_no_space_after_the_colon(tmp_path):
    parsed, problems = parse(tmp_path, front("title:科协要闻", "source_url:https://www.example.org/a"))
    assert [(p.code, p.line, p.field) for p in problems.items] == [
        ("yaml-colon-space", 2, "title"),
        ("yaml-colon-space", 3, "source_url"),
    ]
    assert "title: 科协要闻" in problems.items[0].message_zh
    assert parsed.fields == {"title": "科协要闻", "source_url": "https://www.example.org/a"}


@pytest.mark.parametrize(("line", "field"), [("title 科协要闻", "title"), ("标题\u3000科协要闻", "标题")])
def test_a_missing_colon(tmp_path, line, field):
    parsed, problems = parse(tmp_path, front(line, "date: 2020-07-20"))
    assert only(problems) == ("yaml-colon-missing", 2, field)
    assert f"{field}: 科协要闻" in problems.items[0].message_zh
    assert parsed.fields["date"] == "2020-07-20"


# Indentation


def test_a_field_indented_under_one_that_has_its_value(tmp_path):
    parsed, problems = parse(tmp_path, front("title: 科协要闻", "  date: 2020-07-20", "department: dyxcb"))
    assert only(problems) == ("yaml-indent", 3, "date")
    assert parsed.fields == {"title": "科协要闻", "date": "2020-07-20", "department": "dyxcb"}


def test_fields_nest_under_a_key_with_nothing_after_it(tmp_path):
    text = front(
        "review:", "  first: 陈静", "tags: [科普,", "  青少年]", "summary: |", "  时间: 上午", "date: 2020-07-20"
    )
    parsed, problems = parse(tmp_path, text)
    assert problems.items == []
    assert parsed.fields["review"] == {"first": "陈静"}
    assert parsed.fields["tags"] == ["科普", "青少年"]


def test_a_registry_may_write_entries_over_several_lines(site):
    site.write("content/data/sections.yml", "- id: news\n  name: 科协要闻\n- {id: notices, name: 通知公告}\n")
    site.article("a")
    loaded = site.load()
    assert loaded.problems.items == []
    assert list(loaded.registries["sections"]) == ["news", "notices"]


def test_a_tab_is_named_on_its_line(tmp_path):
    text = front("title: 科协要闻", "adopted_by:", "\t- {media: xinhua, date: 2020-07-22}", "date: 2020-07-20")
    parsed, problems = parse(tmp_path, text)
    assert only(problems) == ("yaml-tab", 4, "")
    assert "Tab" in problems.items[0].message_zh
    assert parsed.fields["adopted_by"] == [{"media": "xinhua", "date": "2020-07-22"}]
    assert parsed.fields["date"] == "2020-07-20"


def test_a_tab_before_a_top_level_field_gets_one_message(tmp_path):
    parsed, problems = parse(tmp_path, front("title: 科协要闻", "department: dyxcb", "\tsummary: 摘要"))
    assert only(problems) == ("yaml-indent", 4, "summary")  # not also "YAML 格式错误" for the same slip
    assert "Tab" in problems.items[0].message_zh
    assert parsed.fields == {"title": "科协要闻", "department": "dyxcb", "summary": "摘要"}


@pytest.mark.parametrize(
    ("lines", "line", "field"),
    [
        (("title: 科协要闻", "date:\u30002020-07-20"), 3, "date"),
        (("title: 科协要闻", "adopted_by:", "\u3000\u3000- {media: xinhua, date: 2020-07-22}"), 4, ""),
    ],
)
def test_a_fullwidth_space_is_named_on_its_line(tmp_path, lines, line, field):
    parsed, problems = parse(tmp_path, front(*lines))
    assert only(problems) == ("yaml-fullwidth-space", line, field)
    assert parsed.fields["title"] == "科协要闻"


# Lists and braces typed in full width


@pytest.mark.parametrize(
    ("line", "fixed", "value"),
    [
        ("tags: [科技，脱贫]", "[科技, 脱贫]", ["科技", "脱贫"]),
        ("tags: 【科技，脱贫】", "[科技, 脱贫]", ["科技", "脱贫"]),
        ("tags: ［科技, 脱贫］", "[科技, 脱贫]", ["科技", "脱贫"]),
        ("authors: 张华、李文博", "[张华, 李文博]", ["张华", "李文博"]),
        ("columns: [zuimei-2020、juezhan-tuopin]", "[zuimei-2020, juezhan-tuopin]", ["zuimei-2020", "juezhan-tuopin"]),
        ("review: {first: 陈静，second: 赵磊}", "{first: 陈静, second: 赵磊}", {"first": "陈静", "second": "赵磊"}),
        ("review: ｛first: 陈静, second: 赵磊｝", "{first: 陈静, second: 赵磊}", {"first": "陈静", "second": "赵磊"}),
    ],
)
def test_a_list_typed_in_full_width(tmp_path, line, fixed, value):
    parsed, problems = parse(tmp_path, front("title: 科协要闻", line))
    name = line.split(":")[0]
    assert only(problems) == ("yaml-fullwidth-list", 3, name)
    assert fixed in problems.items[0].message_zh and fixed in problems.items[0].message_en
    assert parsed.fields[name] == value


def test_a_comment_after_a_list_is_not_the_list(tmp_path):
    text = front("authors: []      # 作者，如 [张华]", "tags: 科普    # 标签，如 [科普, 青少年]", "title: 科协要闻")
    parsed, problems = parse(tmp_path, text)
    assert problems.items == []
    assert parsed.fields == {"authors": [], "tags": "科普", "title": "科协要闻"}


def test_the_draft_of_make_new_has_no_slip(tmp_path):
    text = draft("科协要闻", datetime.datetime(2020, 7, 20, 9, 0), "news", "", "dyxcb", "调研宣传部", ["a.jpg"])
    parsed, problems = parse(tmp_path, text)
    assert problems.items == []
    assert parsed.fields["title"] == "科协要闻"


def test_a_fullwidth_comma_inside_an_entry_of_braces_is_text(tmp_path):
    parsed, problems = parse(tmp_path, front("attachments:", "  - {file: a.pdf, title: 通知，附件一}"))
    assert problems.items == []
    assert parsed.fields["attachments"] == [{"file": "a.pdf", "title": "通知，附件一"}]


def test_a_title_in_fullwidth_brackets_is_a_title(tmp_path):
    parsed, problems = parse(tmp_path, front("title: 【重要】关于开展科普日活动的通知"))
    assert problems.items == []
    assert parsed.fields["title"] == "【重要】关于开展科普日活动的通知"


# Quotes


def test_an_ascii_quote_closed_by_a_chinese_one(tmp_path):
    parsed, problems = parse(tmp_path, front('title: "会议开幕”', "date: 2020-07-20"))
    assert only(problems) == ("yaml-quote-mismatch", 2, "title")
    assert parsed.fields["date"] == "2020-07-20"  # not swallowed by a quote left open


@pytest.mark.parametrize(
    ("value", "fixed"),
    [
        ('"最美科技工作者"李明', "'\"最美科技工作者\"李明'"),
        ("[重要]通知", "'[重要]通知'"),
        ("“会议: 开幕”", "'“会议: 开幕”'"),  # Chinese quotes are text to YAML: the colon still splits the line
    ],
)
def test_a_value_that_needs_quotes(tmp_path, value, fixed):
    parsed, problems = parse(tmp_path, front(f"title: {value}", "date: 2020-07-20"))
    assert only(problems) == ("yaml-value-needs-quotes", 2, "title")
    assert f"title: {fixed}" in problems.items[0].message_zh
    assert parsed.fields["title"] == value
    assert parsed.fields["date"] == "2020-07-20"


def test_a_hash_in_a_title_would_cut_it_short(tmp_path):
    parsed, problems = parse(tmp_path, front("title: 2020年 #科普日# 活动", "editor: 刘洋          # 责任编辑"))
    assert only(problems) == ("yaml-comment-in-value", 2, "title")
    assert parsed.fields == {"title": "2020年 #科普日# 活动", "editor": "刘洋"}  # a comment after spaces is one


# Invisible characters


@pytest.mark.parametrize(("char", "name"), [("\ufeff", "BOM"), ("\u200b", "U+200B")])
def test_an_invisible_character(tmp_path, char, name):
    parsed, problems = parse(tmp_path, front("title: 科协要闻", f"depart{char}ment: dyxcb"))
    assert only(problems) == ("yaml-invisible-char", 3, "")
    assert problems.items[0].column == 7
    assert name in problems.items[0].message_zh
    assert parsed.fields["department"] == "dyxcb"


# Anchors, aliases and size


def test_anchors_and_aliases_are_refused_on_their_lines(tmp_path):
    parsed, problems = parse(tmp_path, front("title: &t 科协要闻", "summary: *t", "date: 2020-07-20"))
    assert [(p.code, p.line) for p in problems.items] == [("yaml-alias", 2), ("yaml-alias", 3)]
    assert "&t" in problems.items[0].message_zh and "*t" in problems.items[1].message_zh
    assert parsed.fields == {"date": "2020-07-20"}
    assert parsed.unreadable == {"title", "summary"}


def _limit_memory() -> None:
    limit = 1024**3  # reading the file needs a few MB; expanding its aliases would need gigabytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


READ_IN_A_CHILD = """
import json, sys
from pathlib import Path
from content_model.frontmatter import parse_file
from content_model.problems import Problems
problems = Problems()
parsed = parse_file(Path(sys.argv[1]), "content/articles/x.md", problems)
print(json.dumps({"fields": parsed.fields, "problems": [[p.code, p.line] for p in problems.items]}))
"""


def test_a_billion_laughs_is_refused_without_being_built(tmp_path):
    lines = ['a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    path = tmp_path / "x.md"
    path.write_text(front("title: 科协要闻", *lines), encoding="utf-8")
    # In a child process with little memory: should the aliases be expanded, it fails instead of the machine.
    result = subprocess.run(
        [sys.executable, "-c", READ_IN_A_CHILD, str(path)],
        env={**os.environ, "PYTHONPATH": str(Path(content_model.__file__).parents[1])},
        capture_output=True,
        text=True,
        preexec_fn=_limit_memory,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout)
    assert {code for code, _line in found["problems"]} == {"yaml-alias"}
    assert {line for _code, line in found["problems"]} == set(range(3, 13))
    assert found["fields"] == {"title": "科协要闻"}


def test_a_front_matter_over_the_cap_is_not_read(tmp_path):
    big = "summary: " + "长" * (MAX_FRONT_MATTER // 3 + 10)
    parsed, problems = parse(tmp_path, front("title: 科协要闻", big))
    assert only(problems) == ("front-matter-too-large", 1, "")
    assert "64 KiB" in problems.items[0].message_zh
    assert not parsed.ok


def test_registries_refuse_aliases_too(site):
    site.write(
        "content/data/departments.yml",
        "- &d {id: dyxcb, name: 调研宣传部, kind: 机关部室}\n- *d\n- {id: zzskx, name: 郑州市科协, kind: 市科协}\n",
    )
    site.article("a", department="zzskx")
    loaded = site.load()
    found = find(loaded, "yaml-alias")
    assert [(p.file, p.line) for p in found] == [
        ("content/data/departments.yml", 1),
        ("content/data/departments.yml", 2),
    ]
    assert "zzskx" in loaded.registries["departments"]


# Numbers YAML 1.1 would make of times


def test_a_time_without_a_date_stays_text(tmp_path):
    parsed, _problems = parse(tmp_path, front("date: 9:30"))
    assert parsed.fields["date"] == "9:30"  # not 570, as YAML 1.1 reads base-60 numbers


# One slip hides nothing else in the file


def test_every_error_of_a_file_is_reported_in_one_run(site):
    text = "\n".join(
        [
            "---",
            "title：扎根中原的科技工作者",
            "date: 2020/7/20",
            "department: bad_dept",
            "summary: 时间: 上午",
            "tags: [科技，脱贫]",
            "pin: 第一",
            "cover: lost.jpg",
            "---",
            "正文里有待核实的数字。",
        ]
    )
    site.write("content/articles/a.md", text)
    loaded = site.load()
    found = {(p.code, p.line, p.field) for p in loaded.problems.items}
    assert found >= {
        ("yaml-fullwidth-colon", 2, "title"),
        ("date-format", 3, "date"),
        ("unknown-ref", 4, "department"),
        ("yaml-syntax", 5, ""),
        ("yaml-fullwidth-list", 6, "tags"),
        ("wrong-type", 7, "pin"),
        ("file-missing", 8, "cover"),
        ("alt-missing", 8, "cover"),
        ("review-missing", 1, "review"),
    }, found
    assert "required" not in codes(loaded)  # summary was left out, not forgotten


def test_a_bad_date_does_not_hide_the_review_and_body_rules(site):
    site.article("a", body="![](lost.jpg)\n", date="2020-07-32", drop=("review",))
    loaded = site.load()
    assert {"bad-date", "review-missing", "image-alt-missing", "file-missing"} <= set(codes(loaded))
    assert loaded.articles == {}  # without a date it has no URL: it is not part of the site


def test_one_problem_of_a_bad_date_file_is_still_on_its_field(site):
    site.article("a", date="2020-07-32", type="event")
    loaded = site.load()
    assert one(loaded, "needed-for-type").field == "event"
