"""Two builds of the same content with the same SITE_NOW are byte-identical: no build timestamps anywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.incremental import output_tree
from tests.sites import PROJECT, build


def test_two_clean_builds_are_byte_identical(tmp_path: Path) -> None:
    trees = []
    for name in ("one", "two"):
        root = tmp_path / name
        shutil.copytree(PROJECT / "content", root / "content")
        run = build(root, publish=True, site_now="2020-12-31 12:00", timeout=600)
        assert run.returncode == 0, run.text
        trees.append(output_tree(run.output))
    assert len(trees[0]) > 300
    differing = sorted(name for name in trees[0].keys() | trees[1].keys() if trees[0].get(name) != trees[1].get(name))
    assert differing == []
