"""Build tests of galleries on a fixture site: order and captions, credits, the no-JS links, the article's strip."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.build.test_images_build import build_with_plugins, image_bytes
from tests.sites import Run, article, output_text, write_site


def photo(colour: tuple[int, int, int], size=(1200, 800)) -> bytes:
    return image_bytes(Image.new("RGB", size, colour), "JPEG", quality=85)


GALLERY = """---
title: 科普大篷车进基层
date: 2020-09-24
photographers: [王强, 韩冰]
photos:
  - {file: 02.jpg, caption: 第二张排第一, alt: 孩子们围着机器人}
  - {file: 01.jpg, caption: 第一张排第二, alt: 大篷车停在村口}
---
全国科普日期间，科普大篷车走进山区。
"""
OLDER = """---
title: 最美科技工作者发布仪式
date: 2020-05-29
---
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = tmp_path_factory.mktemp("galleries")
    write_site(
        root,
        {
            "content/galleries/dabaoche/index.md": GALLERY,
            "content/galleries/dabaoche/01.jpg": photo((200, 40, 40)),
            "content/galleries/dabaoche/02.jpg": photo((40, 200, 40)),
            "content/galleries/dabaoche/04.jpg": photo((40, 40, 200)),  # unlisted: after the listed, by name
            "content/galleries/dabaoche/03.png": image_bytes(Image.new("RGB", (600, 900), "gray"), "PNG"),
            "content/galleries/zuimei/index.md": OLDER,
            "content/galleries/zuimei/a.jpg": photo((90, 90, 90)),
            "content/articles/with-gallery/index.md": article(
                "大篷车稿件", "2020-09-24 16:00", "正文。", gallery="dabaoche"
            ),
            "content/articles/plain.md": article("普通稿件", "2020-09-20", "正文。"),
            "content/articles/secret.md": article(
                "SECRETDRAFT草稿", "2020-09-21", "正文。", status="draft", gallery="zuimei"
            ),
        },
    )
    run = build_with_plugins(root, site_now="2020-12-31 12:00")
    assert run.returncode == 0, run.text
    return run


def soup(run: Run, path: str) -> BeautifulSoup:
    return BeautifulSoup((run.output / path).read_text(encoding="utf-8"), "html.parser")


def test_index_lists_galleries_newest_first(built: Run) -> None:
    index = soup(built, "galleries/index.html")
    titles = [t.get_text() for t in index.select(".gallery-card__title")]
    assert titles == ["科普大篷车进基层", "最美科技工作者发布仪式"]
    links = [a["href"] for a in index.select(".gallery-card__link")]
    assert links == ["../galleries/dabaoche/", "../galleries/zuimei/"] or links == ["dabaoche/", "zuimei/"]
    assert index.select_one('link[href$="gallery.css"]') and not index.select_one('script[src$="gallery.js"]')
    meta = index.select_one(".gallery-card__meta").get_text()
    assert "2020年9月24日" in meta and "4 张" in meta and "摄影：王强　韩冰" in meta


def test_gallery_page_follows_index_md_then_file_names(built: Run) -> None:
    page = soup(built, "galleries/dabaoche/index.html")
    items = page.select(".gallery__item")
    assert [i["id"] for i in items] == ["photo-1", "photo-2", "photo-3", "photo-4"]
    alts = [i.img["alt"] for i in items]
    assert alts == ["孩子们围着机器人", "大篷车停在村口", "科普大篷车进基层", "科普大篷车进基层"]
    captions = [(i.figcaption.get_text() if i.figcaption else "") for i in items]
    assert captions == ["第二张排第一", "第一张排第二", "", ""]
    assert "摄影：王强　韩冰" in page.select_one(".gallery-page__meta").get_text()
    assert page.select_one(".gallery")["data-gallery-credit"] == "摄影：王强　韩冰"
    assert "全国科普日期间" in page.select_one(".gallery-page__text").get_text()


def test_each_thumbnail_links_to_its_large_image_without_javascript(built: Run) -> None:
    page = soup(built, "galleries/dabaoche/index.html")
    links = page.select("a.gallery__link")
    assert [a["href"] for a in links] == ["02.jpg", "01.jpg", "03.png", "04.jpg"]
    for a in links:
        with Image.open(built.output / "galleries/dabaoche" / a["href"]) as image:
            assert image.width <= 2560 and not image.getexif()
        picture = a.picture
        assert picture.img["width"] and picture.img["height"] and picture.source["type"] == "image/webp"
        for candidate in picture.source["srcset"].split(","):
            assert (built.output / "galleries/dabaoche" / candidate.split()[0]).is_file()
    # The first row loads at once; the rest when scrolled to.
    assert [a.img.get("loading") for a in links] == [None, None, "lazy", "lazy"]


def test_gallery_css_and_js_only_where_a_gallery_is_shown(built: Run) -> None:
    texts = {n: t for n, t in output_text(built.output).items() if n.endswith(".html")}
    with_js = sorted(n for n, t in texts.items() if "gallery.js" in t)
    assert with_js == ["galleries/dabaoche/index.html", "galleries/zuimei/index.html"]
    with_css = sorted(n for n, t in texts.items() if "gallery.css" in t)
    assert with_css == [
        "articles/2020/09/with-gallery/index.html",
        "galleries/dabaoche/index.html",
        "galleries/index.html",
        "galleries/zuimei/index.html",
    ]
    js = (built.output / "theme/js/gallery.js").read_text(encoding="utf-8")
    assert "http" not in js and len(js) < 8000


def test_article_shows_its_gallery_after_the_body(built: Run) -> None:
    page = soup(built, "articles/2020/09/with-gallery/index.html")
    strip = page.select_one(".gallery-strip")
    assert strip is not None
    body = page.select_one(".article__body")
    assert body.find_next(class_="gallery-strip") is strip
    links = [a["href"] for a in strip.select(".gallery-strip__grid a")]
    assert links[0] == "../../../../galleries/dabaoche/#photo-1" and len(links) == 4
    for img in strip.select("img"):
        assert (built.output / urljoin("articles/2020/09/with-gallery/", img["src"])).is_file()
    assert "摄影：王强　韩冰" in strip.get_text()
    assert soup(built, "articles/2020/09/plain/index.html").select_one(".gallery-strip") is None


def test_related_articles_and_og_image_on_the_gallery_page(built: Run) -> None:
    page = soup(built, "galleries/dabaoche/index.html")
    assert [a.get_text() for a in page.select(".related a")] == ["大篷车稿件"]
    og = page.find("meta", property="og:image")["content"]
    assert og.endswith("galleries/dabaoche/02-og.jpg")
    with Image.open(built.output / "galleries/dabaoche/02-og.jpg") as image:
        assert image.size == (1200, 630)


def test_a_draft_that_names_a_gallery_leaks_nothing(built: Run) -> None:
    texts = output_text(built.output)
    assert not [n for n, t in texts.items() if "SECRETDRAFT" in t]
    zuimei = soup(built, "galleries/zuimei/index.html")
    assert zuimei.select_one(".related") is None  # the draft is not listed as showing it
    assert Path(built.output / "galleries/zuimei/a.jpg").is_file()  # galleries are public pages of their own
