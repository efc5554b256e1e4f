"""Removes what an earlier build left in output/ that this build did not make: pages of deleted or renamed items."""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


class Sweep:
    """A mark taken when the build starts; files changed since then (or kept on purpose) are this build's."""

    def __init__(self, output: Path, marker: Path) -> None:
        self.output = output
        self.marker = marker
        marker.parent.mkdir(parents=True, exist_ok=True)
        # A new file each time: rewriting an empty file may leave its change time as it was.
        marker.unlink(missing_ok=True)
        marker.write_bytes(b"")
        # The file system's own clock: a file written after this moment has a later change time.
        self.started_ns = os.stat(marker).st_ctime_ns
        self.kept: set[str] = set()
        # Files that share their data with another name (images hard-linked from the cache): removing or
        # replacing one name changes the change time of all, so these count only when a plugin keeps them.
        # The last sweep wrote down which files these were, which saves walking output/ twice.
        self.shared_list = marker.with_name(marker.name + ".shared")
        try:
            self.shared = set(self.shared_list.read_text(encoding="utf-8", errors="surrogateescape").splitlines())
            # Taken for this build only: if it fails before its sweep, the next one walks output/ again.
            self.shared_list.unlink()
        except OSError:
            self.shared = {
                os.path.join(folder, name)
                for folder, _dirs, files in os.walk(output)
                for name in files
                if os.lstat(os.path.join(folder, name)).st_nlink > 1
            }

    def keep(self, path: str) -> None:
        """A file of this build's, left as it was (an unchanged page) or linked from a cache (an image)."""
        self.kept.add(os.path.normpath(os.path.join(self.output, path)))

    def remove_stale(self) -> list[str]:
        """Delete every file not made or kept by this build, then the folders left empty; returns the files."""
        removed: list[str] = []
        if not self.output.is_dir():
            return removed
        stale: list[str] = []
        shared_now: list[str] = []
        emptied: list[str] = []
        self._judge(str(self.output), stale, shared_now, emptied)
        # Judged before deleting anything: removing one link of a file changes the change time of its others.
        for path in stale:
            os.unlink(path)
            removed.append(os.path.relpath(path, self.output))
        for folder in emptied:  # innermost first
            os.rmdir(folder)
        if removed:
            log.info("removed %d files no longer part of the site", len(removed))
        self.shared_list.write_text(
            "".join(f"{path}\n" for path in shared_now), encoding="utf-8", errors="surrogateescape"
        )
        return removed

    def _judge(self, folder: str, stale: list[str], shared_now: list[str], emptied: list[str]) -> bool:
        """Sort the files under `folder` into stale and kept; whether it is left empty once the stale ones go."""
        empty = True
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if self._judge(entry.path, stale, shared_now, emptied):
                        emptied.append(entry.path)
                    else:
                        empty = False
                    continue
                if entry.is_symlink() and entry.is_dir():
                    empty = False  # a linked folder is not ours to look into
                    continue
                path = entry.path
                stat = entry.stat(follow_symlinks=False)
                # A hard link or replace changes the inode's ctime too, so images linked from the cache count.
                if path not in self.kept and (path in self.shared or stat.st_ctime_ns < self.started_ns):
                    stale.append(path)
                    continue
                empty = False
                if stat.st_nlink > 1:
                    shared_now.append(path)
        return empty
