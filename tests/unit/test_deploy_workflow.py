"""The deploy workflow: it keeps the build caches between runs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).resolve().parents[2] / ".github/workflows/deploy.yml"


def steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow["jobs"]["deploy"]["steps"]


def step_running(command: str) -> int:
    return next(i for i, step in enumerate(steps()) if command in step.get("run", ""))


def cache_step() -> tuple[int, dict[str, Any]]:
    found = [(i, step) for i, step in enumerate(steps()) if step.get("uses", "").startswith("actions/cache@")]
    assert len(found) == 1, found
    return found[0]


def test_the_cache_is_restored_before_the_publish_build() -> None:
    index, step = cache_step()
    assert re.fullmatch(r"actions/cache@[0-9a-f]{40}", step["uses"]), "pinned by its commit"
    assert step["with"]["path"].strip().rstrip("/") == ".cache"
    assert index < step_running("make publish")


def test_the_cache_key_names_the_requirements_and_the_plugins_code() -> None:
    _, step = cache_step()
    key = step["with"]["key"]
    hashed = re.search(r"hashFiles\(([^)]*)\)", key)
    assert hashed, key
    patterns = {p.strip().strip("'\"") for p in hashed.group(1).split(",")}
    assert {"requirements*.txt", "plugins/**"} <= patterns
    # A run saves under a key of its own, so that the cache follows the content; the newest is restored.
    assert "github.run_id" in key
    restore = [line.strip() for line in step["with"]["restore-keys"].splitlines() if line.strip()]
    assert restore, "restore-keys"
    assert restore[0] == key.split("${{ github.run_id }}")[0], "the newest cache of the same code first"
    assert all(key.startswith(prefix) for prefix in restore)
