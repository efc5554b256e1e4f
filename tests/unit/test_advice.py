"""Advice that names the real fix: the id behind a name, the English field name, the date as it must be written."""

from __future__ import annotations

import pytest

from .conftest import assert_well_formed, codes, find, one

A = "content/articles/a.md"


# An id written as its name


@pytest.mark.parametrize(
    ("field", "value", "meant"),
    [
        ("department", "调研宣传部", "dyxcb"),
        ("department", "郑州市科协", "zzskx"),
        ("department", "zhengzhoushi-kexie", "zzskx"),  # the pinyin of the name, as the old advice suggested
        ("section", "通知公告", "notices"),
        ("adopted_by", "[{media: 河南日报, date: 2020-07-22}]", "henan-daily"),
    ],
)
def test_a_name_written_for_an_id_gets_its_id(site, field, value, meant):
    site.article("a", **{field: value})
    problem = one(site.load(), "name-not-id")
    assert problem.line == (4 if field == "department" else 6)
    assert f"请改为 {meant}" in problem.message_zh and f"write its id instead: {meant}" in problem.message_en
    assert "bad-id" not in codes(site.load())
    assert_well_formed(problem, A)


def test_registry_names_of_people_topics_galleries_and_columns(site):
    site.person("li-ming", name="李明")
    site.topic("kepu-ri-2020", title="2020年全国科普日")
    site.gallery("kepu-dabaoche-2020", title="科普大篷车进基层")
    site.column("zuimei-2020", title="2020年河南最美科技工作者")
    site.article(
        "a",
        people="[李明]",
        topics="[2020年全国科普日]",
        gallery="科普大篷车进基层",
        columns="[2020年河南最美科技工作者]",
    )
    found = {(p.field, p.message_en.rsplit(": ", 1)[-1]) for p in find(site.load(), "name-not-id")}
    assert found == {
        ("people", "li-ming."),
        ("topics", "kepu-ri-2020."),
        ("gallery", "kepu-dabaoche-2020."),
        ("columns", "zuimei-2020."),
    }


def test_an_article_title_written_for_its_slug(site):
    site.article("release", title="条例修订新闻发布会", type="release")
    site.article("b", type="interpretation", interprets="条例修订新闻发布会")
    problem = one(site.load(), "name-not-id")
    assert (problem.file, problem.field) == ("content/articles/b.md", "interprets")
    assert "请改为 release" in problem.message_zh


def test_a_column_title_in_its_own_folder_gets_one_consistent_message(site):
    site.column("zuimei-2020", title="2020年河南最美科技工作者")
    site.article("zuimei-2020/a", columns="[2020年河南最美科技工作者]")
    loaded = site.load()
    assert "请改为 zuimei-2020" in one(loaded, "name-not-id").message_zh
    assert "column-folder" not in codes(loaded)  # it would ask for the very column the error names


@pytest.mark.parametrize(
    ("value", "meant"),
    [("信阳科协", "xyskx"), ("信阳市科学技术协会", "xyskx"), ("XYSKX", "xyskx"), ("xinyang-kexie", "xyskx")],
)
def test_a_name_close_to_a_registered_one(site, value, meant):
    site.write("content/data/departments.yml", "- {id: xyskx, name: 信阳市科协, kind: 市科协}\n")
    site.article("a", department=value)
    problem = one(site.load(), "name-not-id-close")
    assert f"请改为 {meant}" in problem.message_zh and "信阳市科协" in problem.message_zh
    assert "content/data/departments.yml" in problem.message_zh
    assert_well_formed(problem, A)


def test_nothing_close_lists_the_nearest_ids_and_the_registry(site):
    site.write(
        "content/data/departments.yml",
        "".join(
            f"- {{id: {i}, name: {n}, kind: 市科协}}\n"
            for i, n in [
                ("zzskx", "郑州市科协"),
                ("lyskx", "洛阳市科协"),
                ("xxskx", "新乡市科协"),
                ("nyskx", "南阳市科协"),
                ("xyskx", "信阳市科协"),
                ("kfskx", "开封市科协"),
                ("dyxcb", "调研宣传部"),
            ]
        ),
    )
    site.article("a", department="某某单位")
    problem = one(site.load(), "unknown-ref")
    assert problem.line == 4
    assert "已登记的有：" in problem.message_zh and "content/data/departments.yml" in problem.message_zh
    assert problem.message_zh.count("市科协）") + problem.message_zh.count("部）") == 5  # the nearest five
    assert "registered ids include" in problem.message_en
    assert_well_formed(problem, A)


def test_a_mistyped_id_keeps_its_did_you_mean(site):
    site.article("a", department="dyxbc")
    problem = one(site.load(), "unknown-ref")
    assert "dyxcb" in problem.message_zh


# Field names in Chinese


@pytest.mark.parametrize(
    ("name", "meant"), [("标题", "title"), ("日期", "date"), ("作者", "authors"), ("报送单位", "department")]
)
def test_a_field_name_in_chinese(site, name, meant):
    site.article("a", **{name: "x"}, drop=(meant,) if meant in ("title", "date", "department") else ())
    loaded = site.load()
    problem = one(loaded, "field-name-chinese")
    assert problem.field == name
    assert problem.line == (len([k for k in ("title", "date", "department", "review") if k != meant]) + 2)
    assert f"请改为 {meant}" in problem.message_zh
    assert "unknown-field" not in codes(loaded)


# Values wrapped in Chinese quotes


@pytest.mark.parametrize(
    ("field", "value", "fixed"),
    [
        ("department", "“dyxcb”", "dyxcb"),
        ("source_url", "“https://www.example.org/a.html”", "https://www.example.org/a.html"),
        ("date", "“2020-07-20”", "2020-07-20"),
    ],
)
def test_an_id_address_or_date_in_chinese_quotes(site, field, value, fixed):
    site.article("a", **{field: value})
    loaded = site.load()
    problem = one(loaded, "value-in-chinese-quotes")
    assert problem.field == field
    assert fixed in problem.message_zh
    assert [p.code for p in loaded.problems.items] == ["value-in-chinese-quotes"]  # read as meant otherwise


# Dates as people type them


@pytest.mark.parametrize(
    ("value", "meant"),
    [
        ("2020/7/20", "2020-07-20"),
        ("2020.07.20", "2020-07-20"),
        ("2020年7月20日", "2020-07-20"),
        ("2020-07-20 09：30", "2020-07-20 09:30"),
        ("2020年7月20日 下午3点", "2020-07-20 15:00"),
        ("２０２０－０７－２０", "2020-07-20"),
    ],
)
def test_a_date_in_another_format_gets_the_right_one(site, value, meant):
    site.article("a", date=value)
    problem = one(site.load(), "date-format")
    assert (problem.line, problem.field) == (3, "date")
    assert f"请改为 {meant}" in problem.message_zh and f"Write {meant}" in problem.message_en
    assert_well_formed(problem, A)


def test_a_time_without_its_date(site):
    site.article("a", date="9:30")
    problem = one(site.load(), "bad-date")
    assert "“9:30”" in problem.message_zh
