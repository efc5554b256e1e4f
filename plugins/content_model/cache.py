"""A cache of pure functions of text (Markdown to HTML, copy-style fixes), kept beside content/ between runs.

Entries are keyed on a digest of the input and of what the function depends on (library versions, settings,
our code), so a stale entry can never be found: changing any of those starts a fresh table. The cache is only
ever an optimisation: when it cannot be opened or written, every value is computed again. A process forked
after a cache is made (a render worker) opens its own connection: SQLite's may not cross a fork.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "text.sqlite"


def fingerprint(*parts: str | bytes) -> str:
    """A short name for everything a function's results depend on."""
    h = hashlib.blake2b(digest_size=8)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def open_table(path: Path, table: str, columns: str, stale: Callable[[str], bool]) -> sqlite3.Connection:
    """A connection with `table` created, and the tables `stale` names (made by older versions) dropped."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=60)
    db.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({columns})')
    names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for name in names:
        if name != table and stale(name):
            db.execute(f'DROP TABLE "{name}"')
    return db


class TextCache:
    """One table of results of one function: text in, text out."""

    def __init__(
        self,
        folder: Path | None,
        function: str,
        depends_on: str,
        *,
        preload: bool = False,
        save_every: int | None = None,
    ) -> None:
        self.function = function
        self.table = f"{function}_{depends_on}"
        self.path = folder / FILE_NAME if folder else None
        self.preload = preload
        # Store new results once this many are waiting, so that large ones do not pile up in memory.
        self.save_every = save_every
        self._known: dict[bytes, str] | None = None
        self._new: dict[bytes, str] = {}
        self._db: sqlite3.Connection | None = None
        self._opened_in: int | None = None  # the process that opened `_db`

    def _connect(self) -> sqlite3.Connection | None:
        if self._opened_in == os.getpid():
            return self._db
        if self._opened_in is not None:
            self._new = {}  # a forked process stores only what it computes itself
        self._opened_in = os.getpid()
        self._db = None
        if self.path is None:
            return None
        try:
            family = f"{self.function}_"  # results of an older version of the function are never found again
            columns = "key BLOB PRIMARY KEY, value TEXT NOT NULL"
            db = open_table(self.path, self.table, columns, lambda name: name.startswith(family))
            if self.preload and self._known is None:
                self._known = dict(db.execute(f'SELECT key, value FROM "{self.table}"'))
            self._db = db
        except sqlite3.Error as error:
            log.warning("the text cache %s is not used: %s", self.path, error)
            self._db = None
        return self._db

    def get(self, text: str, make: Callable[[str], str]) -> str:
        """make(text), from the cache when it was computed before."""
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        db = self._connect()
        if self._known is not None:
            found = self._known.get(key)
        elif db is not None:
            row = db.execute(f'SELECT value FROM "{self.table}" WHERE key = ?', (key,)).fetchone()
            found = row[0] if row else None
        else:
            found = None
        if found is None:
            found = self._new.get(key)
        if found is None:
            found = self._new[key] = make(text)
            if self.save_every is not None and len(self._new) >= self.save_every:
                self.save()
        return found

    def save(self) -> None:
        """Store the results computed in this run (in this process)."""
        db = self._connect()
        if not self._new or db is None:
            return
        try:
            with db:
                db.executemany(f'INSERT OR REPLACE INTO "{self.table}" VALUES (?, ?)', self._new.items())
            if self._known is not None:
                self._known.update(self._new)
            self._new = {}
        except sqlite3.Error as error:
            log.warning("the text cache %s was not written: %s", self.path, error)
