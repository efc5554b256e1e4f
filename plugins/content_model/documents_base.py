"""What cleaning an attachment can say: what it removed, or why the file is refused."""

from __future__ import annotations

from typing import NamedTuple


class Finding(NamedTuple):
    """One thing found in a document, in the contributor's words: Chinese, then English."""

    zh: str
    en: str


class Refused(ValueError):
    """A file that cannot be published safely; `code` names the checker's message, `finding` says why."""

    def __init__(self, code: str, finding: Finding) -> None:
        super().__init__(f"{finding.zh} {finding.en}")
        self.code = code
        self.finding = finding
