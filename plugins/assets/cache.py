"""The derivative cache: keyed on the source's content and the encoding settings, never on file times.

Hashing every source image on every build costs a read of all of them; each digest is therefore kept with the
file's size, modification time and inode (`digests.pickle`) and used again while those are the same. A git
checkout that only resets the times makes the file be hashed again, to the same key. Each source's header
(size, format, orientation) is kept by its digest (`headers.pickle`), so that an unchanged image is not opened.

Every encoded file is recorded when it is written (`written.pickle`: SHA-256, size, time). A file is checked
against its record before it is published: hashed when it is about to be linked or copied into output/, and only
compared by size and time when output/ already holds it as a hard link. A file that does not match (damaged,
truncated, replaced), or that has no record, is encoded again, with a warning naming it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import PIL

from content_model.records import Signature, signature

from .images import Header, read_header
from .written import Written, same_bytes, unchanged_since

log = logging.getLogger(__name__)

# Bump when the pipeline's output changes for the same source and settings.
PIPELINE_VERSION = 1
DIGESTS = "digests.pickle"
# Headers by source digest; PIPELINE_VERSION above is bumped when what a header holds changes.
HEADERS = "headers.pickle"
# The record of every encoded file, by its path under the cache's root.
WRITTEN = "written.pickle"


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
        self._written: dict[str, Written] | None = None
        self._written_changed = False
        self._checked: dict[Path, bool] = {}  # this run's verdicts, by cached file
        self.repaired: list[Path] = []  # cached files that did not match their record, removed to be made again

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
        """Keep this run's digests, headers and records for the next; failing to write only costs time later."""
        if self._used and self._used != self._known:
            _save(self.root / DIGESTS, self._used)
        if self._headers is not None and self._headers_changed:
            _save(self.root / HEADERS, self._headers)
        if self._written is not None and self._written_changed:
            _save(self.root / WRITTEN, self._written)

    def _records(self) -> dict[str, Written]:
        if self._written is None:
            self._written = _load(self.root / WRITTEN)
        return self._written

    def _key(self, cached: Path) -> str:
        return cached.relative_to(self.root).as_posix()

    def record(self, source: Path, name: str, written: Written) -> None:
        """What the pipeline wrote for `source` as `name`, to check the file against before each use."""
        cached = self.folder(source) / name
        self._records()[self._key(cached)] = written
        self._written_changed = True
        self._checked[cached] = True

    def has(self, source: Path, name: str, target: Path | None = None) -> bool:
        """Whether the cache holds `name` of `source` as it was written; a file that does not is removed.

        `target` is where output/ will have it: when that is already a hard link to the cached file, comparing
        size and time is enough (nothing is copied, and any write would have changed the time); otherwise the
        file is hashed, since its bytes are about to be published.
        """
        cached = self.folder(source) / name
        known = self._checked.get(cached)
        if known is not None:
            return known
        written = self._records().get(self._key(cached))
        if written is None or not cached.is_file():
            sound = False  # made by an older version, or by a run that stopped before recording it
        elif target is not None and unchanged_since(cached, written) and same_file(cached, target):
            sound = True
        else:
            sound = same_bytes(cached, written)
            if not sound:
                log.warning(
                    "图片缓存文件已损坏或被替换，重新生成 The cached image file was damaged or replaced, and is made "
                    "again: %s (%s)",
                    cached.relative_to(self.root).as_posix(),
                    source,
                )
                self.repaired.append(cached)
                cached.unlink(missing_ok=True)
        self._checked[cached] = sound
        return sound


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
