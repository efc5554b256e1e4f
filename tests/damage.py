"""Ways a cache file gets damaged, for the tests that the build repairs them: garbage, truncation, a wrong schema."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


def garbage(path: Path) -> None:
    """The whole file replaced by random bytes."""
    path.write_bytes(os.urandom(8192))


def truncated(path: Path) -> None:
    """The file cut to half its size, as a full disk or an interrupted copy leaves it."""
    os.truncate(path, path.stat().st_size // 2)


def wrong_schema(path: Path) -> None:
    """A valid SQLite file whose tables have the names the build looks for, with other columns and rows."""
    with sqlite3.connect(path) as old:
        names = [row[0] for row in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    path.unlink()
    db = sqlite3.connect(path)
    for name in names:
        db.execute(f'CREATE TABLE "{name}" (key TEXT, value INTEGER, extra BLOB)')
        db.execute(f"INSERT INTO \"{name}\" VALUES (?, 1, x'00')", ("not a record",))
    db.commit()
    db.close()


SQLITE_DAMAGES = {"garbage": garbage, "truncated": truncated, "wrong-schema": wrong_schema}
