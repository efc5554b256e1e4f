"""Attachments are published without their document metadata, with their content intact, the same on every build."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from assets.attachments import AttachmentError, describe, publish_attachment


def _pdf(path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Author": "张三", "/Company": "某某办公室", "/Creator": "WPS 文字", "/Title": "内部稿"})
    with path.open("wb") as handle:
        writer.write(handle)


def _docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于报送宣传信息的通知正文")
    props = document.core_properties
    props.author = "张三"
    props.last_modified_by = "李四"
    props.comments = "内部意见：待修改"
    document.save(str(path))
    with zipfile.ZipFile(path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["docProps/app.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/extended-properties"><Company>\xe6\x9f\x90\xe6\x9f\x90\xe5\x8a\x9e</Company>'
        b"<Manager>Boss</Manager></Properties>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def test_pdf_loses_its_information_dictionary_and_keeps_its_pages(tmp_path: Path) -> None:
    source, target = tmp_path / "a.pdf", tmp_path / "out/a.pdf"
    _pdf(source)
    assert PdfReader(source).metadata["/Author"] == "张三"
    publish_attachment(source, target)
    reader = PdfReader(target)
    assert not reader.metadata
    assert "/Metadata" not in reader.trailer["/Root"]
    assert len(reader.pages) == 1
    assert "张三".encode("utf-16-be") not in target.read_bytes() and "张三".encode() not in target.read_bytes()


def test_docx_loses_author_editor_comments_and_company(tmp_path: Path) -> None:
    source, target = tmp_path / "a.docx", tmp_path / "out/a.docx"
    _docx(source)
    publish_attachment(source, target)
    document = docx.Document(str(target))
    props = document.core_properties
    assert (props.author, props.last_modified_by, props.comments) == ("", "", "")
    assert document.paragraphs[0].text == "关于报送宣传信息的通知正文"
    with zipfile.ZipFile(target) as archive:
        app = archive.read("docProps/app.xml")
    assert b"Company" not in app and b"Boss" not in app


def test_publishing_twice_gives_the_same_bytes(tmp_path: Path) -> None:
    for name, make in (("a.pdf", _pdf), ("a.docx", _docx)):
        source = tmp_path / name
        make(source)
        publish_attachment(source, tmp_path / "one" / name)
        publish_attachment(source, tmp_path / "two" / name)
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_a_damaged_document_is_an_error_and_leaves_no_file(tmp_path: Path) -> None:
    source, target = tmp_path / "bad.docx", tmp_path / "out/bad.docx"
    source.write_bytes(b"not a zip at all")
    with pytest.raises(AttachmentError):
        publish_attachment(source, target)
    assert not target.exists() and not list((tmp_path / "out").glob("*.part"))


def test_other_types_are_copied_and_described(tmp_path: Path) -> None:
    source, target = tmp_path / "list.txt", tmp_path / "out/list.txt"
    source.write_bytes("名单\n".encode() * 1000)
    publish_attachment(source, target)
    assert target.read_bytes() == source.read_bytes()
    assert describe(target) == ("文本", "7 KB")
