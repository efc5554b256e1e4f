"""Every field rule of the schema, through content_model.site.load_site on small sites in tmp_path."""

from __future__ import annotations

import pytest

from .conftest import (
    NOW,
    article_text,
    assert_well_formed,
    codes,
    find,
    front_matter,
    jpeg_bytes,
    one,
    pdf_bytes,
)

A = "content/articles/a.md"

# In article_text, lines are: 1 ---, 2 title, 3 date, 4 department, 5 review, 6+ extra fields in order.


def test_a_minimal_valid_site_has_no_problem(site):
    site.article("a")
    loaded = site.load()
    assert loaded.problems.items == []
    item = loaded.articles["a"]
    assert item.rel == A
    assert item.get("title") == "扎根中原的科技工作者"
    assert item.url == "articles/2020/07/a/"
    assert item.state == "published"


def test_article_defaults(site):
    site.article("a")
    item = site.load().articles["a"]
    assert item.get("section") == "news"
    assert item.get("type") == "news"
    assert item.get("status") == "published"
    assert item.get("source") == "河南省科学技术协会"
    assert item.get("date").strftime("%Y-%m-%d %H:%M") == "2020-07-20 09:30"


def test_a_full_article_has_no_problem(site):
    site.write("content/articles/a.jpg", jpeg_bytes())
    site.write("content/articles/tongzhi.pdf", pdf_bytes())
    site.column("zuimei-2020")
    site.topic("keji-ri-2020")
    site.person("li-ming")
    site.gallery("kepu-2020", date="2020-07-01")  # dated before now: a later one would not be shown yet
    site.article("fabu", type="release")
    site.article(
        "a",
        slug="zuimei-li-ming",
        section="notices",
        columns="[zuimei-2020]",
        topics="[keji-ri-2020]",
        tags="[科技工作者, 脱贫攻坚]",
        people="[li-ming]",
        type="interpretation",
        interprets="fabu",
        authors="[张华]",
        photographers="[王强]",
        source="河南日报",
        source_url='"https://www.henandaily.cn/x.html"',
        editor="刘洋",
        summary="一句话摘要。",
        cover="a.jpg",
        cover_alt="李明在实验室",
        pin="1",
        pin_until="2020-08-01",
        gallery="kepu-2020",
        attachments="\n  - {file: tongzhi.pdf, title: 2020年宣传工作要点}",
        doc_number="豫科协办〔2020〕15号",
        adopted_by='\n  - {media: henan-daily, date: 2020-07-22, url: "https://www.henandaily.cn/y.html"}',
        status="published",
        aliases="[/old/2020/news-1.html]",
        milestone="主体结构封顶",
    )
    loaded = site.load()
    assert loaded.problems.items == []
    item = loaded.articles["zuimei-li-ming"]
    assert item.get("tags") == ["科技工作者", "脱贫攻坚"]
    assert item.get("adopted_by")[0]["media"] == "henan-daily"


# Required fields


@pytest.mark.parametrize("name", ["title", "date", "department"])
def test_article_required_fields(site, name):
    site.article("a", drop=(name,))
    loaded = site.load()
    problem = one(loaded, "required")
    assert problem.field == name
    assert problem.level == "error"
    assert problem.line >= 1
    assert name in problem.message_zh and f"`{name}`" in problem.message_en
    assert_well_formed(problem, A)


@pytest.mark.parametrize(
    ("rel", "fields", "missing"),
    [
        ("content/people/li-ming.md", {"unit": "郑州大学"}, ["name"]),
        ("content/pages/about.md", {"order": "1"}, ["title"]),
        ("content/columns/zuimei-2020.md", {"order": "10"}, ["title"]),
        ("content/topics/keji-ri-2020.md", {"layout": "grid"}, ["title"]),
        ("content/galleries/kepu-2020/index.md", {"photographers": "[王强]"}, ["date", "title"]),
    ],
)
def test_required_fields_of_other_kinds(site, rel, fields, missing):
    site.write(rel, front_matter(fields))
    loaded = site.load()
    required = find(loaded, "required")
    assert sorted(p.field for p in required) == missing
    for problem in required:
        assert_well_formed(problem, rel)


def test_an_empty_value_counts_as_missing(site):
    site.article("a", title='""')
    assert one(site.load(), "required").field == "title"


def test_required_subfields_of_a_list_entry(site):
    site.article("a", adopted_by="\n  - {media: henan-daily}")
    problem = one(site.load(), "required")
    assert problem.field == "adopted_by[0].date"
    assert problem.line == 7  # the item's line, under `adopted_by:` on line 6


# Types


def test_pin_must_be_a_number(site):
    site.article("a", pin="abc")
    problem = one(site.load(), "wrong-type")
    assert problem.field == "pin"
    assert problem.line == 6
    assert "abc" in problem.message_zh and "abc" in problem.message_en
    assert_well_formed(problem, A)


def test_pin_written_as_quoted_number_is_accepted(site):
    site.article("a", pin='"2"')
    loaded = site.load()
    assert loaded.problems.items == []
    assert loaded.articles["a"].get("pin") == 2


def test_tags_must_not_be_a_mapping(site):
    site.article("a", summary="摘要", tags="{a: 1}")
    problem = one(site.load(), "wrong-type")
    assert problem.field == "tags"
    assert problem.line == 7
    assert_well_formed(problem, A)


def test_a_single_tag_is_accepted_as_a_list(site):
    site.article("a", tags="科普")
    loaded = site.load()
    assert loaded.problems.items == []
    assert loaded.articles["a"].get("tags") == ["科普"]


@pytest.mark.parametrize(("name", "value"), [("title", "[a, b]"), ("review", "陈静"), ("event", "[郑州]")])
def test_other_wrong_types(site, name, value):
    site.article("a", **{name: value})
    problem = one(site.load(), "wrong-type")
    assert problem.field == name
    assert_well_formed(problem, A)


def test_topic_section_galleries_must_be_true_or_false(site):
    site.topic("keji-ri-2020", sections="\n  - {title: 活动图集, galleries: yes please}")
    problem = one(site.load(), "wrong-type")
    assert problem.field == "sections[0].galleries"


# Dates


@pytest.mark.parametrize("value", ["2020-13-01", "2020-02-30", "2020-07-20 25:00", "20 July 2020", "9:30"])
def test_bad_dates(site, value):
    site.article("a", date=value)
    problem = one(site.load(), "bad-date")
    assert problem.field == "date"
    assert problem.line == 3
    assert value in problem.message_zh and value in problem.message_en
    assert_well_formed(problem, A)


def test_bad_date_in_a_subfield(site):
    site.article("a", type="event", event="{start: 2020-09-31, location: 郑州}")
    problem = one(site.load(), "bad-date")
    assert problem.field == "event.start"
    assert problem.line == 7


@pytest.mark.parametrize("value", ["2020-07-20", "2020-07-20 09:30", "2020-7-2"])
def test_good_dates(site, value):
    site.article("a", date=value)
    assert site.load().problems.items == []


# Ids


@pytest.mark.parametrize(("name", "value", "suggested"), [("slug", "Bad_Slug", "bad-slug"), ("slug", "李明", "liming")])
def test_bad_ids_in_fields(site, name, value, suggested):
    site.article("a", **{name: value})
    problem = one(site.load(), "bad-id")
    assert problem.field == name
    assert problem.line == 6
    assert suggested in problem.message_zh and suggested in problem.message_en
    assert_well_formed(problem, A)


@pytest.mark.parametrize(
    ("rel", "suggested"),
    [
        ("content/columns/Zuimei_2020.md", "zuimei-2020"),
        ("content/people/li_ming.md", "li-ming"),
        ("content/topics/Keji Ri.md", "keji-ri"),
        ("content/pages/About.md", "about"),
        ("content/galleries/Kepu 2020/index.md", "kepu-2020"),
    ],
)
def test_bad_ids_in_file_names(site, rel, suggested):
    fields = {"name": "李明"} if "people" in rel else {"title": "标题", "date": "2020-09-20"}
    if "galleries" not in rel:
        fields.pop("date", None)
    site.write(rel, front_matter(fields))
    problem = one(site.load(), "bad-file-id")
    assert problem.file == rel
    assert suggested in problem.message_zh
    assert_well_formed(problem, rel)


# Choices


@pytest.mark.parametrize(
    ("name", "value", "meant"),
    [("type", "newz", "news"), ("status", "publishd", "published"), ("type", "releases", "release")],
)
def test_bad_choices_suggest_the_meant_value(site, name, value, meant):
    site.article("a", **{name: value})
    problem = one(site.load(), "bad-choice")
    assert problem.field == name
    assert problem.line == 6
    assert f"`{meant}`" in problem.message_en
    assert f"“{meant}”" in problem.message_zh
    assert "did you mean" in problem.message_en
    assert_well_formed(problem, A)


def test_page_status_withdrawn_is_not_a_choice(site):
    site.page("about", status="withdrawn")
    problem = one(site.load(), "bad-choice")
    assert problem.field == "status"


def test_topic_layout_choice(site):
    site.topic("keji-ri-2020", layout="grids")
    problem = one(site.load(), "bad-choice")
    assert problem.field == "layout"
    assert "`grid`" in problem.message_en


# Unknown fields


def test_unknown_field_suggests_the_field(site):
    site.article("a", colums="[zuimei-2020]")
    problem = one(site.load(), "unknown-field")
    assert problem.field == "colums"
    assert problem.line == 6
    assert "`columns`" in problem.message_en and "did you mean" in problem.message_en
    assert "colums" in problem.message_zh and "columns" in problem.message_zh.replace("colums", "")
    assert_well_formed(problem, A)


def test_unknown_field_without_a_close_match(site):
    site.article("a", zzzzzz="1")
    problem = one(site.load(), "unknown-field")
    assert problem.field == "zzzzzz"
    assert "did you mean" not in problem.message_en


def test_unknown_field_in_a_person_and_in_a_mapping(site):
    site.person("li-ming", postion="教授")
    site.article("a", review="{frist: 陈静, second: 赵磊, final: 孙敏}")
    loaded = site.load()
    unknown = {p.field: p for p in find(loaded, "unknown-field")}
    assert set(unknown) == {"postion", "review.frist"}
    assert "`position`" in unknown["postion"].message_en
    assert "`first`" in unknown["review.frist"].message_en
    assert unknown["review.frist"].line == 5


# Registry references


@pytest.mark.parametrize(
    ("fields", "field", "line", "meant"),
    [
        ({"department": "dyxbc"}, "department", 4, "dyxcb"),
        ({"section": "nwes"}, "section", 6, "news"),
        ({"adopted_by": "\n  - {media: henan-dayli, date: 2020-07-22}"}, "adopted_by[0].media", 7, "henan-daily"),
        ({"columns": "[zuimei-2021]"}, "columns", 6, "zuimei-2020"),
        ({"topics": "[keji-ri-2021]"}, "topics", 6, "keji-ri-2020"),
        ({"people": "[li-mign]"}, "people", 6, "li-ming"),
        ({"gallery": "kepu-2021"}, "gallery", 6, "kepu-2020"),
        ({"type": "interpretation", "interprets": "fabo"}, "interprets", 7, "fabu"),
    ],
)
def test_unknown_registry_ids_suggest_a_known_one(site, fields, field, line, meant):
    site.column("zuimei-2020")
    site.topic("keji-ri-2020")
    site.person("li-ming")
    site.gallery("kepu-2020", date="2020-07-01")  # dated before now: a later one would not be shown yet
    site.article("fabu", type="release")
    site.article("a", **fields)
    problem = one(site.load(), "unknown-ref")
    assert problem.field == field
    assert problem.line == line
    assert f"`{meant}`" in problem.message_en
    assert meant in problem.message_zh
    assert_well_formed(problem, A)


def test_unknown_reference_in_a_topic(site):
    site.article("a")
    site.topic("keji-ri-2020", featured="[a, b]", sections="\n  - {title: 人物风采, person: li-ming}")
    loaded = site.load()
    refs = sorted((p.field, p.message_en) for p in find(loaded, "unknown-ref"))
    assert [field for field, _ in refs] == ["featured", "sections[0].person"]
    assert all(p.file == "content/topics/keji-ri-2020.md" for p in find(loaded, "unknown-ref"))


def test_default_section_must_exist_in_the_registry(site):
    site.write("content/data/sections.yml", "- {id: notices, name: 通知公告, order: 2}\n")
    site.article("a")
    problem = one(site.load(), "unknown-ref")
    assert problem.field == "section"
    assert problem.file == A


# Review (三审)


def test_review_missing_in_strict_mode(site):
    site.article("a", drop=("review",))
    problem = one(site.load(), "review-missing")
    assert problem.field == "review"
    assert problem.line >= 1
    assert "draft" in problem.message_en
    assert_well_formed(problem, A)


def test_hidden_item_needs_review(site):
    site.article("a", drop=("review",), status="hidden")
    assert one(site.load(), "review-missing").line == 5  # the status line


def test_draft_needs_no_review(site):
    site.article("a", drop=("review",), status="draft")
    loaded = site.load()
    assert loaded.problems.items == []
    assert loaded.articles["a"].state == "draft"


def test_review_not_required_when_not_strict(site):
    site.article("a", drop=("review",))
    assert site.load(strict=False).problems.items == []


def test_review_with_the_same_person_twice(site):
    site.article("a", review="{first: 陈静, second: 赵磊, final: 陈静}")
    problem = one(site.load(), "review-same-person")
    assert problem.field == "review"
    assert problem.line == 5
    assert "陈静" in problem.message_zh and "陈静" in problem.message_en
    assert "初审" in problem.message_zh and "终审" in problem.message_zh
    assert_well_formed(problem, A)


def test_review_with_two_stages_only(site):
    site.article("a", review="{first: 陈静, second: 赵磊}")
    problem = one(site.load(), "review-incomplete")
    assert problem.field == "review"
    assert "终审" in problem.message_zh and "final review" in problem.message_en


def test_a_draft_may_record_the_reviews_done_so_far(site):
    site.article("a", review="{first: 陈静}", status="draft")
    assert site.load().problems.errors == []


# Rules between fields of one article


def test_cover_without_cover_alt(site):
    site.write("content/articles/a.jpg", jpeg_bytes())
    site.article("a", cover="a.jpg")
    problem = one(site.load(), "alt-missing")
    assert problem.field == "cover"
    assert problem.line == 6
    assert "cover_alt" in problem.message_zh and "`cover_alt`" in problem.message_en
    assert_well_formed(problem, A)


def test_person_photo_and_column_banner_need_alt(site):
    site.write("content/people/li-ming.jpg", jpeg_bytes())
    site.write("content/columns/banner.jpg", jpeg_bytes())
    site.person("li-ming", photo="li-ming.jpg")
    site.column("zuimei-2020", banner="banner.jpg")
    loaded = site.load()
    found = sorted((p.file, p.field) for p in find(loaded, "alt-missing"))
    assert found == [("content/columns/zuimei-2020.md", "banner"), ("content/people/li-ming.md", "photo")]


def test_withdrawn_without_reason(site):
    site.article("a", status="withdrawn")
    problem = one(site.load(), "needed-for-type")
    assert problem.field == "withdrawn_reason"
    assert problem.line == 6
    assert "withdrawn_reason" in problem.message_zh
    assert_well_formed(problem, A)


def test_withdrawn_with_reason(site):
    site.article("a", status="withdrawn", withdrawn_reason="内容有误，已更正")
    loaded = site.load()
    assert loaded.problems.items == []
    assert loaded.articles["a"].state == "withdrawn"


def test_event_without_event(site):
    site.article("a", type="event")
    problem = one(site.load(), "needed-for-type")
    assert problem.field == "event"
    assert problem.line == 6
    assert_well_formed(problem, A)


def test_interpretation_without_interprets(site):
    site.article("a", type="interpretation")
    problem = one(site.load(), "needed-for-type")
    assert problem.field == "interprets"
    assert "interprets" in problem.message_zh


def test_interpretation_of_a_non_release(site):
    site.article("b", type="news")
    site.article("a", type="interpretation", interprets="b")
    problem = one(site.load(), "interprets-not-release")
    assert problem.field == "interprets"
    assert problem.line == 7
    assert_well_formed(problem, A)


def test_interpretation_of_a_release(site):
    site.article("b", type="release")
    site.article("a", type="interpretation", interprets="b")
    assert site.load().problems.items == []


def test_adoption_dated_before_the_article(site):
    site.article(
        "a",
        adopted_by="\n  - {media: henan-daily, date: 2020-07-20}\n  - {media: xinhua, date: 2020-07-19}",
    )
    problem = one(site.load(), "adoption-before-article")
    assert problem.field == "adopted_by[1].date"
    assert problem.line == 8
    assert "2020-07-19" in problem.message_zh and "2020-07-20" in problem.message_zh
    assert_well_formed(problem, A)


def test_event_end_before_start(site):
    site.article("a", type="event", event="{start: 2020-09-19, end: 2020-09-18, location: 郑州}")
    problem = one(site.load(), "event-end-before-start")
    assert problem.field == "event.end"
    assert problem.line == 7
    assert "2020-09-18" in problem.message_en and "2020-09-19" in problem.message_en
    assert_well_formed(problem, A)


def test_event_with_good_dates(site):
    site.article("a", type="event", event="{start: 2020-09-19, end: 2020-09-25, location: 郑州}")
    assert site.load().problems.items == []


def test_pin_until_without_pin_is_a_warning(site):
    site.article("a", pin_until="2020-08-01")
    loaded = site.load()
    problem = one(loaded, "pin-until-without-pin")
    assert problem.level == "warning"
    assert problem.field == "pin_until"
    assert problem.line == 6
    assert loaded.problems.errors == []
    assert_well_formed(problem, A)


@pytest.mark.parametrize("alias", ["old/url/", "/a/../b/", "/old url/", "http://old.example/x"])
def test_bad_aliases(site, alias):
    site.article("a", aliases=f'["{alias}"]')
    problem = one(site.load(), "bad-alias")
    assert problem.field == "aliases"
    assert problem.line == 6
    assert alias in problem.message_zh
    assert_well_formed(problem, A)


def test_good_aliases(site):
    site.article("a", aliases="[/old/2020/news-1.html, /html/2019/0801/1234/]")
    assert site.load().problems.items == []


def test_bad_url(site):
    site.article("a", source_url="www.example.com/x")
    problem = one(site.load(), "bad-url")
    assert problem.field == "source_url"
    assert_well_formed(problem, A)


def test_embargoed_article_is_valid_but_embargoed(site):
    site.article("a", date="2020-07-26 09:00")
    loaded = site.load(now=NOW)
    assert loaded.problems.items == []
    assert loaded.articles["a"].state == "embargoed"


def test_registry_entries_are_checked(site):
    site.write(
        "content/data/media.yml",
        "- {id: henan-daily, name: 河南日报, level: 省}\n- {id: henan-daily, name: 河南日报, level: 省级}\n",
    )
    site.article("a")
    loaded = site.load()
    choice = one(loaded, "bad-choice")
    assert (choice.file, choice.line, choice.field) == ("content/data/media.yml", 1, "level")
    assert "`省级`" in choice.message_en
    duplicate = one(loaded, "registry-duplicate-id")
    assert (duplicate.file, duplicate.line) == ("content/data/media.yml", 2)


def test_missing_registry(site):
    (site.content / "data" / "media.yml").unlink()
    site.article("a")
    problem = one(site.load(), "registry-missing")
    assert problem.file == "content/data/media.yml"
    assert_well_formed(problem)


def test_problems_in_one_file_do_not_hide_others(site):
    site.article("a", colums="x", pin="abc")
    site.write("content/articles/b.md", article_text(type="newz"))
    assert sorted(codes(site.load())) == ["bad-choice", "unknown-field", "wrong-type"]


def test_an_empty_review_line_is_no_review(site):
    site.write("content/articles/a.md", "---\ntitle: 标题\ndate: 2020-07-20\ndepartment: dyxcb\nreview:\n---\n正文\n")
    assert one(site.load(), "review-missing").file == A
