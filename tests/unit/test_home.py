"""The portal home page's blocks: 图片新闻, 专题专栏 entrances, link groups, and the links registry's checks."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from content_model.times import parse_time
from publishing.home import entrances, link_groups, photo_news
from tests.unit.conftest import assert_well_formed, codes, find

NOW = parse_time("2020-12-31 12:00")


class FakeItem:
    """What the home page reads of a content item: its values."""

    def __init__(self, **values) -> None:
        self.values = values

    def get(self, name, default=None):
        return self.values.get(name, default)


def _article(slug: str, cover: str | None = None):
    return SimpleNamespace(slug=slug, cover=cover, item=FakeItem(cover=cover))


def _entry(title: str, **values) -> dict:
    return {"item": FakeItem(**values), "title": title, "url": f"x/{title}/", "articles": []}


def _time(text: str) -> datetime.datetime:
    return parse_time(text)


def test_photo_news_are_the_newest_covered_articles_without_the_headline() -> None:
    articles = [_article("a", "a.jpg"), _article("b"), _article("c", "c.jpg"), _article("d", "d.jpg")]
    assert [a.slug for a in photo_news(articles, articles[0], limit=2)] == ["c", "d"]
    assert [a.slug for a in photo_news(articles, None, limit=9)] == ["a", "c", "d"]
    assert photo_news([_article("x")], None) == []


def test_entrances_put_running_topics_then_columns_first_and_fill_with_the_latest_ended() -> None:
    topics = [
        _entry("旧专题", end=_time("2020-06-30")),
        _entry("在办专题", start=_time("2020-06-01")),
        _entry("今天结束的专题", end=_time("2020-12-31")),  # holds through its end day
        _entry("较早结束的专题", end=_time("2020-03-01")),
    ]
    columns = [_entry("在办专栏", banner="/images/b.jpg"), _entry("结束的专栏", end=_time("2020-10-31"))]
    chosen = entrances(topics, columns, NOW, limit=5)
    assert [e["title"] for e in chosen] == ["在办专题", "今天结束的专题", "在办专栏", "结束的专栏", "旧专题"]
    assert [e["kind"] for e in chosen] == ["专题", "专题", "专栏", "专栏", "专题"]
    assert [e["running"] for e in chosen] == [True, True, True, False, False]
    assert [e["title"] for e in entrances(topics, columns, NOW, limit=2)] == ["在办专题", "今天结束的专题"]


def test_an_entrance_shows_its_banner_else_the_cover_of_its_featured_or_newest_article() -> None:
    covered = _article("c", "c.jpg")
    with_banner = _entry("有横幅", banner="/images/b.jpg")
    with_cover = {**_entry("无横幅"), "featured": [_article("f")], "articles": [_article("n"), covered]}
    bare = _entry("无图")
    found = {e["title"]: e["picture"] for e in entrances([with_banner, with_cover, bare], [], NOW)}
    assert found["有横幅"] == (with_banner["item"], "/images/b.jpg")
    assert found["无横幅"] == (covered.item, "c.jpg")
    assert found["无图"] is None


def test_links_are_grouped_in_file_order() -> None:
    links = {
        "a": {"id": "a", "name": "中国科协", "url": "https://a.example/", "group": "中国科协"},
        "b": {"id": "b", "name": "郑州市科协", "url": "https://b.example/", "group": "市科协"},
        "c": {"id": "c", "name": "科普中国", "url": "https://c.example/", "group": "中国科协"},
    }
    groups = link_groups(links)
    assert [g["name"] for g in groups] == ["中国科协", "市科协"]
    assert [link["id"] for link in groups[0]["links"]] == ["a", "c"]


def test_the_links_registry_is_optional_and_read_in_order(site) -> None:
    assert codes(site.load()) == []
    site.write(
        "content/data/links.yml",
        '- {id: cast, name: 中国科协, url: "https://www.cast.org.cn/", group: 中国科协}\n'
        '- {id: zzskx, name: 郑州市科协, url: "http://www.zzast.example.cn/", group: 市科协}\n',
    )
    loaded = site.load()
    assert codes(loaded) == []
    assert list(loaded.registries["links"]) == ["cast", "zzskx"]


def test_a_link_must_be_an_http_address_with_a_name_and_a_group(site) -> None:
    site.write(
        "content/data/links.yml",
        '- {id: bad, name: 坏链接, url: "javascript:alert(1)", group: 市科协}\n'
        '- {id: ftp, name: 文件站, url: "ftp://files.example.cn/", group: 市科协}\n'
        '- {id: nameless, url: "https://a.example.cn/", group: 市科协}\n'
        '- {id: cast, name: 中国科协, url: "https://www.cast.org.cn/"}\n'
        '- {id: kepu, name: 科普中国, url: "https://www.kepuchina.cn/", group: 中国科协}\n'
        '- {id: kepu, name: 科普中国, url: "https://www.kepuchina.cn/", group: 中国科协}\n',
    )
    loaded = site.load()
    bad_urls = find(loaded, "bad-url")
    assert [p.line for p in bad_urls] == [1, 2]
    assert sorted(codes(loaded)) == sorted(["bad-url", "bad-url", "required", "required", "registry-duplicate-id"])
    for problem in loaded.problems.items:
        assert_well_formed(problem, "content/data/links.yml")
    # A build stops on these errors; whatever reads the registry anyway never gets the refused address.
    shown = [link["id"] for group in link_groups(loaded.registries["links"]) for link in group["links"]]
    assert shown == ["kepu"]


def test_sitemap_is_a_reserved_name_for_pages_and_sections(site) -> None:
    site.page("sitemap")
    site.write("content/data/sections.yml", "- {id: news, name: 科协要闻}\n- {id: sitemap, name: 网站地图}\n")
    problems = find(site.load(), "reserved-id")
    assert sorted(p.file for p in problems) == ["content/data/sections.yml", "content/pages/sitemap.md"]
