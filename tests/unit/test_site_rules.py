"""Rules that span files: slugs, URLs, reserved names, file places; and the shape of every message."""

from __future__ import annotations

import re

import pytest

from content_model import schema as S

from .conftest import (
    article_text,
    assert_well_formed,
    codes,
    find,
    front_matter,
    jpeg_bytes,
    one,
)

# Duplicate slugs and URLs: both files are told, so that checking either one alone fails.


def on(loaded, code: str, file: str):
    """The single problem with this code on this file."""
    found = [p for p in find(loaded, code) if p.file == file]
    assert len(found) == 1, [(p.code, p.file) for p in loaded.problems.items]
    return found[0]


def test_duplicate_slug_across_two_files_names_the_other(site):
    site.article("a", slug="same")
    site.article("news/b", slug="same")
    loaded = site.load()
    assert {p.file for p in find(loaded, "duplicate-slug")} == {"content/articles/a.md", "content/articles/news/b.md"}
    assert "content/articles/news/b.md" in on(loaded, "duplicate-slug", "content/articles/a.md").message_en
    problem = on(loaded, "duplicate-slug", "content/articles/news/b.md")
    assert problem.field == "slug"
    assert problem.line == 6
    assert "content/articles/a.md" in problem.message_zh
    assert "content/articles/a.md" in problem.message_en
    assert_well_formed(problem)


def test_duplicate_slug_from_a_file_name(site):
    site.article("news/zuimei-li-ming")
    site.article("zuimei-2020/b", slug="zuimei-li-ming")
    problem = on(site.load(), "duplicate-slug", "content/articles/zuimei-2020/b.md")
    assert "content/articles/news/zuimei-li-ming.md" in problem.message_en


def test_duplicate_slug_with_different_dates_is_still_an_error(site):
    # The URLs differ (different months) but interprets/featured/WeChat refer by slug alone.
    site.article("a", slug="same")
    site.article("b", slug="same", date="2021-01-05")
    assert on(site.load(), "duplicate-slug", "content/articles/b.md").field == "slug"


def test_the_same_id_in_different_kinds_is_fine(site):
    site.article("li-ming")
    site.person("li-ming")
    site.column("li-ming")
    assert site.load().problems.errors == []


def test_alias_equal_to_another_articles_url(site):
    site.article("a")
    site.article("b", aliases="[/articles/2020/07/a/]")
    loaded = site.load()
    assert "content/articles/b.md" in on(loaded, "duplicate-url", "content/articles/a.md").message_en
    problem = on(loaded, "duplicate-url", "content/articles/b.md")
    assert problem.field == "aliases"
    assert problem.line == 6
    assert "/articles/2020/07/a/" in problem.message_en
    assert "content/articles/a.md" in problem.message_zh
    assert_well_formed(problem)


def test_alias_equal_to_another_articles_url_as_index_html(site):
    site.article("a")
    site.article("b", aliases="[/articles/2020/07/a/index.html]")
    assert on(site.load(), "duplicate-url", "content/articles/b.md").field == "aliases"


def test_alias_equal_to_another_articles_url_without_trailing_slash(site):
    # The redirect would be written to the file output/articles/2020/07/a, where the folder of a's page is.
    site.article("a")
    site.article("b", aliases="[/articles/2020/07/a]")
    assert on(site.load(), "duplicate-url", "content/articles/b.md").field == "aliases"


def test_alias_equal_to_a_section_url(site):
    site.article("a", aliases="[/news/]")
    problem = on(site.load(), "duplicate-url", "content/articles/a.md")
    assert "sections.yml" in problem.message_en


def test_two_articles_aliasing_the_same_old_url(site):
    site.article("a", aliases="[/old/1.html]")
    site.article("b", aliases="[/old/1.html]")
    problem = on(site.load(), "duplicate-url", "content/articles/b.md")
    assert "content/articles/a.md" in problem.message_en


def test_page_id_equal_to_a_section_id(site):
    site.page("news")
    loaded = site.load()
    problem = one(loaded, "page-id-is-section")
    assert problem.file == "content/pages/news.md"
    assert "news" in problem.message_zh
    assert_well_formed(problem)


@pytest.mark.parametrize("page_id", ["articles", "tags", "feeds", "search", "admin", "stats"])
def test_reserved_page_ids(site, page_id):
    site.page(page_id)
    problem = one(site.load(), "reserved-id")
    assert problem.file == f"content/pages/{page_id}.md"
    assert page_id in problem.message_zh and page_id in problem.message_en
    assert_well_formed(problem)


def test_reserved_section_ids(site):
    site.write(
        "content/data/sections.yml",
        "- {id: news, name: 科协要闻, order: 1}\n"
        "- {id: tags, name: 标签, order: 2}\n"
        "- {id: wechat, name: 微信, order: 3}\n",
    )
    loaded = site.load()
    reserved = sorted((p.file, p.line, p.field) for p in find(loaded, "reserved-id"))
    assert reserved == [("content/data/sections.yml", 2, "id"), ("content/data/sections.yml", 3, "id")]


def test_every_reserved_name_of_the_contract_is_reserved():
    contract = [
        "articles",
        "columns",
        "topics",
        "people",
        "honours",
        "galleries",
        "events",
        "tags",
        "archives",
        "stats",
        "search",
        "pagefind",
        "api",
        "wechat",
        "admin",
        "images",
        "theme",
        "feeds",
    ]
    assert set(contract) <= S.RESERVED_NAMES


def test_a_page_is_fine(site):
    site.page("about")
    loaded = site.load()
    assert loaded.problems.items == []
    assert loaded.items["page"]["about"].url == "about/"


# Places of files


@pytest.mark.parametrize(
    "rel",
    [
        "content/foo.md",
        "content/columns/zuimei/intro.md",
        "content/galleries/kepu.md",
        "content/galleries/kepu/more/index.md",
        "content/people/li-ming/bio.md",
        "content/pages/sub/about.md",
        "content/images/readme.md",
    ],
)
def test_misplaced_markdown_files(site, rel):
    site.write(rel, article_text())
    problem = one(site.load(), "misplaced-file")
    assert problem.file == rel
    assert_well_formed(problem, rel)


@pytest.mark.parametrize(
    ("rel", "kind", "item_id", "url"),
    [
        ("content/articles/news/2020/x.md", "article", "x", "articles/2020/07/x/"),
        ("content/people/li-ming/index.md", "person", "li-ming", "people/li-ming/"),
        ("content/galleries/kepu-2020/index.md", "gallery", "kepu-2020", "galleries/kepu-2020/"),
        ("content/columns/zuimei-2020.md", "column", "zuimei-2020", "columns/zuimei-2020/"),
        ("content/topics/keji-ri-2020.md", "topic", "keji-ri-2020", "topics/keji-ri-2020/"),
    ],
)
def test_files_in_their_places(site, rel, kind, item_id, url):
    fields = {
        "article": dict(
            title="标题", date="2020-07-20", department="dyxcb", review="{first: 甲, second: 乙, final: 丙}"
        ),
        "person": {"name": "李明"},
        "gallery": {"title": "图集", "date": "2020-09-20"},
        "column": {"title": "专栏"},
        "topic": {"title": "专题"},
    }[kind]
    site.write(rel, front_matter(fields))
    loaded = site.load()
    assert loaded.problems.errors == []
    assert loaded.items[kind][item_id].url == url


# Slugs made from file names


def test_chinese_file_name_gets_a_pinyin_slug_and_a_warning(site):
    rel = site.article("news/与重庆市科协交流座谈")
    loaded = site.load()
    problem = one(loaded, "made-slug")
    assert problem.level == "warning"
    assert problem.file == rel
    assert problem.field == "slug"
    assert problem.line >= 1
    [item] = loaded.articles.values()
    assert "chongqing" in item.id
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", item.id)
    assert item.id in problem.message_zh and item.id in problem.message_en
    assert item.url == f"articles/2020/07/{item.id}/"
    assert item.slug_made
    assert loaded.problems.errors == []
    assert_well_formed(problem, rel)


def test_chinese_file_name_with_a_slug_gives_no_warning(site):
    site.article("news/与重庆市科协交流座谈", slug="chongqing-kexie-zuotan")
    loaded = site.load()
    assert loaded.problems.items == []
    assert list(loaded.articles) == ["chongqing-kexie-zuotan"]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("2020-07-20-foo-bar", "foo-bar"),
        ("2020-7-2_foo-bar", "foo-bar"),
        ("news/2020-07-20-keji-gongzuozhe-ri", "keji-gongzuozhe-ri"),
        ("Foo Bar", "foo-bar"),
    ],
)
def test_slug_from_file_name(site, name, slug):
    site.article(name)
    loaded = site.load()
    assert loaded.problems.items == []
    assert list(loaded.articles) == [slug]


def test_bundle_uses_its_folder_name(site):
    site.write(
        "content/articles/news/2020-07-20-kejiguan-fengding/index.md",
        article_text(cover="shigong.jpg", cover_alt="施工现场"),
    )
    site.write("content/articles/news/2020-07-20-kejiguan-fengding/shigong.jpg", jpeg_bytes())
    loaded = site.load()
    assert loaded.problems.items == []
    item = loaded.articles["kejiguan-fengding"]
    assert item.is_bundle
    assert item.url == "articles/2020/07/kejiguan-fengding/"


def test_two_bundles_with_the_same_folder_name(site):
    site.write("content/articles/news/kejiguan/index.md", article_text())
    site.write("content/articles/zuimei-2020/kejiguan/index.md", article_text())
    problem = on(site.load(), "duplicate-slug", "content/articles/zuimei-2020/kejiguan/index.md")
    assert "content/articles/news/kejiguan/index.md" in problem.message_en


# Galleries


def test_gallery_unlisted_photo_is_a_warning(site):
    rel = site.gallery("kepu-2020", photos="\n  - {file: 001.jpg, caption: 学生体验科普展品, alt: 小学生围观展品}")
    site.write("content/galleries/kepu-2020/001.jpg", jpeg_bytes())
    site.write("content/galleries/kepu-2020/002.jpg", jpeg_bytes())
    loaded = site.load()
    problem = one(loaded, "gallery-photo-unlisted")
    assert problem.level == "warning"
    assert problem.file == rel
    assert problem.field == "photos"
    assert problem.line == 4
    assert "002.jpg" in problem.message_zh and "002.jpg" in problem.message_en
    assert loaded.problems.errors == []
    assert_well_formed(problem, rel)


def test_gallery_listed_photo_must_exist_and_have_alt(site):
    site.gallery("kepu-2020", photos="\n  - {file: 001.jpg, caption: 学生}\n  - {file: 009.jpg, alt: 不存在}")
    site.write("content/galleries/kepu-2020/001.jpg", jpeg_bytes())
    loaded = site.load()
    assert one(loaded, "required").field == "photos[0].alt"
    missing = one(loaded, "file-missing")
    assert missing.field == "photos[1].file"
    assert missing.line == 6


# The shape of every message


def _messy_site(site):
    """One site with a problem of most kinds."""
    site.write("content/articles/cover.jpg", b"not an image")
    site.write("content/galleries/kepu-2020/002.jpg", jpeg_bytes())
    site.gallery("kepu-2020")
    site.article("a", slug="same", colums="x", pin="abc", type="newz")
    site.article("b", slug="same", date="2020/07/01")
    site.article("c", drop=("review", "department"), section="nwes", aliases="[old/url]", pin_until="2020-08-01")
    site.article("d", review="{first: 甲, second: 甲, final: 丙}", status="withdrawn", cover="cover.jpg")
    site.article("e", type="event", event="{start: 2020-09-19, end: 2020-09-18, location: 郑州}")
    site.article("f", adopted_by="\n  - {media: xinhua, date: 2020-07-01}", cover="missing.jpg", cover_alt="封面")
    site.article("g", body="正文\n\n<script>x</script>\n![](/images/x.png)\n[x](javascript:void)\n")
    site.article("与重庆市科协交流座谈")
    site.article("h", type="interpretation", interprets="e")
    site.page("news")
    site.page("tags")
    site.write("content/foo.md", "---\ntitle: x\n---\n")
    site.write("content/articles/y.md", "---\ntitle: a: b\n---\n")
    site.write("content/articles/z.md", "---\ntitle: a\ntitle: b\n---\n")
    return site.load()


def test_every_message_has_the_right_shape(site):
    loaded = _messy_site(site)
    found = set(codes(loaded))
    assert len(found) >= 25, found
    for problem in loaded.problems.items:
        assert problem.file.startswith("content/"), problem
        assert_well_formed(problem)
        if problem.code not in ("misplaced-file", "page-id-is-section", "reserved-id", "duplicate-url"):
            assert problem.line >= 1, problem


# The fields as contributors know them: the key, or its Chinese label from the schema.
def _names_of(field: str) -> set[str]:
    top = re.split(r"[.\[]", field)[0]
    names = {field, top}
    spec = S.ARTICLE.get(top) or S.GALLERY.get(top) or S.PAGE.get(top)
    if spec:
        names.add(spec.label)
    return names


FIELD_CASES = [
    ({"colums": "x"}, "unknown-field"),
    ({"pin": "abc"}, "wrong-type"),
    ({"date": "2020-07-32"}, "bad-date"),
    ({"date": "2020/07/01"}, "date-format"),
    ({"type": "newz"}, "bad-choice"),
    ({"source_url": "www.example.com"}, "bad-url"),
    ({"slug": "Li_Ming"}, "bad-id"),
    ({"department": "dyxbc"}, "unknown-ref"),
    ({"department": "调研宣传部"}, "name-not-id"),
    ({"section": "News"}, "name-not-id-close"),
    ({"department": "“dyxcb”"}, "value-in-chinese-quotes"),
    ({"标题": "科协要闻"}, "field-name-chinese"),
    ({"review": "{first: 甲, second: 甲, final: 丙}"}, "review-same-person"),
    ({"cover": "lost.jpg", "cover_alt": "封面"}, "file-missing"),
    ({"cover": "photo.jpg", "cover_alt": "封面"}, "image-unreadable"),
    ({"cover": "../../x.jpg", "cover_alt": "封面"}, "path-outside-content"),
    ({"status": "withdrawn"}, "needed-for-type"),
    ({"adopted_by": "\n  - {media: xinhua, date: 2020-07-01}"}, "adoption-before-article"),
    ({"type": "event", "event": "{start: 2020-09-19, end: 2020-09-18, location: 郑州}"}, "event-end-before-start"),
    ({"pin_until": "2020-08-01"}, "pin-until-without-pin"),
    ({"aliases": "[old/url]"}, "bad-alias"),
    ({"attachments": "\n  - {file: photo.jpg, title: 附件}"}, "attachment-type"),
]


@pytest.mark.parametrize(("fields", "code"), FIELD_CASES, ids=[code for _, code in FIELD_CASES])
def test_message_zh_names_the_field(site, fields, code):
    site.write("content/articles/photo.jpg", b"not an image")
    site.article("a", **fields)
    problem = one(site.load(), code)
    assert problem.field
    names = _names_of(problem.field)
    assert any(name in problem.message_zh for name in names), (names, problem.message_zh)
