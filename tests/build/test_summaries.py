"""Automatic summaries on the sample site: no heading in them, and the same text in every place that shows one."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from content_model.site import Options, load_site
from content_model.times import parse_time
from tests.conftest import SAMPLE_NOW
from tests.sites import article, build, write_site

ENDINGS = ("。", "！", "？", "”", "……")
SENTENCE = re.compile(r"[^。！？]+[。！？]”?|[^。！？]+$")


def api_records(site: Path) -> list[dict]:
    records = []
    for page in sorted((site / "api/articles").glob("page-*.json")):
        records += json.loads(page.read_text(encoding="utf-8"))["items"]
    assert records
    return records


def page_of(site: Path, url: str) -> BeautifulSoup:
    path = site / urlsplit(url).path.lstrip("/") / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def written_summaries(site: Path) -> set[str]:
    """The ids of the articles whose summary is written in their front matter, not made from the body."""
    model = load_site(site.parent / "content", site.parent, Options(now=parse_time(SAMPLE_NOW), use_cache=False))
    return {item.id for item in model.items["article"].values() if "summary" in item.values}


def test_no_summary_holds_a_heading_of_its_body(sample_site: Path) -> None:
    checked = 0
    written = written_summaries(sample_site)
    assert written  # and the others are made from their bodies
    for record in api_records(sample_site):
        if record["id"] in written:
            continue
        summary = record["summary"]
        body = page_of(sample_site, record["url"]).select_one(".article__body")
        paragraphs = [
            " ".join(p.get_text().split())
            for p in body.find_all("p")
            if not p.find_parent(["li", "blockquote", "table", "figure", "details", "dl"])
        ]
        # Each sentence of the summary is a sentence of one paragraph: no heading runs into it.
        for sentence in SENTENCE.findall(summary.removesuffix("……")):
            assert any(sentence in paragraph for paragraph in paragraphs), (record["id"], sentence)
        # A heading's words appear only where a paragraph says them too (进行座谈交流 under 座谈交流).
        headings = [h.get_text(" ", strip=True) for h in body.find_all(["h2", "h3", "h4", "h5", "h6"])]
        for heading in headings:
            if heading in summary:
                assert any(heading in paragraph for paragraph in paragraphs), (record["id"], heading, summary)
        checked += bool(headings)
        assert summary.endswith(ENDINGS), (record["id"], summary)
    assert checked >= 10  # the sample has bodies with headings: the test looks at something


def test_lists_feeds_search_and_meta_tags_show_the_same_summary(sample_site: Path) -> None:
    summaries = {record["url"]: record["summary"] for record in api_records(sample_site)}
    feed = json.loads((sample_site / "feed.json").read_text(encoding="utf-8"))
    for item in feed["items"]:
        assert item["summary"] == summaries[item["url"]]
    searched = {}
    for doc in (sample_site / "search/index/docs").glob("*.json"):
        record = json.loads(doc.read_text(encoding="utf-8"))
        searched[record["u"]] = record.get("s")
    for url, summary in summaries.items():
        soup = page_of(sample_site, url)
        assert soup.find("meta", attrs={"name": "description"})["content"] == summary
        assert soup.find("meta", attrs={"property": "og:description"})["content"] == summary
        linked_data = json.loads(soup.find("script", type="application/ld+json").string)
        assert linked_data["description"] == summary
        assert searched[urlsplit(url).path.lstrip("/")] == summary
    listed = BeautifulSoup((sample_site / "news/index.html").read_text(encoding="utf-8"), "html.parser")
    shown = [p.get_text() for p in listed.select(".article-list__summary")]
    assert shown and set(shown) <= set(summaries.values())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {
        # A page without a summary: Pelican's own would be its HTML, cut after some words.
        "content/pages/about.md": "---\ntitle: 关于我们\n---\n## 联系方式\n\n地址在郑州。电话见下表。\n\n- 一\n- 二\n",
        "content/articles/news/a.md": article(
            "概况", "2020-07-01 09:00", body="## 调查概况\n\n调查显示，比例达到9.46%。\n\n## 下一步\n\n继续调查。"
        ),
    }
    root = write_site(tmp_path_factory.mktemp("summaries"), files)
    run = build(root)
    assert run.returncode == 0, run.text
    return run.output


def test_a_page_without_a_summary_gets_the_automatic_one_as_text(built: Path) -> None:
    soup = BeautifulSoup((built / "about/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("meta", attrs={"name": "description"})["content"] == "地址在郑州。电话见下表。"


def test_an_article_that_opens_with_a_heading(built: Path) -> None:
    (record,) = api_records(built)
    assert record["summary"] == "调查显示，比例达到9.46%。"
