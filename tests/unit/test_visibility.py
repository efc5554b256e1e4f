"""Visibility: one rule for every kind of item, in a publish and a preview build, and the checker's warning."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from content_model.times import parse_time
from content_model.visibility import PREVIEW, PUBLISH, state_of
from tests.unit.conftest import NOW, SiteBuilder, assert_well_formed, find, one

PAST = parse_time("2020-07-20 09:30")
FUTURE = parse_time("2020-07-26 09:00")


@pytest.mark.parametrize(
    ("values", "state"),
    [
        ({"date": PAST}, "published"),
        ({"date": PAST, "status": "published"}, "published"),
        ({"date": PAST, "status": "draft"}, "draft"),
        ({"date": PAST, "status": "hidden"}, "hidden"),
        ({"date": PAST, "status": "withdrawn"}, "withdrawn"),
        ({"date": FUTURE}, "embargoed"),
        ({"date": FUTURE, "status": "hidden"}, "embargoed"),
        ({"date": FUTURE, "status": "draft"}, "draft"),
        # even a withdrawal notice waits for the item's own time
        ({"date": FUTURE, "status": "withdrawn"}, "embargoed"),
        ({"date": NOW}, "published"),  # due at exactly now
        ({"date": NOW + datetime.timedelta(minutes=1)}, "embargoed"),
    ],
)
def test_an_articles_state(values, state):
    assert state_of("article", values, NOW) == state


@pytest.mark.parametrize(
    ("kind", "values", "state"),
    [
        ("gallery", {"date": FUTURE}, "embargoed"),
        ("gallery", {"date": PAST, "status": "draft"}, "draft"),
        ("gallery", {"date": PAST}, "published"),
        # a column or a topic launches on its start day
        ("column", {"start": FUTURE}, "embargoed"),
        ("topic", {"start": FUTURE}, "embargoed"),
        ("topic", {"start": PAST, "status": "hidden"}, "hidden"),
        ("column", {}, "published"),
        # a person and a page have no time of their own: their `date`, were there one, means nothing
        ("person", {"status": "draft"}, "draft"),
        ("person", {"date": FUTURE}, "published"),
        ("page", {"status": "hidden"}, "hidden"),
        ("page", {"date": FUTURE}, "published"),
    ],
)
def test_every_kind_has_a_state(kind, values, state):
    assert state_of(kind, values, NOW) == state


def test_without_a_now_the_state_is_the_status():
    assert state_of("article", {"date": FUTURE}, None) == "published"
    assert state_of("column", {"start": FUTURE, "status": "draft"}, None) == "draft"


def _item(state: str) -> SimpleNamespace:
    return SimpleNamespace(kind="gallery", state=state)


# state → has a page, is listed, shows its body, its files are published, leaves the site, is counted
PUBLISH_RULES = {
    "published": (True, True, True, True, True, True),
    "hidden": (True, False, True, True, False, False),
    "withdrawn": (True, False, False, False, False, False),
    "draft": (False, False, False, False, False, False),
    "embargoed": (False, False, False, False, False, False),
}
PREVIEW_RULES = {**PUBLISH_RULES, "draft": (True, True, True, True, False, False)}
PREVIEW_RULES["embargoed"] = PREVIEW_RULES["draft"]


@pytest.mark.parametrize(("visibility", "rules"), [(PUBLISH, PUBLISH_RULES), (PREVIEW, PREVIEW_RULES)])
def test_what_each_kind_of_build_shows_of_each_state(visibility, rules):
    for state, expected in rules.items():
        item = _item(state)
        found = (
            visibility.has_page(item),
            visibility.is_listed(item),
            visibility.shows_body(item),
            visibility.files_published(item),
            visibility.is_syndicated(item),
            visibility.is_counted(item),
        )
        assert found == expected, state


def test_a_preview_marks_what_a_publish_build_would_not_show():
    banners = [PREVIEW.banner(_item(s)) for s in ("draft", "embargoed", "published", "hidden")]
    assert banners == ["草稿", "定时发布", "", ""]
    assert PUBLISH.banner(_item("draft")) == ""
    assert [PREVIEW.noindex(_item(s)) for s in ("draft", "embargoed", "published", "hidden", "withdrawn")] == [
        True,
        True,
        False,
        True,
        True,
    ]


def test_the_loader_gives_every_kind_its_state(site: SiteBuilder):
    site.column("later", start="2020-08-01")
    site.topic("draft", status="draft")
    site.person("hidden", status="hidden")
    site.gallery("later")  # dated 2020-09-20
    site.page("about", status="draft")
    site.article("a")
    loaded = site.load()
    states = {kind: {i.id: i.state for i in items.values()} for kind, items in loaded.items.items()}
    assert states == {
        "article": {"a": "published"},
        "page": {"about": "draft"},
        "column": {"later": "embargoed"},
        "topic": {"draft": "draft"},
        "person": {"hidden": "hidden"},
        "gallery": {"later": "embargoed"},
    }
    assert loaded.visibility == PUBLISH and site.load(strict=False).visibility == PREVIEW


def test_a_published_item_naming_an_unpublished_one_is_warned(site: SiteBuilder):
    site.column("later", start="2020-08-01")
    site.person("li-ming", status="draft")
    site.gallery("kepu")  # dated 2020-09-20
    site.article("fabu", type="release", status="draft")
    site.article("a", columns="[later]", people="[li-ming]", gallery="kepu")
    site.article("b", type="interpretation", interprets="fabu")
    # A draft names what it likes: nothing of it is shown either.
    site.article("c", status="draft", columns="[later]", drop=("review",))
    loaded = site.load()
    found = {(p.file, p.field): p for p in find(loaded, "ref-not-published")}
    assert sorted(found) == [
        ("content/articles/a.md", "columns"),
        ("content/articles/a.md", "gallery"),
        ("content/articles/a.md", "people"),
        ("content/articles/b.md", "interprets"),
    ]
    for problem in found.values():
        assert_well_formed(problem)
        assert problem.level == "warning" and problem.line > 1
    column = found[("content/articles/a.md", "columns")]
    assert "2020-08-01 00:00" in column.message_zh and "scheduled for 2020-08-01 00:00" in column.message_en
    assert "专栏" in column.message_zh and "column" in column.message_en
    person = found[("content/articles/a.md", "people")]
    assert "草稿" in person.message_zh and "draft" in person.message_en


def test_an_unpublished_column_is_not_empty_or_stale(site: SiteBuilder):
    site.column("draft", status="draft")
    site.topic("later", start="2020-08-01")
    site.column("open")
    loaded = site.load()
    assert one(loaded, "empty-group").file == "content/columns/open.md"


def test_a_body_link_to_an_unpublished_item_is_warned_on_its_line(site: SiteBuilder):
    site.column("later", start="2020-08-01")
    site.article("draft", status="draft", drop=("review",))
    site.article("a", body="正文。\n\n见[专栏](/columns/later/)。\n\n另见[稿件](draft.md)和[关于](/about/)。\n")
    site.page("about")
    loaded = site.load()
    found = sorted((p.line, p.field, p.code) for p in find(loaded, "ref-not-published"))
    first = loaded.articles["a"].parsed.body_line
    assert found == [(first + 2, "body", "ref-not-published"), (first + 4, "body", "ref-not-published")]
