"""The content records: an unchanged file is not read again, and every change that matters makes it read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import content_model.site as site_module
from content_model.records import FILE_NAME
from content_model.times import parse_time

from .conftest import NOW, SiteBuilder, codes, jpeg_bytes

LEXICON = "- {wrong: 攻府, right: 政府, note: 错别字}\n- {wrong: 布署, right: 部署, note: 错别字}\n"


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The site-relative paths of the files parsed, in order."""
    parsed: list[str] = []
    real = site_module.parse_file

    def counting(path: Path, rel: str, problems):
        parsed.append(rel)
        return real(path, rel, problems)

    monkeypatch.setattr(site_module, "parse_file", counting)
    return parsed


def summary(site) -> list[tuple]:
    items = sorted((i.kind, i.id, i.url, i.state, repr(i.values)) for t in site.items.values() for i in t.values())
    return [sorted((p.file, p.line, p.code, p.message_en) for p in site.problems.items), items]


def test_an_unchanged_site_is_not_read_again_and_finds_the_same(site: SiteBuilder, reads: list[str]) -> None:
    site.write("content/data/lexicon.yml", LEXICON)
    site.article("a", body="攻府部门布署工作。\n")  # two lexicon errors, found from the record the second time
    site.article("b", cover="missing.jpg", cover_alt="封面")
    site.page("about")
    site.column("zuimei")
    first = site.load()
    assert len(reads) == 4 and (site.root / ".cache" / FILE_NAME).is_file()
    reads.clear()
    second = site.load()
    assert reads == []
    assert summary(second) == summary(first)
    assert codes(second, "error").count("lexicon") == 2 and "file-missing" in codes(second)


def test_an_edited_file_is_read_again_and_only_it(site: SiteBuilder, reads: list[str]) -> None:
    site.write("content/data/lexicon.yml", LEXICON)
    site.article("a")
    site.article("b")
    site.load()
    reads.clear()
    site.article("b", body="攻府。\n")
    second = site.load()
    assert reads == ["content/articles/b.md"]
    assert [p.file for p in second.problems.items if p.code == "lexicon"] == ["content/articles/b.md"]


def test_a_named_file_that_changes_or_appears_makes_the_item_read_again(site: SiteBuilder, reads: list[str]) -> None:
    site.article("a", cover="cover.jpg", cover_alt="封面")
    assert "file-missing" in codes(site.load())
    reads.clear()
    image = site.write("content/articles/cover.jpg", jpeg_bytes())
    assert codes(site.load()) == [] and reads == ["content/articles/a.md"]
    reads.clear()
    data = jpeg_bytes()
    image.write_bytes(data[: len(data) // 2])  # the same name, now a damaged file
    assert "image-unreadable" in codes(site.load()) and reads == ["content/articles/a.md"]


def test_a_gallery_is_read_again_when_its_folder_changes(site: SiteBuilder, reads: list[str]) -> None:
    site.write("content/galleries/g/1.jpg", jpeg_bytes())
    site.gallery("g", photos="[{file: 1.jpg, alt: 第一张}]")
    assert "gallery-photo-unlisted" not in codes(site.load())
    site.write("content/galleries/g/2.jpg", jpeg_bytes())
    assert "gallery-photo-unlisted" in codes(site.load())


def test_state_follows_the_time_of_each_run(site: SiteBuilder) -> None:
    site.article("a", date="2020-08-01 09:00")
    assert site.load(now=NOW).articles["a"].state == "embargoed"
    assert site.load(now=parse_time("2020-08-02 00:00")).articles["a"].state == "published"


def test_a_new_word_list_is_applied_to_unchanged_files(site: SiteBuilder, reads: list[str]) -> None:
    site.article("a", body="这是一个新词。\n")
    assert "lexicon" not in codes(site.load())
    reads.clear()
    site.write("content/data/lexicon.yml", "- {wrong: 新词, right: 旧词, note: 测试}\n")
    assert "lexicon" in codes(site.load()) and reads == []


def test_other_options_and_removed_files(site: SiteBuilder, reads: list[str]) -> None:
    site.article("a", drop=("review",))
    site.article("b")
    assert "review-missing" in codes(site.load(strict=True))
    assert "review-missing" not in codes(site.load(strict=False))  # preview rules: records of their own
    reads.clear()
    assert "review-missing" in codes(site.load(strict=True)) and reads == []  # both kept: make html, make publish
    os.remove(site.content / "articles/b.md")
    reads.clear()
    later = site.load(strict=False)
    assert reads == [] and set(later.articles) == {"a"}


def test_a_cache_that_cannot_be_used_is_only_slower(site: SiteBuilder, reads: list[str]) -> None:
    site.article("a")
    (site.root / ".cache").mkdir()
    (site.root / ".cache" / FILE_NAME).write_bytes(b"not a database")
    assert site.load().articles["a"].state == "published" and reads == ["content/articles/a.md"]
