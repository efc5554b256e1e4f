"""`make codeowners`: every path of the repository has an owner, and the narrowest owner wins (the last match)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from codeowners import CodeOwners

from content_model.check import read_publish_settings
from content_model.codeowners import SettingsError, groups, render, teams
from content_model.site import Options, load_site
from tests.sites import PROJECT, write_site

SETTINGS = read_publish_settings()
OFFICE = {f"@{n.lstrip('@')}" for n in teams(SETTINGS, "CODEOWNERS_OFFICE")}
MAINTAINERS = {f"@{n.lstrip('@')}" for n in teams(SETTINGS, "CODEOWNERS_MAINTAINERS")}


def owners_of(rules: CodeOwners, path: str) -> set[str]:
    return {name for _kind, name in rules.of(path)}


def _editors(names: list[str]) -> set[str]:
    return {n if n.startswith("@") else f"@{n}" for n in names}


@pytest.fixture(scope="module")
def sample():
    site = load_site(PROJECT / "content", PROJECT, Options(strict=False))
    text = (PROJECT / ".github/CODEOWNERS").read_text(encoding="utf-8")
    return site, text, CodeOwners(text)


def test_the_committed_file_is_what_make_codeowners_writes(sample) -> None:
    site, text, _rules = sample
    made = render(groups(site, teams(SETTINGS, "CODEOWNERS_OFFICE"), teams(SETTINGS, "CODEOWNERS_MAINTAINERS")))
    assert text == made, "run make codeowners and commit .github/CODEOWNERS"


def test_every_tracked_file_has_an_owner(sample) -> None:
    _site, _text, rules = sample
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True, check=True).stdout.decode(
        "utf-8"
    )
    paths = [p for p in tracked.split("\0") if p]
    assert len(paths) > 100
    unowned = [p for p in paths if not owners_of(rules, p)]
    assert unowned == []


def test_each_path_is_owned_by_the_narrowest_owner(sample) -> None:
    site, _text, rules = sample
    for column in site.items["column"].values():
        editors = _editors(column.get("editors"))
        assert owners_of(rules, column.rel) == editors, column.rel
        assert owners_of(rules, f"content/articles/{column.id}/new/index.md") == editors
    for article in site.articles.values():
        folder = article.rel.split("/")[2]
        if folder in site.items["column"]:
            assert owners_of(rules, article.rel) == _editors(site.items["column"][folder].get("editors")), article.rel
    sections = site.registries["sections"]
    assert owners_of(rules, "content/articles/fabu/a.md") == _editors(sections["fabu"]["editors"])
    assert "editors" not in sections["news"]
    assert owners_of(rules, "content/articles/news/a.md") == OFFICE  # a section without editors: the office
    for path in ("content/data/sections.yml", "content/data/reviewers.yml", "content/pages/about.md"):
        assert owners_of(rules, path) == OFFICE, path
    for path in (
        "theme/templates/article.html",
        "plugins/content_model/site.py",
        ".github/workflows/check.yml",
        ".github/CODEOWNERS",
        ".ci/run",
        "scripts/lighthouse.py",
        "Makefile",
        "pelicanconf.py",
        "publishconf.py",
        "requirements.txt",
        "package.json",
        "package-lock.json",
        "docs/投稿指南.md",
        "一个新文件.txt",
    ):
        assert owners_of(rules, path) == MAINTAINERS, path


def _run(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "plugins")}
    return subprocess.run(
        [sys.executable, "-m", "content_model.codeowners", "--root", str(root)],
        env=env,
        capture_output=True,
        text=True,
    )


def test_sections_columns_and_topics_route_to_their_editors(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/data/sections.yml": """\
                - {id: news, name: 科协要闻, editors: [hnast-news]}
                - {id: notices, name: 通知公告}
                """,
            "content/columns/zuimei.md": "---\ntitle: 最美\neditors: [hnast-zhang, '@hnast/zuimei']\n---\n介绍\n",
            "content/columns/news.md": "---\ntitle: 与栏目同名\neditors: [hnast-column]\n---\n介绍\n",
            "content/topics/kepu-ri.md": "---\ntitle: 科普日\neditors: [hnast-kepu]\n---\n介绍\n",
        },
    )
    done = _run(tmp_path)
    assert done.returncode == 0, done.stderr
    rules = CodeOwners((tmp_path / ".github/CODEOWNERS").read_text(encoding="utf-8"))
    assert owners_of(rules, "content/columns/zuimei.md") == {"@hnast-zhang", "@hnast/zuimei"}
    assert owners_of(rules, "content/articles/zuimei/a/index.md") == {"@hnast-zhang", "@hnast/zuimei"}
    assert owners_of(rules, "content/topics/kepu-ri.md") == {"@hnast-kepu"}
    # a column named like a section shares its folder: both sets of editors may approve
    assert owners_of(rules, "content/articles/news/a.md") == {"@hnast-news", "@hnast-column"}
    assert owners_of(rules, "content/articles/notices/a.md") == OFFICE
    assert owners_of(rules, "content/data/media.yml") == OFFICE
    assert owners_of(rules, "plugins/x.py") == MAINTAINERS


def test_an_editor_that_is_no_github_account_is_refused_with_its_file_and_line(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/data/sections.yml": """\
                - {id: news, name: 科协要闻}
                - {id: notices, name: 通知公告, editors: ["张 三"]}
                """,
            "content/columns/zuimei.md": '---\ntitle: 最美\neditors: [hnast-zhang, "x\\n* @attacker"]\n---\n介绍\n',
        },
    )
    done = _run(tmp_path)
    assert done.returncode == 1
    assert "content/data/sections.yml" in done.stderr and "第 2 行" in done.stderr and "bad-editor" in done.stderr
    assert "content/columns/zuimei.md" in done.stderr and "第 3 行" in done.stderr
    assert not (tmp_path / ".github/CODEOWNERS").exists()


@pytest.mark.parametrize("value", [None, [], "", ["hnast office"], ["@hnast/office", 3]])
def test_the_office_and_maintainers_must_be_set(value) -> None:
    with pytest.raises(SettingsError, match="CODEOWNERS_OFFICE"):
        teams({"CODEOWNERS_OFFICE": value}, "CODEOWNERS_OFFICE")
    assert teams({"CODEOWNERS_OFFICE": "@hnast/office"}, "CODEOWNERS_OFFICE") == ("@hnast/office",)
