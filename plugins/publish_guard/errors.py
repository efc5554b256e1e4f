"""Collects the ERROR records logged while a publish build runs, in its own process and in the workers it forks."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path


class ErrorLog(logging.Handler):
    """Appends each ERROR record to a file: workers forked during the build inherit the handler and write there too."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        handle, name = tempfile.mkstemp(prefix="publish-errors-", suffix=".jsonl")
        os.close(handle)
        self.path = Path(name)
        self.owner = os.getpid()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = json.dumps({"logger": record.name, "message": record.getMessage()}, ensure_ascii=False)
            with self.path.open("a", encoding="utf-8") as log:
                log.write(line + "\n")
        except Exception:
            self.handleError(record)

    def messages(self) -> list[str]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        found = []
        for line in lines:
            record = json.loads(line)
            found.append(f"[{record['logger']}] {record['message']}")
        return found

    def close(self) -> None:
        if os.getpid() == self.owner:  # a forked worker that shuts logging down leaves the file to the build
            self.path.unlink(missing_ok=True)
        super().close()


_log: ErrorLog | None = None
# Pelican's own loggers are named under this one; `pelican -q` raises it above ERROR.
QUIETED = ("", "pelican")


def start() -> None:
    """Collect from now on; a quiet build still logs its errors, so that they are seen and collected."""
    global _log
    stop()
    for name in QUIETED:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() > logging.ERROR:
            logger.setLevel(logging.ERROR)
    _log = ErrorLog()
    logging.getLogger().addHandler(_log)


def stop() -> list[str]:
    """Stop collecting; the messages collected since `start`."""
    global _log
    log, _log = _log, None
    if log is None:
        return []
    logging.getLogger().removeHandler(log)
    found = log.messages()
    log.close()
    return found
