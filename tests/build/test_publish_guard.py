"""Only a finished publish build can be deployed; a file the site would drop, or any logged error, fails the build."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.sites import PROJECT, _env, article, build, write_site

NOW = "2020-07-25 12:00"
MARK = ".publish.json"


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _make(site: Path, target: str, *variables: str, env_now: str | None = NOW) -> subprocess.CompletedProcess:
    """A make target of the project, on the site in `site` (its own repository) and its output/."""
    command = ["make", "-s", target, f"SITE_ROOT={site}", f"OUTPUTDIR={site / 'output'}", *variables]
    return subprocess.run(command, cwd=PROJECT, env=_env(env_now), capture_output=True, text=True, timeout=600)


def _repository(root: Path, files: dict[str, str] | None = None) -> Path:
    """A fixture site in a git repository of its own, with the project's ignore rules for what builds write."""
    write_site(root, files or {"content/articles/news/a.md": article("已发布的稿件", "2020-07-20")})
    (root / ".gitignore").write_text("output/\n.cache/\n", encoding="utf-8")
    _git(root.parent, "init", "-q", "-b", "main", str(root))
    _git(root, "config", "user.name", "编辑部")
    _git(root, "config", "user.email", "site@example.org")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "稿件")
    return root


def _mark(site: Path) -> dict | None:
    path = site / "output" / MARK
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _pages_head(bare: Path) -> str | None:
    done = subprocess.run(["git", "-C", str(bare), "rev-parse", "--verify", "-q", "gh-pages"], capture_output=True)
    return done.stdout.decode().strip() or None


def test_publish_then_github_deploys_with_the_mark_and_a_preview_in_between_is_refused(tmp_path):
    site = _repository(tmp_path / "site")
    bare = tmp_path / "pages.git"
    _git(tmp_path, "init", "-q", "--bare", str(bare))
    deploy = ("GITHUB_PAGES_REMOTE=" + str(bare),)

    published = _make(site, "publish")
    assert published.returncode == 0, published.stdout + published.stderr
    sealed = _mark(site)
    assert sealed is not None
    assert sealed["kind"] == "publish" and sealed["now"] == "2020-07-25T12:00:00+08:00"
    assert sealed["commit"] == _git(site, "rev-parse", "HEAD") and sealed["dirty"] is False

    deployed = _make(site, "github", *deploy)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert json.loads(_git(bare, "show", f"gh-pages:{MARK}")) == sealed
    assert "已发布的稿件" in _git(bare, "show", "gh-pages:articles/2020/07/a/index.html")
    assert "发布 Publish: 2020-07-25T12:00:00+08:00" in _git(bare, "log", "-1", "--format=%s", "gh-pages")
    head = _pages_head(bare)

    # The content is checked again: an error made after the build stops the deployment.
    source = site / "content/articles/news/a.md"
    source.write_text(source.read_text(encoding="utf-8").replace("department: dyxcb", "department: nobody"))
    refused = _make(site, "github", *deploy)
    assert refused.returncode != 0
    assert "department" in refused.stdout + refused.stderr
    _git(site, "checkout", "--", "content")

    # A preview built into the same output/ leaves no mark: nothing of it can be deployed.
    preview = _make(site, "html")
    assert preview.returncode == 0, preview.stdout + preview.stderr
    assert _mark(site) is None
    refused = _make(site, "github", *deploy)
    assert refused.returncode != 0
    assert "不是正式构建" in refused.stderr and "is not a publish build" in refused.stderr
    assert _pages_head(bare) == head


def test_publish_then_rsync_deploys_the_mark_and_a_changed_output_is_refused(tmp_path):
    site = _repository(tmp_path / "site")
    target = tmp_path / "www"
    target.mkdir()
    # Stands in for ssh: runs rsync's remote half here, as the server's shell would.
    shell = tmp_path / "local-ssh"
    shell.write_text('#!/bin/sh\nwhile [ "$1" = "-l" ]; do shift 2; done\nshift\nexec sh -c "$*"\n', encoding="utf-8")
    shell.chmod(0o755)
    deploy = (f"RSYNC_SHELL={shell}", "SSH_HOST=web1.hast.org.cn", f"SSH_TARGET_DIR={target}")

    assert _make(site, "publish").returncode == 0
    deployed = _make(site, "rsync_upload", *deploy)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert json.loads((target / MARK).read_text(encoding="utf-8")) == _mark(site)
    assert (target / "articles/2020/07/a/index.html").is_file()

    page = site / "output/articles/2020/07/a/index.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    refused = _make(site, "rsync_upload", *deploy)
    assert refused.returncode != 0
    assert "changed after the publish build" in refused.stderr
    assert "edited" not in (target / "articles/2020/07/a/index.html").read_text(encoding="utf-8")


def test_a_failed_publish_leaves_no_mark(tmp_path):
    site = _repository(tmp_path / "site")
    assert _make(site, "publish").returncode == 0 and _mark(site) is not None
    write_site(site, {"content/articles/news/b.md": article("缺少审核", "2020-07-21", review="{first: 陈静}")})
    failed = _make(site, "publish")
    assert failed.returncode != 0
    assert _mark(site) is None


def test_release_deploys_only_with_a_target_that_verifies(tmp_path):
    # Run from an empty folder: were the guard to fail, its `git pull` would find no repository to change.
    command = ["make", "-s", "-C", str(tmp_path), "-f", str(PROJECT / "Makefile"), "release", "DEPLOY=serve"]
    done = subprocess.run(command, env=_env(NOW), capture_output=True, text=True)
    assert done.returncode != 0
    assert "DEPLOY must be github or rsync_upload" in done.stdout + done.stderr
    assert not (tmp_path / ".release.lock").exists()


def _noisy_settings(root: Path, publish: bool) -> Path:
    """The project's settings with one more plugin, which logs an ERROR while the build runs."""
    (root / "noisy.py").write_text(
        "import logging\n"
        "from pelican import signals\n\n\n"
        "def _complain(_generators):\n"
        "    logging.getLogger('noisy').error('模板缺少字段 a template lacks a field')\n\n\n"
        "def register():\n"
        "    signals.all_generators_finalized.connect(_complain)\n",
        encoding="utf-8",
    )
    settings = root / "noisy_settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(PROJECT)!r})\n"
        f"from {'publishconf' if publish else 'pelicanconf'} import *  # noqa: F403\n"
        f"PLUGIN_PATHS = [{str(PROJECT / 'plugins')!r}, {str(root)!r}]\n"
        "PLUGINS = [*PLUGINS, 'noisy']  # noqa: F405\n",
        encoding="utf-8",
    )
    return settings


def test_an_error_logged_during_a_publish_build_fails_it_with_the_list(tmp_path):
    write_site(tmp_path, {"content/articles/news/a.md": article("稿件", "2020-07-20")})
    run = build(tmp_path, settings=_noisy_settings(tmp_path, publish=True))
    assert run.returncode == 1, run.text
    assert "The publish build logged 1 error(s)" in run.stderr
    assert "[noisy] 模板缺少字段 a template lacks a field" in run.stderr
    assert "构建已停止" in run.stderr and "not marked for deployment" in run.stderr
    assert not (run.output / ".publish-pending.json").exists() and not (run.output / MARK).exists()
    preview = build(tmp_path, publish=False, settings=_noisy_settings(tmp_path, publish=False))
    assert preview.returncode == 0, preview.text


def test_markdown_not_named_md_fails_the_publish_build_naming_each_file(tmp_path):
    names = ["b.markdown", "c.mkd", "d.mdown"]
    files = {f"content/articles/news/{name}": article("被丢掉的稿件", "2020-07-20") for name in names}
    write_site(tmp_path, {"content/articles/news/a.md": article("稿件", "2020-07-20"), **files})
    run = build(tmp_path)
    assert run.returncode != 0
    for name in names:
        assert f"content/articles/news/{name}" in run.stderr
    assert "Rename it to b.md" in run.stderr and "请把它改名为 c.md" in run.stderr
    assert "Could not process" not in run.text


def test_a_linked_folder_fails_the_build(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "c.md").write_text(article("链接里的稿件", "2020-07-20"), encoding="utf-8")
    site = write_site(tmp_path / "site", {"content/articles/news/a.md": article("稿件", "2020-07-20")})
    os.symlink(elsewhere, site / "content/articles/linked")
    for publish in (True, False):
        run = build(site, publish=publish)
        assert run.returncode != 0
        assert "content/articles/linked" in run.stderr and "symbolic link" in run.stderr


def _marked_with_a_broken_draft(tmp_path: Path) -> Path:
    """A site whose output/ carries a publish mark, and whose next build fails: an edit broke a draft's date.

    The mark must go as the build starts: a preview that stops half-way leaves output/ neither build.
    """
    broken = article("改了一半的草稿", "2020-13-45", status="draft")
    site = write_site(tmp_path / "site", {"content/articles/news/a.md": broken})
    (site / "output").mkdir()
    (site / "output" / MARK).write_text(json.dumps({"format": 1, "kind": "publish"}), encoding="utf-8")
    return site


def test_the_devserver_removes_the_mark_even_when_its_build_fails(tmp_path):
    site = _marked_with_a_broken_draft(tmp_path)
    command = [
        sys.executable, "-m", "devserver",
        "--content", str(site / "content"), "--settings", str(PROJECT / "pelicanconf.py"),
        "--output", str(site / "output"), "--watch", "--port", "0",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=PROJECT, env=_env(NOW), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert server.stdout is not None
        verdict = next(line for line in server.stdout if line.startswith(("构建完成", "构建失败")))  # the first build's
        assert verdict.startswith("构建失败 failed")
        assert not (site / "output" / MARK).exists()
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_editor_session_removes_the_mark_even_when_its_build_fails(tmp_path):
    # `make cms` runs Pelican with --autoreload (and --listen); a content error ends it at once.
    site = _marked_with_a_broken_draft(tmp_path)
    command = [
        sys.executable, "-m", "pelican", str(site / "content"), "-s", str(PROJECT / "pelicanconf.py"),
        "-o", str(site / "output"), "--autoreload",
    ]  # fmt: skip
    done = subprocess.run(command, cwd=PROJECT, env=_env(NOW), capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "2020-13-45" in done.stderr
    assert not (site / "output" / MARK).exists()
