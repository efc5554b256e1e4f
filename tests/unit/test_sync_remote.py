"""`make sync` against local servers: ids matched before URLs, redirects fenced, one time limit, images made local."""

from __future__ import annotations

import contextlib
import io
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PIL import Image

import sync.feed
from content_model.site import Options, load_site
from content_model.times import parse_time
from sync import EXIT_FEED, EXIT_OK, import_feed, main
from sync.feed import FeedError
from tests.sites import article, write_site

NOW = parse_time("2020-07-25 12:00")
Route = Callable[[BaseHTTPRequestHandler], None]


class _Server:
    """An HTTP server on 127.0.0.1 in a thread, answering each path with its route."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.hits: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                route = server.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    self.send_error(404)
                    return
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client stopped reading
                    route(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def serve() -> Iterator[Callable[[dict[str, Route]], _Server]]:
    servers: list[_Server] = []

    def start(routes: dict[str, Route]) -> _Server:
        servers.append(_Server(routes))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def body(data: bytes, kind: str = "application/json") -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return answer


def redirect(location: str) -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return answer


def json_feed(*items: dict) -> bytes:
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "郑州市科协", "items": list(items)}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def entry(url: str, html: str = "<p>正文。</p>", **extra: object) -> dict:
    return {
        "id": url,
        "url": url,
        "title": "金水区科协开展科普进社区活动",
        "date_published": "2020-07-18T09:30:00+08:00",
        "content_html": html,
        **extra,
    }


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>郑州市科协</title><id>tag:zz.example,2020:feed</id>
<updated>2020-07-20T00:00:00Z</updated>
<entry><title>科普大篷车走进中牟</title><id>tag:zz.example,2020:article-42</id><link href="{url}"/>
<updated>2020-07-18T01:30:00Z</updated><published>2020-07-18T01:30:00Z</published>
<content type="html">&lt;p&gt;正文。&lt;/p&gt;</content></entry></feed>
"""


@pytest.fixture
def province(tmp_path: Path) -> Path:
    return write_site(tmp_path / "province", {"content/articles/news/a.md": article("省站稿件", "2020-07-01")})


def _imported(province: Path) -> list[Path]:
    return sorted((province / "content/articles/jiceng").rglob("*.md"))


def _errors(province: Path) -> list[str]:
    site = load_site(province / "content", province, Options(strict=True, now=NOW))
    return [p.message_en for p in site.problems.errors]


# Matching by feed id


def test_the_same_atom_id_under_a_new_url_is_imported_once(province: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.atom"
    feed.write_text(ATOM.format(url="https://kx.zz.example/2020/07/42.html"), encoding="utf-8")
    (created,) = import_feed(str(feed), "zzskx", "jiceng", province).created
    assert 'source_id: "tag:zz.example,2020:article-42"' in created.read_text(encoding="utf-8")
    assert not _errors(province), "source_id is a field of the content model"
    created.rename(province / "content/articles/jiceng/renamed.md")  # found wherever it has moved
    feed.write_text(ATOM.format(url="https://kx.zz.example/new-cms/article/42"), encoding="utf-8")
    again = import_feed(str(feed), "zzskx", "jiceng", province)
    assert again.created == [] and again.already == 1


def test_a_feed_id_counts_within_its_department_only(province: Path, tmp_path: Path) -> None:
    """A JSON Feed's ids are unique within that feed: another sub-site's item 42 is another item."""
    feed = tmp_path / "feed.json"
    feed.write_bytes(json_feed(entry("https://a.example/1", id="42")))
    assert len(import_feed(str(feed), "zzskx", "jiceng", province).created) == 1
    feed.write_bytes(json_feed(entry("https://b.example/1", id="42")))
    assert len(import_feed(str(feed), "dyxcb", "jiceng", province).created) == 1
    assert import_feed(str(feed), "dyxcb", "jiceng", province).already == 1


# Redirects


def test_redirects_leave_neither_http_nor_the_operators_address(province: Path, serve) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    ftp_port = listener.getsockname()[1]
    inner = serve({"/feed.json": body(json_feed(entry("http://127.0.0.1:9/a/")))})
    outer = serve(
        {
            "/to-file": redirect("file:///etc/passwd"),
            "/to-ftp": redirect(f"ftp://127.0.0.1:{ftp_port}/feed.json"),
            "/to-loopback": redirect(f"{inner.url}/feed.json"),
            "/to-self": redirect("/feed.json"),
            "/feed.json": body(json_feed(entry("https://kx.zz.example/a/"))),
        }
    )
    try:
        for path in ("/to-file", "/to-ftp", "/to-loopback"):
            with pytest.raises(FeedError) as refused:
                sync.feed.fetch(f"{outer.url}{path}", 5)
            message = str(refused.value)
            assert "无法读取订阅源" in message and ("http(s)" in message or "private network" in message), message
        with pytest.raises(TimeoutError):
            listener.accept()  # nothing ever connected to the ftp address
        assert inner.hits == [], "the redirect into this machine was not followed"
        data, address = sync.feed.fetch(f"{outer.url}/to-self", 5)
        assert address == f"{outer.url}/feed.json" and b"jsonfeed" in data, "a redirect within the given site is fine"
    finally:
        listener.close()
    assert not (province / "content/articles/jiceng").exists()


# Time and size limits


def _trickle(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.end_headers()
    for _ in range(600):  # one byte every 0.1 s for a minute, unless the client goes
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.1)


def test_a_slow_server_is_stopped_at_the_total_timeout(province: Path, serve, capsys: pytest.CaptureFixture) -> None:
    server = serve({"/feed.json": _trickle})
    timeout = 1.0
    started = time.monotonic()
    code = main(
        ["--feed", f"{server.url}/feed.json", "--department", "zzskx", "--root", str(province), "--timeout", "1"]
    )
    elapsed = time.monotonic() - started
    assert code == EXIT_FEED
    assert elapsed < timeout + 5, f"the time limit is for the whole fetch ({elapsed:.1f} s)"
    assert "timed out" in capsys.readouterr().err


def test_a_response_over_the_size_cap_is_stopped(province: Path, serve, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync.feed, "MAX_BYTES", 10_000)

    def endless(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()  # no Content-Length: the size shows only while reading
        for _ in range(100):
            handler.wfile.write(b"x" * 1000)

    server = serve({"/feed.json": endless, "/declared.json": body(b"x" * 20_000)})
    for path in ("/feed.json", "/declared.json"):
        with pytest.raises(FeedError) as stopped:
            sync.feed.fetch(f"{server.url}{path}", 5)
        assert "larger than" in str(stopped.value)


# Images


def _png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_images_are_fetched_into_a_bundle_or_left_out_with_a_note(
    province: Path, serve, capsys: pytest.CaptureFixture
) -> None:
    elsewhere = serve({"/x.png": body(_png("red"), "image/png")})
    html = (
        '<p>活动现场。</p><p><img src="/uploads/xianchang.png" alt="现场"></p>'
        '<p><img src="/uploads/xianchang.png" alt="同一张"></p>'
        f'<p><img src="{elsewhere.url}/x.png" alt="内网"></p>'
        '<p><img src="/uploads/page.png" alt="网页"></p><p><img src="/uploads/gone.png" alt="不存在"></p>'
    )
    city = serve({"/uploads/xianchang.png": body(_png("blue"), "image/png"), "/uploads/page.png": body(b"<html>")})
    city.routes["/feed.json"] = body(json_feed(entry(f"{city.url}/articles/kepu/", html)))
    code = main(["--feed", f"{city.url}/feed.json", "--department", "zzskx", "--root", str(province)])
    assert code == EXIT_OK
    (index,) = _imported(province)
    assert index.name == "index.md", "an item with images is a bundle"
    assert sorted(p.name for p in index.parent.iterdir()) == ["index.md", "xianchang.png"]
    assert (index.parent / "xianchang.png").read_bytes() == _png("blue")
    text = index.read_text(encoding="utf-8")
    assert text.count('src="xianchang.png"') == 2 and "status: draft" in text
    assert not re.search(r"<img[^>]*\bsrc=\"(https?:)?//", text), "no image is left pointing at another server"
    for left_out in (f"{elsewhere.url}/x.png", f"{city.url}/uploads/page.png", f"{city.url}/uploads/gone.png"):
        assert "未能导入" in text and left_out in text, left_out
    err = capsys.readouterr().err
    assert err.count("Image left out") == 3 and "private network" in err and "HTTP 404" in err
    assert elsewhere.hits == [], "an image on another private address is never fetched"
    assert not _errors(province)


def test_an_item_without_images_stays_one_file(province: Path, serve) -> None:
    city = serve({})
    city.routes["/feed.json"] = body(json_feed(entry(f"{city.url}/a/")))
    assert main(["--feed", f"{city.url}/feed.json", "--department", "zzskx", "--root", str(province)]) == EXIT_OK
    (path,) = _imported(province)
    assert path.parent.name == "zzskx" and path.suffix == ".md"


def test_a_file_already_at_the_new_items_name_is_never_overwritten(province: Path, tmp_path: Path) -> None:
    folder = province / "content/articles/jiceng/zzskx"
    folder.mkdir(parents=True)
    mine = folder / "2020-07-18-zzskx-a.md"
    mine.write_text(article("审稿人改过 slug 的稿件", "2020-07-18", slug="renamed-by-reviewer"), encoding="utf-8")
    before = mine.read_bytes()
    feed = tmp_path / "feed.json"
    feed.write_bytes(json_feed(entry("https://kx.zz.example/2020/07/a")))
    result = import_feed(str(feed), "zzskx", "jiceng", province)
    assert result.created == [] and len(result.skipped) == 1 and "not overwritten" in result.skipped[0]
    assert mine.read_bytes() == before
