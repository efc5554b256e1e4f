"""`make publish` settings with the buildtimes plugin listed last, and a per-run image cache from the bench."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

# The bench builds from a snapshot of the project (plugins, theme, settings) taken when it starts, so that
# edits made in the working tree during a long run don't fall between two builds it compares.
ROOT = Path(os.environ.get("BENCH_PROJECT_ROOT") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

from publishconf import *  # noqa: E402, F403

# Pelican reads relative paths from a settings file's own folder: ours is bench/, the project's is the root.
THEME = str(ROOT / "theme")
PLUGIN_PATHS = [str(ROOT / "plugins")]
PLUGINS = [p for p in PLUGINS if p != "buildtimes"] + ["buildtimes"]  # noqa: F405 - last, to time `finalized`
# The search plugin logs its duration at INFO, which Pelican hides by default: the bench reads that line.
logging.getLogger("search").setLevel(logging.INFO)
if os.environ.get("BENCH_IMAGE_CACHE"):
    IMAGE_CACHE_PATH = os.environ["BENCH_IMAGE_CACHE"]
# Markdown and copy-style results: empty for a clean run, the last clean run's for a warm one.
if os.environ.get("BENCH_TEXT_CACHE"):
    TEXT_CACHE_PATH = os.environ["BENCH_TEXT_CACHE"]
