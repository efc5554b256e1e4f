"""What a cached file was when the pipeline wrote it: its digest, size and time, to check it against later."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import NamedTuple


class Written(NamedTuple):
    """A file as it was written: SHA-256 of its bytes, and the size and modification time it had then."""

    digest: str
    size: int
    mtime_ns: int


def file_digest(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def record(path: Path) -> Written:
    """The record of a file just written."""
    status = os.stat(path)
    return Written(file_digest(path), status.st_size, status.st_mtime_ns)


def unchanged_since(path: Path, written: Written) -> bool:
    """Whether the file still has the size and time it was written with: any write since changes the time."""
    try:
        status = os.stat(path)
    except OSError:
        return False
    return (status.st_size, status.st_mtime_ns) == (written.size, written.mtime_ns)


def same_bytes(path: Path, written: Written) -> bool:
    """Whether the file still holds the bytes it was written with (read and hashed)."""
    try:
        return os.stat(path).st_size == written.size and file_digest(path) == written.digest
    except OSError:
        return False
