"""Approving reviews on GitHub, read with the workflow's own token: the second source of 三审 approvals.

A reviewer whose registry entry names their GitHub account may approve the pull request instead of running
`make approve`: an approving review on the pull request's head commit attests the stage that holds their name.
This module records those approvals for `make check ATTEST=1 APPROVALS=<file>`; other hosts use signed commits.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import requests

from .deployed import NoDeployRecord, last_deployed
from .gitlog import GitError, git, resolve

API_URL = "https://api.github.com"
PAGE_SIZE = 100
# States that set where a reviewer stands; COMMENTED and PENDING leave it as it was, as on GitHub itself.
DECISIVE = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


class GithubError(RuntimeError):
    """The API could not be read."""


@dataclass(frozen=True)
class Review:
    """One review of a pull request, as the API gives it."""

    id: int
    login: str
    state: str
    commit_id: str
    submitted_at: str
    url: str

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Review | None:
        user = data.get("user") or {}
        if not user.get("login"):
            return None  # a deleted account approves nothing
        return cls(
            int(data.get("id") or 0),
            str(user["login"]),
            str(data.get("state") or ""),
            str(data.get("commit_id") or ""),
            str(data.get("submitted_at") or ""),
            str(data.get("html_url") or ""),
        )


def standing_approvals(reviews: list[Review], head: str) -> list[Review]:
    """Each reviewer's latest decisive review, kept when it approves `head`: a later review replaces an earlier
    one, a dismissed approval counts for nothing, and an approval of an older commit is stale."""
    latest: dict[str, Review] = {}
    for review in sorted(reviews, key=lambda r: (r.submitted_at, r.id)):
        if review.state in DECISIVE:
            latest[review.login.lower()] = review
    return [r for r in latest.values() if r.state == "APPROVED" and r.commit_id == head]


class Client:
    """GET requests to the REST API, following its pagination."""

    def __init__(self, repository: str, token: str, api_url: str = API_URL, session: Any = None) -> None:
        self.base = f"{api_url.rstrip('/')}/repos/{repository}"
        self.session = session or requests.Session()
        self.headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "site-review-gate",
        }
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def pages(self, path: str) -> Iterator[Any]:
        url: str | None = f"{self.base}/{path}?per_page={PAGE_SIZE}"
        while url:
            try:
                response = self.session.get(url, headers=self.headers, timeout=30)
            except requests.RequestException as error:
                raise GithubError(str(error)) from error
            if response.status_code != 200:
                raise GithubError(f"GET {url}: HTTP {response.status_code} {response.text[:200]}")
            yield response.json()
            url = response.links.get("next", {}).get("url")

    def reviews(self, number: int) -> list[Review]:
        found = [Review.from_api(r) for page in self.pages(f"pulls/{number}/reviews") for r in page]
        return [r for r in found if r is not None]

    def pulls_of(self, sha: str) -> list[dict[str, Any]]:
        return [pull for page in self.pages(f"commits/{sha}/pulls") for pull in page]


@dataclass(frozen=True)
class Record:
    """One standing approval, placed in this repository's history (see attest.GithubApproval)."""

    login: str
    pr: int
    commit: str
    anchor: str
    since: str
    submitted_at: str
    url: str


def pull_request_approvals(client: Client, number: int, base: str, head: str) -> list[Record]:
    """The standing approvals of an open pull request, on its head commit."""
    return [
        Record(r.login, number, head, head, base, r.submitted_at, r.url)
        for r in standing_approvals(client.reviews(number), head)
    ]


def merged_approvals(client: Client, root: Path, base: str) -> list[Record]:
    """The approvals of the pull requests merged since `base`, each placed at the commit that brought it in."""
    records = []
    for sha in git(root, "rev-list", "--first-parent", f"{base}..HEAD").split():
        for pull in client.pulls_of(sha):
            head = (pull.get("head") or {}).get("sha", "")
            if not pull.get("merged_at") or not head or not isinstance(pull.get("number"), int):
                continue
            for review in standing_approvals(client.reviews(pull["number"]), head):
                records.append(
                    Record(review.login, pull["number"], head, sha, f"{sha}^1", review.submitted_at, review.url)
                )
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="读取拉取请求上的批准 Read pull-request approvals")
    parser.add_argument("--root", default=".")
    parser.add_argument("--out", required=True)
    parser.add_argument("--pr", type=int, help="an open pull request's number; with --base and --head")
    parser.add_argument("--base", default="", help="the pull request's base commit")
    parser.add_argument("--head", default="", help="the pull request's head commit")
    parser.add_argument("--merged-since", default="", help="a commit, or deployed: pull requests merged after it")
    args = parser.parse_args(argv)
    root = Path(args.root)
    client = Client(
        os.environ.get("GITHUB_REPOSITORY", ""),
        os.environ.get("GITHUB_TOKEN", ""),
        os.environ.get("GITHUB_API_URL") or API_URL,
    )
    try:
        if args.pr:
            records = pull_request_approvals(client, args.pr, args.base, args.head)
        else:
            since = last_deployed(root) if args.merged_since == "deployed" else args.merged_since
            base = resolve(root, since)
            if base is None:
                raise GitError(f"not a commit: {since}")
            records = merged_approvals(client, root, base)
    except (GithubError, GitError, NoDeployRecord) as error:
        print(f"无法读取 GitHub 上的批准：{error}\nCannot read the approvals on GitHub: {error}", file=sys.stderr)
        return 1
    Path(args.out).write_text(json.dumps([asdict(r) for r in records], ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"GitHub 上的有效批准 {len(records)} 个 Standing approvals on GitHub: {len(records)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
