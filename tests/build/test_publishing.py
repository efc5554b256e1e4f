"""Build tests of the publishing rules on small fixture sites: embargo, drafts, status, escaping, URLs, pins."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.sites import article, build, check, output_text, write_site

NOW = "2020-07-25 12:00"


@pytest.fixture(scope="module")
def status_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("status")
    write_site(
        root,
        {
            "content/articles/visible.md": article("公开稿件", "2020-07-20 09:30", "公开正文。", tags="[科普]"),
            "content/articles/draft/index.md": article(
                "草稿DRAFTMARK",
                "2020-07-10",
                "DRAFTMARK 正文 ![草稿图](draft-photo.png)",
                status="draft",
                tags="[DRAFTTAG]",
                attachments="[{file: draft-file.pdf, title: DRAFTATTACH}]",
            ),
            "content/articles/draft/draft-photo.png": _png(),
            "content/articles/draft/draft-file.pdf": _pdf(),
            "content/articles/embargo.md": article(
                "定时EMBARGOMARK",
                "2020-07-28 10:00",
                "EMBARGOMARK 正文",
                tags="[EMBARGOTAG]",
                section="jiceng",
                aliases="[/old/embargo.html]",
            ),
            "content/articles/hidden.md": article("隐藏HIDDENMARK", "2020-07-05", "HIDDENMARK 正文", status="hidden"),
            "content/articles/withdrawn.md": article(
                "撤回WITHDRAWNTITLE",
                "2020-07-06",
                "WITHDRAWNBODY 正文",
                status="withdrawn",
                withdrawn_reason="内容有误，已更正",
            ),
        },
    )
    return root


def _pdf() -> bytes:
    import io

    from pypdf import PdfWriter

    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_metadata({"/Title": "DRAFTATTACH"})
    writer.write(buffer)
    return buffer.getvalue()


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def published(status_site: Path):
    run = build(status_site, publish=True, site_now=NOW)
    assert run.returncode == 0, run.text
    return run


def test_embargoed_and_draft_items_reach_no_output(published) -> None:
    texts = output_text(published.output)
    assert texts, "the build wrote nothing"
    for mark in ("DRAFTMARK", "DRAFTTAG", "DRAFTATTACH", "EMBARGOMARK", "EMBARGOTAG", "draft-photo", "embargo"):
        leaks = [name for name, text in texts.items() if mark.lower() in text.lower()]
        assert not leaks, f"{mark} leaked into {leaks}"
    names = [p.relative_to(published.output).as_posix() for p in published.output.rglob("*")]
    assert not [n for n in names if "draft" in n or "embargo" in n], names
    # 基层动态 holds only the embargoed item: no section page yet, and its feeds list nothing
    assert "jiceng/index.html" not in names
    assert json.loads((published.output / "jiceng/feed.json").read_text(encoding="utf-8"))["items"] == []
    assert not any(p.read_bytes().startswith(b"%PDF") for p in published.output.rglob("*") if p.is_file())
    assert "feed.atom" in texts and "sitemap.xml" in texts


def test_hidden_item_has_a_page_but_is_listed_nowhere(published) -> None:
    texts = output_text(published.output)
    pages = [name for name, text in texts.items() if "HIDDENMARK" in text]
    assert pages == ["articles/2020/07/hidden/index.html"]
    assert 'name="robots" content="noindex' in texts[pages[0]]


def test_withdrawn_item_is_a_short_notice_and_leaves_every_list(published) -> None:
    texts = output_text(published.output)
    assert not [name for name, text in texts.items() if "WITHDRAWNBODY" in text]
    notice = texts["articles/2020/07/withdrawn/index.html"]
    assert "内容有误，已更正" in notice and "已撤回" in notice
    listed = [name for name, text in texts.items() if "WITHDRAWNTITLE" in text]
    assert listed == ["articles/2020/07/withdrawn/index.html"]


def test_preview_shows_drafts_and_embargoed_items_with_a_banner_and_noindex(status_site: Path, tmp_path: Path) -> None:
    run = build(status_site, publish=False, site_now=NOW)
    assert run.returncode == 0, run.text
    texts = output_text(run.output)
    draft = texts["articles/2020/07/draft/index.html"]
    embargo = texts["articles/2020/07/embargo/index.html"]
    assert "草稿" in draft and 'content="noindex' in draft
    assert "定时发布" in embargo and 'content="noindex' in embargo
    assert (run.output / "articles/2020/07/draft/draft-photo.png").exists()
    assert "公开稿件" in texts["index.html"]


def test_embargo_lifts_when_now_passes_the_date(status_site: Path) -> None:
    run = build(status_site, publish=True, site_now="2020-07-28 10:00")
    assert run.returncode == 0, run.text
    texts = output_text(run.output)
    assert "EMBARGOMARK" in texts["articles/2020/07/embargo/index.html"]
    assert "EMBARGOMARK" in texts["feed.atom"]
    assert "embargo" in texts["old/embargo.html"]


def test_user_strings_are_escaped_in_every_context(tmp_path: Path) -> None:
    evil = '<img src=x onerror=alert(1)>&"'
    write_site(
        tmp_path,
        {
            "content/articles/evil.md": article(
                f"'{evil}标题'", "2020-07-20", "正文。", summary=f"'{evil}摘要'", tags=f"['{evil}标签']"
            )
        },
    )
    run = build(tmp_path, site_now=NOW)
    assert run.returncode == 0, run.text
    texts = output_text(run.output)
    html_files = {n: t for n, t in texts.items() if n.endswith(".html")}
    for name, text in html_files.items():
        assert "<img src=x" not in text, f"raw HTML from a title, summary or tag in {name}"
    page = BeautifulSoup(html_files["articles/2020/07/evil/index.html"], "html.parser")
    assert page.h1.get_text() == f"{evil}标题"
    assert page.find("meta", attrs={"name": "description"})["content"] == f"{evil}摘要"
    ld = json.loads(page.find("script", type="application/ld+json").string)
    assert ld["headline"] == f"{evil}标题"
    assert "<" not in page.find("script", type="application/ld+json").string
    import feedparser

    feed = feedparser.parse(texts["feed.atom"])
    assert feed.entries[0].title == f"{evil}标题"
    assert "<img src=x" not in texts["feed.atom"]


def test_duplicate_urls_are_an_error_naming_both_files(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/articles/a.md": article("甲", "2020-07-20", slug="same-slug"),
            "content/articles/b.md": article("乙", "2020-07-21", slug="same-slug"),
            "content/articles/c.md": article("丙", "2020-07-22", aliases="[/articles/2020/07/d/]"),
            "content/articles/d.md": article("丁", "2020-07-23"),
            "content/pages/news.md": "---\ntitle: 冲突\n---\n正文\n",
        },
    )
    run = build(tmp_path, site_now=NOW)
    assert run.returncode == 1
    assert "content/articles/a.md" in run.stderr and "content/articles/b.md" in run.stderr
    assert "content/articles/c.md" in run.stderr and "content/articles/d.md" in run.stderr
    assert "content/pages/news.md" in run.stderr
    assert "Traceback" not in run.text
    assert not (run.output / "index.html").exists()


def test_chinese_file_names_get_pinyin_slugs(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/articles/与重庆市科协交流座谈.md": article("与重庆市科协交流座谈", "2020-07-20"),
            "content/articles/2020-07-21-luoyang-kepu.md": article("洛阳科普", "2020-07-21"),
        },
    )
    result = check(tmp_path)
    assert result.returncode == 0, result.text
    assert "chongqing" in result.stdout
    run = build(tmp_path, site_now=NOW)
    assert run.returncode == 0, run.text
    slugs = sorted(p.parent.name for p in (run.output / "articles/2020/07").glob("*/index.html"))
    assert slugs[0] == "luoyang-kepu"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slugs[1]) and "chongqing" in slugs[1]


def test_pin_leads_the_home_page_through_its_day_then_falls_back(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/articles/old.md": article("置顶PINNED", "2020-07-01", pin="1", pin_until="2020-07-25"),
            "content/articles/new.md": article("最新NEWEST", "2020-07-20"),
        },
    )

    def headline(now: str) -> str:
        run = build(tmp_path, site_now=now)
        assert run.returncode == 0, run.text
        soup = BeautifulSoup((run.output / "index.html").read_text(encoding="utf-8"), "html.parser")
        return soup.select_one(".lead__title").get_text(strip=True)

    assert headline("2020-07-25 23:59") == "置顶PINNED"
    assert headline("2020-07-26 00:00") == "最新NEWEST"


def test_publish_build_is_relative_and_canonical_is_absolute(published) -> None:
    page = (published.output / "articles/2020/07/visible/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("link", rel="canonical")["href"].startswith("https://")
    assert soup.find("link", rel="stylesheet")["href"].startswith("../")
    assert not [a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("/")]


def test_draft_and_hidden_fixed_pages_follow_the_same_rules(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/articles/a.md": article("甲", "2020-07-20"),
            "content/pages/plan.md": "---\ntitle: 计划PAGEDRAFT\nstatus: draft\n---\nPAGEDRAFT 正文\n",
            "content/pages/secret.md": "---\ntitle: 内部PAGEHIDDEN\nstatus: hidden\n---\nPAGEHIDDEN 正文\n",
        },
    )
    run = build(tmp_path, site_now=NOW)
    assert run.returncode == 0, run.text
    texts = output_text(run.output)
    assert not [name for name, text in texts.items() if "PAGEDRAFT" in text]
    hidden = [name for name, text in texts.items() if "PAGEHIDDEN" in text]
    assert hidden == ["secret/index.html"]


def test_section_and_tag_pages_list_their_articles_newest_first_and_paginate(tmp_path: Path) -> None:
    files = {
        f"content/articles/a{i:02d}.md": article(f"稿件{i:02d}", f"2020-06-{i:02d} 08:00", tags="[科普]")
        for i in range(1, 26)
    }
    files["content/articles/other.md"] = article("其他稿件", "2020-06-28", section="notices", tags="[通知]")
    write_site(tmp_path, files)
    run = build(tmp_path, site_now=NOW)
    assert run.returncode == 0, run.text

    def titles(path: str) -> list[str]:
        soup = BeautifulSoup((run.output / path).read_text(encoding="utf-8"), "html.parser")
        return [a.get_text() for a in soup.select(".article-list__title")]

    first, second = titles("tags/kepu/index.html"), titles("tags/kepu/page/2/index.html")
    assert first == [f"稿件{i:02d}" for i in range(25, 5, -1)]
    assert second == [f"稿件{i:02d}" for i in range(5, 0, -1)]
    assert titles("news/index.html") == first
    assert titles("notices/index.html") == ["其他稿件"]
    assert titles("tags/tongzhi/index.html") == ["其他稿件"]
