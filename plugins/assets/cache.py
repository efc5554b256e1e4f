"""The derivative cache: keyed on the source's content and the encoding settings, never on file times.

Hashing every source image on every build costs a read of all of them; each digest is therefore kept with the
file's size, modification time and inode (`digests.pickle`) and used again while those are the same. A git
checkout that only resets the times makes the file be hashed again, to the same key. Each source's header
(size, format, orientation) is kept by its digest (`headers.pickle`), so that an unchanged image is not opened.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import PIL

from content_model.records import Signature, signature

from .images import Header, read_header

# Bump when the pipeline's output changes for the same source and settings.
PIPELINE_VERSION = 1
DIGESTS = "digests.pickle"
# Headers by source digest; PIPELINE_VERSION above is bumped when what a header holds changes.
HEADERS = "headers.pickle"


def content_digest(path: Path) -> str:
    """SHA-256 of the file's bytes: git checkouts reset modification times, content does not change."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
    except Exception:  # missing or unreadable: everything is worked out again, as without it
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _save(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


class ImageCache:
    """Folders of encoded files, one per source content; a file's name spells the settings that made it."""

    def __init__(self, root: Path) -> None:
        # A new Pillow may encode different bytes: its version is part of the key.
        self.root = root / f"v{PIPELINE_VERSION}-pillow{PIL.__version__}"
        self._known: dict[str, tuple[Signature, str]] | None = None  # last run's digests, by path
        self._used: dict[str, tuple[Signature, str]] = {}  # this run's
        self._headers: dict[str, Header] | None = None  # by digest, across runs
        self._headers_changed = False
        self._folders: dict[Path, Path] = {}  # by source: asked for several times per file of every image

    def _last_run(self) -> dict[str, tuple[Signature, str]]:
        if self._known is None:
            self._known = _load(self.root / DIGESTS)
        return self._known

    def _digest(self, source: Path) -> str:
        name = str(source)
        used = self._used.get(name)
        if used is None:
            was = signature(source)
            known = self._last_run().get(name)
            digest = known[1] if known is not None and was is not None and known[0] == was else content_digest(source)
            used = self._used[name] = (was, digest)
        return used[1]

    def folder(self, source: Path) -> Path:
        known = self._folders.get(source)
        if known is None:
            digest = self._digest(source)
            known = self._folders[source] = self.root / digest[:2] / digest
        return known

    def header(self, source: Path) -> Header:
        """`read_header(source)`, kept by the source's digest: the same bytes always have the same header."""
        if self._headers is None:
            self._headers = _load(self.root / HEADERS)
        digest = self._digest(source)
        known = self._headers.get(digest)
        if known is None:
            known = self._headers[digest] = read_header(source)  # a BadImage is raised, never kept
            self._headers_changed = True
        return known

    def save_known(self) -> None:
        """Keep this run's digests and headers for the next; an optimisation only, so failing to write is ignored."""
        if self._used and self._used != self._known:
            _save(self.root / DIGESTS, self._used)
        if self._headers is not None and self._headers_changed:
            _save(self.root / HEADERS, self._headers)

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
