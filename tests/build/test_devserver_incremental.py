"""`make devserver` keeps the built site in memory: after each kind of change its output equals a clean build's."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator

import pytest

from tests.incremental import SITE_NOW, Project, edit, project_settings
from tests.sites import PROJECT, _env, article

DONE, FAILED = "构建完成", "构建失败"
# How long one build may take on a busy machine: a stuck devserver fails the test instead of hanging it.
PATIENCE = 300


class Devserver:
    """`make devserver` on a fixture project, its printed lines read as they come."""

    def __init__(self, project: Project) -> None:
        command = [
            sys.executable, "-m", "devserver",
            "--content", str(project.site / "content"), "--settings", str(project.settings),
            "--output", str(project.site / "output"), "--watch", str(project.theme),
            "--port", "0", "--interval", "0.1",
        ]  # fmt: skip
        env = _env(SITE_NOW)
        env["PYTHONUNBUFFERED"] = "1"
        self.process = subprocess.Popen(
            command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def build(self) -> str:
        """What the devserver printed up to the end of its next build (done or failed)."""
        seen: list[str] = []
        while True:
            try:
                line = self.lines.get(timeout=PATIENCE)
            except queue.Empty:
                raise AssertionError("the devserver never finished a build:\n" + "".join(seen)) from None
            seen.append(line)
            if line.startswith((DONE, FAILED)):
                return "".join(seen)

    def change(self, make_change: Callable[[], None]) -> str:
        """Make a change, and wait for the builds it starts (seen in more than one look, it starts two)."""
        make_change()
        log = self.build()
        while True:
            try:
                line = self.lines.get(timeout=2)
            except queue.Empty:
                return log
            log += line + self.build()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, Devserver]]:
    project = Project(tmp_path_factory.mktemp("devserver"))
    server = Devserver(project)
    try:
        first = server.build()
        assert DONE in first, first
        yield project, server
    finally:
        server.stop()


def _page(project: Project, name: str) -> str:
    return (project.site / "output" / name).read_text(encoding="utf-8")


def _applied(log: str) -> None:
    """The change was applied in memory: no full build."""
    assert "已更新 applied" in log and DONE in log and "Done: Processed" not in log, log


def _full(log: str) -> None:
    assert "Done: Processed" in log and DONE in log, log


def test_an_edited_body_is_applied_in_memory(served: tuple[Project, Devserver]) -> None:
    project, server = served
    path = project.site / "content/articles/news/n4.md"
    _applied(server.change(lambda: edit(path, "要闻4的正文。", "要闻4改过的正文。")))
    project.assert_same_as_clean()
    assert "要闻4改过的正文。" in _page(project, "articles/2020/06/n4/index.html")
    assert "要闻4改过的正文。" in _page(project, "feed.json")


def test_each_change_applies_every_edit_since_the_build(served: tuple[Project, Devserver]) -> None:
    project, server = served
    news = project.site / "content/articles/news"
    _applied(server.change(lambda: edit(news / "n3.md", "要闻3的正文。", "要闻3在专栏里的新正文。")))
    _applied(server.change(lambda: edit(project.site / "content/pages/about.md", "省科协简介。", "省科协的新简介。")))
    project.assert_same_as_clean()
    column = _page(project, "columns/zuimei/index.html")
    assert "要闻3在专栏里的新正文。" in column
    assert "要闻4改过的正文。" in _page(project, "articles/2020/06/n4/index.html")


def test_an_edit_taken_back_restores_the_page(served: tuple[Project, Devserver]) -> None:
    project, server = served
    path = project.site / "content/articles/news/n3.md"
    _applied(server.change(lambda: edit(path, "要闻3在专栏里的新正文。", "要闻3的正文。")))
    project.assert_same_as_clean()
    column = _page(project, "columns/zuimei/index.html")
    assert "要闻3在专栏里的新正文" not in column and "要闻3的正文。" in column


def test_an_error_in_an_edit_is_listed_and_its_fix_applied(served: tuple[Project, Devserver]) -> None:
    project, server = served
    path = project.site / "content/articles/news/n5.md"
    wrong = '要闻5的正文。\n{: style="color: red"}'
    failed = server.change(lambda: edit(path, "要闻5的正文。", wrong))
    assert FAILED in failed and "n5.md" in failed and "Done: Processed" not in failed, failed
    _applied(server.change(lambda: edit(path, wrong, "要闻5的新正文。")))
    project.assert_same_as_clean()


def test_a_new_title_takes_a_full_build(served: tuple[Project, Devserver]) -> None:
    project, server = served
    path = project.site / "content/articles/news/n3.md"
    _full(server.change(lambda: edit(path, "title: 要闻稿件3", "title: 要闻稿件三")))
    project.assert_same_as_clean()
    assert "要闻稿件三" in _page(project, "columns/zuimei/index.html")


def test_a_body_edit_after_a_full_build_is_applied_in_memory_again(served: tuple[Project, Devserver]) -> None:
    project, server = served
    path = project.site / "content/articles/news/n6.md"
    _applied(server.change(lambda: edit(path, "要闻6的正文。", "要闻6在专题里的新正文。")))
    project.assert_same_as_clean()
    assert "要闻6在专题里的新正文。" in _page(project, "topics/kejiri/index.html")


def test_adding_an_article(served: tuple[Project, Devserver]) -> None:
    project, server = served
    path = project.site / "content/articles/news/n9.md"
    text = article("新增的稿件", "2020-07-09 10:00", "新稿正文。", tags="[科普]", columns="[zuimei]")
    _full(server.change(lambda: path.write_text(text, encoding="utf-8")))
    tree = project.assert_same_as_clean()
    assert "articles/2020/07/n9/index.html" in tree


def test_deleting_an_article(served: tuple[Project, Devserver]) -> None:
    project, server = served
    _full(server.change((project.site / "content/articles/news/n1.md").unlink))
    tree = project.assert_same_as_clean()
    assert not any("/n1/" in name for name in tree)


def test_renaming_an_article(served: tuple[Project, Devserver]) -> None:
    project, server = served
    old = project.site / "content/articles/news/n2.md"

    _full(server.change(lambda: old.rename(old.with_name("renamed.md"))))
    tree = project.assert_same_as_clean()
    assert not any("/n2/" in name for name in tree)
    assert "articles/2020/06/renamed/index.html" in tree


def test_removing_an_article_with_images(served: tuple[Project, Devserver]) -> None:
    project, server = served
    folder = project.site / "content/articles/news/photo"
    _full(server.change(lambda: folder.rename(project.root / "photo-removed")))
    tree = project.assert_same_as_clean()
    assert not any("photo" in name for name in tree)


def test_changing_a_template(served: tuple[Project, Devserver]) -> None:
    project, server = served
    template = project.theme / "templates/article.html"
    _full(server.change(lambda: edit(template, "{% block content %}", "{% block content %}<!-- 新模板 -->")))
    project.assert_same_as_clean()
    assert "新模板" in _page(project, "articles/2020/07/n9/index.html")


def test_changing_a_setting(served: tuple[Project, Devserver]) -> None:
    project, server = served
    _full(server.change(lambda: project_settings(project.root, project.theme, sitename="河南省科协测试站") and None))
    project.assert_same_as_clean()
    assert "河南省科协测试站" in _page(project, "index.html")
