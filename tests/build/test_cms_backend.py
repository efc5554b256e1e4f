"""The real decap-server behind the guard (`make cms`): content/ is written, nothing else is read or written."""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from cms.local import LocalBackend, running_proxy

ORIGIN = "http://127.0.0.1:8000"
SETTINGS = "SITENAME = '河南省科学技术协会'\n"
ARTICLE = "---\ntitle: 全省科协工作会议召开\n---\n正文。\n"


@dataclass
class Editor:
    root: Path
    port: int
    backend: LocalBackend

    def send(
        self, method: str, body: object = None, *, host: str | None = None, origin: str | None = ORIGIN, path="/api/v1"
    ) -> tuple[int, dict[str, str], object]:
        """A request as a browser page would send it; Host and Origin as given."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        data = json.dumps(body).encode() if body is not None else b""
        connection.putrequest(method, path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{self.port}")
        if origin is not None:
            connection.putheader("Origin", origin)
        if method == "OPTIONS":
            connection.putheader("Access-Control-Request-Method", "POST")
        connection.putheader("Content-Type", "application/json; charset=utf-8")
        connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        raw = response.read()
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, json.loads(raw) if raw else None

    def post(self, body: object, **headers: str) -> tuple[int, object]:
        status, _, answer = self.send("POST", body, **headers)
        return status, answer


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    """A repository with content, code and git's files; a link in content/ that leads to .git/config."""
    base = tmp_path_factory.mktemp("cms-backend")
    root = base / "site"
    (root / "content/articles/news/kexie-huiyi").mkdir(parents=True)
    (root / "content/articles/news/kexie-huiyi/index.md").write_text(ARTICLE, encoding="utf-8")
    (root / "plugins").mkdir()
    (root / "pelicanconf.py").write_text(SETTINGS, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    os.symlink("../../../.git/config", root / "content/articles/news/config.md")
    port = _free_port()
    with (root.parent / "decap-server.log").open("wb") as log, running_proxy(root, port, log, (ORIGIN,)) as backend:
        yield Editor(root, port, backend)


def _persist(path: str, raw: str = ARTICLE) -> dict:
    return {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{"slug": "x", "path": path, "raw": raw}],
            "assets": [],
            "options": {"commitMessage": "新建", "useWorkflow": False, "status": "draft"},
        },
    }


def test_decap_server_listens_on_no_port(editor: Editor) -> None:
    """Only the guard has a TCP port: decap-server's socket is a file in a folder only this user may enter."""
    pid = editor.backend.process.pid
    sockets = set()
    for fd in (Path("/proc") / str(pid) / "fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            sockets.add(target[8:-1])
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A":  # LISTEN
                listening.add(fields[9])
    assert sockets and not sockets & listening
    assert oct(editor.backend.socket_dir.stat().st_mode & 0o777) == "0o700"


def test_a_write_under_content_works(editor: Editor) -> None:
    path = "content/articles/news/2020-07-20-peixun/index.md"
    assert editor.post(_persist(path)) == (200, {"message": "entry persisted"})
    assert (editor.root / path).read_text(encoding="utf-8") == ARTICLE
    photo = {"path": "content/articles/news/2020-07-20-peixun/a.png", "content": base64.b64encode(b"png").decode()}
    status, answer = editor.post(
        {
            "action": "persistMedia",
            "params": {"branch": "main", "asset": {**photo, "encoding": "base64"}, "options": {"commitMessage": "m"}},
        }
    )
    assert status == 200 and answer["path"] == photo["path"]
    assert (editor.root / photo["path"]).read_bytes() == b"png"


@pytest.mark.parametrize("path", ["plugins/x.py", "pelicanconf.py", "../outside.md", "content/../plugins/x.md"])
def test_a_write_out_of_content_is_refused(editor: Editor, path: str) -> None:
    status, answer = editor.post(_persist(path, raw="import os\n"))
    assert status == 403 and "content/" in answer["error"]
    assert not (editor.root / "plugins/x.py").exists() and not (editor.root / "plugins/x.md").exists()
    assert not (editor.root.parent / "outside.md").exists()
    assert (editor.root / "pelicanconf.py").read_text(encoding="utf-8") == SETTINGS


def test_a_delete_out_of_content_is_refused(editor: Editor) -> None:
    body = {
        "action": "deleteFile",
        "params": {"branch": "main", "path": "pelicanconf.py", "options": {"commitMessage": "m"}},
    }
    assert editor.post(body)[0] == 403
    assert (editor.root / "pelicanconf.py").is_file()


def test_git_config_cannot_be_read(editor: Editor) -> None:
    secret = (editor.root / ".git/config").read_text(encoding="utf-8")
    for body in (
        {"action": "getEntry", "params": {"branch": "main", "path": ".git/config"}},
        {"action": "getMediaFile", "params": {"branch": "main", "path": ".git/config"}},
        {"action": "getEntry", "params": {"branch": "main", "path": "content/articles/news/config.md"}},
        {"action": "entriesByFolder", "params": {"branch": "main", "folder": ".git", "extension": "", "depth": 1}},
    ):
        status, answer = editor.post(body)
        assert status == 403, body
        assert secret not in json.dumps(answer)
    # A listing of content/ reads every file in it, the link to .git/config too: the guard leaves it out.
    listing = {
        "action": "entriesByFolder",
        "params": {"branch": "main", "folder": "content", "extension": "md", "depth": 5},
    }
    status, answer = editor.post(listing)
    assert status == 200
    paths = [entry["file"]["path"] for entry in answer]
    assert "content/articles/news/kexie-huiyi/index.md" in paths
    assert "content/articles/news/config.md" not in paths and "[core]" not in json.dumps(answer)


@pytest.mark.parametrize("host", ["evil.example:{port}", "localhost.evil.example:{port}", "127.0.0.1"])
def test_a_foreign_host_is_refused(editor: Editor, host: str) -> None:
    """DNS rebinding: a page of another site, its name re-pointed at 127.0.0.1, sends its own name as Host."""
    path = "content/articles/news/rebound/index.md"
    status, headers, answer = editor.send("POST", _persist(path), host=host.format(port=editor.port))
    assert status == 403 and answer["code"] == "cms-host"
    assert "access-control-allow-origin" not in headers
    assert not (editor.root / path).exists()


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:3000", "null", None])
def test_a_foreign_origin_is_refused(editor: Editor, origin: str | None) -> None:
    path = "content/articles/news/cross-site/index.md"
    status, headers, answer = editor.send("POST", _persist(path), origin=origin)
    assert status == 403 and answer["code"] == "cms-origin"
    assert "access-control-allow-origin" not in headers
    assert not (editor.root / path).exists()
    status, headers, _ = editor.send("OPTIONS", origin=origin)
    assert status == 403 and "access-control-allow-origin" not in headers


def test_the_preview_passes_the_preflight(editor: Editor) -> None:
    status, headers, _ = editor.send("OPTIONS")
    assert status == 204
    assert headers["access-control-allow-origin"] == ORIGIN and headers["access-control-allow-methods"] == "POST"


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/v1"), ("POST", "/api/v1/../v1"), ("POST", "/API/V1")])
def test_only_post_to_the_api_is_forwarded(editor: Editor, method: str, path: str) -> None:
    status, _, answer = editor.send(method, {"action": "info"}, path=path)
    assert status == 403 and answer["code"] == "cms-request"
