"""`make devserver` serves the preview on localhost and rebuilds it when a content file changes."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.sites import PROJECT, _env, article, write_site


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return None


def _wait_for(url: str, text: str, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = _fetch(url)
        if page is not None and text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed {text!r}")


def test_devserver_rebuilds_after_an_edit(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"content/articles/news/a.md": article("第一篇", "2020-07-01", "原来的正文。")})
    command = [
        sys.executable, "-m", "devserver",
        "--content", str(site / "content"), "--settings", str(PROJECT / "pelicanconf.py"),
        "--output", str(site / "output"), "--watch", "--port", "0", "--interval", "0.3",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, cwd=PROJECT, env=_env("2020-07-25 12:00"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        port = re.search(r"127\.0\.0\.1:(\d+)/", first)
        assert port, first
        url = f"http://127.0.0.1:{port.group(1)}/articles/2020/07/a/"
        _wait_for(url, "原来的正文。")
        path = site / "content/articles/news/a.md"
        path.write_text(path.read_text(encoding="utf-8").replace("原来的正文。", "改过的正文。"), encoding="utf-8")
        page = _wait_for(url, "改过的正文。")
        assert "原来的正文。" not in page
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_session_builds_at_one_time_unless_site_now_is_set() -> None:
    from devserver.server import pin_clock

    env: dict[str, str] = {}
    pinned = pin_clock(env)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", pinned) and env["SITE_NOW"] == pinned
    assert pin_clock(env) == pinned  # every rebuild of the session
    given = {"SITE_NOW": "2020-07-25 12:00"}
    assert pin_clock(given) == "2020-07-25 12:00"


def _status(port: int, host: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/", headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def test_only_requests_addressed_to_this_machine_are_served(tmp_path: Path) -> None:
    from devserver.server import serve

    (tmp_path / "index.html").write_text("<p>预览</p>", encoding="utf-8")
    server = serve(tmp_path, "127.0.0.1", 0)
    try:
        port = server.server_port
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}", "LOCALHOST"):
            assert _status(port, host) == 200, host
        # A name of another site's pointed at this machine (DNS rebinding), or none at all.
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil.example", ""):
            assert _status(port, host) == 421, host
    finally:
        server.shutdown()
        server.server_close()
