"""The site under the Content-Security-Policy of docs/nginx.conf: every page type loads with no violation."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.nginx_conf import policy as nginx_policy

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "news/",
    "articles/2020/05/keji-gongzuozhe-ri-zhuchang/",
    "articles/2020/05/zuimei-fabu-yishi/",
    "galleries/kepu-dabaoche-2020/",
    "topics/keji-gongzuozhe-ri-2020/",
    "people/li-ming/",
    "stats/",
    "events/",
    "search/?q=科普",
    "sitemap/",
    "feeds/",
]


def _policy() -> str:
    return nginx_policy()  # what docs/nginx.conf sends with every page outside /wechat/ and /admin/


@pytest.fixture(scope="module")
def csp_url(sample_site: Path) -> Iterator[str]:
    policy = _policy()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", policy)
            super().end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(sample_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_the_policy_is_strict() -> None:
    policy = _policy()
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe" not in policy


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_policy_violation(browser, csp_url: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        response = page.goto(csp_url + path, wait_until="networkidle")
        assert response is not None and response.ok
        assert response.headers.get("content-security-policy")
        page.get_by_role("button", name="长辈模式").click()  # the page's own script runs under the policy
        assert page.evaluate("document.documentElement.dataset.mode") == "care"
        assert violations == []
    finally:
        context.close()
