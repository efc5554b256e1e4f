"""The local editor's guard decides hostile requests: foreign hosts and origins, paths out of content/, odd bodies."""

from __future__ import annotations

import email.message
import io
import json
import os
from pathlib import Path

import pytest

from cms.fence import Fence, Refused, check_request, visible
from cms.guard import LARGEST_BODY, Policy, answer, check_host, check_origin, read_body

ORIGIN = "http://127.0.0.1:8000"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with content, code beside it, git's files, and links that lead out of content/."""
    root = tmp_path / "repo"
    (root / "content/articles/news/a").mkdir(parents=True)
    (root / "content/articles/news/a/index.md").write_text("---\ntitle: 甲\n---\n", encoding="utf-8")
    (root / "content/images/uploads").mkdir(parents=True)
    (root / "content/.secret.md").write_text("hidden", encoding="utf-8")
    (root / "plugins").mkdir()
    (root / "pelicanconf.py").write_text("SITENAME = 'x'\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git/config").write_text("[core]\n", encoding="utf-8")
    (tmp_path / "outside.md").write_text("outside", encoding="utf-8")
    links = root / "content/articles/links"
    links.mkdir()
    os.symlink(root / "plugins", links / "to-plugins")  # a folder link out of content/
    os.symlink("../../../pelicanconf.py", links / "conf.md")  # a file link with an innocent name
    os.symlink("../../../.git/config", links / "git.md")
    os.symlink(tmp_path / "outside.md", links / "outside.md")
    os.symlink("../../../plugins/new.py", links / "dangling.md")  # a write would create plugins/new.py
    os.symlink("loop.md", links / "loop.md")
    os.symlink("../news", links / "news")  # a link that stays inside content/
    return root


@pytest.fixture
def fence(repo: Path) -> Fence:
    return Fence(repo)


def _refused(call, *args, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        call(*args, **kwargs)
    return caught.value


# Writes


@pytest.mark.parametrize(
    "path",
    [
        "content/articles/news/b/index.md",
        "content/articles/news/a/index.md",
        "content/images/uploads/photo.JPG",
        "content/articles/news/a/tongzhi.pdf",
        "content/data/notice.yml",
        "content//articles/news/c/index.md",
        "content/articles/links/news/d/index.md",  # through a link that stays in content/
    ],
)
def test_writes_under_content_pass(fence: Fence, repo: Path, path: str) -> None:
    assert fence.writable(path).is_relative_to(repo / "content")


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("plugins/x.py", "cms-write"),
        ("pelicanconf.py", "cms-write"),
        ("Makefile", "cms-write"),
        ("theme/templates/base.html", "cms-write"),
        ("../outside.md", "cms-path"),
        ("content/../plugins/x.md", "cms-path"),
        ("content/articles/../../pelicanconf.py", "cms-path"),
        ("/etc/passwd", "cms-path"),
        (str(Path("/tmp/abs.md")), "cms-path"),
        ("content\\..\\plugins\\x.md", "cms-path"),
        ("content/..\\..\\plugins/x.md", "cms-path"),
        ("content/%2e%2e/plugins/x.md", "cms-path"),
        ("content%2f..%2fplugins/x.md", "cms-path"),
        ("content/a.md\x00.py", "cms-path"),
        ("content/a\n.md", "cms-path"),
        (".git/config", "cms-path"),
        (".git/hooks/pre-commit", "cms-path"),
        ("content/.secret.md", "cms-path"),
        ("content/articles/.hidden/index.md", "cms-path"),
        ("content/./articles/x.md", "cms-path"),
        ("", "cms-path"),
        (None, "cms-path"),
        (42, "cms-path"),
        (["content/a.md"], "cms-path"),
        ("content/" + "a" * 2000 + ".md", "cms-path"),
        ("content", "cms-write"),
        ("content/", "cms-write"),
        ("Content/x.md", "cms-write"),
        ("content／x.md", "cms-write"),  # a full-width slash is a letter of a top-level name
        ("content/articles/x.py", "cms-write"),
        ("content/articles/x.html", "cms-write"),
        ("content/articles/links/to-plugins/x.md", "cms-write"),
        ("content/articles/links/conf.md", "cms-write"),
        ("content/articles/links/git.md", "cms-write"),
        ("content/articles/links/outside.md", "cms-write"),
        ("content/articles/links/dangling.md", "cms-path"),
        ("content/articles/links/loop.md", "cms-path"),
    ],
)
def test_writes_out_of_content_are_refused(fence: Fence, path: object, code: str) -> None:
    refused = _refused(fence.writable, path)
    assert (refused.status, refused.code) == (403, code)
    assert "拒绝" in refused.zh and "Refused" in refused.en


def test_a_refusal_shows_control_characters_escaped(fence: Fence) -> None:
    refused = _refused(fence.writable, "content/a\x00.md")
    assert "\x00" not in refused.zh and "\\x00" in refused.zh


# Reads


@pytest.mark.parametrize(
    ("path", "folder"),
    [
        ("content/articles/news/a/index.md", False),
        ("content/articles/news", True),
        ("content", True),
        ("content/images/uploads", True),
        ("content/articles/news/missing/index.md", False),  # decap-server answers "no data" for it
    ],
)
def test_reads_under_content_pass(fence: Fence, path: str, folder: bool) -> None:
    fence.readable(path, folder=folder)


@pytest.mark.parametrize(
    "path",
    [
        ".git/config",
        "pelicanconf.py",
        "plugins",
        "../outside.md",
        "content/articles/links/git.md",
        "content/articles/links/conf.md",
        "content/articles/links/outside.md",
        "content/articles/links/to-plugins",
        "content/.secret.md",
    ],
)
def test_reads_out_of_content_are_refused(fence: Fence, path: str) -> None:
    assert _refused(fence.readable, path, folder=True).status == 403


# Requests, action by action


def _persist(*paths: str, assets: tuple[str, ...] = (), new_path: str | None = None) -> dict:
    data_files = [
        {"slug": "x", "path": p, "raw": "---\n", **({"newPath": new_path} if new_path else {})} for p in paths
    ]
    return {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": data_files,
            "assets": [{"path": a, "content": "", "encoding": "base64"} for a in assets],
            "options": {"commitMessage": "m", "useWorkflow": False, "status": "draft"},
        },
    }


GOOD = "content/articles/news/b/index.md"


@pytest.mark.parametrize(
    "body",
    [
        {"action": "info"},
        {"action": "getDeployPreview", "params": {"branch": "main", "collection": "c", "slug": "s"}},
        {"action": "entriesByFolder", "params": {"folder": "content/articles/news", "extension": "md", "depth": 2}},
        {"action": "entriesByFiles", "params": {"files": [{"path": "content/articles/news/a/index.md"}]}},
        {"action": "getEntry", "params": {"path": "content/articles/news/a/index.md"}},
        {"action": "getMedia", "params": {"mediaFolder": "content/images/uploads"}},
        {"action": "getMediaFile", "params": {"path": "content/images/uploads/a.jpg"}},
        _persist(GOOD, assets=("content/articles/news/b/photo.jpg",)),
        _persist("content/articles/news/a/index.md", new_path=GOOD),
        {"action": "persistEntry", "params": {**_persist(GOOD)["params"], "dataFiles": None, "entry": {"path": GOOD}}},
        {"action": "persistMedia", "params": {"asset": {"path": "content/images/uploads/a.png", "content": ""}}},
        {"action": "deleteFile", "params": {"path": "content/images/uploads/a.png"}},
        {"action": "deleteFiles", "params": {"paths": ["content/images/uploads/a.png", GOOD]}},
    ],
)
def test_the_editors_requests_pass(fence: Fence, body: dict) -> None:
    if body["action"] == "persistEntry" and body["params"].get("dataFiles") is None:
        del body["params"]["dataFiles"]
    assert check_request(body, fence) == body["action"]


HOSTILE = {
    "plugin written": _persist("plugins/x.py"),
    "settings written": _persist("pelicanconf.py"),
    "outside written": _persist("../outside.md"),
    "second data file": _persist(GOOD, "plugins/x.md"),
    "asset out": _persist(GOOD, assets=("plugins/evil.py",)),
    "renamed out": _persist(GOOD, new_path="plugins/x.md"),
    "renamed from out": _persist("pelicanconf.md", new_path=GOOD),
    "entry beside": {"action": "persistEntry", "params": {"entry": {"path": "pelicanconf.py"}, "dataFiles": []}},
    "media out": {"action": "persistMedia", "params": {"asset": {"path": "theme/static/js/site.js"}}},
    "delete out": {"action": "deleteFile", "params": {"path": "Makefile"}},
    "delete some out": {"action": "deleteFiles", "params": {"paths": [GOOD, "../outside.md"]}},
    "git config read": {"action": "getEntry", "params": {"path": ".git/config"}},
    "settings read": {"action": "getMediaFile", "params": {"path": "pelicanconf.py"}},
    "files read": {"action": "entriesByFiles", "params": {"files": [{"path": GOOD}, {"path": ".git/config"}]}},
    "root listed": {"action": "entriesByFolder", "params": {"folder": ".", "extension": "", "depth": 9}},
    "git listed": {"action": "getMedia", "params": {"mediaFolder": ".git"}},
    "folder via link": {"action": "entriesByFolder", "params": {"folder": "content/articles/links/to-plugins"}},
    "git workflow": {"action": "unpublishedEntries", "params": {"branch": "main"}},
    "git merge": {"action": "publishUnpublishedEntry", "params": {"collection": "c", "slug": "s"}},
    "unknown": {"action": "runShell", "params": {}},
    "no action": {"params": {}},
    "action not text": {"action": ["info"]},
    "not an object": ["info"],
    "no params": {"action": "getEntry"},
    "params a list": {"action": "getEntry", "params": ["content/a.md"]},
    "path missing": {"action": "getEntry", "params": {}},
    "files not a list": {"action": "entriesByFiles", "params": {"files": {"path": GOOD}}},
    "paths empty": {"action": "deleteFiles", "params": {"paths": []}},
    "data files not objects": {"action": "persistEntry", "params": {"dataFiles": ["plugins/x.py"], "assets": []}},
    "assets not objects": {"action": "persistEntry", "params": {"dataFiles": [], "assets": ["plugins/x.py"]}},
}


@pytest.mark.parametrize("body", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_requests_are_refused(fence: Fence, body: object) -> None:
    refused = _refused(check_request, body, fence)
    assert refused.status == 403
    message = refused.as_json()
    assert message["code"].startswith("cms-") and "拒绝" in message["error"] and "Refused" in message["error"]


def test_a_listing_hides_links_that_lead_out_of_content(fence: Fence) -> None:
    """decap-server lists and reads every file of a folder, links included: the guard drops the refused ones."""
    listed = [
        {"data": "---", "file": {"path": "content/articles/news/a/index.md"}},
        {"data": "[core]", "file": {"path": "content/articles/links/git.md"}},
        {"data": "SITENAME", "file": {"path": "content/articles/links/conf.md"}},
        {"data": "hidden", "file": {"path": "content/.secret.md"}},
        {"data": None, "file": {}},
    ]
    kept = visible("entriesByFolder", listed, fence)
    assert kept == listed[:1]
    media = [{"path": "content/articles/links/outside.md", "content": "b3V0c2lkZQ=="}, {"path": GOOD, "content": ""}]
    assert visible("getMedia", media, fence) == media[1:]
    body = json.dumps(listed).encode()
    assert json.loads(answer("entriesByFolder", 200, body, fence)) == listed[:1]
    assert answer("getEntry", 200, body, fence) == body  # the path of a single read was checked before


# Host, Origin and body


def _headers(**values: str | list[str]) -> email.message.Message:
    headers = email.message.Message()
    for name, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            headers[name.replace("_", "-")] = one
    return headers


@pytest.fixture
def policy(fence: Fence) -> Policy:
    return Policy(port=8081, origins=(ORIGIN, "http://localhost:8000"), fence=fence)


@pytest.mark.parametrize("host", ["127.0.0.1:8081", "localhost:8081", "LOCALHOST:8081"])
def test_this_machines_address_passes(policy: Policy, host: str) -> None:
    check_host(_headers(Host=host), policy)


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:8081",  # DNS rebinding: a page of evil.example re-pointed at 127.0.0.1
        "evil.example",
        "127.0.0.1",
        "127.0.0.1:8000",
        "127.0.0.1:8081.evil.example",
        "localhost.evil.example:8081",
        "[::1]:8081",
        "0.0.0.0:8081",
        "",
        ["127.0.0.1:8081", "evil.example:8081"],
    ],
)
def test_a_foreign_host_is_refused(policy: Policy, host: str | list[str]) -> None:
    assert _refused(check_host, _headers(Host=host), policy).status == 403


def test_a_request_without_host_is_refused(policy: Policy) -> None:
    assert _refused(check_host, _headers(), policy).code == "cms-host"


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "http://127.0.0.1:3000",  # another local program's page: decap-server's own rule allowed any port
        "http://localhost:9999",
        "https://127.0.0.1:8000",
        "http://127.0.0.1:8000.evil.example",
        "http://127.0.0.1:8000@evil.example",
        "null",  # a sandboxed frame or a file:// page
        "",
        [ORIGIN, "http://evil.example"],
    ],
)
def test_a_foreign_origin_is_refused(policy: Policy, origin: str | list[str]) -> None:
    refused = _refused(check_origin, _headers(Origin=origin), policy)
    assert refused.status == 403


def test_a_request_without_origin_is_refused(policy: Policy) -> None:
    assert _refused(check_origin, _headers(), policy).code == "cms-origin"


def test_the_previews_origins_pass(policy: Policy) -> None:
    assert check_origin(_headers(Origin=ORIGIN), policy) == ORIGIN
    assert check_origin(_headers(Origin="http://localhost:8000"), policy) == "http://localhost:8000"


def _read(data: bytes, **headers: str) -> object:
    values = {"Content_Type": "application/json; charset=utf-8", "Content_Length": str(len(data)), **headers}
    return read_body(_headers(**values), io.BytesIO(data))


def test_a_json_body_is_read() -> None:
    assert _read(b'{"action": "info"}') == {"action": "info"}
    assert _read(b'{"action": "info"}', Content_Type="application/json") == {"action": "info"}


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        (b'{"action": "info"}', {"Content_Type": "text/plain"}),  # a "simple" request that skips the preflight
        (b'{"action": "info"}', {"Content_Type": "application/x-www-form-urlencoded"}),
        (b'{"action": "info"}', {"Content_Type": "application/json; charset=utf-16"}),
        (b'{"action": "info"}', {"Transfer_Encoding": "chunked"}),
        (b'{"action": "info"}', {"Content_Encoding": "gzip"}),
        (b'{"action": "info"}', {"Content_Length": "-1"}),
        (b'{"action": "info"}', {"Content_Length": "1e3"}),
        (b'{"action": "info"}', {"Content_Length": ["18", "18"]}),
        (b'{"action": "info", "action": "persistEntry"}', {}),
        (b'{"action": "info", "n": NaN}', {}),
        (b'{"action": "info"', {}),
        ('{"action": "信息"}'.encode("gbk"), {}),
    ],
)
def test_a_body_two_readers_could_read_apart_is_refused(data: bytes, headers: dict) -> None:
    refused = _refused(_read, data, **headers)
    assert (refused.status, refused.code) == (403, "cms-request")


def test_a_body_larger_than_decap_servers_limit_is_refused() -> None:
    refused = _refused(_read, b"{}", Content_Length=str(LARGEST_BODY + 1))
    assert refused.status == 413
