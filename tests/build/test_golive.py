"""Going live: `make golive-check`, the deploy targets' refusal of the example server, and `make release`'s dry run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from content_model.check import read_publish_settings
from golive.examples import Server, findings
from tests.sites import PROJECT, article, write_site


def make(*arguments: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SITEURL", "DRY_RUN", "MAKEFLAGS")}
    return subprocess.run(
        ["make", "-s", "--no-print-directory", *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_golive_check_fails_on_the_sample_settings_and_lists_them() -> None:
    done = make("golive-check")
    assert done.returncode != 0
    assert "上线检查未通过" in done.stdout and "SSH_HOST · Makefile" in done.stdout and "CMS_REPO" in done.stdout
    # A gh-pages site needs no server: the SSH settings are not asked for.
    pages = make("golive-check", "DEPLOY=github")
    assert pages.returncode != 0 and "SSH_HOST" not in pages.stdout


@pytest.mark.parametrize("host", ["www.example.org", "www.hnast.example"])
def test_rsync_upload_and_release_refuse_the_example_server(tmp_path: Path, host: str) -> None:
    kind = tmp_path / "kind"
    kind.write_text("publish 2020-07-25 12:00\n", encoding="utf-8")
    for target in ("rsync_upload", "release"):
        done = make(target, f"SSH_HOST={host}", f"BUILD_KIND_FILE={kind}", f"OUTPUTDIR={tmp_path / 'out'}")
        assert done.returncode != 0, target
        assert "SSH_HOST 还是示例服务器" in done.stdout + done.stderr, target
        assert "git pull" not in done.stdout + done.stderr and "rsync -e" not in done.stdout, target


def _git(root: Path, *arguments: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t"}
    env["GIT_COMMITTER_EMAIL"] = "t@t"
    done = subprocess.run(["git", *arguments], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _state(root: Path) -> dict[str, object]:
    """Everything a release would change: the files (git's own included), the branch and every ref."""
    files = sorted(
        (p.relative_to(root).as_posix(), p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if p.is_file() and ".cache" not in p.parts  # the checker's cache, as make check keeps it
    )
    return {"files": files, "refs": _git(root, "for-each-ref"), "head": _git(root, "rev-parse", "HEAD")}


@pytest.fixture
def server_checkout(tmp_path: Path) -> tuple[Path, Path]:
    """A checkout as on the office's server, tracking origin/main; origin has a commit it has not pulled yet."""
    upstream = tmp_path / "upstream.git"
    _git(tmp_path, "init", "-q", "--bare", "-b", "main", str(upstream))
    writer = write_site(tmp_path / "writer", {"content/articles/news/a.md": article("第一篇", "2020-07-01")})
    _git(writer, "init", "-q", "-b", "main")
    _git(writer, "add", "-A")
    _git(writer, "commit", "-q", "-m", "一")
    _git(writer, "remote", "add", "origin", str(upstream))
    _git(writer, "push", "-q", "-u", "origin", "main")
    checkout = tmp_path / "checkout"
    _git(tmp_path, "clone", "-q", str(upstream), str(checkout))
    (writer / "content/articles/news/b.md").write_text(article("第二篇", "2020-07-02"), encoding="utf-8")
    _git(writer, "add", "-A")
    _git(writer, "commit", "-q", "-m", "二")
    _git(writer, "push", "-q")
    return checkout, upstream


def dry_run(checkout: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    # The site's first gated deploy: what is committed now counts as reviewed (content_model.deployed).
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "plugins"), "ATTEST_BASE": _git(checkout, "rev-parse", "HEAD")}
    env.pop("SITEURL", None)
    return subprocess.run(
        [sys.executable, "-m", "golive.release", "--root", str(checkout), *arguments],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_dry_run_says_what_release_would_do_and_changes_nothing(server_checkout: tuple[Path, Path]) -> None:
    checkout, upstream = server_checkout
    before, upstream_before = _state(checkout), _git(upstream, "for-each-ref")
    done = dry_run(checkout, "--deploy", "github", "--pages-remote", "origin", "--pages-branch", "gh-pages")
    text = done.stdout
    assert "1. git pull --ff-only" in text and "拉取 pull origin/main" in text
    assert "2. publish_guard due" in text and "3. make check ATTEST=1 BASE=deployed" in text
    assert "5. make github" in text
    assert "✓ 分支 main，上游 origin/main" in text and "✓ 能连上 origin（main）" in text
    assert "✓ 稿件与三审核验没有错误" in text and "✓ 能连上 gh-pages 的远程仓库 origin" in text
    # The project's own settings are the sample's: the dry run says so and is not ready.
    waiting = len(findings(read_publish_settings(), Server(deploy="github")))
    assert f"✗ {waiting} 项设置还是示例值" in text and "SITEURL · publishconf.py" in text
    assert done.returncode == 1 and "演练未通过" in text
    # No pull, no fetch, no build, no push: the checkout and the upstream are as they were.
    assert _state(checkout) == before and _git(upstream, "for-each-ref") == upstream_before
    assert not (checkout / "output").exists() and not (checkout / "content/articles/news/b.md").exists()


def test_the_dry_run_finds_what_would_stop_a_release(server_checkout: tuple[Path, Path]) -> None:
    checkout, _ = server_checkout
    _git(checkout, "branch", "--unset-upstream")
    bad = article("第一篇", "2020-07-01").replace("department: dyxcb", "department: nosuch")
    (checkout / "content/articles/news/a.md").write_text(bad, encoding="utf-8")
    done = dry_run(
        checkout, "--ssh-host", "127.0.0.1", "--ssh-port", "9", "--ssh-user", "fabu", "--ssh-target-dir", "/srv/www"
    )
    text = done.stdout
    assert done.returncode == 1
    assert "✗ 分支 main 没有上游分支" in text and "git branch -u origin/main" in text
    assert "✗ 有未提交的修改" in text
    assert "✗ 稿件与三审核验有" in text and "make release 会在构建前停止" in text
    assert "✗ 无法用密钥登录 fabu@127.0.0.1" in text


def test_make_release_dry_run_runs_the_dry_run_only(tmp_path: Path) -> None:
    def project_state() -> tuple[str, str]:
        return _git(PROJECT, "rev-parse", "HEAD"), _git(PROJECT, "status", "--porcelain")

    before = project_state()
    done = make("release", "DRY_RUN=1", "DEPLOY=github", f"GITHUB_PAGES_REMOTE={tmp_path / 'nowhere.git'}")
    assert "make release 演练：只检查，不拉取、不构建、不发布。" in done.stdout
    assert "✗ 连不上" in done.stdout and done.returncode != 0
    assert project_state() == before
