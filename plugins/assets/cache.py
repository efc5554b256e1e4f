"""The derivative cache: keyed on the source's content and the encoding settings, never on file times.

Hashing every source image on every build costs a read of all of them; each digest is therefore kept with the
file's size, modification time and inode (`digests.pickle`) and used again while those are the same. A git
checkout that only resets the times makes the file be hashed again, to the same key.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

import PIL

from content_model.records import Signature, signature

# Bump when the pipeline's output changes for the same source and settings.
PIPELINE_VERSION = 1
DIGESTS = "digests.pickle"


def content_digest(path: Path) -> str:
    """SHA-256 of the file's bytes: git checkouts reset modification times, content does not change."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class ImageCache:
    """Folders of encoded files, one per source content; a file's name spells the settings that made it."""

    def __init__(self, root: Path) -> None:
        # A new Pillow may encode different bytes: its version is part of the key.
        self.root = root / f"v{PIPELINE_VERSION}-pillow{PIL.__version__}"
        self._known: dict[str, tuple[Signature, str]] | None = None  # last run's digests, by path
        self._used: dict[str, tuple[Signature, str]] = {}  # this run's

    def _last_run(self) -> dict[str, tuple[Signature, str]]:
        if self._known is None:
            try:
                with (self.root / DIGESTS).open("rb") as handle:
                    self._known = pickle.load(handle)
            except Exception:  # missing or unreadable: every source is hashed, as without it
                self._known = {}
        return self._known

    def folder(self, source: Path) -> Path:
        name = str(source)
        used = self._used.get(name)
        if used is None:
            was = signature(source)
            known = self._last_run().get(name)
            digest = known[1] if known is not None and was is not None and known[0] == was else content_digest(source)
            used = self._used[name] = (was, digest)
        digest = used[1]
        return self.root / digest[:2] / digest

    def save_digests(self) -> None:
        """Keep this run's digests for the next; an optimisation only, so a failure to write is ignored."""
        if not self._used or self._used == self._known:
            return
        tmp = self.root / f"{DIGESTS}.{os.getpid()}.part"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(pickle.dumps(self._used, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.root / DIGESTS)
        except OSError:
            tmp.unlink(missing_ok=True)

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
