"""The registries in content/data/: sections, departments, media, reviewers and links, read with line numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import schema as S
from .frontmatter import parse_yaml, read_text
from .problems import Problems
from .ssh_keys import BadKey, parse_public_key
from .validate import Validator, suggestion

REVIEWERS_FILE = "data/reviewers.yml"


def registry_entries(
    text: str | None, rel: str, fields: dict[str, S.Field], problems: Problems
) -> Iterator[tuple[int, dict]]:
    """(line, checked values) of each entry of a registry's text; problems for bad entries."""
    if text is None:
        return
    result = parse_yaml(text, rel, problems)
    if result is None:
        return
    value, where = result
    if not isinstance(value, list):
        problems.add("registry-not-list", rel, 1)
        return
    validator = Validator(rel, problems)
    for index, entry in enumerate(value):
        line = where.item(index) + 1
        if not isinstance(entry, dict):
            problems.add("registry-not-list", rel, line)
            continue
        yield line, validator.mapping(entry, fields, lambda _n, ln=line: ln).values


def load_registry(name: str, content_root: Path, rel_of: Any, problems: Problems) -> dict[str, dict[str, Any]]:
    """One registry as {id: entry}, in file order; problems for bad entries."""
    file, fields = S.REGISTRY_FILES[name]
    path = content_root / file
    rel = rel_of(path)
    if not path.exists():
        if name not in S.OPTIONAL_REGISTRIES:
            problems.add("registry-missing", rel, 0, value=rel)
        return {}
    entries: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    for line, values in registry_entries(read_text(path, rel, problems), rel, fields, problems):
        entry_id = values.get("id")
        if not entry_id:
            continue
        if entry_id in entries:
            problems.add("registry-duplicate-id", rel, line, "id", value=entry_id, other_line=lines[entry_id])
            continue
        values["line"] = line
        entries[entry_id] = values
        lines[entry_id] = line
    return entries


def load_reviewers(content_root: Path, rel_of: Any, problems: Problems) -> dict[str, dict[str, Any]]:
    """The reviewer registry as {name: entry}: unique names and keys, well-formed keys, known stages.

    It is optional: a site without it has no signed approvals, and `make check ATTEST=1` says so for each stage.
    """
    path = content_root / REVIEWERS_FILE
    rel = rel_of(path)
    if not path.exists():
        return {}
    return reviewers_of(read_text(path, rel, problems), rel, problems)


def reviewers_of(text: str | None, rel: str, problems: Problems) -> dict[str, dict[str, Any]]:
    """The reviewer registry's entries, from its text (as it is now, or as it was in an earlier commit)."""
    entries: dict[str, dict[str, Any]] = {}
    lines_of_key: dict[str, int] = {}
    for line, values in registry_entries(text, rel, S.REVIEWER_ENTRY, problems):
        name, key_text = values.get("name"), values.get("signing_key")
        for stage in values.get("stages", []):
            if stage not in S.REVIEW_STAGES:
                zh, en = suggestion(stage, S.REVIEW_STAGES)
                problems.add(
                    "bad-choice",
                    rel,
                    line,
                    "stages",
                    value=stage,
                    choices=", ".join(S.REVIEW_STAGES),
                    suggestion_zh=zh,
                    suggestion_en=en,
                )
        if not name or not key_text:
            continue
        try:
            key = parse_public_key(key_text)
        except BadKey as bad:
            problems.add("reviewer-bad-key", rel, line, "signing_key", value=name, reason_zh=bad.zh, reason_en=bad.en)
            continue
        if name in entries:
            problems.add("reviewer-duplicate-name", rel, line, "name", value=name, other_line=entries[name]["line"])
            continue
        if key.fingerprint in lines_of_key:
            problems.add(
                "reviewer-duplicate-key", rel, line, "signing_key", value=name, other_line=lines_of_key[key.fingerprint]
            )
            continue
        values["line"] = line
        values["key"] = key
        if "stages" in values:  # a stage given wrongly is reported above and grants nothing
            values["stages"] = [stage for stage in values["stages"] if stage in S.REVIEW_STAGES]
        else:
            values["stages"] = list(S.REVIEW_STAGES)
        entries[name] = values
        lines_of_key[key.fingerprint] = line
    return entries


def load_registries(content_root: Path, rel_of: Any, problems: Problems) -> dict[str, dict[str, dict[str, Any]]]:
    registries = {name: load_registry(name, content_root, rel_of, problems) for name in S.REGISTRY_FILES}
    registries["reviewers"] = load_reviewers(content_root, rel_of, problems)
    return registries
