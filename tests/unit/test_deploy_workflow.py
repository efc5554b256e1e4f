"""The deploy workflow keeps the build caches between runs; a scheduled run builds only when something is due."""

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


def cache_step(action: str = "restore") -> tuple[int, dict[str, Any]]:
    found = [(i, s) for i, s in enumerate(steps()) if s.get("uses", "").startswith(f"actions/cache/{action}@")]
    assert len(found) == 1, found
    return found[0]


def test_the_cache_is_restored_before_the_publish_build() -> None:
    index, step = cache_step()
    assert re.fullmatch(r"actions/cache/restore@[0-9a-f]{40}", step["uses"]), "pinned by its commit"
    # The caches, and output/ with the page records that say which of its pages a publish may leave as they are.
    assert {line.strip().rstrip("/") for line in step["with"]["path"].splitlines() if line.strip()} == {
        ".cache",
        "output",
    }
    assert index < step_running("make publish")
    saved_at, saved = cache_step("save")
    assert re.fullmatch(r"actions/cache/save@[0-9a-f]{40}", saved["uses"])
    assert saved_at > step_running("make publish") and saved["with"]["path"] == step["with"]["path"]
    assert saved["with"]["key"] == "${{ steps." + step["id"] + ".outputs.cache-primary-key }}"


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


def test_a_scheduled_run_asks_what_came_due_and_builds_only_then() -> None:
    index = step_running("publish_guard due")
    asking = steps()[index]
    assert asking["if"] == "github.event_name == 'schedule'"
    assert "--since deployed" in asking["run"]
    assert cache_step()[0] < index < step_running("make check ATTEST=1")
    # Exit 1 (nothing due) skips the build; 0 builds; anything else (a usage error) fails the run.
    assert re.search(r"1\) echo \"build=false\"", asking["run"]) and re.search(
        r"0\) echo \"build=true\"", asking["run"]
    )
    gated = [step for step in steps()[index + 1 :]]
    assert gated and all(step.get("if") == f"steps.{asking['id']}.outputs.build != 'false'" for step in gated)
