"""The portal as published: the home page's blocks, covers in lists, the footer's entrances, 网站地图 and 订阅."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from publishing.linkcheck import broken_links
from tests.sites import PROJECT, article, build, write_site

NOW = "2020-07-25 12:00"
SITE = "https://www.hnast.example"
LINKS_YML = """\
- {id: cast, name: 中国科协, url: "https://www.cast.org.cn/", group: 中国科协}
- {id: zzskx, name: 郑州市科协, url: "https://www.zzast.example.cn/", group: 市科协}
- {id: lyskx, name: 洛阳市科协, url: "https://www.lyast.example.cn/", group: 市科协}
"""


def jpeg(size: tuple[int, int] = (1600, 900), colour: str = "steelblue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=80)
    return out.getvalue()


def covered(title: str, date: str, **fields: str) -> str:
    return article(title, date, cover="cover.jpg", cover_alt=f"{title}的现场", **fields)


def person(name: str, year: int) -> str:
    return (
        f"---\nname: {name}\nphoto: photo.jpg\nphoto_alt: {name}的照片\nunit: 郑州大学\n"
        f"honors:\n  - {{award: 河南最美科技工作者, year: {year}}}\n---\n{name}的简介。\n"
    )


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("portal")
    files: dict[str, str | bytes] = {
        "content/data/links.yml": LINKS_YML,
        "content/images/banners/kejiri.jpg": jpeg((1600, 400), "navy"),
        "content/pages/about.md": "---\ntitle: 关于我们\n---\n介绍。\n",
        "content/columns/zuimei.md": "---\ntitle: 最美专栏\nstart: 2020-03-01\n---\n介绍。\n",
        "content/columns/jieshu.md": "---\ntitle: 已结束专栏\nstart: 2020-01-01\nend: 2020-06-30\n---\n介绍。\n",
        "content/topics/kejiri.md": (
            "---\ntitle: 科技工作者日专题\nbanner: /images/banners/kejiri.jpg\nbanner_alt: 专题题图\n"
            "featured: [p4]\nsections:\n  - {title: 媒体聚焦, type: news}\n---\n介绍。\n"
        ),
        "content/topics/shijianxian.md": "---\ntitle: 新馆建设专题\nlayout: timeline\nfeatured: [p2]\n---\n介绍。\n",
        "content/topics/wangge.md": "---\ntitle: 网格专题\nlayout: grid\nfeatured: [p3]\n---\n介绍。\n",
        "content/people/li-ming/index.md": person("李明", 2020),
        "content/people/li-ming/photo.jpg": jpeg((600, 800), "peru"),
        "content/people/wang-fang/index.md": person("王芳", 2019),
        "content/people/wang-fang/photo.jpg": jpeg((600, 800), "tan"),
        "content/articles/n/old.md": article("较早要闻", "2020-06-01"),
        "content/articles/n/notice.md": article("关于报送信息的通知", "2020-07-02", section="notices", type="notice"),
        "content/articles/n/jiceng.md": article("基层来稿", "2020-07-03", section="jiceng"),
        "content/articles/h/index.md": covered(
            "头条稿件", "2020-07-10", pin="1", pin_until="2020-08-01", topics="[shijianxian]", milestone="开工"
        ),
        "content/articles/h/cover.jpg": jpeg(),
        "content/articles/draft/index.md": covered("DRAFTPHOTO", "2020-07-24", status="draft", topics="[kejiri]"),
        "content/articles/draft/cover.jpg": jpeg(),
        "content/articles/later/index.md": covered("EMBARGOPHOTO", "2020-07-30", topics="[kejiri]"),
        "content/articles/later/cover.jpg": jpeg(),
        "content/articles/hidden/index.md": covered("HIDDENPHOTO", "2020-07-23", status="hidden"),
        "content/articles/hidden/cover.jpg": jpeg(),
    }
    for number, day in enumerate(("07-22", "07-21", "07-20", "07-19", "07-18"), start=1):
        files[f"content/articles/p{number}/index.md"] = covered(
            f"图片稿件{number}",
            f"2020-{day} 09:00",
            topics="[kejiri, shijianxian, wangge]",
            columns="[zuimei]",
            people="[li-ming]",
        )
        files[f"content/articles/p{number}/cover.jpg"] = jpeg(colour="olive")
    write_site(root, files)
    run = build(root, publish=True, site_now=NOW, timeout=300)
    assert run.returncode == 0, run.text
    return run.output


def page(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "html.parser")


def test_the_headline_shows_its_picture_first_and_at_the_size_it_needs(portal: Path) -> None:
    home = page(portal, "index.html")
    lead = home.select_one(".lead")
    assert lead.select_one(".lead__title").get_text(strip=True) == "头条稿件"
    assert lead.select_one(".lead__label").get_text() == "头条"
    image = lead.select_one("picture img.lead__image")
    assert image["fetchpriority"] == "high" and "loading" not in image.attrs
    assert image["alt"] == "头条稿件的现场"
    assert image["sizes"] != "100vw" and "calc(100vw - 2rem)" in image["sizes"]
    assert lead.select_one("picture source[type='image/webp']")["srcset"].count("w,") >= 1
    # The only picture that may load before the others: every other one on the page waits until it is near.
    others = [img for img in home.select("main img") if img is not image]
    assert others and all(img.get("loading") == "lazy" and "fetchpriority" not in img.attrs for img in others)


def test_photo_news_are_the_newest_listed_articles_with_a_cover(portal: Path) -> None:
    home = page(portal, "index.html")
    titles = [a.get_text() for a in home.select(".photo-news .tile__link")]
    assert titles == ["图片稿件1", "图片稿件2", "图片稿件3", "图片稿件4"]
    for tile in home.select(".photo-news .tile"):
        assert tile.select_one("picture img.tile__image")["alt"].endswith("的现场")
    text = (portal / "index.html").read_text(encoding="utf-8")
    for unpublished in ("DRAFTPHOTO", "EMBARGOPHOTO", "HIDDENPHOTO"):
        assert unpublished not in text


def test_the_home_page_carries_every_block_of_the_portal(portal: Path) -> None:
    home = page(portal, "index.html")
    titles = [h.get_text(strip=True) for h in home.select(".home-block__title")]
    assert titles[:2] == ["图片新闻", "科协要闻"]
    for block in ("专题专栏", "通知公告", "基层动态", "人物", "科协系统网站"):
        assert block in titles
    entrances = [
        (t.select_one(".tile__label").get_text(), t.select_one(".tile__link").get_text())
        for t in home.select(".entrances .tile")
    ]
    # Running topics, then running columns, then the ones that ended.
    assert entrances == [
        ("专题", "科技工作者日专题"),
        ("专题", "新馆建设专题"),
        ("专题", "网格专题"),
        ("专栏", "最美专栏"),
        ("专栏", "已结束专栏"),
    ]
    banner = next(t for t in home.select(".entrances .tile") if "科技工作者日专题" in t.get_text())
    assert "images/banners/kejiri" in banner.select_one("img")["src"]
    without_banner = next(t for t in home.select(".entrances .tile") if "最美专栏" in t.get_text())
    assert "cover" in without_banner.select_one("img")["src"]  # its newest article's cover
    assert [p.get_text() for p in home.select(".people-block .person-card__name")] == ["李明"]
    assert home.select_one(".people-block__roll").get_text() == "2020年河南最美科技工作者"
    groups = {
        d.select_one("summary").get_text(): [a["href"] for a in d.select("a")] for d in home.select(".link-group")
    }
    assert groups == {
        "中国科协": ["https://www.cast.org.cn/"],
        "市科协": ["https://www.zzast.example.cn/", "https://www.lyast.example.cn/"],
    }
    assert len(home.select(".home-section .article-list__item")) <= 5 + 4 * (len(home.select(".home-section")) - 1)


def test_lists_show_covers_beside_the_title_lazily_below_the_first_screen(portal: Path) -> None:
    lists = ("news/index.html", "columns/zuimei/index.html", "topics/kejiri/index.html", "people/li-ming/index.html")
    for path in lists:
        items = page(portal, path).select(".article-list__item")
        covers = [item.select_one("picture img.article-list__cover") for item in items]
        assert any(covers), path
        eager = 2 if path == "news/index.html" else 0  # a section's first items are on the first screen
        for index, img in enumerate(covers):
            if img is not None:
                assert img["alt"] == "" and img["sizes"] != "100vw" and "fetchpriority" not in img.attrs, path
                assert img.get("loading") == (None if index < eager else "lazy"), (path, index)


def test_a_topic_shows_a_featured_article_once(portal: Path) -> None:
    def titles(path: str, selector: str) -> list[str]:
        return [a.get_text() for a in page(portal, path).select(selector)]

    sections = "topics/kejiri/index.html"
    assert titles(sections, ".topic-featured .card__title a") == ["图片稿件4"]
    assert "图片稿件4" not in titles(sections, ".topic-block .article-list__title")
    assert "图片稿件1" in titles(sections, ".topic-block .article-list__title")
    grid = "topics/wangge/index.html"
    assert titles(grid, ".topic-featured .card__title a") == ["图片稿件3"]
    rest = titles(grid, ".card-list--grid .card__title a")
    assert "图片稿件3" not in rest and len(rest) == 4
    timeline = page(portal, "topics/shijianxian/index.html")
    assert timeline.select(".topic-featured") == []  # the timeline keeps every step and marks the featured one
    steps = [s.select_one(".timeline__title a").get_text() for s in timeline.select(".timeline__step")]
    assert steps.count("图片稿件2") == 1 and len(steps) == 6
    marked = timeline.select(".timeline__step--featured")
    assert [s.select_one(".timeline__title a").get_text() for s in marked] == ["图片稿件2"]


def _report_link(output: Path, path: str) -> tuple[str, str, str]:
    link = page(output, path).select_one("a.site-footer__report")
    parts = urlsplit(link["href"])
    query = parse_qs(parts.query)
    return unquote(parts.path), query["subject"][0], query["body"][0]


def test_every_page_reports_an_error_with_its_own_title_and_address(portal: Path) -> None:
    address, subject, body = _report_link(portal, "articles/2020/07/p1/index.html")
    assert address == "zhaocuo@hnast.example"
    assert subject == "网站找错：图片稿件1 - 河南省科学技术协会"
    assert f"网址：{SITE}/articles/2020/07/p1/" in body and "页面：图片稿件1" in body
    _address, subject, body = _report_link(portal, "index.html")
    assert subject == "网站找错：河南省科学技术协会" and f"网址：{SITE}/\r\n" in body
    raw = page(portal, "sitemap/index.html").select_one("a.site-footer__report")["href"]
    assert re.fullmatch(r"mailto:[^?]+\?subject=[%0-9A-Za-z._~/-]+&body=[%0-9A-Za-z._~/-]+", raw), raw


def test_the_footer_carries_the_sites_identity_and_entrances(portal: Path) -> None:
    footer = page(portal, "news/index.html").select_one(".site-footer")
    entrances = {a.get_text(): a["href"] for a in footer.select(".site-footer__menu a")}
    assert entrances["网站地图"] == "../sitemap/" and entrances["订阅"] == "../feeds/"
    assert "订阅 Atom" not in entrances and "JSON Feed" not in entrances
    mark = footer.select_one(".site-footer__mark img")
    assert mark["src"] == "../theme/img/party-mark-sample.svg" and "党政机关" in mark["alt"]
    assert (portal / "theme/img/party-mark-sample.svg").is_file()
    assert "网站标识码" not in footer.get_text()  # the sample site has none


def test_the_sitemap_lists_every_section_column_topic_and_fixed_page(portal: Path) -> None:
    sitemap = page(portal, "sitemap/index.html")
    hrefs = {a["href"] for a in sitemap.select("main a")}
    for path in ("news/", "notices/", "jiceng/", "columns/zuimei/", "columns/jieshu/", "topics/kejiri/"):
        assert f"../{path}" in hrefs, path
    for path in ("topics/shijianxian/", "topics/wangge/", "about/", "people/", "galleries/", "events/", "feeds/"):
        assert f"../{path}" in hrefs, path
    assert sitemap.select_one("h1").get_text() == "网站地图"


def test_the_subscribe_page_explains_and_lists_every_feed(portal: Path) -> None:
    feeds = page(portal, "feeds/index.html")
    text = feeds.get_text()
    assert "RSS 阅读器" in text and "复制链接" in text
    hrefs = [a["href"] for a in feeds.select("main a")]
    for folder in ("", "news/", "notices/", "jiceng/", "columns/zuimei/", "topics/kejiri/"):
        assert f"../{folder}feed.atom" in hrefs, folder
        assert (portal / folder / "feed.atom").is_file(), folder
    assert "../events/events.ics" in hrefs


def test_no_link_of_the_new_pages_is_broken(portal: Path) -> None:
    assert broken_links(portal) == []


def _settings(folder: Path, lines: str) -> Path:
    settings = folder / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(PROJECT)!r})\nfrom publishconf import *  # noqa\n"
        f"THEME = {str(PROJECT / 'theme')!r}\nPLUGIN_PATHS = [{str(PROJECT / 'plugins')!r}]\n{lines}",
        encoding="utf-8",
    )
    return settings


@pytest.mark.parametrize(
    ("lines", "shown", "hidden"),
    [
        (
            'ERROR_REPORT_EMAIL = ""\nSITE_FOOTER = {**SITE_FOOTER, "site_code": "4100000001", "party_mark": True}\n',
            ["网站标识码：4100000001", "党政机关"],
            ["网站找错", "party-mark"],
        ),
        ('SITE_FOOTER = {**SITE_FOOTER, "party_mark": False}\n', ["网站找错"], ["党政机关", "网站标识码"]),
    ],
    ids=["code-and-word", "no-mark"],
)
def test_the_footer_follows_the_settings(tmp_path: Path, lines: str, shown: list[str], hidden: list[str]) -> None:
    write_site(tmp_path, {"content/articles/a.md": article("稿件", "2020-07-01")})
    run = build(tmp_path, site_now=NOW, settings=_settings(tmp_path, lines))
    assert run.returncode == 0, run.text
    footer = str(page(run.output, "index.html").select_one(".site-footer"))
    for text in shown:
        assert text in footer, text
    for text in hidden:
        assert text not in footer, text
