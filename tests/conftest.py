"""Fixtures shared by build and browser tests: the sample site, built once per test process."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.sites import PROJECT, build

SAMPLE_NOW = "2020-12-31 12:00"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site as a publish build, in its own folder so it never touches output/."""
    root = tmp_path_factory.mktemp("sample")
    shutil.copytree(PROJECT / "content", root / "content")
    run = build(root, publish=True, site_now=SAMPLE_NOW, timeout=600)
    assert run.returncode == 0, run.text
    return run.output
