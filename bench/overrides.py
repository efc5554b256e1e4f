"""What the bench changes in the project's settings: buildtimes listed last, and per-run image and text caches."""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path
from typing import Any


def bench_settings(base: str) -> dict[str, Any]:
    """The settings of `base` (pelicanconf or publishconf) as the bench builds with them."""
    # The bench builds from a snapshot of the project (plugins, theme, settings) taken when it starts, so that
    # edits made in the working tree during a long run don't fall between two builds it compares.
    root = Path(os.environ.get("BENCH_PROJECT_ROOT") or Path(__file__).resolve().parent.parent)
    sys.path.insert(0, str(root))
    module = importlib.import_module(base)
    settings = {name: value for name, value in vars(module).items() if name.isupper()}
    # Pelican reads relative paths from a settings file's own folder: ours is bench/, the project's is the root.
    settings["THEME"] = str(root / "theme")
    settings["PLUGIN_PATHS"] = [str(root / "plugins")]
    # Last, so that its `finalized` receiver times everything else.
    settings["PLUGINS"] = [p for p in settings["PLUGINS"] if p != "buildtimes"] + ["buildtimes"]
    # The search plugin logs its duration at INFO, which Pelican hides by default: the bench reads that line.
    logging.getLogger("search").setLevel(logging.INFO)
    if os.environ.get("BENCH_IMAGE_CACHE"):
        settings["IMAGE_CACHE_PATH"] = os.environ["BENCH_IMAGE_CACHE"]
    # Markdown and copy-style results: empty for a clean run, the last clean run's for a warm one.
    if os.environ.get("BENCH_TEXT_CACHE"):
        settings["TEXT_CACHE_PATH"] = os.environ["BENCH_TEXT_CACHE"]
    return settings
