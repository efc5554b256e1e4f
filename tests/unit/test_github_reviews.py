"""The GitHub approvals reader, on recorded API responses served over HTTP with GitHub's pagination headers."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from content_model import github_reviews as G
from content_model.attest import GithubApproval

RECORDED = Path(__file__).parent / "github_api"
HEAD = "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091"
OLD = "5f0b3e2a9c1d4e6f8a7b6c5d4e3f2a1b0c9d8e7f"


class Api:
    """A local stand-in for api.github.com: path → (status, recorded file, next page's path), and what it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, str | None]] = {}
        self.substitutions: dict[str, str] = {}
        self.asked: list[tuple[str, str]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api.asked.append((self.path, self.headers.get("Authorization", "")))
                status, name, following = api.routes.get(self.path, (404, "", None))
                body = (RECORDED / name).read_text(encoding="utf-8") if name else '{"message": "Not Found"}'
                for key, value in api.substitutions.items():
                    body = body.replace("{" + key + "}", value)
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                if following:
                    self.send_header("Link", f'<{api.url}{following}>; rel="next", <{api.url}{following}>; rel="last"')
                self.end_headers()
                self.wfile.write(body.encode("utf-8"))

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def client(self) -> G.Client:
        return G.Client("hnast/site", "t0k3n", self.url)


@pytest.fixture
def api() -> Iterator[Api]:
    server = Api()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    server.routes["/repos/hnast/site/pulls/12/reviews?per_page=100"] = (200, "reviews-page-1.json", "/page-2")
    server.routes["/page-2"] = (200, "reviews-page-2.json", None)
    yield server
    server.server.shutdown()
    server.server.server_close()


def test_reviews_are_read_across_pages_with_the_token(api: Api) -> None:
    reviews = api.client().reviews(12)
    assert [r.id for r in reviews] == [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1011]  # 1010: no user
    assert [path for path, _ in api.asked] == ["/repos/hnast/site/pulls/12/reviews?per_page=100", "/page-2"]
    assert {auth for _, auth in api.asked} == {"Bearer t0k3n"}


def test_only_standing_approvals_of_the_head_commit_count(api: Api) -> None:
    approvals = G.standing_approvals(api.client().reviews(12), HEAD)
    # chenjing approved again on the head; hnast-sunmin's later comment leaves the approval standing;
    # zhaolei asked for changes later, liuhongmei's approval was dismissed, wangjianguo approved an older commit.
    assert sorted(r.login for r in approvals) == ["chenjing", "hnast-sunmin"]
    assert {r.id for r in approvals} == {1006, 1004}
    assert G.standing_approvals(api.client().reviews(12), OLD) == [r for r in api.client().reviews(12) if r.id == 1002]


def test_an_approval_after_a_dismissal_stands_again() -> None:
    def review(rid: int, state: str, when: str) -> G.Review:
        return G.Review(rid, "LiuHongmei", state, HEAD, when, "")

    reviews = [review(1, "DISMISSED", "2020-07-21T01:00:00Z"), review(2, "APPROVED", "2020-07-21T02:00:00Z")]
    assert [r.id for r in G.standing_approvals(reviews, HEAD)] == [2]
    assert G.standing_approvals([*reviews, review(3, "DISMISSED", "2020-07-21T03:00:00Z")], HEAD) == []


def test_an_api_error_is_an_error_not_an_empty_list(api: Api) -> None:
    with pytest.raises(G.GithubError, match="404"):
        api.client().reviews(99)


def _repo(root: Path) -> tuple[str, str, str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.org"}
    env |= {"GIT_COMMITTER_NAME": "a", "GIT_COMMITTER_EMAIL": "a@example.org", "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
        ).stdout.strip()

    root.mkdir()
    git("init", "-q")
    shas = []
    for message in ("base", "merge of #12", "direct"):
        git("commit", "-q", "--allow-empty", "-m", message)
        shas.append(git("rev-parse", "HEAD"))
    return shas[0], shas[1], shas[2]


def test_approvals_of_pull_requests_merged_since_the_last_deploy(api: Api, tmp_path: Path) -> None:
    base, merge, direct = _repo(tmp_path / "repo")
    api.substitutions = {"merge": merge, "base": base, "head13": "1" * 40}
    api.routes[f"/repos/hnast/site/commits/{merge}/pulls?per_page=100"] = (200, "commit-pulls-merged.json", None)
    api.routes[f"/repos/hnast/site/commits/{direct}/pulls?per_page=100"] = (200, "commit-pulls-open.json", None)
    records = G.merged_approvals(api.client(), tmp_path / "repo", base)
    assert sorted((r.login, r.pr, r.commit, r.anchor, r.since) for r in records) == [
        ("chenjing", 12, HEAD, merge, f"{merge}^1"),
        ("hnast-sunmin", 12, HEAD, merge, f"{merge}^1"),
    ]


def test_the_command_writes_what_make_check_reads(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_API_URL", api.url)
    monkeypatch.setenv("GITHUB_REPOSITORY", "hnast/site")
    monkeypatch.setenv("GITHUB_TOKEN", "t0k3n")
    out = tmp_path / "approvals.json"
    assert G.main(["--pr", "12", "--base", "b" * 40, "--head", HEAD, "--out", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert {(a["login"], a["anchor"], a["since"]) for a in written} == {
        ("chenjing", HEAD, "b" * 40),
        ("hnast-sunmin", HEAD, "b" * 40),
    }
    assert {a.login for a in GithubApproval.load(out)} == {"chenjing", "hnast-sunmin"}
    assert G.main(["--pr", "99", "--base", "b" * 40, "--head", HEAD, "--out", str(out)]) == 1
