"""Attachments (PDF, DOCX, …) an item offers: every one is published through publish_attachment."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def publish_attachment(source: Path, target: Path) -> None:
    """Write `target` from `source` atomically. Today a copy; document metadata stripping belongs here."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
