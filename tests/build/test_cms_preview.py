"""`make cms`: what the editor writes through the guard reaches the preview beside it, new articles and edits alike."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.build.test_cms_backend import _persist
from tests.sites import PROJECT, _env, article, write_site

NEW = "content/articles/news/2020-07-20-xin-gaojian/index.md"
NEW_URL = "articles/2020/07/xin-gaojian/"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Editing:
    root: Path
    port: int
    site_port: int
    log: Path

    def save(self, path: str, raw: str) -> None:
        """What the editor's 发布 button sends: persistEntry, from the preview's own page, through the guard."""
        data = json.dumps(_persist(path, raw)).encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        connection.request(
            "POST",
            "/api/v1",
            data,
            {"Origin": f"http://127.0.0.1:{self.site_port}", "Content-Type": "application/json"},
        )
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        assert response.status == 200, answer

    def page(self, url: str, text: str, seconds: float = 180) -> str:
        """The preview's page once it shows `text`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.site_port}/{url}", timeout=5) as response:
                    page = response.read().decode("utf-8")
                if text in page:
                    return page
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.5)
        raise AssertionError(f"{url} never showed {text!r}:\n{self.log.read_text(encoding='utf-8', errors='replace')}")


@pytest.fixture
def editing(tmp_path: Path) -> Iterator[Editing]:
    first = article("第一篇", "2020-07-01", "第一篇正文。")
    root = write_site(tmp_path / "site", {"content/articles/news/a.md": first})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    port, site_port = _free_port(), _free_port()
    log = tmp_path / "cms.log"
    command = [
        sys.executable, "-m", "cms.local", "--root", str(root), "--port", str(port), "--site-port", str(site_port),
        "--settings", str(PROJECT / "pelicanconf.py"), "--output", str(root / "output"),
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=PROJECT, env=_env("2020-07-25 12:00"), stdout=out, stderr=out)
    editing = Editing(root, port, site_port, log)
    try:
        editing.page("articles/2020/07/a/", "第一篇正文。")
        yield editing
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    # Nothing of the session is left listening: not the guard, not the preview.
    for number in (port, site_port):
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", number)) != 0, number


def test_a_new_article_and_an_edited_body_reach_the_preview(editing: Editing) -> None:
    text = "---\ntitle: 新稿件\ndate: 2020-07-20 09:30\ndepartment: dyxcb\nstatus: draft\n---\n新稿件的第一版正文。\n"
    editing.save(NEW, text)
    first = editing.page(NEW_URL, "新稿件的第一版正文。")
    assert "草稿" in first  # a preview shows a draft with its banner
    editing.save(NEW, text.replace("第一版", "第二版"))
    second = editing.page(NEW_URL, "新稿件的第二版正文。")
    assert "第一版" not in second
    assert (editing.root / "output" / NEW_URL / "index.html").is_file()
    assert not re.search(r"Could not process", editing.log.read_text(encoding="utf-8", errors="replace"))
