"""Attachments (PDF, DOCX, …) an item offers: published without their document metadata (author, company, history)."""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import zipfile
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from pypdf.errors import PdfReadError

log = logging.getLogger(__name__)

# A fixed date for the properties a format insists on, so that the published file is the same on every build.
NEUTRAL_DATE = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
TYPE_NAMES = {
    ".pdf": "PDF",
    ".docx": "Word",
    ".doc": "Word",
    ".xlsx": "Excel",
    ".xls": "Excel",
    ".wps": "WPS",
    ".ofd": "OFD",
    ".zip": "ZIP",
    ".txt": "文本",
}


class AttachmentError(ValueError):
    """A file that cannot be cleaned; the build stops rather than publish someone's metadata."""


def _clean_pdf(source: Path, tmp: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(source)
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None  # drops the document information dictionary (Author, Creator, Producer …)
    root = writer._root_object
    for key in ("/Metadata", "/PieceInfo"):  # XMP packet and application private data
        if key in root:
            del root[key]
    for page in writer.pages:
        for key in ("/PieceInfo", "/Metadata"):
            if key in page:
                del page[key]
    writer._ID = None
    with tmp.open("wb") as handle:
        writer.write(handle)


def _clean_docx(source: Path, tmp: Path) -> None:
    from docx import Document

    document = Document(str(source))
    props = document.core_properties
    for name in (
        "author",
        "last_modified_by",
        "comments",
        "keywords",
        "category",
        "subject",
        "title",
        "content_status",
        "identifier",
        "language",
        "version",
    ):
        setattr(props, name, "")
    props.revision = 1
    props.created = props.modified = NEUTRAL_DATE.replace(tzinfo=None)
    props.last_printed = NEUTRAL_DATE.replace(tzinfo=None)
    document.save(str(tmp))
    _drop_app_properties(tmp)


def _drop_app_properties(path: Path) -> None:
    """docProps/app.xml carries Company and Manager, which python-docx does not model: rewrite it neutral."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    neutral = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            if info.filename == "docProps/app.xml":
                data = neutral
            info.date_time = (2000, 1, 1, 0, 0, 0)  # zip entry times would change the bytes on every build
            archive.writestr(info, data)


def publish_attachment(source: Path, target: Path) -> None:
    """Write `target` from `source` atomically, PDF and DOCX cleaned of their metadata; others copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
    suffix = source.suffix.lower()
    try:
        if suffix == ".pdf":
            _clean_pdf(source, tmp)
        elif suffix == ".docx":
            _clean_docx(source, tmp)
        else:
            shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError, PdfReadError) as error:
        raise AttachmentError(f"{source}: {error}") from error
    finally:
        tmp.unlink(missing_ok=True)


def describe(path: Path) -> tuple[str, str]:
    """(type, size) as an attachment list shows them: ('PDF', '125 KB')."""
    size = path.stat().st_size
    kind = TYPE_NAMES.get(path.suffix.lower(), path.suffix.lstrip(".").upper())
    if size < 1024 * 1024:
        return kind, f"{max(1, round(size / 1024))} KB"
    return kind, f"{size / 1024 / 1024:.1f} MB"
