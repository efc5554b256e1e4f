"""Attachments (PDF, Word, Excel, OFD, …) an item offers: published cleaned of active content and document metadata."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from content_model.documents import Refused, clean_document

log = logging.getLogger(__name__)

TYPE_NAMES = {
    ".pdf": "PDF",
    ".docx": "Word",
    ".doc": "Word",
    ".xlsx": "Excel",
    ".xls": "Excel",
    ".wps": "WPS",
    ".ofd": "OFD",
    ".txt": "文本",
}


class AttachmentError(ValueError):
    """A file that cannot be made safe; the build stops rather than publish someone's metadata or script."""


def publish_attachment(source: Path, target: Path) -> None:
    """Write `target` atomically from `source`, cleaned as the checker said it would be; the source is untouched."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        removed = clean_document(source, tmp)
        os.replace(tmp, target)
    except Refused as refused:
        raise AttachmentError(f"{source}: {refused}") from refused
    except OSError as error:
        raise AttachmentError(f"{source}: {error}") from error
    finally:
        tmp.unlink(missing_ok=True)
    if removed:
        log.info("%s: removed %s", source.name, ", ".join(finding.en for finding in removed))


def describe(path: Path) -> tuple[str, str]:
    """(type, size) as an attachment list shows them: ('PDF', '125 KB')."""
    size = path.stat().st_size
    kind = TYPE_NAMES.get(path.suffix.lower(), path.suffix.lstrip(".").upper())
    if size < 1024 * 1024:
        return kind, f"{max(1, round(size / 1024))} KB"
    return kind, f"{size / 1024 / 1024:.1f} MB"
