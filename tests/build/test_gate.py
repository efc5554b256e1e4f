"""The pull-request gate: each editorial rule with a failing and a passing example, annotations, deploy guards."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from content_model.check import read_publish_settings
from tests.sites import PROJECT, article, build, check, write_site

BIN = Path(sys.executable).parent
# The word lists the project ships, as a site would have them in content/data/.
WORD_LISTS = {
    f"content/data/{name}": (PROJECT / "content/data" / name).read_text(encoding="utf-8")
    for name in ("lexicon.yml", "sensitive.yml")
}


def _problems(root: Path, *args: str, site_now: str = "2020-07-25 12:00") -> list[dict]:
    result = check(root, "--format", "json", *args, site_now=site_now)
    return json.loads(result.stdout)


def _codes(problems: list[dict]) -> set[str]:
    return {p["code"] for p in problems}


def test_lexicon_hit_fails_with_an_annotation_on_the_right_line(tmp_path: Path) -> None:
    body = "第一段。\n\n省攻府召开会议。\n"
    write_site(tmp_path, {**WORD_LISTS, "content/articles/a.md": article("标题", "2020-07-20", body)})
    result = check(tmp_path, "--format", "github")
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if "lexicon" in line]
    assert len(lines) == 1
    assert lines[0].startswith("::error file=content/articles/a.md,line=9,col=2,title=lexicon body::")
    assert "政府" in lines[0] and "%0A" in lines[0]


def test_lexicon_clean_text_passes(tmp_path: Path) -> None:
    write_site(tmp_path, {**WORD_LISTS, "content/articles/a.md": article("标题", "2020-07-20", "省政府召开会议。")})
    result = check(tmp_path, "--format", "github")
    assert result.returncode == 0, result.stdout
    assert "::error" not in result.stdout


def test_one_reviewer_in_two_stages_fails_on_the_review_line(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {"content/articles/a.md": article("标题", "2020-07-20", review="{first: 陈静, second: 陈静, final: 孙敏}")},
    )
    result = check(tmp_path, "--format", "github")
    assert result.returncode == 1
    assert "::error file=content/articles/a.md,line=5,title=review-same-person review::" in result.stdout


def test_sensitive_words_error_and_warning(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            **WORD_LISTS,
            "content/articles/a.md": article("标题", "2020-07-20", "此处待补充。"),
            "content/articles/b.md": article("标题二", "2020-07-20", "取得了史上最好成绩。"),
            "content/articles/c.md": article("标题三", "2020-07-20", "取得了历史最好成绩。"),
        },
    )
    problems = _problems(tmp_path)
    by_file = {(p["file"], p["code"]): p["level"] for p in problems}
    assert by_file[("content/articles/a.md", "sensitive-word")] == "error"
    assert by_file[("content/articles/b.md", "sensitive-word-warning")] == "warning"
    assert not [p for p in problems if p["file"] == "content/articles/c.md"]


def test_copy_style_is_a_warning_and_make_fix_applies_it_to_body_title_and_summary(tmp_path: Path) -> None:
    text = article(
        "使用AI技术的标题",
        "2020-07-20",
        "我们使用AI技术,共100人参加.\n\n2020年7月15日举行。\n\n小麦(郑麦369).\n",
        summary='扎根中原的"科技小院":好',
    )
    write_site(tmp_path, {"content/articles/a.md": text})
    problems = _problems(tmp_path)
    style = [p for p in problems if p["code"] == "copy-style"]
    assert {(p["field"], p["line"]) for p in style} == {("title", 2), ("summary", 6), ("body", 8), ("body", 12)}
    assert all(p["level"] == "warning" for p in style)
    assert check(tmp_path).returncode == 0
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "plugins")}
    fixed = subprocess.run(
        [sys.executable, "-m", "content_model.fix", "--root", str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert fixed.returncode == 0, fixed.stderr
    assert "+我们使用 AI 技术，共100人参加。" in fixed.stdout
    after = (tmp_path / "content/articles/a.md").read_text(encoding="utf-8")
    assert "title: 使用 AI 技术的标题" in after
    assert "summary: 扎根中原的“科技小院”：好" in after
    assert "2020年7月15日举行。" in after  # official style keeps digits tight
    assert "小麦（郑麦369）。" in after  # full-width brackets, no space before them
    assert text.replace("使用AI技术的标题", "").count("\n") == after.replace("使用 AI 技术的标题", "").count("\n")
    assert not [p for p in _problems(tmp_path) if p["code"] == "copy-style"]


def test_internal_links_must_resolve_and_file_links_become_page_links(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/articles/news/a.md": article("甲", "2020-07-20", "见[乙](../other/b.md)与[关于](/about/)。"),
            "content/articles/other/b.md": article("乙", "2020-07-21"),
            "content/pages/about.md": "---\ntitle: 关于\n---\n正文\n",
            "content/articles/news/bad.md": article("丙", "2020-07-22", "见[不存在](/articles/2020/07/nothing/)。"),
        },
    )
    problems = _problems(tmp_path)
    broken = [p for p in problems if p["code"] == "link-unresolved"]
    assert [(p["file"], p["line"]) for p in broken] == [("content/articles/news/bad.md", 7)]
    (tmp_path / "content/articles/news/bad.md").unlink()
    run = build(tmp_path)
    assert run.returncode == 0, run.text
    page = (run.output / "articles/2020/07/a/index.html").read_text(encoding="utf-8")
    assert 'href="../../../../articles/2020/07/b/"' in page
    assert 'href="../../../../about/"' in page


def test_article_in_a_column_folder_must_name_the_column(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/columns/zuimei.md": "---\ntitle: 最美\n---\n介绍\n",
            "content/articles/zuimei/a.md": article("甲", "2020-07-20"),
            "content/articles/zuimei/b.md": article("乙", "2020-07-20", columns="[zuimei]"),
        },
    )
    problems = [p for p in _problems(tmp_path) if p["code"] == "column-folder"]
    assert [(p["file"], p["level"]) for p in problems] == [("content/articles/zuimei/a.md", "warning")]


def test_stale_column_is_a_warning_unless_it_has_ended(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/columns/old.md": "---\ntitle: 旧专栏\n---\n介绍\n",
            "content/columns/ended.md": "---\ntitle: 已结束\nend: 2020-03-01\n---\n介绍\n",
            "content/articles/old/a.md": article("甲", "2020-01-10", columns="[old]"),
            "content/articles/ended/b.md": article("乙", "2020-01-10", columns="[ended]"),
        },
    )
    stale = [p for p in _problems(tmp_path, site_now="2020-07-25 12:00") if p["code"] == "stale-column"]
    assert [p["file"] for p in stale] == ["content/columns/old.md"]
    fresh = [p for p in _problems(tmp_path, site_now="2020-02-01 12:00") if p["code"] == "stale-column"]
    assert fresh == []


def _git(root: Path, *args: str, when: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_backdated_article_is_a_warning_read_from_git_history(tmp_path: Path) -> None:
    # Committed the day after BACKDATE_SINCE of the project's settings: earlier commits are imported history.
    since = datetime.date.fromisoformat(read_publish_settings()["BACKDATE_SINCE"][:10])
    day = since + datetime.timedelta(days=1)
    write_site(
        tmp_path,
        {
            "content/articles/honest.md": article("当天", f"{day} 09:00"),
            "content/articles/backdated.md": article("倒签", f"{day - datetime.timedelta(days=61)} 09:00"),
        },
    )
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "add", when=f"{day}T10:00:00+08:00")
    site_now = f"{day + datetime.timedelta(days=1)} 09:00"
    backdated = [p for p in _problems(tmp_path, site_now=site_now) if p["code"] == "backdated"]
    assert [(p["file"], p["field"], p["level"]) for p in backdated] == [
        ("content/articles/backdated.md", "date", "warning")
    ]
    assert "61 天" in backdated[0]["message_zh"]


def test_urgent_notice_shows_on_every_page_until_it_expires(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/articles/a.md": article("甲", "2020-07-20"),
            "content/data/notice.yml": (
                "text: 受台风影响，省科技馆今日闭馆。\nlevel: urgent\nexpires: 2020-07-25 18:00\n"
            ),
        },
    )
    run = build(tmp_path, site_now="2020-07-25 12:00")
    assert run.returncode == 0, run.text
    for page in ("index.html", "articles/2020/07/a/index.html", "archives/index.html"):
        assert "受台风影响" in (run.output / page).read_text(encoding="utf-8"), page
    later = build(tmp_path, site_now="2020-07-25 18:01")
    assert "受台风影响" not in (later.output / "index.html").read_text(encoding="utf-8")
    assert "notice-expired" in _codes(_problems(tmp_path, site_now="2020-07-26 09:00"))


@pytest.mark.parametrize("workflow", sorted((PROJECT / ".github/workflows").glob("*.yml")), ids=lambda p: p.name)
def test_workflows_pass_the_schema_and_zizmor(workflow: Path) -> None:
    schema = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(workflow)],
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    audit = subprocess.run([str(BIN / "zizmor"), "--offline", str(workflow)], capture_output=True, text=True)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_workflows_check_out_full_history_for_the_backdating_check() -> None:
    for name in ("check.yml", "deploy.yml"):
        text = (PROJECT / ".github/workflows" / name).read_text(encoding="utf-8")
        assert "fetch-depth: 0" in text, name
    assert "FORMAT=github" in (PROJECT / ".github/workflows/check.yml").read_text(encoding="utf-8")
