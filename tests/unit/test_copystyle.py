"""Chinese copy style: ASCII punctuation in Chinese text is flagged in titles, summaries and bodies, and fixed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import content_model
from content_model.copystyle import fix_text, styled
from content_model.frontmatter import parse_yaml
from content_model.problems import Problems

from .conftest import assert_well_formed, find

A = "content/articles/a.md"


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ('扎根中原的"科技小院":好', "扎根中原的“科技小院”：好"),
        ("小麦(郑麦369).", "小麦（郑麦369）。"),
        ("今天,天气好!", "今天，天气好！"),
        ('他说:"你好."', "他说：“你好。”"),
        ("中国科协(CAST)成立", "中国科协（CAST）成立"),
        ("包括(1)科普;(2)培训", "包括（1）科普；（2）培训"),
        ("大屏幕上显示\"2020年河南'最美科技工作者'发布仪式\"", "大屏幕上显示“2020年河南‘最美科技工作者’发布仪式”"),
        ("等等...", "等等……"),
        ("这是**重点**.", "这是**重点**。"),
        ("一. 加强组织领导", "一、加强组织领导"),
        ("他来自CAST,现在在郑州", "他来自 CAST，现在在郑州"),
        ("我们使用AI技术,共100人参加.", "我们使用 AI 技术，共100人参加。"),
        ("网址:https://www.example.org/a", "网址：https://www.example.org/a"),
    ],
)
def test_ascii_punctuation_in_chinese_becomes_full_width(text, fixed):
    assert styled(text) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "版本3.5发布，比例为9.46%。",  # numbers
        "共1,000人，9:30开始。",
        "代码 `a, b = (1, 2)` 不改。",  # code
        "详见 https://www.example.org/a,b.html?x=(1) 页面。",  # addresses
        "附件 tongzhi.pdf 已上传。",  # file names
        "他说 Hello, world! 然后离开。",  # English phrases
        'He said "yes" (twice).',
        '<a href="https://www.example.org/">链接</a>',
        "[通知，好](https://www.example.org/a_(b))",
        "2020年7月15日举行，80%以下。",  # official style keeps digits tight
        "科技战疫\u3000创新强国",
    ],
)
def test_what_is_not_chinese_punctuation_is_left_as_written(text):
    assert styled(text) == text


# The check: titles, summaries and bodies, each on its own line


def test_ascii_punctuation_is_flagged_in_title_summary_and_body(site):
    site.article(
        "a",
        title='扎根中原的"科技小院":好',
        summary="小麦(郑麦369)喜获丰收.",
        body="第一段。\n\n今天,天气好!\n\n```\ncode, here.\n```\n",
    )
    found = {(p.field, p.line) for p in find(site.load(), "copy-style")}
    assert found == {("title", 2), ("summary", 6), ("body", 10)}
    for problem in find(site.load(), "copy-style"):
        assert problem.level == "warning"
        assert_well_formed(problem, A)
    title = next(p for p in find(site.load(), "copy-style") if p.field == "title")
    assert "“科技小院”：好" in title.message_zh


# make fix


def _fields(text: str) -> dict:
    yaml_text = text.split("---\n")[1]
    problems = Problems()
    value, _where = parse_yaml(yaml_text, "x.md", problems)
    assert problems.items == []
    return value


def test_fix_corrects_title_summary_and_body_and_nothing_else():
    text = (
        "---\n"
        'title: 扎根中原的"科技小院"\n'
        "date: 2020-07-20 09:30   # 发布时间\n"
        "tags: [科技,脱贫]\n"
        "summary: 小麦(郑麦369)喜获丰收.\n"
        "department: dyxcb\n"
        "---\n"
        "今天,天气好!\n"
        "\n"
        "```\n"
        "code, here.\n"
        "```\n"
        "| 表格,不改 | 1.5 |\n"
    )
    fixed = fix_text(text)
    assert not fixed.front_matter_unread
    assert fixed.after == (
        "---\n"
        "title: 扎根中原的“科技小院”\n"
        "date: 2020-07-20 09:30   # 发布时间\n"
        "tags: [科技,脱贫]\n"
        "summary: 小麦（郑麦369）喜获丰收。\n"
        "department: dyxcb\n"
        "---\n"
        "今天，天气好！\n"
        "\n"
        "```\n"
        "code, here.\n"
        "```\n"
        "| 表格,不改 | 1.5 |\n"
    )


@pytest.mark.parametrize(
    ("line", "after", "value"),
    [
        # quotes that were there for YAML's sake are dropped when the value needs them no more
        ("title: '\"最美科技工作者\"李明'", "title: “最美科技工作者”李明", "“最美科技工作者”李明"),
        ('title: "\\"最美\\"李明: 事迹"', "title: “最美”李明：事迹", "“最美”李明：事迹"),
        # and kept when it does
        ("title: '[重要]通知,请查收'", "title: '[重要]通知，请查收'", "[重要]通知，请查收"),
        ("title: '2020年 #科普日# 活动,欢迎'", "title: '2020年 #科普日# 活动，欢迎'", "2020年 #科普日# 活动，欢迎"),
    ],
)
def test_fix_keeps_the_yaml_valid(line, after, value):
    fixed = fix_text(f"---\n{line}\ndate: 2020-07-20\n---\n正文。\n")
    assert fixed.after == f"---\n{after}\ndate: 2020-07-20\n---\n正文。\n"
    assert _fields(fixed.after)["title"] == value


def test_fix_keeps_crlf_and_the_bom():
    text = '\ufeff---\r\ntitle: 扎根中原的"科技小院"\r\ndate: 2020-07-20\r\n---\r\n今天,天气好!\r\n'
    fixed = fix_text(text)
    assert fixed.after == "\ufeff---\r\ntitle: 扎根中原的“科技小院”\r\ndate: 2020-07-20\r\n---\r\n今天，天气好！\r\n"


def test_fix_leaves_a_front_matter_with_errors_alone():
    text = '---\ntitle: 扎根中原的"科技小院"\ndate: [2020-07-20\n---\n今天,天气好!\n'
    fixed = fix_text(text)
    assert fixed.front_matter_unread
    assert fixed.after == '---\ntitle: 扎根中原的"科技小院"\ndate: [2020-07-20\n---\n今天，天气好！\n'


def test_fix_writes_a_field_s_full_width_colon_as_yaml_reads_it_then_fixes_its_value():
    text = '---\ntitle：扎根中原的"科技小院"(新乡).\r\neditor ：　王芳\n小标题：不是字段\n---\n时间：上午\n'
    fixed = fix_text(text)
    assert fixed.front_matter_unread  # 小标题 is no field of the model: left for the check to report
    assert fixed.after == '---\ntitle: 扎根中原的"科技小院"(新乡).\r\neditor: 王芳\n小标题：不是字段\n---\n时间：上午\n'
    fixed = fix_text(fixed.after.replace("小标题：不是字段\n", ""))
    assert not fixed.front_matter_unread
    assert fixed.after == "---\ntitle: 扎根中原的“科技小院”（新乡）。\r\neditor: 王芳\n---\n时间：上午\n"


def test_fix_then_check_finds_no_copy_style_left(site):
    rel = site.article(
        "a", title='扎根中原的"科技小院":好', summary="小麦(郑麦369).", body='他说:"你好."\n\n共1,000人,9:30开始.\n'
    )
    path = site.root / rel
    path.write_text(fix_text(path.read_text(encoding="utf-8")).after, encoding="utf-8")
    loaded = site.load()
    assert loaded.problems.items == []
    article = loaded.articles["a"]
    assert article.get("title") == "扎根中原的“科技小院”：好"
    assert article.get("summary") == "小麦（郑麦369）。"


def test_columns_topics_people_and_galleries_are_copy_too(site):
    site.column("zuimei-2020", title='2020年河南"最美科技工作者"', description="集中展示先进事迹,弘扬科学家精神.")
    site.topic("kepu-ri-2020", title="全国科普日", description='活动以"科技战疫"为主题')
    site.gallery("dabaoche", title="科普大篷车(第二站)")
    site.write("content/people/li-ming.md", '---\nname: 李明\nunit: 郑州大学(农学院)\n---\n入选"中原英才计划".\n')
    site.article("a", columns="[zuimei-2020]", topics="[kepu-ri-2020]")
    found = {(p.file, p.field, p.line) for p in find(site.load(), "copy-style")}
    assert found == {
        ("content/columns/zuimei-2020.md", "title", 2),
        ("content/columns/zuimei-2020.md", "description", 3),
        ("content/topics/kepu-ri-2020.md", "description", 3),
        ("content/galleries/dabaoche/index.md", "title", 2),
        ("content/people/li-ming.md", "unit", 3),
        ("content/people/li-ming.md", "body", 5),
    }


def test_make_fix_covers_every_content_file(site):
    site.column("zuimei-2020", title='2020年河南"最美科技工作者"')
    site.article("a", title='扎根中原的"科技小院"')
    env = {**os.environ, "PYTHONPATH": str(Path(content_model.__file__).parents[1])}
    result = subprocess.run(
        [sys.executable, "-m", "content_model.fix", "--root", str(site.root)], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "title: 2020年河南“最美科技工作者”" in (site.content / "columns/zuimei-2020.md").read_text(encoding="utf-8")
    assert "title: 扎根中原的“科技小院”" in (site.content / "articles/a.md").read_text(encoding="utf-8")
    assert "已修改 changed 2 个文件" in result.stdout
