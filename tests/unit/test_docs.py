"""The documents: every link to a section lands on a heading, and the review flow and branch protection are each
written once, with every other document linking to them."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    [*(PROJECT / "docs").glob("*.md"), PROJECT / "README.md", PROJECT / ".github/pull_request_template.md"]
)
RECIPE = "docs/部署指南.md#分支保护--branch-protection"
FLOW = "docs/投稿指南.md#71-流程"
_LINK = re.compile(r"\]\((?P<target>[^)\s]*)\)")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces made hyphens."""
    kept = "".join(c for c in heading.strip().lower() if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for line in text.splitlines():
        match = re.match(r"#{1,6} (.+)", line)
        if match:
            base = anchor(match.group(1))
            name, n = base, 0
            while name in found:
                n += 1
                name = f"{base}-{n}"
            found.add(name)
    return found


def links(path: Path) -> list[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    return [m.group("target") for m in _LINK.finditer(text)]


def documents_linked(path: Path) -> set[str]:
    """The other documents a document links to, as paths from the project's root with their #fragment."""
    found = set()
    for target in links(path):
        if "://" not in target and not target.startswith(("/", "#", "mailto:")):
            file, _, fragment = target.partition("#")
            rel = (path.parent / file).resolve().relative_to(PROJECT).as_posix()
            found.add(f"{rel}#{fragment}" if fragment else rel)
    return found


def test_the_anchor_rule_matches_github() -> None:
    assert anchor("7.1 流程") == "71-流程"
    assert anchor("5.6 撤稿后更正（`corrected_by`）") == "56-撤稿后更正corrected_by"
    assert anchor("分支保护 · Branch protection") == "分支保护--branch-protection"
    assert anchor("`review-missing`（错误）") == "review-missing错误"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_link_to_a_section_lands_on_a_heading(document: Path) -> None:
    broken = []
    for target in links(document):
        if "://" in target or "#" not in target:
            continue
        file, _, fragment = target.partition("#")
        path = (document.parent / file).resolve() if file else document
        if path.suffix != ".md" or not path.is_file() or fragment not in anchors(path):
            broken.append(target)
    assert broken == []


def _mentions_protection(text: str) -> bool:
    return "分支保护" in text or "branch protection" in text.lower() or "审批规则" in text


def test_branch_protection_is_written_once_and_linked_from_everywhere_else() -> None:
    recipe_doc = PROJECT / RECIPE.split("#")[0]
    recipe = recipe_doc.read_text(encoding="utf-8").split("### 分支保护 · Branch protection", 1)[1].split("\n## ")[0]
    for setting in (
        "Require a pull request before merging",
        "Required approvals",
        "Dismiss stale pull request approvals",
        "Require review from Code Owners",
        "Require status checks to pass",
        "`check`",
        "三审核验 Attestation",
        "Block force pushes",
        "Restrict deletions",
        "Bypass",
    ):
        assert setting in recipe, setting
    for document in DOCUMENTS:
        if document == recipe_doc:
            continue
        text = document.read_text(encoding="utf-8")
        # The number of approvals, and the settings themselves, appear nowhere but in the recipe.
        assert not re.search(r"至少\s*\d+\s*(个|人)|Required approvals|Dismiss stale", text), document.name
        if _mentions_protection(text):
            assert RECIPE in documents_linked(document), document.name


def test_the_review_flow_is_written_once_and_linked_from_the_others() -> None:
    for name in ("docs/网页编辑.md", "docs/部署指南.md", "README.md"):
        document = PROJECT / name
        assert FLOW in documents_linked(document), name
    assert "7.1" in (PROJECT / ".github/pull_request_template.md").read_text(encoding="utf-8")
