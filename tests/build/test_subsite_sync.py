"""Sub-site mode end to end: a city site built with subsite/zhengzhou.py, served locally, synced into the province."""

from __future__ import annotations

import functools
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
from PIL import Image

from tests.sites import PROJECT, Run, article, build, check, output_text, write_site

NOW = "2020-07-25 12:00"
CITY_URL = "https://kx.zhengzhou.example"
CITY_REGISTRIES = {
    "content/data/sections.yml": "- {id: news, name: 科协要闻, order: 1}\n- {id: jiceng, name: 基层动态, order: 2}\n",
    "content/data/departments.yml": (
        "- {id: bgs, name: 办公室, kind: 机关部室}\n- {id: jsqkx, name: 金水区科协, kind: 直属单位}\n"
    ),
    "content/data/media.yml": "- {id: zhengzhou-daily, name: 郑州日报, level: 市级}\n",
}


def _city_article(title: str, date: str, body: str, **fields: str) -> str:
    return article(title, date, body, **fields).replace("department: dyxcb", "department: jsqkx")


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("zhengzhou")
    files = {
        **CITY_REGISTRIES,
        "content/articles/jiceng/kepu/index.md": _city_article(
            "金水区科协开展“科普进社区”活动",
            "2020-07-18 09:30",
            "活动现场见[郑州日报报道](https://zzrb.example/a)。\n\n![居民体验科普展品](photo.png)\n\n"
            '<table><tr><th scope="col">项目</th><td>数量</td></tr></table>',
            section="jiceng",
            authors="[赵鹏]",
            tags="[科普, 社区]",
            summary="金水区科协走进社区开展科普活动。",
        ),
        "content/articles/jiceng/kepu/photo.png": _png(),
        "content/articles/news/zuotan.md": _city_article(
            '郑州市科协召开"科技工作者座谈会"', "2020-07-20 10:00", "## 听取意见\n\n代表们围绕成果转化发言。"
        ),
        "content/articles/news/draft.md": _city_article("草稿CITYDRAFT", "2020-07-21", "CITYDRAFT", status="draft"),
        "content/articles/news/later.md": _city_article("定时CITYEMBARGO", "2020-07-30", "CITYEMBARGO"),
    }
    write_site(root, files, registries=False)
    run = build(root, site_now=NOW, settings=PROJECT / "subsite" / "zhengzhou.py")
    assert run.returncode == 0, run.text
    return run


@pytest.fixture(scope="module")
def served(city: Run) -> Iterator[str]:
    """The city's output on http://127.0.0.1:<port>/, as its own web server would serve it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(city.output)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("province")
    return write_site(root, {"content/articles/news/own.md": article("省站自己的稿件", "2020-07-10", "正文。")})


def sync(province: Path, feed: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """`make sync FEED=… DEPARTMENT=zzskx` as the Makefile runs it."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "plugins")}
    return subprocess.run(
        [sys.executable, "-m", "sync", "--feed", feed, "--department", "zzskx", "--root", str(province), *extra],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _imported(province: Path) -> list[Path]:
    return sorted((province / "content/articles/jiceng/zzskx").glob("*.md"))


def test_the_city_site_is_built_with_its_own_identity_and_feeds(city: Run) -> None:
    texts = output_text(city.output)
    assert "郑州市科学技术协会" in texts["index.html"] and "豫ICP备00000001号-1" in texts["index.html"]
    document = json.loads(texts["feed.json"])
    assert document["title"] == "郑州市科学技术协会"
    assert document["feed_url"] == f"{CITY_URL}/feed.json"
    assert [i["title"] for i in document["items"]] == [
        '郑州市科协召开"科技工作者座谈会"',
        "金水区科协开展“科普进社区”活动",
    ]
    column_feed = feedparser.parse(texts["jiceng/feed.atom"])
    assert not column_feed.bozo and [e.title for e in column_feed.entries] == ["金水区科协开展“科普进社区”活动"]
    assert all(mark not in texts["feed.json"] for mark in ("CITYDRAFT", "CITYEMBARGO"))
    assert json.loads(texts["api/index.json"])["name"] == "郑州市科学技术协会"


def test_sync_imports_the_city_feed_as_drafts_that_pass_the_check_and_only_once(province: Path, served: str) -> None:
    first = sync(province, f"{served}/feed.json")
    assert first.returncode == 0, first.stderr
    files = _imported(province)
    assert len(files) == 2, first.stdout
    texts = {p.name: p.read_text(encoding="utf-8") for p in files}
    kepu = next(t for name, t in texts.items() if "kepu" in name)
    for line in (
        "status: draft",
        "section: jiceng",
        "department: zzskx",
        'source: "郑州市科协"',
        f'source_url: "{CITY_URL}/articles/2020/07/kepu/"',
        "date: 2020-07-18 09:30",
        'summary: "金水区科协走进社区开展科普活动。"',
    ):
        assert line in kepu, line
    # The city's address is not reachable from here: its photo is left out with a note, never hotlinked.
    assert f'src="{CITY_URL}' not in kepu and f"请审稿时处理：{CITY_URL}/articles/2020/07/kepu/" in kepu
    assert "Image left out" in first.stderr
    assert '<a href="https://zzrb.example/a">郑州日报报道</a>' in kepu
    result = check(province, site_now=NOW)
    assert result.returncode == 0, result.text

    again = sync(province, f"{served}/feed.json")
    assert again.returncode == 0, again.stderr
    assert "新导入 0 篇" in again.stdout and _imported(province) == files
    # The same articles through the section's Atom feed: matched by URL, nothing added either.
    atom = sync(province, f"{served}/jiceng/feed.atom")
    assert atom.returncode == 0, atom.stderr
    assert "新导入 0 篇" in atom.stdout and _imported(province) == files


def test_imported_drafts_stay_out_of_the_province_publish_build(province: Path, served: str) -> None:
    if not _imported(province):
        assert sync(province, f"{served}/feed.json").returncode == 0
    run = build(province, site_now=NOW)
    assert run.returncode == 0, run.text
    texts = output_text(run.output)
    assert not [name for name, text in texts.items() if "科普进社区" in text]


def test_a_missing_feed_on_the_server_is_a_clear_error(province: Path, served: str) -> None:
    result = sync(province, f"{served}/no-such/feed.json")
    assert result.returncode == 1
    assert result.stderr.startswith("订阅源返回错误 404") and "HTTP 404" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_shipped_city_example_passes_the_check_and_builds(tmp_path: Path) -> None:
    example = PROJECT / "subsite" / "zhengzhou"
    result = check(example, site_now=NOW)
    assert result.returncode == 0, result.text
    shutil.copytree(example / "content", tmp_path / "content")  # built in a copy: nothing lands in the project
    run = build(tmp_path, site_now=NOW, settings=PROJECT / "subsite" / "zhengzhou.py")
    assert run.returncode == 0, run.text
    assert json.loads((run.output / "feed.json").read_text(encoding="utf-8"))["items"]
