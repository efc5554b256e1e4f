"""Build tests of themed content: columns, topics, people and honour rolls, releases, notices and events."""

from __future__ import annotations

import io
import json
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar
from pypdf import PdfReader, PdfWriter

from tests.sites import article, build, check, output_text, write_site

NOW = "2020-07-25 12:00"


def _pdf() -> bytes:
    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "张三"})
    writer.write(buffer)
    return buffer.getvalue()


MINIMAL_PDF = _pdf()

PERSON = """---
name: {name}
unit: {unit}
position: 教授
field: 作物遗传育种
honors:
{honors}
---
{name}的简介。
"""


def _person(name: str, unit: str, honors: list[tuple[str, int]]) -> str:
    lines = "\n".join(f"  - {{award: {award}, year: {year}}}" for award, year in honors)
    return PERSON.format(name=name, unit=unit, honors=lines)


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("themed")
    files = {
        "content/columns/zuimei.md": (
            "---\ntitle: 最美科技工作者\npartner: 河南日报\nstart: 2020-03-01\norder: 2\n---\n专栏介绍。\n"
        ),
        "content/columns/tuopin.md": "---\ntitle: 决战脱贫攻坚\norder: 1\n---\n介绍。\n",
        "content/topics/kejiguan.md": "---\ntitle: 科技馆新馆建设\nlayout: timeline\n---\n专题介绍。\n",
        "content/topics/kejiri.md": (
            "---\ntitle: 科技工作者日\nlayout: sections\nfeatured: [z3]\nsections:\n"
            "  - {title: 媒体聚焦, type: news}\n  - {title: 人物风采, person: li-ming}\n"
            "  - {title: 标签块, tag: 科普, limit: 1}\n  - {title: 王芳专访, person: wang-fang}\n---\n介绍。\n"
        ),
        "content/people/li-ming.md": _person(
            "李明", "郑州大学", [("河南最美科技工作者", 2020), ("河南青年科技奖", 2018)]
        ),
        "content/people/wang-fang.md": _person("王芳", "河南农业大学", [("河南最美科技工作者", 2020)]),
        "content/people/zhao-lei.md": _person("赵磊", "河南大学", [("河南最美科技工作者", 2019)]),
        "content/articles/zuimei/z1.md": article(
            "李明ARTICLE1", "2020-07-01", columns="[zuimei]", people="[li-ming]", topics="[kejiri]", tags="[科普]"
        ),
        "content/articles/zuimei/z2.md": article(
            "李明DRAFT", "2020-07-02", columns="[zuimei]", people="[li-ming]", topics="[kejiri]", status="draft"
        ),
        "content/articles/zuimei/z3.md": article(
            "王芳ARTICLE",
            "2020-07-03",
            columns="[zuimei]",
            people="[wang-fang, li-ming]",
            topics="[kejiri]",
            tags="[科普]",
        ),
        "content/articles/zuimei/z4.md": article(
            "李明EMBARGO", "2020-07-30 09:00", columns="[zuimei]", people="[li-ming]", topics="[kejiri, kejiguan]"
        ),
        "content/articles/zuimei/z5.md": article("李明HIDDEN", "2020-07-04", people="[li-ming]", status="hidden"),
        "content/articles/k/k1.md": article("封顶", "2020-06-01", topics="[kejiguan]", milestone="主体结构封顶"),
        "content/articles/k/k2.md": article("奠基", "2019-03-01", topics="[kejiguan]", milestone="开工奠基"),
        "content/articles/k/k3.md": article("布展", "2020-07-10", topics="[kejiguan]", milestone="布展启动"),
        "content/articles/fabu/release.md": article("条例修订发布会", "2020-07-05", type="release", section="news"),
        "content/articles/fabu/jiedu.md": article("解读一", "2020-07-06", type="interpretation", interprets="release"),
        "content/articles/events/past.md": article(
            "科技工作者日活动", "2020-05-20", type="event", event="{start: 2020-05-30, location: 郑州}"
        ),
        "content/articles/events/soon.md": article(
            "全国科普日", "2020-07-20", type="event", event="{start: 2020-09-19, end: 2020-09-25, location: 郑州}"
        ),
        "content/articles/events/secret.md": article(
            "EMBARGOEVENT", "2020-07-29", type="event", event="{start: 2020-10-01, location: 洛阳}"
        ),
        "content/articles/notices/n1/index.md": article(
            "关于报送宣传信息的通知",
            "2020-07-08",
            type="notice",
            section="notices",
            doc_number="豫科协办〔2020〕15号",
            attachments="[{file: yaodian.pdf, title: 宣传工作要点}]",
        ),
        "content/articles/notices/n1/yaodian.pdf": MINIMAL_PDF,
    }
    files.update(
        {
            f"content/articles/tuopin/t{i:02d}.md": article(
                f"脱贫稿件{i:02d}", f"2020-06-{i:02d} 08:00", columns="[tuopin]"
            )
            for i in range(1, 24)
        }
    )
    write_site(root, files)
    run = build(root, publish=True, site_now=NOW)
    assert run.returncode == 0, run.text
    return run


def _soup(run, path: str) -> BeautifulSoup:
    return BeautifulSoup((run.output / path).read_text(encoding="utf-8"), "html.parser")


def test_columns_are_listed_in_order_with_partner_and_dates(themed) -> None:
    titles = [a.get_text() for a in _soup(themed, "columns/index.html").select(".card__title a")]
    assert titles == ["决战脱贫攻坚", "最美科技工作者"]
    page = _soup(themed, "columns/zuimei/index.html")
    assert "与河南日报联合开办" in page.get_text()
    assert "2020年3月1日" in page.get_text()
    assert [a.get_text() for a in page.select(".article-list__title")] == ["王芳ARTICLE", "李明ARTICLE1"]


def test_column_pages_paginate_newest_first(themed) -> None:
    first = [a.get_text() for a in _soup(themed, "columns/tuopin/index.html").select(".article-list__title")]
    second = [a.get_text() for a in _soup(themed, "columns/tuopin/page/2/index.html").select(".article-list__title")]
    assert first[0] == "脱贫稿件23" and len(first) == 20
    assert second == ["脱贫稿件03", "脱贫稿件02", "脱贫稿件01"]


def test_column_feeds_exist_and_are_advertised(themed) -> None:
    page = _soup(themed, "columns/zuimei/index.html")
    alternates = {link["type"]: link["href"] for link in page.find_all("link", rel="alternate")}
    assert alternates["application/feed+json"].endswith("columns/zuimei/feed.json")
    assert alternates["application/atom+xml"].endswith("feed.atom")
    atom = feedparser.parse((themed.output / "columns/zuimei/feed.atom").read_text(encoding="utf-8"))
    assert [e.title for e in atom.entries] == ["王芳ARTICLE", "李明ARTICLE1"]
    document = json.loads((themed.output / "columns/zuimei/feed.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["title"] for i in document["items"]] == ["王芳ARTICLE", "李明ARTICLE1"]
    assert all(i["url"].startswith("https://") for i in document["items"])


def test_article_shows_its_columns_topics_and_people_linked(themed) -> None:
    page = _soup(themed, "articles/2020/07/z3/index.html")
    assert page.select_one(".article__columns a")["href"].endswith("columns/zuimei/")
    assert page.select_one(".article__topics a")["href"].endswith("topics/kejiri/")
    assert [a.get_text() for a in page.select(".article__people a")] == ["王芳", "李明"]


def test_person_page_lists_exactly_their_published_articles(themed) -> None:
    page = _soup(themed, "people/li-ming/index.html")
    listed = [a.get_text() for a in page.select(".article-list__title")]
    assert listed == ["王芳ARTICLE", "李明ARTICLE1"]
    assert "郑州大学" in page.get_text() and "作物遗传育种" in page.get_text()


def test_embargoed_items_appear_in_no_column_topic_person_page_or_calendar(themed) -> None:
    texts = output_text(themed.output)
    for mark in ("李明EMBARGO", "EMBARGOEVENT", "李明DRAFT"):
        assert not [name for name, text in texts.items() if mark in text], mark
    assert "李明HIDDEN" not in texts["people/li-ming/index.html"]


def test_timeline_is_in_ascending_date_order_with_milestones(themed) -> None:
    page = _soup(themed, "topics/kejiguan/index.html")
    steps = page.select(".timeline__step")
    assert [s.select_one(".timeline__title").get_text() for s in steps] == ["奠基", "封顶", "布展"]
    assert [s.select_one(".timeline__milestone").get_text() for s in steps] == ["开工奠基", "主体结构封顶", "布展启动"]
    assert steps[0].select_one("time").get_text() == "2019年3月1日"


def test_topic_sections_filter_its_own_articles_and_featured_are_shown_once_first(themed) -> None:
    page = _soup(themed, "topics/kejiri/index.html")
    featured = [a.get_text() for a in page.select(".topic-featured .card__title a")]
    assert featured == ["王芳ARTICLE"]
    blocks = {
        b.h2.get_text(): [a.get_text() for a in b.select(".article-list__title")] for b in page.select(".topic-block")
    }
    # The featured article is left out of the blocks; a block it alone would fill is not shown at all.
    assert blocks == {"媒体聚焦": ["李明ARTICLE1"], "人物风采": ["李明ARTICLE1"], "标签块": ["李明ARTICLE1"]}


def test_honour_rolls_group_by_award_and_year(themed) -> None:
    roll = _soup(themed, "honours/henan-zuimei-keji-gongzuozhe/2020/index.html")
    assert roll.h1.get_text() == "2020年河南最美科技工作者"
    assert [p.get_text() for p in roll.select(".person-card__name")] == ["李明", "王芳"]
    assert "郑州大学" in roll.get_text()
    earlier = _soup(themed, "honours/henan-zuimei-keji-gongzuozhe/2019/index.html")
    assert [p.get_text() for p in earlier.select(".person-card__name")] == ["赵磊"]
    groups = [h.get_text() for h in _soup(themed, "people/index.html").select(".honour-group h2")]
    assert groups == ["2020年河南最美科技工作者", "2019年河南最美科技工作者", "2018年河南青年科技奖"]


def test_release_lists_its_interpretations_and_each_links_back(themed) -> None:
    release = _soup(themed, "articles/2020/07/release/index.html")
    assert [a.get_text() for a in release.select(".release__interpretations a")] == ["解读一"]
    interpretation = _soup(themed, "articles/2020/07/jiedu/index.html")
    assert interpretation.select_one(".interpretation__release a")["href"].endswith("articles/2020/07/release/")


def test_notice_shows_its_number_and_attachment(themed) -> None:
    page = _soup(themed, "articles/2020/07/n1/index.html")
    assert page.select_one(".notice__number").get_text() == "豫科协办〔2020〕15号"
    link = page.select_one(".attachments a")
    assert link.get_text().startswith("宣传工作要点")
    assert "PDF" in page.select_one(".attachments__info").get_text()
    published = themed.output / "articles/2020/07/n1" / link["href"]
    assert published.exists()
    assert not PdfReader(published).metadata  # no author, company or editing history


def test_events_page_splits_upcoming_and_past_against_now(themed) -> None:
    page = _soup(themed, "events/index.html")
    sections = page.find_all("section")
    assert [a.get_text() for a in sections[0].select(".event-list__title a")] == ["全国科普日"]
    assert [a.get_text() for a in sections[1].select(".event-list__title a")] == ["科技工作者日活动"]


def test_calendars_parse_back_with_icalendar(themed) -> None:
    calendar = Calendar.from_ical((themed.output / "events/events.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["科技工作者日活动", "全国科普日"]
    soon = events[1]
    assert soon.decoded("DTSTART").isoformat() == "2020-09-19"
    assert soon.decoded("DTEND").isoformat() == "2020-09-26"  # whole days: DTEND is exclusive
    assert str(soon["LOCATION"]) == "郑州"
    single = Calendar.from_ical((themed.output / "articles/2020/07/soon/event.ics").read_bytes())
    assert [str(e["SUMMARY"]) for e in single.walk("VEVENT")] == ["全国科普日"]


def test_derived_pages_carry_meta_tags_and_breadcrumbs(themed) -> None:
    for path, column_type in [
        ("columns/zuimei/index.html", "专栏"),
        ("topics/kejiri/index.html", "专题"),
        ("people/li-ming/index.html", "人物"),
        ("honours/henan-zuimei-keji-gongzuozhe/2020/index.html", "荣誉榜"),
        ("events/index.html", "活动"),
    ]:
        page = _soup(themed, path)
        assert page.find("meta", attrs={"name": "ColumnType"})["content"] == column_type, path
        assert page.find("meta", attrs={"name": "ColumnName"})["content"], path
        assert page.select(".breadcrumbs li"), path


def test_empty_column_is_a_warning_and_its_page_is_not_blank(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/columns/kong.md": "---\ntitle: 空专栏\n---\n介绍。\n",
            "content/articles/a.md": article("稿件", "2020-07-01"),
        },
    )
    result = check(tmp_path, "--format", "json")
    assert result.returncode == 0
    warnings = [p for p in json.loads(result.stdout) if p["code"] == "empty-group"]
    assert warnings and warnings[0]["file"] == "content/columns/kong.md" and warnings[0]["level"] == "warning"
    run = build(tmp_path, site_now=NOW)
    assert run.returncode == 0, run.text
    assert "正在编辑中" in (run.output / "columns/kong/index.html").read_text(encoding="utf-8")
