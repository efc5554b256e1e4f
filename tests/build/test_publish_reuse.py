"""`make publish` with the previous publish's caches: work in proportion to the change, output as a clean publish's."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.incremental import output_tree
from tests.sites import Run, article, build, write_site

SITE_NOW = "2020-12-31 12:00"
UPDATED = re.compile(r"search\s+index\s+update:\s+(\d+)\s+documents\s+changed,\s+(\d+)\s+shards\s+rewritten")
RENDERED = re.compile(r"rendered\s+(\d+)\s+pages,\s+(\d+)\s+unchanged")


def _files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "content/columns/zuimei.md": "---\ntitle: 最美科技工作者\norder: 1\n---\n专栏介绍。\n",
        "content/topics/kejiri.md": "---\ntitle: 全国科技工作者日\n---\n专题介绍。\n",
        "content/pages/about.md": "---\ntitle: 关于我们\norder: 1\n---\n省科协简介。\n",
    }
    for i in range(1, 13):
        files[f"content/articles/news/n{i}.md"] = article(
            f"要闻稿件{i}",
            f"2020-06-{i:02d} 08:00",
            f"要闻{i}的正文，介绍洛阳市科协的科普活动。\n\n第二段写到[关于我们](/about/)。",
            tags="[科普]" if i % 2 else "[科技馆]",
            columns="[zuimei]" if i <= 3 else "[]",
            topics="[kejiri]" if i >= 9 else "[]",
        )
    for i in range(1, 6):
        files[f"content/articles/notices/t{i}.md"] = article(f"通知{i}", f"2020-05-{i:02d}", "正文。", type="notice")
    return files


def _tree(output: Path) -> dict[str, str]:
    tree = output_tree(output)
    tree.pop(".publish-pending.json", None)
    return tree


def _publish(root: Path) -> Run:
    run = build(root, site_now=SITE_NOW, args=("--verbose",))
    assert run.returncode == 0, run.text
    return run


def _rendered(run: Run) -> tuple[int, int]:
    """Pages rendered and pages left as the last publish wrote them."""
    found = RENDERED.findall(run.text)
    assert found, run.text
    rendered, unchanged = found[-1]
    return int(rendered), int(unchanged)


def _clean_publish(site: Path, tmp_path: Path) -> dict[str, str]:
    """The same content, published from a fresh folder with no cache of any earlier build."""
    clean = tmp_path / "clean"
    shutil.copytree(site / "content", clean / "content")
    return _tree(_publish(clean).output)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site published once: its .cache/ holds what that publish kept."""
    root = write_site(tmp_path_factory.mktemp("reuse") / "site", _files())
    first = _publish(root)
    assert "written whole (no index was kept)" in first.text
    return root


def _kept_outputs(site: Path) -> dict[str, int]:
    """How many outputs of each kind the cache holds, by kind: one more for each made from new inputs."""
    with sqlite3.connect(site / ".cache/text.sqlite") as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {}
        for kind in ("feed", "api", "wechat_page"):
            (table,) = [name for name in tables if name.startswith(f"{kind}_output_")]
            counts[kind] = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    return counts


def _edit(site: Path, name: str, old: str, new: str) -> None:
    path = site / "content/articles/news" / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_an_edited_body_updates_the_search_index_and_equals_a_clean_publish(site: Path, tmp_path: Path) -> None:
    kept = _kept_outputs(site)
    assert kept == {"feed": 2 * 6, "api": 1, "wechat_page": 17}  # the site, 3 sections, a column and a topic
    # As long as before: on a site this small, a longer body would move the average length every impact uses.
    _edit(site, "n5.md", "介绍洛阳市科协的科普活动", "介绍郑州市科协的机器人赛")
    run = _publish(site)
    # Made again: the article's WeChat copy, the one API page and the Atom and JSON feeds of the site and of its
    # section that hold it; every other copy and feed was the last publish's.
    made = {kind: count - kept[kind] for kind, count in _kept_outputs(site).items()}
    assert made == {"feed": 2 * 2, "api": 1, "wechat_page": 1}
    # The other pages of output/ are the last publish's, left as they were.
    rendered, unchanged = _rendered(run)
    assert 4 <= rendered < 30 and unchanged > 2 * rendered, run.text
    updated = UPDATED.search(run.text)
    assert updated and updated.group(1) == "1" and int(updated.group(2)) > 0, run.text
    docs = (run.output / "search/index/docs").iterdir()
    assert sum("郑州市科协的机器人赛" in p.read_text(encoding="utf-8") for p in docs) == 1
    assert _tree(run.output) == _clean_publish(site, tmp_path)


def test_a_new_title_and_a_new_article_equal_a_clean_publish(site: Path, tmp_path: Path) -> None:
    _edit(site, "n2.md", "title: 要闻稿件2", "title: 要闻稿件2：新的标题")
    (site / "content/articles/news/n13.md").write_text(
        article("新增的稿件", "2020-06-20 09:00", "新增稿件的正文。", columns="[zuimei]"), encoding="utf-8"
    )
    run = _publish(site)
    assert "written whole (documents were added, removed or reordered)" in run.text
    assert _tree(run.output) == _clean_publish(site, tmp_path)


def test_a_deleted_article_equals_a_clean_publish(site: Path, tmp_path: Path) -> None:
    (site / "content/articles/news/n13.md").unlink()
    run = _publish(site)
    assert _tree(run.output) == _clean_publish(site, tmp_path)


def test_a_preview_build_in_between_makes_the_next_publish_start_from_an_empty_output(
    site: Path, tmp_path: Path
) -> None:
    (site / "content/articles/news/draft.md").write_text(
        article("预览中的草稿", "2020-06-21 09:00", "草稿正文不得发布。", status="draft"), encoding="utf-8"
    )
    preview = build(site, publish=False, site_now=SITE_NOW)
    assert preview.returncode == 0, preview.text
    assert any("预览中的草稿" in p.read_text(encoding="utf-8") for p in (site / "output").rglob("*.html"))
    run = _publish(site)
    assert _rendered(run)[1] == 0, run.text  # the records are the preview's: every page is rendered
    tree = _tree(run.output)
    leaked = [p for p in run.output.rglob("*") if p.is_file() and "预览中的草稿" in p.read_text(errors="replace")]
    assert leaked == [] and not any("draft" in name for name in tree)
    (site / "content/articles/news/draft.md").unlink()
    assert tree == _clean_publish(site, tmp_path)


def test_a_publish_after_an_unchanged_one_renders_nothing_new(site: Path) -> None:
    _publish(site)
    rendered, unchanged = _rendered(_publish(site))
    assert rendered <= 2 and unchanged > 30  # the pages that show the build time (the statistics)
