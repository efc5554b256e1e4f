"""Build tests of syndication: feeds of the site, sections, columns and topics; the /api/ index; WeChat copies."""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import urljoin, urlparse

import feedparser
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.sites import PROJECT, article, build, output_text, write_site
from tests.unit.test_feeds import validate_json_feed
from wechat.convert import has_markup_left

NOW = "2020-07-25 12:00"
SITE = "https://www.hnast.example"
PAGE_SIZE = 3
# Marks of items that must never leave the site through a feed, the API or a WeChat copy.
NEVER = ("DRAFTMARK", "EMBARGOMARK", "HIDDENMARK", "WITHDRAWNMARK")


def syndication_settings(folder: Path, *, publish: bool = True, **extra: object) -> Path:
    """A settings file with the syndication plugins on and Pelican's own feeds off, as the project's settings are."""
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(PROJECT)!r})",
        f"from {'publishconf' if publish else 'pelicanconf'} import *",
        'PLUGINS = [*PLUGINS, *(p for p in ("feeds", "api", "wechat") if p not in PLUGINS)]',
        "FEED_ALL_ATOM = None",
        "CATEGORY_FEED_ATOM = None",
        f"THEME = {str(PROJECT / 'theme')!r}",
        f"PLUGIN_PATHS = [{str(PROJECT / 'plugins')!r}]",
        *(f"{name} = {value!r}" for name, value in extra.items()),
    ]
    path = folder / ("syndication_publish.py" if publish else "syndication_preview.py")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


LONG_TITLE = "关于组织开展2020年全国科技工作者日暨全省科技工作者风采展示系列活动的通知"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("syndication")
    body = (
        "会议在郑州召开，详见[新华网报道](https://news.example/report)和[本站专栏](/columns/zuimei/)。\n\n"
        "![会场](photo.png)\n\n## 部署任务\n\n下半年重点抓好五个方面。"
    )
    write_site(
        root,
        {
            "content/columns/zuimei.md": "---\ntitle: 最美科技工作者\norder: 1\n---\n专栏介绍。\n",
            "content/topics/kejiri.md": "---\ntitle: 科技工作者日\n---\n专题介绍。\n",
            "content/articles/news/meeting/index.md": article(
                "全省科协系统宣传工作推进会召开",
                "2020-07-21 10:00",
                body,
                cover="cover.png",
                cover_alt="会场全景",
                columns="[zuimei]",
                topics="[kejiri]",
                authors="[张华]",
                editor="刘洋",
                tags="[宣传工作]",
            ),
            "content/articles/news/meeting/photo.png": _png(),
            "content/articles/news/meeting/cover.png": _png(),
            "content/articles/notices/long.md": article(
                LONG_TITLE, "2020-07-22 09:00", "请各单位认真组织。", section="notices", type="notice"
            ),
            "content/articles/jiceng/city.md": article(
                "郑州市科协开展科普活动", "2020-07-19 08:00", "活动内容。", section="jiceng", columns="[zuimei]"
            ),
            "content/articles/news/older.md": article(
                "较早的要闻", "2020-07-01 08:00", "较早正文。", topics="[kejiri]"
            ),
            "content/articles/news/draft.md": article(
                "草稿DRAFTMARK", "2020-07-23", "DRAFTMARK", status="draft", columns="[zuimei]", topics="[kejiri]"
            ),
            "content/articles/news/embargo.md": article(
                "定时EMBARGOMARK", "2020-07-30 10:00", "EMBARGOMARK", columns="[zuimei]", topics="[kejiri]"
            ),
            "content/articles/news/hidden.md": article(
                "隐藏HIDDENMARK", "2020-07-05", "HIDDENMARK", status="hidden", columns="[zuimei]"
            ),
            "content/articles/news/withdrawn.md": article(
                "撤回WITHDRAWNMARK",
                "2020-07-06",
                "WITHDRAWNMARK",
                status="withdrawn",
                withdrawn_reason="内容有误",
                topics="[kejiri]",
            ),
        },
    )
    return root


@pytest.fixture(scope="module")
def published(site: Path, tmp_path_factory: pytest.TempPathFactory):
    settings = syndication_settings(tmp_path_factory.mktemp("settings"), API_PAGE_SIZE=PAGE_SIZE)
    run = build(site, site_now=NOW, settings=settings)
    assert run.returncode == 0, run.text
    return run


def _json(run, name: str) -> dict:
    return json.loads((run.output / name).read_text(encoding="utf-8"))


def _soup(run, name: str) -> BeautifulSoup:
    return BeautifulSoup((run.output / name).read_text(encoding="utf-8"), "html.parser")


FEED_FOLDERS = ["", "news/", "notices/", "jiceng/", "columns/zuimei/", "topics/kejiri/"]


@pytest.mark.parametrize("folder", FEED_FOLDERS)
def test_every_feed_opens_in_a_feed_reader_and_is_valid_json_feed(published, folder: str) -> None:
    atom_text = (published.output / folder / "feed.atom").read_text(encoding="utf-8")
    atom = feedparser.parse(atom_text)
    assert not atom.bozo, atom.get("bozo_exception")
    assert atom.version == "atom10" and atom.entries
    document = _json(published, f"{folder}feed.json")
    validate_json_feed(document)
    assert document["feed_url"] == f"{SITE}/{folder}feed.json"
    assert [e.link for e in atom.entries] == [i["url"] for i in document["items"]]
    dates = [i["date_published"] for i in document["items"]]
    assert dates == sorted(dates, reverse=True), "newest first"
    for mark in NEVER:
        assert mark not in atom_text and mark not in json.dumps(document, ensure_ascii=False)


def test_feed_entries_have_absolute_links_only(published) -> None:
    for folder in FEED_FOLDERS:
        contents = [e.content[0].value for e in feedparser.parse(str(published.output / folder / "feed.atom")).entries]
        contents += [i["content_html"] for i in _json(published, f"{folder}feed.json")["items"]]
        for html in contents:
            for tag in BeautifulSoup(html, "html.parser").find_all(True):
                for name in ("href", "src", "poster"):
                    if tag.get(name):
                        assert urlparse(tag[name]).scheme in ("https", "mailto"), (folder, tag)
                for candidate in (tag.get("srcset") or "").split(","):
                    if candidate.strip():
                        assert candidate.strip().startswith("https://"), (folder, tag)
    meeting = next(
        i for i in _json(published, "news/feed.json")["items"] if i["title"] == "全省科协系统宣传工作推进会召开"
    )
    assert f'href="{SITE}/columns/zuimei/"' in meeting["content_html"]
    assert meeting["image"].startswith(f"{SITE}/articles/2020/07/meeting/")
    assert meeting["_kexie"] == {"cover_alt": "会场全景"}


def test_feeds_hold_the_right_articles(published) -> None:
    def titles(folder: str) -> list[str]:
        return [i["title"] for i in _json(published, f"{folder}feed.json")["items"]]

    assert titles("") == [LONG_TITLE, "全省科协系统宣传工作推进会召开", "郑州市科协开展科普活动", "较早的要闻"]
    assert titles("news/") == ["全省科协系统宣传工作推进会召开", "较早的要闻"]
    assert titles("columns/zuimei/") == ["全省科协系统宣传工作推进会召开", "郑州市科协开展科普活动"]
    assert titles("topics/kejiri/") == ["全省科协系统宣传工作推进会召开", "较早的要闻"]
    assert _json(published, "feed.json")["title"] == "河南省科学技术协会"
    assert _json(published, "columns/zuimei/feed.json")["title"] == "河南省科学技术协会 - 最美科技工作者"
    assert feedparser.parse(str(published.output / "news/feed.atom")).feed.title == "河南省科学技术协会 - 科协要闻"


@pytest.mark.parametrize(
    ("page", "folder"),
    [
        ("index.html", ""),
        ("news/index.html", "news/"),
        ("jiceng/index.html", "jiceng/"),
        ("columns/zuimei/index.html", "columns/zuimei/"),
        ("topics/kejiri/index.html", "topics/kejiri/"),
    ],
)
def test_each_page_advertises_its_own_feeds(published, page: str, folder: str) -> None:
    links = _soup(published, page).find_all("link", rel="alternate")
    resolved = {
        (link["type"], urljoin(f"https://host/{page}", link["href"]).removeprefix("https://host/")) for link in links
    }
    assert ("application/atom+xml", f"{folder}feed.atom") in resolved
    assert ("application/feed+json", f"{folder}feed.json") in resolved
    for _type, target in resolved:
        assert (published.output / target).is_file(), f"{page} advertises {target}, which was not written"


def test_feeds_and_api_are_reproducible(site: Path, published, tmp_path: Path) -> None:
    settings = syndication_settings(tmp_path, API_PAGE_SIZE=PAGE_SIZE)
    again = build(site, site_now=NOW, settings=settings)
    assert again.returncode == 0, again.text
    first, second = output_text(published.output), output_text(again.output)
    names = [n for n in first if n.endswith(("feed.atom", "feed.json")) or n.startswith(("api/", "wechat/"))]
    assert len(names) > 10
    assert [n for n in names if first[n] != second.get(n)] == []


def test_the_api_pages_published_articles_newest_first(published) -> None:
    index = _json(published, "api/index.json")
    assert index["articles"]["total"] == 4 and index["articles"]["pages"] == 2
    assert index["articles"]["per_page"] == PAGE_SIZE
    assert index["articles"]["first"] == f"{SITE}/api/articles/page-1.json"
    assert "url" in index["articles"]["fields"] and index["feeds"]["json"] == f"{SITE}/feed.json"
    first, second = _json(published, "api/articles/page-1.json"), _json(published, "api/articles/page-2.json")
    assert (first["prev"], first["next"]) == (None, f"{SITE}/api/articles/page-2.json")
    assert (second["prev"], second["next"]) == (f"{SITE}/api/articles/page-1.json", None)
    assert first["total"] == second["total"] == 4
    items = first["items"] + second["items"]
    assert [i["id"] for i in items] == ["long", "meeting", "city", "older"]
    meeting = items[1]
    assert meeting["url"] == f"{SITE}/articles/2020/07/meeting/"
    assert meeting["cover"]["alt"] == "会场全景" and meeting["cover"]["url"].startswith(f"{SITE}/articles/")
    assert meeting["section"] == {"id": "news", "name": "科协要闻"}
    assert meeting["department"] == {"id": "dyxcb", "name": "调研宣传部"}
    assert meeting["columns"] == [{"id": "zuimei", "title": "最美科技工作者", "url": f"{SITE}/columns/zuimei/"}]
    assert meeting["authors"] == ["张华"] and meeting["tags"] == ["宣传工作"]
    assert meeting["wechat_url"] == f"{SITE}/wechat/meeting.html"
    assert items[2]["cover"] is None
    texts = output_text(published.output)
    for name in [n for n in texts if n.startswith("api/")]:
        for mark in NEVER:
            assert mark not in texts[name], (mark, name)


def test_wechat_copies_exist_for_published_listed_articles_only(published) -> None:
    copies = sorted(p.name for p in (published.output / "wechat").glob("*.html"))
    assert copies == ["city.html", "long.html", "meeting.html", "older.html"]
    share = _soup(published, "articles/2020/07/meeting/index.html").select_one(".article__share a")
    assert share.get_text() == "复制到公众号"
    assert urljoin("https://host/articles/2020/07/meeting/", share["href"]) == "https://host/wechat/meeting.html"
    hidden = _soup(published, "articles/2020/07/hidden/index.html")
    assert hidden.select_one(".article__share") is None
    assert "wechat/" not in (published.output / "sitemap.xml").read_text(encoding="utf-8")


def test_a_wechat_copy_is_ready_to_paste(published) -> None:
    page = _soup(published, "wechat/meeting.html")
    assert page.find("meta", attrs={"name": "robots"})["content"].startswith("noindex")
    body = page.find(id="wechat-body")
    inner = body.decode_contents()
    assert has_markup_left(inner) == []
    # The copy button's script and the page's styles are files, so a strict Content-Security-Policy holds.
    scripts = page.find_all("script")
    assert scripts and all(s.get("src") for s in scripts) and not page.find("style")
    for name in ("copy.js", "tool.css"):
        assert (published.output / "wechat" / name).is_file()
    assert page.find("button").get_text() == "复制到公众号"
    for tag in body.find_all(True):
        assert "style" in tag.attrs or tag.name in ("sup", "a", "br", "strong", "em", "section"), tag.name
    images = body.find_all("img")
    assert images and all(img["src"].startswith(f"{SITE}/articles/2020/07/meeting/") for img in images)
    text = body.get_text()
    assert "新华网报道[1]" in text and "[1] 新华网报道：https://news.example/report" in text
    assert "本站专栏[2]" in text and f"[2] 本站专栏：{SITE}/columns/zuimei/" in text
    assert not body.find_all("a"), "the WeChat editor refuses outside links"
    assert "来源：河南省科学技术协会" in text and "责任编辑：刘洋" in text
    assert not page.select(".tool__warning")


def test_a_long_title_gets_a_warning(published) -> None:
    page = _soup(published, "wechat/long.html")
    warnings = [p.get_text() for p in page.select(".tool__warning")]
    assert len(LONG_TITLE) > 32
    assert len(warnings) == 1 and "标题" in warnings[0] and "32" in warnings[0]


def test_in_a_preview_build_nothing_with_a_banner_leaves(site: Path, tmp_path: Path) -> None:
    settings = syndication_settings(tmp_path, publish=False)
    run = build(site, publish=False, site_now=NOW, settings=settings)
    assert run.returncode == 0, run.text
    texts = output_text(run.output)
    assert "DRAFTMARK" in texts["articles/2020/07/draft/index.html"], "the preview shows the draft"
    leaving = [n for n in texts if n.endswith(("feed.atom", "feed.json")) or n.startswith(("api/", "wechat/"))]
    assert leaving
    for name in leaving:
        for mark in NEVER:
            assert mark not in texts[name], (mark, name)
    assert not (run.output / "wechat/draft.html").exists() and not (run.output / "wechat/embargo.html").exists()
    draft_page = BeautifulSoup(texts["articles/2020/07/draft/index.html"], "html.parser")
    assert draft_page.select_one(".article__share") is None
    assert json.loads(texts["api/index.json"])["articles"]["total"] == 4
