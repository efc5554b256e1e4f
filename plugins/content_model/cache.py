"""A cache of pure functions of text (Markdown to HTML, copy-style fixes), kept beside content/ between runs.

Entries are keyed on a digest of the input and of what the function depends on (library versions, settings,
our code), so a stale entry can never be found: changing any of those starts a fresh table. The cache is only
ever an optimisation: when it cannot be opened or written, every value is computed again. A process forked
after a cache is made (a render worker) opens its own connection: SQLite's may not cross a fork.

A damaged file (not a database, truncated, malformed) is set aside as `<name>.damaged` with one warning, and
a fresh one is started in its place; a table of the wrong shape is dropped and made again. Nothing read from
the file is used unless it has the type its table promises.
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


# SQLite's primary result codes that mean the file itself is bad, not busy: I/O error, corrupt, not a database.
DAMAGE_CODES = (10, 11, 26)
DAMAGED_SUFFIX = ".damaged"
_set_aside: set[str] = set()  # files this process has set aside, so that each is warned about once


def is_damage(error: sqlite3.Error) -> bool:
    """Whether an SQLite error says the file is damaged (rather than locked, or a mistake in a query)."""
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in DAMAGE_CODES
    return type(error) is sqlite3.DatabaseError


def set_aside(path: Path, error: sqlite3.Error, inode: int | None = None) -> None:
    """Move a damaged cache file out of the way, once, so the next connection starts an empty one.

    `inode` is the file the caller had open: when another process has already replaced it, nothing is moved.
    """
    try:
        if inode is not None and os.stat(path).st_ino != inode:
            return
        os.replace(path, path.with_name(path.name + DAMAGED_SUFFIX))
    except OSError:
        pass
    for suffix in ("-journal", "-wal", "-shm"):  # a journal of the damaged file must not be played on the new one
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    if str(path) not in _set_aside:
        _set_aside.add(str(path))
        log.warning(
            "缓存文件 %s 已损坏（%s），已移到 %s 并重新建立。 The cache file %s was damaged (%s): it was moved to %s "
            "and an empty one started; results are computed again.",
            path,
            error,
            path.name + DAMAGED_SUFFIX,
            path,
            error,
            path.name + DAMAGED_SUFFIX,
        )


def _shape(columns: str) -> list[tuple[str, str]]:
    """(name, type) of each column as written in a CREATE TABLE: "key BLOB PRIMARY KEY, value TEXT NOT NULL"."""
    return [(part.split()[0], part.split()[1].upper()) for part in columns.split(",")]


def _open(path: Path, table: str, columns: str, stale: Callable[[str], bool]) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=60)
    try:
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        if table in names:
            shape = [(row[1], str(row[2]).upper()) for row in db.execute(f'PRAGMA table_info("{table}")')]
            if shape != _shape(columns):
                log.warning("the cache table %s in %s has the wrong columns: it is made again", table, path)
                db.execute(f'DROP TABLE "{table}"')
        db.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({columns})')
        for name in names:
            if name != table and stale(name):
                db.execute(f'DROP TABLE "{name}"')
        db.commit()
    except BaseException:
        db.close()
        raise
    return db


def open_table(path: Path, table: str, columns: str, stale: Callable[[str], bool]) -> sqlite3.Connection:
    """A connection with `table` created, and the tables `stale` names (made by older versions) dropped.

    A damaged file is set aside and an empty one opened instead.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _open(path, table, columns, stale)
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        set_aside(path, error)
        return _open(path, table, columns, stale)


def inode_of(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


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
        self._inode: int | None = None  # the file `_db` has open

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
            self._inode = inode_of(self.path)
            if self.preload and self._known is None:
                try:
                    self._known = {key: value for key, value in db.execute(self._select_all) if isinstance(value, str)}
                except sqlite3.DatabaseError as error:
                    db.close()
                    if not is_damage(error):
                        raise
                    set_aside(self.path, error, self._inode)
                    db = open_table(self.path, self.table, columns, lambda name: name.startswith(family))
                    self._inode, self._known = inode_of(self.path), {}
            self._db = db
        except sqlite3.Error as error:
            log.warning("the text cache %s is not used: %s", self.path, error)
            self._db = None
        return self._db

    @property
    def _select_all(self) -> str:
        return f'SELECT key, value FROM "{self.table}"'

    def _damaged(self, error: sqlite3.Error) -> None:
        """A read or write found the file damaged: set it aside; this process reconnects to a fresh one."""
        if self.path is not None and is_damage(error):
            set_aside(self.path, error, self._inode)
            if self._db is not None:
                self._db.close()
            self._opened_in = None
            self._connect()
        else:
            log.warning("the text cache %s is not used: %s", self.path, error)
            self._db = None

    def get(self, text: str, make: Callable[[str], str]) -> str:
        """make(text), from the cache when it was computed before."""
        key = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
        db = self._connect()
        if self._known is not None:
            found = self._known.get(key)
        elif db is not None:
            try:
                row = db.execute(f'SELECT value FROM "{self.table}" WHERE key = ?', (key,)).fetchone()
            except sqlite3.DatabaseError as error:
                self._damaged(error)
                row = None
            found = row[0] if row and isinstance(row[0], str) else None
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
        for _attempt in range(2):  # once more into a fresh file when the first one turns out damaged
            db = self._connect()
            if not self._new or db is None:
                return
            try:
                with db:
                    db.executemany(f'INSERT OR REPLACE INTO "{self.table}" VALUES (?, ?)', self._new.items())
                if self._known is not None:
                    self._known.update(self._new)
                self._new = {}
                return
            except sqlite3.DatabaseError as error:
                if not is_damage(error):
                    log.warning("the text cache %s was not written: %s", self.path, error)
                    return
                self._damaged(error)
