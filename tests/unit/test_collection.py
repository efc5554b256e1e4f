"""`make test` runs every test folder: none is skipped by a pytest default (it skips folders named "build")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def test_every_test_folder_is_collected() -> None:
    folders = {p.parent.name for p in TESTS.glob("*/test_*.py")}
    assert {"unit", "build", "browser"} <= folders
    listing = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", str(TESTS)],
        cwd=TESTS.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    collected = {line.split("/")[1] for line in listing.splitlines() if line.startswith("tests/")}
    assert collected == folders
