"""Attachments made safe to publish: active content and document metadata removed, or the file refused.

The checker and the build call the same function: the checker writes the cleaned copy to a scratch folder and
reports what was removed (a warning) or why the file is refused (an error); the build publishes the copy.
The file in content/ is never changed.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from .documents_base import Finding, Refused

__all__ = ["ARCHIVE_SUFFIXES", "Finding", "Refused", "clean_document", "inspect_document"]

# Archives are refused: what is inside one cannot be cleaned or checked file by file, and a reader cannot see it
# before opening it. Each file is listed as an attachment of its own instead.
ARCHIVE_SUFFIXES = (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")
ARCHIVE = Finding("压缩包", "an archive")
# The checker's codes for a refused file (Refused.code).
REFUSAL_CODES = (
    "attachment-unreadable",
    "attachment-encrypted",
    "attachment-code",
    "attachment-archive",
    "attachment-type",
)


def _copy_text(source: Path, target: Path) -> list[Finding]:
    shutil.copyfile(source, target)
    return []


# The cleaner of each accepted type, by module: each is imported when a file of its type is met.
CLEANERS: dict[str, tuple[str, str]] = {
    ".pdf": ("documents_pdf", "clean_pdf"),
    ".docx": ("documents_zip", "clean_ooxml"),
    ".xlsx": ("documents_zip", "clean_ooxml"),
    ".doc": ("documents_ole", "clean_ole"),
    ".xls": ("documents_ole", "clean_ole"),
    ".wps": ("documents_ole", "clean_ole"),
    ".ofd": ("documents_zip", "clean_ofd"),
    ".txt": ("documents", "_copy_text"),
}


def _cleaner(suffix: str) -> Callable[[Path, Path], list[Finding]]:
    module, function = CLEANERS[suffix]
    return getattr(import_module(f"{__package__}.{module}"), function)


def clean_document(source: Path, target: Path) -> list[Finding]:
    """Write the publishable copy of `source` to `target`; what was removed, as findings. Raises Refused."""
    suffix = source.suffix.lower()
    if suffix in ARCHIVE_SUFFIXES:
        raise Refused("attachment-archive", ARCHIVE)
    if suffix not in CLEANERS:
        raise Refused("attachment-type", Finding(f"{suffix or '无扩展名'} 类型", f"the type {suffix or '(none)'}"))
    try:
        return _cleaner(suffix)(source, target)
    except Refused:
        raise
    except RecursionError:
        raise Refused("attachment-unreadable", Finding("结构嵌套过深", "nested too deep")) from None
    except (OSError, zipfile.BadZipFile) as error:
        raise Refused("attachment-unreadable", Finding("无法读取", str(error) or type(error).__name__)) from None
    except Exception as error:  # a parser's failure on a hostile file means the same to a contributor
        raise Refused("attachment-unreadable", Finding("文件已损坏", str(error) or type(error).__name__)) from None


def inspect_document(source: Path) -> list[Finding]:
    """What publishing `source` would remove, without publishing it. Raises Refused."""
    with tempfile.TemporaryDirectory(prefix="attachment-") as folder:
        return clean_document(source, Path(folder) / f"copy{source.suffix.lower()}")
