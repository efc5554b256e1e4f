"""The registries in content/data/: sections, departments and media, read with line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import schema as S
from .frontmatter import parse_yaml, read_text
from .problems import Problems
from .validate import Validator


def load_registry(name: str, content_root: Path, rel_of: Any, problems: Problems) -> dict[str, dict[str, Any]]:
    """One registry as {id: entry}, in file order; problems for bad entries."""
    file, fields = S.REGISTRY_FILES[name]
    path = content_root / file
    rel = rel_of(path)
    if not path.exists():
        problems.add("registry-missing", rel, 0, value=rel)
        return {}
    text = read_text(path, rel, problems)
    if text is None:
        return {}
    result = parse_yaml(text, rel, problems)
    if result is None:
        return {}
    value, where = result
    if not isinstance(value, list):
        problems.add("registry-not-list", rel, 1)
        return {}
    entries: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    validator = Validator(rel, problems)
    for index, entry in enumerate(value):
        line = where.item(index) + 1
        if not isinstance(entry, dict):
            problems.add("registry-not-list", rel, line)
            continue
        checked = validator.mapping(entry, fields, lambda _n, ln=line: ln)
        entry_id = checked.values.get("id")
        if not entry_id:
            continue
        if entry_id in entries:
            problems.add("registry-duplicate-id", rel, line, "id", value=entry_id, other_line=lines[entry_id])
            continue
        checked.values["line"] = line
        entries[entry_id] = checked.values
        lines[entry_id] = line
    return entries


def load_registries(content_root: Path, rel_of: Any, problems: Problems) -> dict[str, dict[str, dict[str, Any]]]:
    return {name: load_registry(name, content_root, rel_of, problems) for name in S.REGISTRY_FILES}
