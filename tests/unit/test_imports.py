"""Plugins import one another without cycles, counting imports made inside functions, and each imports alone."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = Path(__file__).resolve().parents[2] / "plugins"
PACKAGES = sorted(p.name for p in PLUGINS.iterdir() if (p / "__init__.py").is_file())


def imported_packages(package: str) -> set[str]:
    """The other plugin packages a package's modules import, at the top or inside a function."""
    found: set[str] = set()
    for path in (PLUGINS / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update(name.split(".")[0] for name in names)
    return (found & set(PACKAGES)) - {package}


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of the graph, as the packages along it (the first again at the end); empty when there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for after in sorted(graph[node]):
            if state.get(after) == 1:
                return [*path[path.index(after) :], after]
            if after not in state and (cycle := visit(after)):
                return cycle
        path.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_find_cycle_names_the_packages_along_it() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_no_plugin_imports_itself_through_others() -> None:
    graph = {package: imported_packages(package) for package in PACKAGES}
    assert find_cycle(graph) == []


@pytest.mark.parametrize("package", PACKAGES)
def test_each_plugin_imports_alone(package: str) -> None:
    """Every module of the package, imported first in a fresh interpreter: a cycle at import time fails here."""
    modules = sorted(
        ".".join(path.relative_to(PLUGINS).with_suffix("").parts).removesuffix(".__init__")
        for path in (PLUGINS / package).rglob("*.py")
        if path.name != "__main__.py"
    )
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    run = subprocess.run(
        [sys.executable, "-c", code, *modules],
        env={**os.environ, "PYTHONPATH": str(PLUGINS)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
