"""What reading and checking one content file found, kept between runs: an unchanged file is not read again.

A record holds the file's item, its problems and its registry references, and the editorial findings for one
version of the word lists. It is used again only while the file and every file it named (images, attachments,
a gallery's folder) have the same size, modification time and inode. The table's name carries a digest of the
code and the options the results depend on, so a change to either starts a fresh table. Like the text cache,
it is only an optimisation: when it cannot be opened or written, every file is read. A damaged file is set aside
and an empty one started (see cache.py); a record that is not a FileRecord is made again.
"""

from __future__ import annotations

import logging
import os
import pickle
import sqlite3
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import fingerprint, inode_of, is_damage, open_table, set_aside

log = logging.getLogger(__name__)

FILE_NAME = "model.sqlite"
# The libraries whose behaviour decides what a file's record says.
LIBRARIES = (
    "PyYAML",
    "pypinyin",
    "rjieba",
    "pillow",
    "pillow-heif",
    "pypdf",
    "olefile",
    "autocorrect-py",
    "Markdown",
    "nh3",
)

Signature = tuple[int, int, int] | None


def signature(path: str | Path) -> Signature:
    """What tells a changed file from an unchanged one without reading it; None for a missing file."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


@dataclass
class FileRecord:
    """The results of reading one content file."""

    signature: Signature
    depends_on: list[tuple[str, Signature]]
    item: Any  # the Item, or None when the file could not be parsed
    accepted: bool  # False: the item was refused (its problems say why) and is not part of the site
    problems: list[Any]
    references: list[Any]
    editorial: dict[str, list[Any]] = field(default_factory=dict)  # word lists' digest → findings

    def is_current(self, path: Path) -> bool:
        return self.signature == signature(path) and all(signature(name) == was for name, was in self.depends_on)


def code_fingerprint() -> str:
    """The content model's own code and the libraries it calls."""
    parts: list[str | bytes] = []
    for source in sorted(Path(__file__).parent.glob("*.py")):
        parts.append(source.read_bytes())
    for library in LIBRARIES:
        try:
            parts.append(f"{library}=={metadata.version(library)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{library} missing")
    return fingerprint(*parts)


class FileRecords:
    """Every content file's record, in one SQLite table: read at once, written back only where changed."""

    def __init__(self, folder: Path | None, code: str, options: str) -> None:
        # One table per set of options (`make html` and `make publish` apply different rules), all of one code.
        self.code = code
        self.table = f"files_{code}_{options}"
        self.path = folder / FILE_NAME if folder else None
        self._stored: dict[str, bytes] = {}
        self._changed: dict[str, FileRecord] = {}
        self._seen: set[str] = set()
        self._db: sqlite3.Connection | None = None
        self._open()

    def _open(self) -> None:
        if self.path is None:
            return
        columns = "rel TEXT PRIMARY KEY, record BLOB NOT NULL"
        for _attempt in range(2):  # once more into a fresh file when reading finds this one damaged
            try:
                db = open_table(self.path, self.table, columns, self._made_by_other_code)
                inode = inode_of(self.path)
                try:
                    # One sequential read of the table costs less than a lookup per file.
                    rows = db.execute(f'SELECT rel, record FROM "{self.table}"').fetchall()
                except sqlite3.DatabaseError as error:
                    db.close()
                    if not is_damage(error):
                        raise
                    set_aside(self.path, error, inode)
                    continue
                self._stored = {rel: data for rel, data in rows if isinstance(rel, str) and isinstance(data, bytes)}
                self._db = db
                return
            except sqlite3.Error as error:
                log.warning("the content records %s are not used: %s", self.path, error)
                break
        self._db = None
        self._stored = {}

    def _made_by_other_code(self, table: str) -> bool:
        return table.startswith("files_") and not table.startswith(f"files_{self.code}_")

    def get(self, rel: str, path: Path) -> FileRecord | None:
        """The record of a file that has not changed since it was made, or None."""
        self._seen.add(rel)
        data = self._stored.pop(rel, None)  # what is left at the end belongs to files that are gone
        if data is None:
            return None
        try:
            record = pickle.loads(data)
        except Exception:  # a record the current code cannot read is simply made again
            return None
        return record if isinstance(record, FileRecord) and record.is_current(path) else None

    def put(self, rel: str, record: FileRecord) -> None:
        self._seen.add(rel)
        self._changed[rel] = record

    def save(self) -> None:
        """Write the records made or changed in this run and drop those of files that are gone."""
        if self._db is None:
            return
        gone = [(rel,) for rel in self._stored if rel not in self._seen]
        self._stored = {}
        if not self._changed and not gone:
            return
        rows = [(rel, pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)) for rel, record in self._changed.items()]
        try:
            with self._db:
                self._db.executemany(f'INSERT OR REPLACE INTO "{self.table}" VALUES (?, ?)', rows)
                self._db.executemany(f'DELETE FROM "{self.table}" WHERE rel = ?', gone)
            self._changed = {}
        except sqlite3.Error as error:
            if is_damage(error) and self.path is not None:
                set_aside(self.path, error)  # the next run starts an empty file and reads every content file
            else:
                log.warning("the content records %s were not written: %s", self.path, error)
