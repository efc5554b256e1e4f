"""Set-up: requirements.txt is what builds the site, requirements-dev.txt the rest; both closed and pinned."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.sites import PROJECT

RUNTIME_CODE = [PROJECT / "plugins", PROJECT / "pelicanconf.py", PROJECT / "publishconf.py"]
DEV_CODE = [PROJECT / "tests", PROJECT / "bench", PROJECT / "scripts"]
# Commands the Makefile runs from .venv/bin, with the distribution that provides each.
RUNTIME_COMMANDS = {"pelican": "pelican", "ghp-import": "ghp-import"}
DEV_COMMANDS = {
    "pytest": "pytest",
    "ruff": "ruff",
    "check-jsonschema": "check-jsonschema",
    "zizmor": "zizmor",
    "hugo": "hugo",  # the benchmark's comparison
}
# pytest plugins, used by option (make test: -n 2), not imported.
DEV_PLUGINS = {"-n": "pytest-xdist"}
# Loaded by Pelican by name (PLUGINS), not imported.
RUNTIME_PLUGINS = {"pelican.plugins.sitemap": "pelican-sitemap"}
_PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[A-Za-z0-9.+!-]+)$")


def pins(name: str) -> dict[str, str]:
    """The pinned distributions of a requirements file (canonical name → version); every line is a pin."""
    found = {}
    for line in (PROJECT / name).read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line == "-r requirements.txt":
            continue
        match = _PIN.match(line)
        assert match, f"{name}: not an exact pin: {line}"
        key = canonicalize_name(match["name"])
        assert key not in found, f"{name}: {key} twice"
        found[key] = match["version"]
    return found


RUNTIME = pins("requirements.txt")
DEV = pins("requirements-dev.txt")


def imported(paths: list[Path]) -> set[str]:
    """The top-level modules the Python files under `paths` import, from outside the standard library."""
    names: set[str] = set()
    for root in paths:
        for path in [root] if root.is_file() else sorted(root.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return {name for name in names if name not in sys.stdlib_module_names}


def distributions(modules: set[str]) -> set[str]:
    """The installed distributions that provide these modules; the project's own packages provide none."""
    providers = metadata.packages_distributions()
    return {canonicalize_name(d) for module in modules for d in providers.get(module, [])}


def closure(names: set[str]) -> set[str]:
    """The distributions and everything they require, markers judged for this Python."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(requirement.name))
    return seen


def test_the_files_are_sorted_and_do_not_overlap() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        lines = [
            line.lower()
            for line in (PROJECT / name).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith(("#", "-r"))
        ]
        assert lines == sorted(lines), name
    assert not RUNTIME.keys() & DEV.keys()
    assert (PROJECT / "requirements-dev.txt").read_text(encoding="utf-8").count("-r requirements.txt") == 1


def test_what_builds_the_site_is_in_requirements_txt_with_all_it_needs() -> None:
    direct = distributions(imported(RUNTIME_CODE)) | set(RUNTIME_COMMANDS.values()) | set(RUNTIME_PLUGINS.values())
    assert direct <= RUNTIME.keys(), sorted(direct - RUNTIME.keys())
    assert closure(direct) == RUNTIME.keys(), "requirements.txt is not exactly the runtime and its dependencies"


def test_the_tests_tools_are_in_requirements_dev_txt_only() -> None:
    direct = distributions(imported(DEV_CODE)) | set(DEV_COMMANDS.values()) | set(DEV_PLUGINS.values())
    everything = RUNTIME.keys() | DEV.keys()
    assert direct <= everything, sorted(direct - everything)
    assert closure(direct | RUNTIME.keys()) == everything
    for tool in ("playwright", "hugo", "pytest", "pytest-xdist", "ruff", "zizmor", "check-jsonschema", "codeowners"):
        assert tool in DEV and tool not in RUNTIME, tool


@pytest.mark.parametrize("name", sorted(RUNTIME.keys() | DEV.keys()))
def test_the_installed_version_is_the_pinned_one(name: str) -> None:
    assert metadata.version(name) == (RUNTIME | DEV)[name]


def _prerequisites(target: str) -> list[str]:
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{re.escape(target)}:(.*)$", text, re.MULTILINE)
    assert match, target
    return match.group(1).split()


@pytest.mark.parametrize("target", ["html", "publish", "check", "new", "fix", "devserver", "sync", "report"])
def test_a_build_installs_the_runtime_and_the_editors_bundle_only(target: str) -> None:
    needs = _prerequisites(target)
    assert "setup" in needs and "setup-dev" not in needs and "node_modules/.installed-dev" not in needs


@pytest.mark.parametrize("target", ["bench", "lint"])
def test_the_tools_install_the_rest(target: str) -> None:
    assert "setup-dev" in _prerequisites(target)


def test_make_test_and_make_cms_install_everything() -> None:
    text = (PROJECT / "Makefile").read_text(encoding="utf-8")
    assert "$(MAKE) --no-print-directory setup-dev node_modules/.installed-dev" in text
    assert _prerequisites("cms") == ["setup", "node_modules/.installed-dev"]
    assert _prerequisites("node_modules/.installed") == ["package.json", "package-lock.json"]
