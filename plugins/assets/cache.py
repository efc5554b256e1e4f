"""The derivative cache: keyed on the source's content and the encoding settings, never on file times."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import PIL

# Bump when the pipeline's output changes for the same source and settings.
PIPELINE_VERSION = 1


def content_digest(path: Path) -> str:
    """SHA-256 of the file's bytes: git checkouts reset modification times, content does not change."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class ImageCache:
    """Folders of encoded files, one per source content; a file's name spells the settings that made it."""

    def __init__(self, root: Path) -> None:
        # A new Pillow may encode different bytes: its version is part of the key.
        self.root = root / f"v{PIPELINE_VERSION}-pillow{PIL.__version__}"
        self._digests: dict[Path, str] = {}

    def folder(self, source: Path) -> Path:
        digest = self._digests.get(source)
        if digest is None:
            digest = self._digests[source] = content_digest(source)
        return self.root / digest[:2] / digest

    def has(self, source: Path, name: str) -> bool:
        return (self.folder(source) / name).is_file()


def same_file(cached: Path, target: Path) -> bool:
    """Whether `target` is already a hard link to `cached`."""
    try:
        return os.path.samefile(cached, target)
    except OSError:
        return False


def link_or_copy(cached: Path, target: Path) -> None:
    """Put a cached file into output/ atomically: a hard link when the file system allows, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    try:
        try:
            os.link(cached, tmp)
        except OSError:  # another device, or a file system without hard links
            shutil.copyfile(cached, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
