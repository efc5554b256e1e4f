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

FORMAT = 1


@dataclass
class PageRecord:
    """One page: indices of its dependencies in the manifest's table, their digest, and its file's stat."""

    dependencies: bytes
    digest: bytes
    size: int
    mtime_ns: int


class Manifest:
    """Last build's pages (`previous`) and this build's (`pages`), sharing one table of dependencies."""

    def __init__(self, path: Path, fingerprint: bytes) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.previous: dict[str, PageRecord] = {}
        self.pages: dict[str, PageRecord] = {}
        self.table: list[Dependency] = []
        self._index: dict[Dependency, int] | None = None

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
        else:
            log.info("settings, plugins or Pelican changed since the last build: every page is rendered")
        return manifest

    def dependencies_of(self, record: PageRecord) -> list[Dependency]:
        table = self.table
        return [table[i] for i in array("I", record.dependencies)]

    def keep(self, name: str, record: PageRecord) -> None:
        self.pages[name] = record

    def add(self, name: str, dependencies: tuple[Dependency, ...], digest: bytes, size: int, mtime_ns: int) -> None:
        if self._index is None:
            self._index = {dep: i for i, dep in enumerate(self.table)}
        index, table = self._index, self.table
        numbers = array("I")
        for dep in dependencies:
            number = index.get(dep)
            if number is None:
                number = index[dep] = len(table)
                table.append(dep)
            numbers.append(number)
        self.pages[name] = PageRecord(numbers.tobytes(), digest, size, mtime_ns)

    def save(self) -> None:
        """Write this build's pages, dropping dependencies no page has any more when they pile up."""
        used: set[int] = set()
        for record in self.pages.values():
            used.update(array("I", record.dependencies))
        table, pages = self.table, self.pages
        if len(used) < len(table) // 2:
            renumber = {old: new for new, old in enumerate(sorted(used))}
            table = [table[old] for old in sorted(used)]
            pages = {
                name: PageRecord(
                    array("I", (renumber[i] for i in array("I", r.dependencies))).tobytes(),
                    r.digest,
                    r.size,
                    r.mtime_ns,
                )
                for name, r in pages.items()
            }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.part")
        with tmp.open("wb") as handle:
            pickle.dump(
                {"format": FORMAT, "fingerprint": self.fingerprint, "pages": pages, "table": table},
                handle,
                protocol=pickle.HIGHEST_PROTOCOL,
            )
        os.replace(tmp, self.path)

    def forget(self) -> None:
        """A build that failed leaves no manifest: the next one renders everything."""
        self.path.unlink(missing_ok=True)
