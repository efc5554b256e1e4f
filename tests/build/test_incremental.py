"""`make html` rebuilds incrementally: after each kind of change its output equals a clean build's, byte for byte."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.incremental import Project, edit, photo, project_settings
from tests.sites import Run, article, build

RENDERED = re.compile(r"rendered (\d+) pages, (\d+) unchanged, in [\d.]+ s \((\d+)")  # then "processes)"


def _counts(run: Run) -> tuple[int, int]:
    """Pages rendered and kept by a full (incremental) build."""
    assert "Done: Processed" in run.text, run.text
    found = RENDERED.findall(run.text)
    assert found, run.text
    rendered, kept, workers = found[-1]
    assert workers == "2", run.text
    return int(rendered), int(kept)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("incremental"))
    first = project.incremental()
    assert _counts(first)[1] == 0
    return project


def test_an_unchanged_rebuild_renders_nothing(project: Project) -> None:
    assert _counts(project.incremental())[0] == 0
    project.assert_same_as_clean()


def test_editing_an_article_renders_only_pages_that_show_it(project: Project) -> None:
    edit(project.site / "content/articles/news/n4.md", "要闻4的正文。", "要闻4改过的正文。")
    rendered, _kept = _counts(project.incremental())
    # Its page, its WeChat copy, and the lists, feeds and API pages that show its summary (taken from the body).
    assert 4 <= rendered < 40
    tree = project.assert_same_as_clean()
    page = (project.site / "output/articles/2020/06/n4/index.html").read_text(encoding="utf-8")
    assert "要闻4改过的正文。" in page and tree
    assert "要闻4改过的正文。" in (project.site / "output/feed.json").read_text(encoding="utf-8")


def test_editing_two_bodies(project: Project) -> None:
    edit(project.site / "content/articles/news/n3.md", "要闻3的正文。", "要闻3在专栏里的新正文。")
    edit(project.site / "content/articles/news/n6.md", "要闻6的正文。", "要闻6在专题里的新正文。")
    rendered, _kept = _counts(project.incremental())
    assert 4 <= rendered < 40
    project.assert_same_as_clean()
    assert "要闻3在专栏里的新正文。" in (project.site / "output/columns/zuimei/index.html").read_text(encoding="utf-8")


def test_editing_a_page(project: Project) -> None:
    edit(project.site / "content/pages/about.md", "省科协简介。", "省科协的新简介。")
    assert _counts(project.incremental())[0] >= 1
    project.assert_same_as_clean()
    assert "省科协的新简介。" in (project.site / "output/about/index.html").read_text(encoding="utf-8")


def test_editing_a_body_with_images(project: Project) -> None:
    edit(project.site / "content/articles/news/photo/index.md", "正文第一段。", "正文改过的第一段。")
    assert _counts(project.incremental())[0] >= 1
    project.assert_same_as_clean()


def test_a_changed_output_file_is_written_again(project: Project) -> None:
    page = project.site / "output/articles/2020/06/n5/index.html"
    page.write_text("<p>别人改过的</p>", encoding="utf-8")
    assert _counts(project.incremental())[0] == 1
    project.assert_same_as_clean()


def test_another_build_time_and_back(project: Project) -> None:
    run = build(
        project.site, publish=False, site_now="2021-01-02 08:00", settings=project.settings, args=("--verbose",)
    )
    assert run.returncode == 0, run.text
    project.incremental()
    project.assert_same_as_clean()


def test_a_new_title_reaches_lists_feeds_and_neighbours(project: Project) -> None:
    path = project.site / "content/articles/news/n3.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title: 要闻稿件3", "title: 要闻稿件三"), encoding="utf-8")
    project.incremental()
    project.assert_same_as_clean()
    assert "要闻稿件三" in (project.site / "output/columns/zuimei/index.html").read_text(encoding="utf-8")


def test_adding_an_article(project: Project) -> None:
    (project.site / "content/articles/news/n9.md").write_text(
        article("新增的稿件", "2020-07-09 10:00", "新稿正文。", tags="[科普]", columns="[zuimei]"), encoding="utf-8"
    )
    project.incremental()
    tree = project.assert_same_as_clean()
    assert "articles/2020/07/n9/index.html" in tree


def test_deleting_an_article_removes_its_files(project: Project) -> None:
    (project.site / "content/articles/news/n1.md").unlink()
    project.incremental()
    tree = project.assert_same_as_clean()
    assert not any("/n1/" in name for name in tree)


def test_renaming_an_article_moves_its_page(project: Project) -> None:
    old = project.site / "content/articles/news/n2.md"
    text = old.read_text(encoding="utf-8").replace("title: 要闻稿件2", "title: 改名的稿件")
    old.unlink()
    (project.site / "content/articles/news/renamed.md").write_text(text, encoding="utf-8")
    project.incremental()
    tree = project.assert_same_as_clean()
    assert not any("/n2/" in name for name in tree)
    assert "articles/2020/06/renamed/index.html" in tree


def test_replacing_images_updates_the_pages_that_show_them(project: Project) -> None:
    folder = project.site / "content/articles/news/photo"
    (folder / "lab.jpg").write_bytes(photo((320, 480)))
    (folder / "cover.jpg").write_bytes(photo((700, 300)))
    project.incremental()
    project.assert_same_as_clean()
    page = (project.site / "output/articles/2020/07/photo/index.html").read_text(encoding="utf-8")
    assert 'width="320"' in page and 'width="700"' in page


def test_removing_an_image_and_its_page(project: Project) -> None:
    shutil.rmtree(project.site / "content/articles/news/photo")
    project.incremental()
    tree = project.assert_same_as_clean()
    assert not any(name.endswith((".webp", ".jpg")) and "photo" in name for name in tree)


def test_changing_a_template_renders_the_pages_that_use_it(project: Project) -> None:
    template = project.theme / "templates/article.html"
    text = template.read_text(encoding="utf-8")
    assert "{% block content %}" in text
    template.write_text(text.replace("{% block content %}", "{% block content %}<!-- 新模板 -->", 1), encoding="utf-8")
    rendered, kept = _counts(project.incremental())
    assert rendered >= 8 and kept > 0
    project.assert_same_as_clean()
    assert "新模板" in (project.site / "output/articles/2020/07/n9/index.html").read_text(encoding="utf-8")


def test_changing_a_setting_renders_every_page(project: Project) -> None:
    project_settings(project.root, project.theme, sitename="河南省科协测试站")
    rendered, kept = _counts(project.incremental())
    assert kept == 0 and rendered > 40
    project.assert_same_as_clean()
    assert "河南省科协测试站" in (project.site / "output/index.html").read_text(encoding="utf-8")
