"""Zip-based documents (Word and Excel 2007+, OFD): read within limits, refused with macros, rewritten without metadata.

A zip is read as a hostile archive first: a bounded number of entries and of expanded bytes (zip bombs), names
that stay inside the package (zip slip), no duplicate names (two readers could pick different ones), no encrypted
entries. The cleaned file is written entry by entry with fixed times and no comments, so it is the same on every
build.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO

from .documents_base import Finding, Refused

MAX_ENTRIES = 5000
MAX_EXPANDED = 256 * 1024 * 1024  # an office document expanding past this is a bomb, or not a document
MAX_NESTING = 2  # a workbook embedded in a document is cleaned too; deeper nesting is refused
FIXED_TIME = (2000, 1, 1, 0, 0, 0)

CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
NEUTRAL = {
    CORE: b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas'
    b'.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>',
    EXTENDED: b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/extended-properties"/>',
    CUSTOM: b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.'
    b'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/docPropsVTypes"/>',
}
DEFAULT_PARTS = {CORE: "docProps/core.xml", EXTENDED: "docProps/app.xml", CUSTOM: "docProps/custom.xml"}

MACROS = Finding("宏（VBA）", "macros (VBA)")
ACTIVEX = Finding("ActiveX 控件", "ActiveX controls")
OLE_OBJECTS = Finding("嵌入的程序对象（OLE）", "embedded program objects (OLE)")
OUTSIDE = Finding("打开时从外部加载的内容", "content loaded from outside when the file is opened")
DDE = Finding("DDE 域代码（可运行其他程序）", "DDE fields (which can run programs)")
OFD_ATTACHMENTS = Finding("OFD 文档中的附件", "files attached inside the OFD document")
NESTED = Finding("多层嵌套的文档", "documents nested too deep")

# Parts and content types that carry code: refused rather than stripped, since the document may depend on them.
_MACRO_NAMES = re.compile(r"(?i)(^|/)(vbaProject\.bin|vbaData\.xml|vbaProjectSignature[^/]*)$|(^|/)xl/macrosheets/")
_ACTIVEX_NAMES = re.compile(r"(?i)(^|/)activeX/")
_OLE_NAMES = re.compile(r"(?i)(^|/)embeddings/[^/]*\.bin$")
_MACRO_TYPES = re.compile(r"(?i)ContentType=\"[^\"]*(macroEnabled|vbaProject|vbaData|ms-excel\.intl-macrosheet)")
_ACTIVEX_TYPES = re.compile(r"(?i)ContentType=\"[^\"]*activeX")
_OLE_TYPES = re.compile(r"(?i)ContentType=\"[^\"]*oleObject")
_RELATIONSHIP = re.compile(r"<Relationship\b[^>]*?/>|<Relationship\b[^>]*?>.*?</Relationship>", re.DOTALL)
_ATTRIBUTE = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"|([\w:]+)\s*=\s*\'([^\']*)\'')
_FIELD_CODE = re.compile(r"<w:instrText\b[^>]*>([^<]*)</w:instrText>|\bw:instr=\"([^\"]*)\"")
_DDE = re.compile(r"(?i)\bDDE(AUTO)?\b")
_DDE_FORMULA = re.compile(r"<f\b[^>]*>[^<]*\|[^<]*![^<]*</f>")  # =cmd|' /C calc'!A0
_ABSOLUTE_PATH = re.compile(r"<x15ac:absPath\b[^>]*/>")  # the folder an Excel file was saved in: a user name
_ATTACHED_TEMPLATE = re.compile(r"<w:attachedTemplate\b[^>]*/>")
_DOC_INFO = re.compile(r"<(?P<prefix>\w+:)?DocInfo\b[^>]*>(?P<body>.*?)</(?P=prefix)DocInfo>", re.DOTALL)
_DOC_INFO_KEEP = re.compile(r"<(?P<prefix>\w+:)?DocID\b[^>]*>[^<]*</(?P=prefix)DocID>")

EXTERNAL_KEPT = ("/hyperlink",)  # links the reader clicks; every other outside target is loaded by the program
TEMPLATE = "/attachedTemplate"  # the template a document was made from: a path with a user name, or a remote URL


def unreadable(en: str, zh: str) -> Refused:
    return Refused("attachment-unreadable", Finding(zh, en))


def _safe_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in PurePosixPath(name).parts


def read_archive(source: Path | zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Every entry of a zip, within the limits; raises Refused for a bomb, an escaping name or an encrypted entry."""
    try:
        archive = source if isinstance(source, zipfile.ZipFile) else zipfile.ZipFile(source)
        with archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise unreadable(f"more than {MAX_ENTRIES} entries", f"超过 {MAX_ENTRIES} 个条目")
            seen: set[str] = set()
            for info in infos:
                if not _safe_name(info.filename):
                    raise unreadable(f"an entry named {info.filename!r}", f"条目名称“{info.filename}”不安全")
                if info.filename.lower() in seen:
                    raise unreadable(f"the entry {info.filename!r} twice", f"条目“{info.filename}”重复")
                seen.add(info.filename.lower())
                if info.flag_bits & 0x1:
                    raise Refused("attachment-encrypted", Finding("文件设有密码", "the file has a password"))
            entries, left = [], MAX_EXPANDED
            for info in infos:
                with archive.open(info) as handle:
                    data = handle.read(left + 1)  # never trust the sizes the archive declares
                left -= len(data)
                if left < 0:
                    raise unreadable(
                        f"it expands past {MAX_EXPANDED // 2**20} MB", f"解压后超过 {MAX_EXPANDED // 2**20} MB"
                    )
                entries.append((info, data))
            return entries
    except zipfile.BadZipFile as error:
        raise unreadable(str(error), "不是有效的压缩文件格式") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError) as error:
        raise unreadable(str(error) or type(error).__name__, "无法解压") from None


def write_archive(target: Path | IO[bytes], entries: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)  # fresh: no comment, extra field or owner carries over
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)


def _attributes(tag: str) -> dict[str, str]:
    return {m.group(1) or m.group(3): m.group(2) if m.group(1) else m.group(4) for m in _ATTRIBUTE.finditer(tag)}


def _refuse_code(names: list[str], content_types: str) -> None:
    for pattern, type_pattern, finding in (
        (_MACRO_NAMES, _MACRO_TYPES, MACROS),
        (_ACTIVEX_NAMES, _ACTIVEX_TYPES, ACTIVEX),
        (_OLE_NAMES, _OLE_TYPES, OLE_OBJECTS),
    ):
        if any(pattern.search(name) for name in names) or type_pattern.search(content_types):
            raise Refused("attachment-code", finding)


def _relationships(text: str, parts: dict[str, bytes], rels_name: str) -> str:
    """A .rels part without the attached template; refused for any other target loaded from outside."""
    kept = []
    position = 0
    for match in _RELATIONSHIP.finditer(text):
        attributes = _attributes(match.group(0).split(">", 1)[0])
        if attributes.get("TargetMode", "").lower() == "external":
            kind = attributes.get("Type", "")
            if kind.endswith(TEMPLATE):
                kept.append(text[position : match.start()])
                position = match.end()
                owner = _owner_of(rels_name)
                if owner in parts:
                    parts[owner] = _ATTACHED_TEMPLATE.sub("", parts[owner].decode("utf-8")).encode("utf-8")
                continue
            if not kind.endswith(EXTERNAL_KEPT):
                raise Refused("attachment-code", OUTSIDE)
    kept.append(text[position:])
    return "".join(kept)


def _owner_of(rels_name: str) -> str:
    """word/_rels/settings.xml.rels → word/settings.xml"""
    folder, _, name = rels_name.rpartition("_rels/")
    return folder + name.removesuffix(".rels")


def _property_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Where the package keeps its core, extended and custom properties, by relationship type."""
    found = {kind: name for kind, name in DEFAULT_PARTS.items() if name in parts}
    package_rels = parts.get("_rels/.rels", b"").decode("utf-8", "replace")
    for match in _RELATIONSHIP.finditer(package_rels):
        attributes = _attributes(match.group(0).split(">", 1)[0])
        kind, target = attributes.get("Type", ""), attributes.get("Target", "").lstrip("/")
        if kind in NEUTRAL and target in parts:
            found[kind] = target
    return found


def _field_codes(parts: dict[str, bytes]) -> None:
    """Field codes and formulas that start another program (DDE), even when a code is split across runs."""
    for name, data in parts.items():
        if name.startswith("word/") and name.endswith(".xml") and b"instr" in data:
            found = _FIELD_CODE.findall(data.decode("utf-8", "replace"))
            codes = "".join(text for text, _ in found) + " " + " ".join(simple for _, simple in found)
            if _DDE.search(codes):
                raise Refused("attachment-code", DDE)
        elif _workbook_dde(name, data):
            raise Refused("attachment-code", DDE)


def _workbook_dde(name: str, data: bytes) -> bool:
    if name.startswith("xl/externalLinks/"):
        return b"<ddeLink" in data or b"<oleLink" in data
    return name.startswith("xl/worksheets/") and bool(_DDE_FORMULA.search(data.decode("utf-8", "replace")))


def clean_ooxml_parts(parts: dict[str, bytes], depth: int = 0) -> dict[str, bytes]:
    """A Word or Excel package's parts with neutral properties; raises Refused for code or outside content."""
    if "[Content_Types].xml" not in parts:
        raise unreadable("not an Office document ([Content_Types].xml is missing)", "不是 Office 文档")
    content_types = parts["[Content_Types].xml"].decode("utf-8", "replace")
    _refuse_code(list(parts), content_types)
    _field_codes(parts)
    for name in [n for n in parts if n.endswith(".rels")]:
        parts[name] = _relationships(parts[name].decode("utf-8", "replace"), parts, name).encode("utf-8")
    for kind, name in _property_parts(parts).items():
        parts[name] = NEUTRAL[kind]
    for name, data in list(parts.items()):
        if name.endswith(".xml") and b"absPath" in data:
            parts[name] = _ABSOLUTE_PATH.sub("", data.decode("utf-8")).encode("utf-8")
        elif re.search(r"(?i)embeddings/[^/]*\.(docx|xlsx|pptx)$", name):
            # a workbook behind a chart carries its own properties: cleaned the same way, once more at most
            if depth >= MAX_NESTING:
                raise Refused("attachment-code", NESTED)
            parts[name] = _package_bytes(clean_ooxml_parts(_parts_of(data), depth + 1))
    return parts


def _parts_of(data: bytes) -> dict[str, bytes]:
    return {info.filename: content for info, content in read_archive(zipfile.ZipFile(io.BytesIO(data)))}


def _package_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    write_archive(buffer, list(parts.items()))
    return buffer.getvalue()


def clean_ooxml(source: Path, target: Path) -> list[Finding]:
    """Write a Word or Excel 2007+ file without its document properties."""
    entries = read_archive(source)
    parts = clean_ooxml_parts({info.filename: data for info, data in entries})
    write_archive(target, list(parts.items()))
    return []


def clean_ofd(source: Path, target: Path) -> list[Finding]:
    """Write an OFD file without its document information (author, creator, dates, keywords …)."""
    entries = read_archive(source)
    parts = {info.filename: data for info, data in entries}
    if "OFD.xml" not in parts:
        raise unreadable("not an OFD document (OFD.xml is missing)", "不是 OFD 文档")
    if any(re.search(r"(?i)(^|/)(Attachs?|Attachments)(/|\.xml$)", name) for name in parts):
        raise Refused("attachment-code", OFD_ATTACHMENTS)
    text = parts["OFD.xml"].decode("utf-8", "replace")

    def neutral(match: re.Match[str]) -> str:
        kept = "".join(m.group(0) for m in _DOC_INFO_KEEP.finditer(match.group("body")))
        prefix = match.group("prefix") or ""
        return f"<{prefix}DocInfo>{kept}</{prefix}DocInfo>"

    parts["OFD.xml"] = _DOC_INFO.sub(neutral, text).encode("utf-8")
    write_archive(target, list(parts.items()))
    return []
