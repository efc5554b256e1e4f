"""The pages of the last build in one output folder, each with what it read: kept beside content/, never in output/."""

from __future__ import annotations

import logging
import marshal
import os
import sys
from array import array
from dataclasses import dataclass
from pathlib import Path

from .digest import DIGEST_SIZE
from .tracking import Dependency, same_on_every_page

log = logging.getLogger(__name__)

FORMAT = 3
SAVE_CHUNK = 5000  # pages written at once: marshal makes each part's bytes in memory first


@dataclass(slots=True)
class PageRecord:
    """One page: its dependencies by number in the manifest's table, and its file's stat.

    `shared` are those `same_on_every_page` (a content object's field or the whole object), checked against
    the value the table records for each. `own` are the others (context names, templates), digested into `digest`.
    """

    shared: bytes
    own: bytes
    digest: bytes
    size: int
    mtime_ns: int

    def written_at(self, path: str | os.PathLike[str]) -> bool:
        """Whether the file at `path` is still the one this page's build wrote (same size and modification time)."""
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns)


class Manifest:
    """Last build's pages (`previous`) and this build's (`pages`), sharing one table of dependencies.

    `values` holds, for each shared dependency in the table, the value the pages that read it were rendered with;
    None when unknown, or when two pages of one build saw it differ.
    """

    def __init__(self, path: Path, fingerprint: bytes) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.previous: dict[str, PageRecord] = {}
        self.pages: dict[str, PageRecord] = {}
        self.table: list[Dependency] = []
        self.values: list[bytes | None] = []
        self._index: dict[Dependency, int] | None = None
        # Per dependency: 1 once a page of this build recorded its value in `values`, 2 once two pages disagreed.
        self._fresh = bytearray()

    @classmethod
    def load(cls, path: Path, fingerprint: bytes) -> Manifest:
        """The saved manifest when it was made with the same settings and code; else an empty one."""
        manifest = cls(path, fingerprint)
        try:
            with path.open("rb") as handle:
                if marshal.load(handle) != (FORMAT, fingerprint):
                    log.info("settings, plugins or Pelican changed since the last build: every page is rendered")
                    return manifest
                table, values = marshal.load(handle), marshal.load(handle)
                previous = {}
                for _chunk in range(marshal.load(handle)):
                    previous.update((name, PageRecord(*fields)) for name, *fields in marshal.load(handle))
        except FileNotFoundError:
            return manifest
        except (OSError, EOFError, ValueError, TypeError) as error:
            log.warning("ignoring the unreadable page manifest %s: %s", path, error)
            return manifest
        manifest.previous, manifest.table, manifest.values = previous, table, values
        return manifest

    def dependencies_of(self, record: PageRecord) -> list[Dependency]:
        table = self.table
        return [table[i] for i in sorted(array("I", record.shared + record.own))]

    def keep(self, name: str, record: PageRecord) -> None:
        self.pages[name] = record

    def add(
        self,
        name: str,
        dependencies: tuple[Dependency, ...],
        shared_values: bytes,
        digest: bytes,
        size: int,
        mtime_ns: int,
    ) -> None:
        """A rendered page: `shared_values` are the values of its shared dependencies, in their order, joined."""
        if self._index is None:
            self._index = {dep: i for i, dep in enumerate(self.table)}
        index, table, values, fresh = self._index, self.table, self.values, self._fresh
        shared, own = array("I"), array("I")
        offset = 0
        for dep in dependencies:
            number = index.get(dep)
            if number is None:
                # Each page's reads arrive as strings of their own: at 20,000 articles the table holds some 570,000
                # dependencies naming 20,000 objects and a few dozen fields, so one string each is about 100 MB less.
                dep = tuple(map(sys.intern, dep))
                number = index[dep] = len(table)
                table.append(dep)
                values.append(None)
            if not same_on_every_page(dep):
                own.append(number)
                continue
            value = shared_values[offset : offset + DIGEST_SIZE]
            offset += DIGEST_SIZE
            shared.append(number)
            if number >= len(fresh):
                fresh.extend(bytes(len(table) - len(fresh)))
            if not fresh[number]:
                values[number] = value
                fresh[number] = 1
            elif fresh[number] == 1 and values[number] != value:
                # Pages of this build saw two values (something changed it while they rendered): trust neither.
                values[number] = None
                fresh[number] = 2
        self.pages[name] = PageRecord(shared.tobytes(), own.tobytes(), digest, size, mtime_ns)

    def save(self, prune: bool = True) -> None:
        """Write this build's pages; with `prune`, drop dependencies no page has any more when they pile up."""
        values = self.values
        used: set[int] = set()
        if prune:
            for record in self.pages.values():
                used.update(array("I", record.shared))
                used.update(array("I", record.own))
        table, pages = self.table, self.pages
        if prune and len(used) < len(table) // 2:
            kept = sorted(used)
            renumber = {old: new for new, old in enumerate(kept)}

            def renumbered(numbers: bytes) -> bytes:
                return array("I", (renumber[i] for i in array("I", numbers))).tobytes()

            table = [table[old] for old in kept]
            values = [values[old] for old in kept]
            pages = {
                name: PageRecord(renumbered(r.shared), renumbered(r.own), r.digest, r.size, r.mtime_ns)
                for name, r in pages.items()
            }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.part")
        # marshal, not pickle: pickle's memo of every object it wrote (some 700,000 at 20,000 articles) took 130 MB
        # at the very end of a build, its peak; marshal keeps the interned strings shared, in a table of pointers.
        records = list(pages.items())
        chunks = range(0, len(records), SAVE_CHUNK)
        with tmp.open("wb") as handle:
            for part in ((FORMAT, self.fingerprint), table, values, len(chunks)):
                marshal.dump(part, handle)
            for start in chunks:
                part = records[start : start + SAVE_CHUNK]
                marshal.dump([(name, r.shared, r.own, r.digest, r.size, r.mtime_ns) for name, r in part], handle)
        os.replace(tmp, self.path)

    def forget(self) -> None:
        """A build that failed leaves no manifest: the next one renders everything."""
        self.path.unlink(missing_ok=True)
