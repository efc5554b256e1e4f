"""The last deployed commit, from which `make check ATTEST=1 BASE=deployed` checks: read it, and record it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .gitlog import GitError, git, resolve

# Written beside the checkout by `make release` after a successful deploy: a server keeps its own record.
RECORD_FILE = ".deployed-commit"
# The mark a publish build leaves in output/, carried by every deploy; its `commit` is the commit it was built from.
MARK_FILE = ".publish.json"


class NoDeployRecord(Exception):
    """Nothing says which commit was deployed last; the message says how to give one."""


def _mark_commit(text: str) -> str | None:
    try:
        mark = json.loads(text)
    except ValueError:
        return None
    commit = mark.get("commit") if isinstance(mark, dict) else None
    return commit if isinstance(commit, str) and commit.strip() else None


def pages_branch() -> tuple[str, str]:
    """The remote and branch a deploy with `make github` pushes to."""
    return os.environ.get("GITHUB_PAGES_REMOTE") or "origin", os.environ.get("GITHUB_PAGES_BRANCH") or "gh-pages"


def deployed_mark(root: Path) -> str | None:
    """The text of the publish mark on the deployed gh-pages branch, if there is one."""
    remote, branch = pages_branch()
    try:
        return git(root, "show", f"{remote}/{branch}:{MARK_FILE}")
    except GitError:
        return None


def last_deployed(root: Path) -> str:
    """The commit the deployed site was built from, as a revision git can resolve.

    In order: the record `make release` keeps beside the checkout; the mark on the deployed gh-pages branch
    (GITHUB_PAGES_REMOTE/GITHUB_PAGES_BRANCH); the ATTEST_BASE variable, set once for a site's first gated deploy.
    """
    record = root / RECORD_FILE
    if record.is_file() and record.read_text(encoding="utf-8").strip():
        return record.read_text(encoding="utf-8").strip()
    remote, branch = pages_branch()
    commit = _mark_commit(deployed_mark(root) or "")
    if commit:
        return commit
    if os.environ.get("ATTEST_BASE", "").strip():
        return os.environ["ATTEST_BASE"].strip()
    raise NoDeployRecord(
        f"找不到上次发布的提交：没有 {RECORD_FILE}，{remote}/{branch} 分支上也没有 {MARK_FILE}。"
        "首次按签名审核发布时，请设置 ATTEST_BASE=<提交>（从这个提交之后的改动须有签名审核）。\n"
        f"The last deployed commit is unknown: there is no {RECORD_FILE}, and no {MARK_FILE} on {remote}/{branch}. "
        "For a site's first gated deploy, set ATTEST_BASE=<commit>: changes after it need signed approvals."
    )


def record(root: Path, output: Path) -> str:
    """Write the commit just deployed to the record file: the mark's commit, or HEAD."""
    commit = None
    mark = output / MARK_FILE
    if mark.is_file():
        commit = _mark_commit(mark.read_text(encoding="utf-8"))
    commit = resolve(root, commit or "HEAD")
    if commit is None:
        raise GitError("no commit to record")
    (root / RECORD_FILE).write_text(commit + "\n", encoding="utf-8")
    return commit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="记录已发布的提交 Record the deployed commit")
    parser.add_argument("--root", default=".")
    parser.add_argument("--output", default="output", help="the deployed output folder, from the current folder")
    args = parser.parse_args(argv)
    commit = record(Path(args.root), Path(args.output))
    print(f"已记录发布的提交 Recorded the deployed commit: {commit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
