"""Word 97–2003, Excel 97–2003 and WPS files (OLE compound files): refused with macros, summary properties blanked.

Their author, company, title and dates live in two property-set streams, which are overwritten in place with an
empty property set of the same size. Other traces (a Word file's list of who saved it where) are inside the
binary document itself and stay: the checker says so, and suggests saving as .docx or PDF.
"""

from __future__ import annotations

import shutil
import struct
import uuid
from pathlib import Path

import olefile

from .documents_base import Finding, Refused

# Storages and streams that hold code or other programs' objects, anywhere in the file.
MACRO_PARTS = {"macros", "_vba_project_cur", "vba", "_vba_project"}
PACKAGE_STREAM = "\x01ole10native"  # a packaged file (an .exe, a script) shown as an icon
ENCRYPTED_STREAMS = {"encryptedpackage", "encryptioninfo"}  # a password-protected .docx or .xlsx
PROPERTY_SETS = {
    "\x05SummaryInformation": uuid.UUID("f29f85e0-4ff9-1068-ab91-08002b27b3d9"),
    "\x05DocumentSummaryInformation": uuid.UUID("d5cdd502-2e9c-101b-9397-08002b2cf9ae"),
}
WORD_ENCRYPTED = 0x0100  # FIB base flags: fEncrypted
BIFF_FILEPASS = 0x002F  # the record that says a workbook is encrypted


def _empty_property_set(format_id: uuid.UUID, size: int) -> bytes:
    """A valid property set with one empty section, padded with zeros to `size` (a stream keeps its size)."""
    header = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, b"\0" * 16, 1) + format_id.bytes_le + struct.pack("<I", 48)
    section = struct.pack("<II", 8, 0)
    data = header + section
    return data.ljust(size, b"\0") if size >= len(data) else b"\0" * size


def _encrypted(ole: olefile.OleFileIO, names: set[str]) -> bool:
    if names & ENCRYPTED_STREAMS:
        return True
    if ole.exists("WordDocument"):
        fib = ole.openstream("WordDocument").read(12)
        return len(fib) >= 12 and bool(struct.unpack_from("<H", fib, 10)[0] & WORD_ENCRYPTED)
    for book in ("Workbook", "Book"):
        if ole.exists(book):
            stream = ole.openstream(book).read(64 * 1024)  # FILEPASS follows the first BOF record
            offset = 0
            while offset + 4 <= len(stream):
                kind, length = struct.unpack_from("<HH", stream, offset)
                if kind == BIFF_FILEPASS:
                    return True
                if kind == 0x000A:  # EOF of the workbook globals
                    break
                offset += 4 + length
    return False


def clean_ole(source: Path, target: Path) -> list[Finding]:
    """Copy an old Office or WPS file to `target` with blank summary properties. Raises Refused."""
    if not olefile.isOleFile(str(source)):
        raise Refused(
            "attachment-unreadable",
            Finding(
                "不是真正的 Office 97–2003 或 WPS 文件（可能是改了扩展名）", "not a real Office 97–2003 or WPS file"
            ),
        )
    try:
        with olefile.OleFileIO(str(source)) as ole:
            paths = [[part.lower() for part in entry] for entry in ole.listdir(streams=True, storages=True)]
            names = {part for path in paths for part in path}
            if names & MACRO_PARTS:
                raise Refused("attachment-code", Finding("宏（VBA）", "macros (VBA)"))
            if PACKAGE_STREAM in names:
                raise Refused("attachment-code", Finding("嵌入的程序对象（OLE）", "embedded program objects (OLE)"))
            if _encrypted(ole, names):
                raise Refused("attachment-encrypted", Finding("文件设有密码", "the file has a password"))
        shutil.copyfile(source, target)
        with olefile.OleFileIO(str(target), write_mode=True) as ole:
            # every property set, an embedded object's own included
            for path in ole.listdir(streams=True, storages=False):
                format_id = PROPERTY_SETS.get(path[-1])
                if format_id is not None:
                    ole.write_stream(path, _empty_property_set(format_id, ole.get_size(path)))
    except Refused:
        raise
    except (OSError, ValueError, struct.error, IndexError) as error:
        raise Refused("attachment-unreadable", Finding("文件已损坏", str(error) or type(error).__name__)) from None
    return []
