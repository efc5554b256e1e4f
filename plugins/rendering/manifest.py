"""The pages of the last build in one output folder, each with what it read: kept beside content/, never in output/."""

from __future__ import annotations

import logging
import os
import pickle
from array import array
from dataclasses import dataclass
from pathlib import Path

from .tracking import Dependency

log = logging.getLogger(__name__)

FORMAT = 2


@dataclass
class PageRecord:
    """One page: its dependencies by number in the manifest's table, and its file's stat.

    `shared` are those with one value on every page (a content object's field or the whole object), checked against
    the value the table records for each. `own` are the others (context names, templates), digested into `digest`.
    """

    shared: bytes
    own: bytes
    digest: bytes
    size: int
    mtime_ns: int


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
        self._seen: dict[int, bytes | None] = {}

    @classmethod
    def load(cls, path: Path, fingerprint: bytes) -> Manifest:
        """The saved manifest when it was made with the same settings and code; else an empty one."""
        manifest = cls(path, fingerprint)
        try:
            with path.open("rb") as handle:
                saved = pickle.load(handle)
        except FileNotFoundError:
            return manifest
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
            log.warning("ignoring the unreadable page manifest %s: %s", path, error)
            return manifest
        if saved.get("format") == FORMAT and saved.get("fingerprint") == fingerprint:
            manifest.previous = saved["pages"]
            manifest.table = saved["table"]
            manifest.values = saved["values"]
        else:
            log.info("settings, plugins or Pelican changed since the last build: every page is rendered")
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
        values: tuple[bytes | None, ...],
        digest: bytes,
        size: int,
        mtime_ns: int,
    ) -> None:
        """A rendered page: `values` has, beside each dependency, the value of a shared one and None for its own."""
        if self._index is None:
            self._index = {dep: i for i, dep in enumerate(self.table)}
        index, table, seen = self._index, self.table, self._seen
        shared, own = array("I"), array("I")
        for dep, value in zip(dependencies, values, strict=True):
            number = index.get(dep)
            if number is None:
                number = index[dep] = len(table)
                table.append(dep)
                self.values.append(None)
            if value is None:
                own.append(number)
                continue
            shared.append(number)
            if number not in seen:
                seen[number] = value
            elif seen[number] != value:
                # Pages of this build saw two values (something changed it while they rendered): trust neither.
                seen[number] = None
        self.pages[name] = PageRecord(shared.tobytes(), own.tobytes(), digest, size, mtime_ns)

    def save(self) -> None:
        """Write this build's pages, dropping dependencies no page has any more when they pile up."""
        values = self.values
        for number, value in self._seen.items():
            values[number] = value
        used: set[int] = set()
        for record in self.pages.values():
            used.update(array("I", record.shared))
            used.update(array("I", record.own))
        table, pages = self.table, self.pages
        if len(used) < len(table) // 2:
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
        with tmp.open("wb") as handle:
            pickle.dump(
                {"format": FORMAT, "fingerprint": self.fingerprint, "pages": pages, "table": table, "values": values},
                handle,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        os.replace(tmp, self.path)

    def forget(self) -> None:
        """A build that failed leaves no manifest: the next one renders everything."""
        self.path.unlink(missing_ok=True)
