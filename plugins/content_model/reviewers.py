"""The reviewers of content/data/reviewers.yml as the approval rules use them: by name, key and GitHub account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import schema as S
from .ssh_keys import PublicKey

STAGE_NAMES = {f.name: f.label for f in S.REVIEW}  # first → 初审 …
STAGE_NAMES_EN = {"first": "first review", "second": "second review", "final": "final review"}


@dataclass(frozen=True)
class Reviewer:
    """One registered reviewer."""

    name: str
    key: PublicKey
    github: str = ""
    stages: tuple[str, ...] = S.REVIEW_STAGES
    line: int = 0


def github_login(value: str) -> str:
    """A GitHub account as compared: without a leading @, in lower case (GitHub logins ignore case)."""
    return value.strip().lstrip("@").lower()


class Registry:
    """The registered reviewers, found by name, by signing-key fingerprint or by GitHub account.

    `former` are entries of earlier versions of the registry: an audit of past years still verifies the
    approvals of reviewers who have left or changed keys since. The gate uses the registry as it is.
    """

    def __init__(self, reviewers: list[Reviewer], former: list[Reviewer] | None = None) -> None:
        former = former or []
        self.by_name = {r.name: r for r in reviewers}
        for reviewer in former:
            self.by_name.setdefault(reviewer.name, reviewer)
        self.by_fingerprint = {r.key.fingerprint: r for r in [*former, *reviewers]}
        self.by_github = {github_login(r.github): r for r in self.by_name.values() if r.github}
        self._keys: dict[str, set[str]] = {}
        for reviewer in [*reviewers, *former]:
            self._keys.setdefault(reviewer.name, set()).add(reviewer.key.fingerprint)

    @classmethod
    def from_entries(cls, entries: dict[str, dict[str, Any]], former: list[dict[str, Any]] | None = None) -> Registry:
        """From checked entries of the reviewers registry (registries.reviewers_of), now and formerly."""
        return cls([_reviewer(name, e) for name, e in entries.items()], [_reviewer(e["name"], e) for e in former or []])

    def signs_for(self, name: str, fingerprint: str | None) -> bool:
        """Whether a signature by this key fingerprint is one of this person's."""
        return fingerprint is not None and fingerprint in self._keys.get(name, set())

    def allowed_signers(self) -> str:
        """An allowed-signers file for git and ssh-keygen: one principal per key, for commits only."""
        keys = {r.key.fingerprint: r.key for r in self.by_fingerprint.values()}
        return "".join(f'reviewer-{index} namespaces="git" {key.text}\n' for index, key in enumerate(keys.values()))


def _reviewer(name: str, entry: dict[str, Any]) -> Reviewer:
    return Reviewer(
        name, entry["key"], entry.get("github", ""), tuple(entry.get("stages", S.REVIEW_STAGES)), entry["line"]
    )


def editors_of(item: Any, registries: dict[str, dict[str, dict[str, Any]]], columns: dict[str, Any]) -> set[str]:
    """The GitHub accounts that edit an article's section or columns; the final stage must be one of them.

    Sections name their editors in content/data/sections.yml, columns in their own file; empty when none do.
    """
    accounts: set[str] = set()
    section = registries.get("sections", {}).get(item.get("section", ""))
    if section:
        accounts.update(github_login(e) for e in section.get("editors", []))
    for column_id in item.get("columns", []):
        column = columns.get(column_id)
        if column is not None:
            accounts.update(github_login(e) for e in column.get("editors", []))
    return accounts
