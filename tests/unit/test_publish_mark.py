"""The publish mark: noted by a publish build, sealed last, verified before deploying; errors collected across forks."""

from __future__ import annotations

import datetime
import json
import logging
import multiprocessing
import os
import subprocess
from pathlib import Path

import pytest

from content_model.times import parse_time
from publish_guard import errors, mark

NOW = parse_time("2020-07-25 12:00")


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a finished build's output/ (ignored, as the project's own .gitignore has it)."""
    root = tmp_path / "site"
    (root / "output/articles").mkdir(parents=True)
    (root / "output/index.html").write_text("<h1>首页</h1>", encoding="utf-8")
    (root / "output/articles/a.html").write_text("<p>稿件</p>", encoding="utf-8")
    (root / ".gitignore").write_text("output/\n", encoding="utf-8")
    _git(root.parent, "init", "-q", str(root))
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "start")
    _git(root, "add", ".gitignore")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "ignore output")
    return root


def _sealed(root: Path) -> dict:
    output = root / "output"
    mark.note(output, NOW, mark.source_of(root))
    return mark.seal(output)


def test_sealing_writes_the_mark_from_the_note_and_removes_the_note(repo):
    sealed = _sealed(repo)
    on_disk = json.loads((repo / "output" / mark.MARK).read_text(encoding="utf-8"))
    assert on_disk == sealed
    assert on_disk["kind"] == "publish"
    assert on_disk["now"] == "2020-07-25T12:00:00+08:00"
    assert on_disk["commit"] == _git(repo, "rev-parse", "HEAD")
    assert on_disk["dirty"] is False
    assert on_disk["files"] == 2
    assert datetime.datetime.fromisoformat(on_disk["written"]).tzinfo is not None
    assert not (repo / "output" / mark.PENDING).exists()
    assert mark.verify(repo / "output", repo) == sealed


def test_a_dirty_tree_is_recorded(repo):
    (repo / "new.md").write_text("未提交", encoding="utf-8")
    assert _sealed(repo)["dirty"] is True


def test_nothing_is_sealed_without_the_note_of_a_finished_publish_build(repo):
    with pytest.raises(mark.Refused, match="make publish"):
        mark.seal(repo / "output")
    assert not (repo / "output" / mark.MARK).exists()


@pytest.mark.parametrize(
    "change",
    [
        lambda out: (out / "articles/a.html").write_text("<p>预览</p>", encoding="utf-8"),
        lambda out: (out / "drafts.html").write_text("<p>草稿</p>", encoding="utf-8"),
        lambda out: (out / "articles/a.html").unlink(),
        lambda out: os.utime(out / "index.html", ns=(1, 1)),
    ],
    ids=["rewritten", "added", "removed", "touched"],
)
def test_output_changed_after_sealing_is_refused(repo, change):
    _sealed(repo)
    change(repo / "output")
    with pytest.raises(mark.Refused, match="changed after the publish build"):
        mark.verify(repo / "output", repo)


def test_no_mark_or_a_mark_of_another_kind_is_refused(repo):
    output = repo / "output"
    with pytest.raises(mark.Refused, match="not a publish build"):
        mark.verify(output, repo)
    sealed = _sealed(repo)
    (output / mark.MARK).write_text(json.dumps({**sealed, "kind": "preview"}), encoding="utf-8")
    with pytest.raises(mark.Refused, match="is not a publish build's"):
        mark.verify(output, repo)
    (output / mark.MARK).write_text("{", encoding="utf-8")
    with pytest.raises(mark.Refused, match="cannot be read"):
        mark.verify(output, repo)


def test_a_build_of_another_commit_is_refused(repo):
    sealed = _sealed(repo)
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "later")
    with pytest.raises(mark.Refused, match=sealed["commit"]):
        mark.verify(repo / "output", repo)


def test_removing_forgets_the_mark_and_the_note(repo):
    _sealed(repo)
    mark.note(repo / "output", NOW, mark.Source(None, None))
    mark.remove(repo / "output")
    assert not (repo / "output" / mark.MARK).exists() and not (repo / "output" / mark.PENDING).exists()


def _log_an_error(text: str) -> None:
    logging.getLogger("pelican.writers").error("%s", text)


def test_errors_are_collected_from_the_build_and_from_its_forked_workers():
    errors.start()
    try:
        logging.getLogger("assets").warning("a warning is not collected")
        _log_an_error("在构建进程中 in the build")
        worker = multiprocessing.get_context("fork").Process(target=_log_an_error, args=("在工作进程中 in a worker",))
        worker.start()
        worker.join()
        assert worker.exitcode == 0
    finally:
        found = errors.stop()
    assert found == ["[pelican.writers] 在构建进程中 in the build", "[pelican.writers] 在工作进程中 in a worker"]
    _log_an_error("after the build")
    assert errors.stop() == []


def test_a_quiet_build_still_logs_its_errors():
    pelican_logger = logging.getLogger("pelican")
    was = pelican_logger.level
    pelican_logger.setLevel(logging.CRITICAL)
    try:
        errors.start()
        _log_an_error("安静的构建 a quiet build")
        assert errors.stop() == ["[pelican.writers] 安静的构建 a quiet build"]
    finally:
        pelican_logger.setLevel(was)
