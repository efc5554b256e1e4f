"""`python -m publish_guard due`: a scheduled run builds only when something came due or the content changed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.sites import PROJECT, Run, _env, article, write_site

NOW = "2020-07-25 12:00"


def due(root: Path, since: str, site_now: str = NOW) -> Run:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "publish_guard",
            "due",
            "--root",
            str(root),
            "--output",
            str(root / "output"),
            "--since",
            since,
        ],
        cwd=PROJECT,
        env=_env(site_now),
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Run(result.returncode, result.stdout, result.stderr, root / "output")


def site(root: Path) -> Path:
    return write_site(
        root,
        {
            "content/articles/news/old.md": article("早已发布的稿件", "2020-07-01"),
            "content/articles/news/embargo.md": article("统一发声的稿件", "2020-07-25 10:00"),
            "content/articles/news/pinned.md": article("置顶的稿件", "2020-07-02", pin="1", pin_until="2020-07-24"),
            "content/articles/news/event.md": article(
                "科普活动",
                "2020-07-03",
                type="event",
                event="{start: 2020-07-20, end: 2020-07-24, location: 郑州}",
            ),
            "content/articles/news/later.md": article("明天发布的稿件", "2020-07-26 09:00"),
            "content/data/notice.yml": "text: 受台风影响，闭馆一天。\nlevel: urgent\nexpires: 2020-07-25 11:30\n",
        },
    )


def test_nothing_due_says_so_and_exits_1(tmp_path: Path) -> None:
    root = site(tmp_path)
    run = due(root, "2020-07-25 11:45")
    assert run.returncode == 1, run.text
    assert "没有到点的内容" in run.stdout and "Nothing came due" in run.stdout
    assert run.stdout.index("没有到点的内容") < run.stdout.index("Nothing came due")
    assert "embargo.md" not in run.stdout and "later.md" not in run.stdout


def test_an_embargo_that_passed_is_listed_and_exits_0(tmp_path: Path) -> None:
    root = site(tmp_path)
    run = due(root, "2020-07-25 09:00")
    assert run.returncode == 0, run.text
    lines = run.stdout.splitlines()
    chinese = next(i for i, line in enumerate(lines) if "embargo.md:" in line and "发布时间已到" in line)
    assert "content/articles/news/embargo.md line " in lines[chinese + 1] and "it goes live" in lines[chinese + 1]
    assert "date 2020-07-25 10:00" in lines[chinese]
    assert "notice.yml" in run.stdout and "紧急通知已到期" in run.stdout  # expired at 11:30
    for not_yet in ("later.md", "old.md", "pinned.md", "event.md"):  # nothing of theirs changed since 09:00
        assert not_yet not in run.stdout


def test_an_ended_pin_and_a_past_event_are_due_the_day_after(tmp_path: Path) -> None:
    root = site(tmp_path)
    run = due(root, "2020-07-24 23:00")
    assert run.returncode == 0, run.text
    assert "pinned.md" in run.stdout and "pin_until 2020-07-24 23:59" in run.stdout and "置顶已到期" in run.stdout
    assert "event 2020-07-24 23:59" in run.stdout and "活动已结束" in run.stdout


def test_a_bad_since_is_a_usage_error(tmp_path: Path) -> None:
    run = due(site(tmp_path), "yesterday")
    assert run.returncode == 2
    assert "--since 应为" in run.stderr and "--since must be" in run.stderr


def _git(root: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _commit_all(root: Path) -> str:
    """The site made a git repository of its own, everything committed; its HEAD."""
    _git(root.parent, "init", "-q", "-b", "main", str(root))
    _git(root, "config", "user.name", "编辑部")
    _git(root, "config", "user.email", "site@example.org")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "稿件")
    return _git(root, "rev-parse", "HEAD")


def _deployed(root: Path, now: str, commit: str | None) -> None:
    """A gh-pages branch, as fetched from origin, whose publish mark says `now` and `commit`."""
    mark = json.dumps({"format": 1, "kind": "publish", "now": now, "commit": commit})
    blob = _git(root, "hash-object", "-w", "--stdin", stdin=mark)
    tree = _git(root, "mktree", stdin=f"100644 blob {blob}\t.publish.json\n")
    pages = _git(root, "commit-tree", tree, "-m", "发布")
    _git(root, "update-ref", "refs/remotes/origin/gh-pages", pages)


def test_since_deployed_reads_the_mark_and_builds_when_the_content_changed(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    head = _commit_all(root)

    _deployed(root, "2020-07-25T11:45:00+08:00", head)
    quiet = due(root, "deployed")
    assert quiet.returncode == 1, quiet.text
    assert "2020-07-25 11:45 → 2020-07-25 12:00" in quiet.stdout

    _deployed(root, "2020-07-25T09:00:00+08:00", head)
    assert "embargo.md" in due(root, "deployed").stdout

    _deployed(root, "2020-07-25T11:45:00+08:00", "0" * 40)
    changed = due(root, "deployed")
    assert changed.returncode == 0, changed.text
    assert "内容有改动" in changed.stdout and "The repository changed" in changed.stdout


def test_with_no_deploy_known_a_build_is_needed(tmp_path: Path) -> None:
    run = due(site(tmp_path), "deployed")
    assert run.returncode == 0, run.text
    assert "找不到上次发布的记录" in run.stdout


def test_on_a_server_the_deployed_record_and_the_output_mark_say_when_the_last_deploy_was(tmp_path: Path) -> None:
    root = site(tmp_path / "site")
    head = _commit_all(root)
    (root / ".deployed-commit").write_text(head + "\n", encoding="utf-8")
    (root / "output").mkdir()
    mark = {"format": 1, "kind": "publish", "now": "2020-07-25T11:45:00+08:00", "commit": head}
    (root / "output/.publish.json").write_text(json.dumps(mark), encoding="utf-8")
    quiet = due(root, "deployed")
    assert quiet.returncode == 1, quiet.text
    # output/ holds the build of another commit than the one deployed: it says nothing of the last deploy.
    (root / ".deployed-commit").write_text("0" * 40 + "\n", encoding="utf-8")
    assert due(root, "deployed").returncode == 0


def test_make_release_asks_what_came_due_after_the_pull_and_before_the_build() -> None:
    recipe = next(line for line in (PROJECT / "Makefile").read_text(encoding="utf-8").splitlines() if "flock" in line)
    pull, asking, check = (recipe.index(s) for s in ("git pull", "publish_guard due", "check ATTEST=1"))
    assert pull < asking < check
    assert "--since deployed" in recipe and "[ $$due -ne 1 ] || exit 0" in recipe
