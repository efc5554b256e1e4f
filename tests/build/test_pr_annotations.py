"""Pull-request annotations: only the files a pull request changes are annotated; errors anywhere still fail it."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import yaml

from tests.sites import PROJECT, article, check, write_site

NEW = "content/articles/新 稿件, 第1期.md"  # Chinese, a space and a comma: as contributors name files
# Twelve copy-style warnings: more than GitHub shows for one step, in a file the pull request does not touch.
NOISY = article("旧稿", "2020-07-01", "\n\n".join(f"第{n}段使用AI技术." for n in range(12)))


def _annotations(text: str) -> list[tuple[str, str]]:
    """(level, file) of every workflow command; file is "" for one that names none."""
    found = []
    for line in text.splitlines():
        match = re.match(r"::(error|warning|notice)(?: ([^:]*))?::", line)
        if match:
            props = dict(p.split("=", 1) for p in (match.group(2) or "").split(",") if "=" in p)
            found.append((match.group(1), props.get("file", "").replace("%2C", ",").replace("%3A", ":")))
    return found


def test_only_changed_files_are_annotated_and_the_rest_is_summed_up(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/articles/old.md": NOISY,
            NEW: article("新稿", "2020-07-20", "我们使用AI技术."),
            "content/topics/t.md": "---\ntitle: 专题\nfeatured: [gone]\n---\n介绍\n",
            "content/articles/t.md": article("专题稿", "2020-07-20", topics="[t]"),
        },
    )
    changed = tmp_path / "changed"
    changed.write_bytes(f"{NEW}\0content/articles/deleted.md\0".encode())
    result = check(tmp_path, "--format", "github", "--changed", str(changed))
    assert result.returncode == 1, result.text  # the topic's unknown slug fails the check, though not annotated
    found = _annotations(result.stdout)
    assert ("warning", NEW) in found
    assert {file for _level, file in found} == {NEW, ""}
    summary = [line for line in result.stdout.splitlines() if line.startswith("::error title=")]
    assert len(summary) == 1 and "content/topics/t.md" in summary[0] and "make check" in summary[0]
    assert "另有 12 个提醒" in result.stdout
    # Without CHANGED, every file is annotated as before.
    everything = _annotations(check(tmp_path, "--format", "github").stdout)
    assert ("error", "content/topics/t.md") in everything
    assert sum(1 for level, file in everything if file == "content/articles/old.md") == 12


def test_a_clean_pull_request_over_an_untidy_site_passes_with_its_own_annotations(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/articles/old.md": NOISY, NEW: article("新稿", "2020-07-20", "正文。")})
    changed = tmp_path / "changed"
    changed.write_text(NEW + "\n", encoding="utf-8")  # one path a line is read too
    result = check(tmp_path, "--format", "github", "--changed", str(changed))
    assert result.returncode == 0, result.text
    assert _annotations(result.stdout) == [("warning", NEW)]  # its slug made from pinyin: the author should see it
    assert "12 warning(s) in files this pull request does not change" in result.stdout


def test_changed_goes_with_the_github_format_only(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/articles/a.md": article("甲", "2020-07-20")})
    changed = tmp_path / "changed"
    changed.write_text("content/articles/a.md\n", encoding="utf-8")
    for fmt, listed in (("json", changed), ("github", tmp_path / "missing")):
        result = check(tmp_path, "--format", fmt, "--changed", str(listed))
        assert result.returncode == 2 and "CHANGED" in result.stderr, result.text


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    # committed at the articles' own time: the backdating rule has nothing to say
    env |= {"GIT_AUTHOR_DATE": "2020-07-20T10:00:00+08:00", "GIT_COMMITTER_DATE": "2020-07-20T10:00:00+08:00"}
    done = subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def _check_step() -> dict:
    workflow = yaml.safe_load((PROJECT / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    return next(step for step in steps if "make check FORMAT=github" in step.get("run", ""))


def test_the_workflow_step_annotates_what_the_pull_request_changed(tmp_path: Path) -> None:
    """The check step's own script, run by bash in a real repository, through the project's Makefile."""
    repo = tmp_path / "repo"
    write_site(repo, {"content/articles/old.md": NOISY})
    for name in (".venv", "plugins"):  # the project's tools, as `make` finds them beside the Makefile
        (repo / name).symlink_to(PROJECT / name)
    _git(repo, "init", "-q", "-b", "main")
    (repo / ".git/info/exclude").write_text(".venv\nplugins\n.cache/\n", encoding="utf-8")
    _git(repo, "add", "content")
    _git(repo, "commit", "-qm", "base")
    base = _git(repo, "rev-parse", "HEAD")
    _git(repo, "switch", "-qc", "pr")
    write_site(repo, {NEW: article("新稿", "2020-07-20", "我们使用AI技术.")}, registries=False)
    _git(repo, "add", "content")
    _git(repo, "commit", "-qm", "new article")
    head = _git(repo, "rev-parse", "HEAD")
    # `make` as the runner has it, except that the virtual environment is taken as installed.
    shims = tmp_path / "bin"
    shims.mkdir()
    make = shims / "make"
    make.write_text(f'#!/bin/sh\nexec /usr/bin/make -f "{PROJECT}/Makefile" -o .venv/bin/.installed "$@"\n')
    make.chmod(make.stat().st_mode | stat.S_IEXEC)
    step = _check_step()
    env = {
        **os.environ,
        "PATH": f"{shims}:{os.environ['PATH']}",
        "RUNNER_TEMP": str(tmp_path / "runner temp"),
        "SITE_NOW": "2020-07-25 12:00",
        "BASE_SHA": base,
        "HEAD_SHA": head,
    }
    (tmp_path / "runner temp").mkdir()
    assert set(step["env"]) == {"BASE_SHA", "HEAD_SHA"}
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = _annotations(done.stdout)
    assert found and {file for _level, file in found} == {NEW}, done.stdout
    assert "12 warning(s) in files this pull request does not change" in done.stdout
