"""Every file under content/ is read, used, or named: other Markdown names, links, unused files, and leftovers."""

from __future__ import annotations

import os

import pytest

from content_model.fix import main as fix_main

from .conftest import article_text, assert_well_formed, codes, find, jpeg_bytes, one, pdf_bytes


@pytest.mark.parametrize("name", ["b.markdown", "b.mkd", "b.mdown", "b.MD", "b.Markdown"])
def test_markdown_not_named_md_is_an_error_that_says_rename_it(site, name):
    site.article("news/a")
    site.write(f"content/articles/news/{name}", article_text(title="乙"))
    loaded = site.load()
    problem = one(loaded, "markdown-suffix")
    assert_well_formed(problem, f"content/articles/news/{name}")
    assert problem.level == "error"
    assert "b.md" in problem.message_zh and "Rename it to b.md" in problem.message_en
    assert len(loaded.articles) == 1


def test_a_linked_folder_is_refused_and_not_read(site, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "c.md").write_text(article_text(title="链接里的稿件"), encoding="utf-8")
    site.article("news/a")
    os.symlink(outside, site.content / "articles/linked")
    loaded = site.load()
    problem = one(loaded, "symlink")
    assert_well_formed(problem, "content/articles/linked")
    assert problem.level == "error"
    assert str(outside) in problem.message_en
    assert [item.rel for item in loaded.articles.values()] == ["content/articles/news/a.md"]


def test_a_linked_markdown_file_outside_the_repository_is_refused(site, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(article_text(title="仓库之外的文件"), encoding="utf-8")
    site.article("news/a")
    os.symlink(secret, site.content / "articles/evil.md")
    loaded = site.load()
    assert_well_formed(one(loaded, "symlink"), "content/articles/evil.md")
    assert [item.rel for item in loaded.articles.values()] == ["content/articles/news/a.md"]
    assert loaded.item_for(secret) is None


def test_a_linked_image_or_attachment_outside_content_is_refused(site, tmp_path):
    site.article("news/b")
    (tmp_path / "photo.jpg").write_bytes(jpeg_bytes())
    (tmp_path / "file.pdf").write_bytes(pdf_bytes())
    site.write(
        "content/articles/news/a/index.md",
        article_text(cover="photo.jpg", cover_alt="图", attachments="[{file: file.pdf, title: 附件}]"),
    )
    os.symlink(tmp_path / "photo.jpg", site.content / "articles/news/a/photo.jpg")
    os.symlink(tmp_path / "file.pdf", site.content / "articles/news/a/file.pdf")
    loaded = site.load()
    links = {p.file for p in find(loaded, "symlink")}
    assert links == {"content/articles/news/a/photo.jpg", "content/articles/news/a/file.pdf"}
    outside = {p.field for p in find(loaded, "path-outside-content")}
    assert outside == {"cover", "attachments[0].file"}


def test_an_unused_file_beside_an_item_is_a_warning_naming_it(site):
    site.write("content/articles/news/a/index.md", article_text())
    site.write("content/articles/news/a/draft-notes.docx", b"PK")
    site.write("content/articles/stray.txt", "x")
    loaded = site.load()
    found = {p.file: p for p in find(loaded, "file-unused")}
    assert set(found) == {"content/articles/news/a/draft-notes.docx", "content/articles/stray.txt"}
    for problem in found.values():
        assert problem.level == "warning"
        assert_well_formed(problem)
    assert "draft-notes.docx" in found["content/articles/news/a/draft-notes.docx"].message_zh
    assert "will not be published" in found["content/articles/stray.txt"].message_en


def test_files_an_item_uses_the_model_reads_or_the_site_shares_are_not_reported(site):
    body = "正文。\n\n![图一](inline.jpg)\n\n见[全文](full.pdf)。\n"
    site.write(
        "content/articles/news/a/index.md",
        article_text(body, cover="cover.jpg", cover_alt="封面", attachments="[{file: notice.pdf, title: 通知}]"),
    )
    for name in ("cover.jpg", "inline.jpg"):
        site.write(f"content/articles/news/a/{name}", jpeg_bytes())
    for name in ("notice.pdf", "full.pdf"):
        site.write(f"content/articles/news/a/{name}", pdf_bytes())
    site.gallery("trip")
    site.write("content/galleries/trip/01.jpg", jpeg_bytes())  # unlisted photos are still published
    site.write("content/images/banners/shared.jpg", jpeg_bytes())
    for name in ("lexicon.yml", "sensitive.yml", "reviewers.yml"):  # every file of data/ the model reads
        site.write(f"content/data/{name}", "[]\n")
    loaded = site.load()
    assert not find(loaded, "file-unused"), [p.file for p in find(loaded, "file-unused")]
    assert not find(loaded, "data-file-unknown")


def test_an_unknown_file_in_data_is_a_warning_listing_the_known_ones(site):
    site.write("content/data/section.yml", "[]\n")
    problem = one(site.load(), "data-file-unknown")
    assert_well_formed(problem, "content/data/section.yml")
    assert "sections.yml" in problem.message_en and "section.yml" in problem.message_zh


def test_leftovers_of_systems_and_editors_are_skipped_quietly(site):
    site.article("news/a")
    for name in (".DS_Store", "Thumbs.db", "desktop.ini", "._a.md", "a.md~", ".a.md.swp", "~$notice.docx"):
        site.write(f"content/articles/news/{name}", b"\x00junk")
    os.symlink("someone@host.1234", site.content / "articles/news/.#a.md")  # an editor's lock: a dangling link
    loaded = site.load()
    assert codes(loaded, "error") == []
    assert not find(loaded, "file-unused")
    assert len(loaded.articles) == 1


def test_the_build_ignores_what_the_model_skips():
    from pelican.settings import read_settings

    from content_model.tree import IGNORED_FILES
    from tests.sites import PROJECT

    for settings in ("pelicanconf.py", "publishconf.py"):
        assert read_settings(str(PROJECT / settings))["IGNORE_FILES"] == list(IGNORED_FILES)


def test_make_fix_never_writes_through_a_link(site, tmp_path):
    outside = tmp_path / "outside.md"
    original = article_text("中文English混排。\n")
    outside.write_text(original, encoding="utf-8")
    site.article("news/a", body="中文English混排。\n")
    os.symlink(outside, site.content / "articles/linked.md")
    assert fix_main(["--root", str(site.root)]) == 0
    assert outside.read_text(encoding="utf-8") == original
    assert "中文 English" in (site.content / "articles/news/a.md").read_text(encoding="utf-8")
    assert fix_main(["--root", str(site.root), "--files", "content/articles/linked.md"]) == 2
    assert outside.read_text(encoding="utf-8") == original
