"""The search plugin in real builds: what reaches the index, what never does, and the /search/ page."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from search.corpus import articles
from search.query import IndexReader
from tests.sites import PROJECT, article, build, write_site

NOW = "2020-12-31 12:00"
# Marks in the bodies of items that must never be searchable; Latin, so that they are whole words in the index.
LEAK_MARKS = (
    "draftsearchmark",
    "embargosearchmark",
    "hiddensearchmark",
    "withdrawnsearchmark",
    "hiddenpagemark",
    "draftpagemark",
)
SECTIONS = ("news", "notices", "jiceng")
TYPES = ("news", "notice", "release", "profile")


@dataclass
class FixtureArticle:
    """A published article of the fixture site, and its body as plain text: the ground truth of searches."""

    url: str
    title: str
    plain: str


def settings_file(root: Path, publish: bool = True, **extra: object) -> Path:
    """The project's settings with the search plugin, whether or not the project lists it yet."""
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(PROJECT)!r})",
        f"from {'publishconf' if publish else 'pelicanconf'} import *  # noqa: F403",
        "if 'search' not in PLUGINS:  # noqa: F405",
        "    PLUGINS = [*PLUGINS, 'search']  # noqa: F405",
        *(f"{name} = {value!r}" for name, value in extra.items()),
    ]
    path = root / ("settings.py" if publish else "settings_preview.py")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_search_site(root: Path, count: int = 72) -> list[FixtureArticle]:
    """A site of `count` generated Chinese articles, a fixed page, and one item of every kind that is never
    searchable. Some bodies split a phrase with inline markup or a soft line break, which must not hide it."""
    files: dict[str, str] = {
        "content/columns/zuimei.md": "---\ntitle: 最美科技工作者\n---\n专栏介绍。\n",
        "content/topics/kejiri.md": "---\ntitle: 全国科技工作者日\n---\n专题介绍。\n",
        "content/pages/about.md": "---\ntitle: 关于我们\n---\n本站由调研宣传部维护，洛阳市科协等单位供稿。\n",
        "content/pages/secret.md": "---\ntitle: 内部页面\nstatus: hidden\n---\nHIDDENPAGEMARK 内部说明。\n",
        "content/pages/plan.md": "---\ntitle: 改版计划\nstatus: draft\n---\nDRAFTPAGEMARK 改版草案。\n",
        "content/articles/draft.md": article(
            "草稿稿件", "2020-06-01", "DRAFTSEARCHMARK 洛阳市科协草稿。", status="draft"
        ),
        "content/articles/embargo.md": article("定时稿件", "2021-01-05 10:00", "EMBARGOSEARCHMARK 洛阳市科协定时。"),
        "content/articles/hidden.md": article(
            "隐藏稿件", "2020-06-02", "HIDDENSEARCHMARK 洛阳市科协隐藏。", status="hidden"
        ),
        "content/articles/withdrawn.md": article(
            "撤回稿件",
            "2020-06-03",
            "WITHDRAWNSEARCHMARK 洛阳市科协撤回。",
            status="withdrawn",
            withdrawn_reason="内容有误，已更正",
        ),
    }
    start = datetime.datetime(2019, 1, 3, 9, 30)
    published = []
    for a in articles(count, chars=500, seed=7):
        date = start + datetime.timedelta(days=a.number * 10)
        paragraphs = list(a.paragraphs)
        # Planted phrases, so that every kind of query has several answers.
        if a.number % 9 == 0:
            paragraphs.append("洛阳市科协组织王建国等专家开展科技下乡活动。")
        if a.number % 11 == 0:
            paragraphs.append("本文提到洛阳和南阳市科协，但没有写到那个完整的名称。")
        markdown = list(paragraphs)
        if a.number % 9 == 0 and a.number % 2 == 0:
            markdown[-1] = markdown[-1].replace("洛阳市科协", "洛阳**市科协**")
        elif a.number % 9 == 0:
            markdown[-1] = markdown[-1].replace("洛阳市科协", "洛阳\n市科协")
        fields = {
            "slug": f"s{a.number:03d}",
            "section": SECTIONS[a.number % 3],
            "type": TYPES[a.number % 4],
        }
        if a.number % 5 == 0:
            fields["columns"] = "[zuimei]"
        if a.number % 7 == 0:
            fields["topics"] = "[kejiri]"
        files[f"content/articles/s{a.number:03d}.md"] = article(
            a.title, f"{date:%Y-%m-%d %H:%M}", "\n\n".join(markdown), **fields
        )
        published.append(
            FixtureArticle(f"articles/{date:%Y}/{date:%m}/s{a.number:03d}/", a.title, "\n".join(paragraphs))
        )
    write_site(root, files)
    return published


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[FixtureArticle]]:
    root = tmp_path_factory.mktemp("search")
    published = write_search_site(root)
    run = build(root, publish=True, site_now=NOW, settings=settings_file(root), timeout=300)
    assert run.returncode == 0, run.text
    return run.output, published


def index_files(output: Path) -> dict[str, bytes]:
    root = output / "search/index"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_nothing_unpublished_reaches_any_index_file(search_site) -> None:
    output, _published = search_site
    files = index_files(output)
    assert len(files) > 70
    for mark in LEAK_MARKS:
        leaks = [name for name, data in files.items() if mark.encode() in data.lower()]
        assert not leaks, f"{mark} leaked into {leaks}"
    reader = IndexReader(output / "search/index")
    for query in ("草稿稿件", "定时稿件", "隐藏稿件", "撤回稿件", "内部页面", "改版计划", *LEAK_MARKS):
        assert reader.search(query, limit=10**6).results == [], query


def test_articles_and_pages_are_indexed_with_their_filters(search_site) -> None:
    output, published = search_site
    reader = IndexReader(output / "search/index")
    meta = reader.meta
    assert meta["docs"] == len(published) + 1  # the articles and 关于我们
    values = meta["facets"]["values"]
    assert values["section"] == [["news", "科协要闻"], ["notices", "通知公告"], ["jiceng", "基层动态"]]
    assert ["page", "信息页"] in values["type"] and ["news", "新闻"] in values["type"]
    assert [v for v, _label in values["year"]] == ["2020", "2019"]
    assert values["column"] == [["zuimei", "最美科技工作者"]]
    assert values["topic"] == [["kejiri", "全国科技工作者日"]]
    about = reader.search("调研宣传部").results
    assert [r.url for r in about] == ["about/"]
    first = reader.search(published[0].title).results[0]
    assert (first.url, first.title) == (published[0].url, published[0].title)
    assert first.date == "2019-01-03 09:30"


def test_phrases_split_by_markup_or_a_line_break_are_found(search_site) -> None:
    output, published = search_site
    reader = IndexReader(output / "search/index")
    truth = {a.url for a in published if "洛阳市科协" in a.plain}
    found = {r.url for r in reader.search("洛阳市科协", limit=10**6).results}
    assert truth and found == truth | {"about/"}
    # the bait mentions 洛阳 and 南阳市科协 but not 洛阳市科协: its bigrams all match, the check rejects it
    bait = {a.url for a in published if "南阳市科协" in a.plain and "洛阳市科协" not in a.plain}
    assert bait and not bait & found


def test_the_search_page_works_without_javascript_as_a_form(search_site) -> None:
    output, _published = search_site
    soup = BeautifulSoup((output / "search/index.html").read_text(encoding="utf-8"), "html.parser")
    form = soup.select_one("main form[role=search]")
    assert form["method"] == "get" and form["action"] == "../search/"
    field = form.select_one("input[name=q]")
    assert soup.select_one(f"label[for={field['id']}]").get_text(strip=True)
    assert soup.select_one("noscript")
    root = soup.select_one("[data-search-index]")
    assert root["data-search-index"] == "../search/index/" and root["data-search-root"] == "../"
    assert not root.has_attr("data-search-skipped")
    assert soup.select_one('meta[name="ColumnName"]')["content"] == "站内搜索"
    assert soup.select_one('script[src="../theme/js/search.js"]')
    assert soup.select_one('link[href="../theme/css/search.css"]')
    # Nothing loads from another host; only the canonical link names one, as the standard wants.
    loaded = [s["src"] for s in soup.select("script[src]")] + [s["href"] for s in soup.select("link[rel=stylesheet]")]
    assert loaded and not [u for u in loaded if u.startswith(("http:", "https:", "//"))]


def test_every_page_has_a_search_box_in_its_header(search_site) -> None:
    output, published = search_site
    for name, action in (("index.html", "./search/"), (published[0].url + "index.html", "../../../../search/")):
        soup = BeautifulSoup((output / name).read_text(encoding="utf-8"), "html.parser")
        form = soup.select_one("header form.site-search[role=search]")
        assert form is not None, name
        assert form["action"] in (action, action.removeprefix("./")), form["action"]
        assert form.select_one("input[name=q]") and form.select_one("button[type=submit]")


def test_builds_are_reproducible(search_site, tmp_path: Path) -> None:
    output, _published = search_site
    write_search_site(tmp_path)
    again = build(tmp_path, publish=True, site_now=NOW, settings=settings_file(tmp_path), timeout=300)
    assert again.returncode == 0, again.text
    assert index_files(again.output) == index_files(output)


def test_a_preview_may_skip_the_index_and_never_indexes_drafts(tmp_path: Path) -> None:
    write_search_site(tmp_path, count=12)
    skipped = build(tmp_path, publish=False, site_now=NOW, settings=settings_file(tmp_path, False, SEARCH_INDEX=False))
    assert skipped.returncode == 0, skipped.text
    assert not (skipped.output / "search/index").exists()
    page = (skipped.output / "search/index.html").read_text(encoding="utf-8")
    assert "data-search-skipped" in page
    indexed = build(tmp_path, publish=False, site_now=NOW, settings=settings_file(tmp_path, False, SEARCH_INDEX=True))
    assert indexed.returncode == 0, indexed.text
    files = index_files(indexed.output)
    for mark in LEAK_MARKS:
        assert not [name for name, data in files.items() if mark.encode() in data.lower()], mark
    # A publish build indexes whatever SEARCH_INDEX says.
    forced = build(tmp_path, publish=True, site_now=NOW, settings=settings_file(tmp_path, True, SEARCH_INDEX=False))
    assert forced.returncode == 0, forced.text
    assert json.loads((forced.output / "search/index/meta.json").read_text(encoding="utf-8"))["docs"] == 13
