"""Browser fixtures: the sample site built once, served on localhost, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from devserver.server import serve

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's own background traffic is switched off: the tests watch every request the page makes.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """A built site served on localhost (by `make devserver`'s server), as its root URL."""
    server = serve(folder, "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    with served(sample_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # No skip: a machine without Chromium must fail here, loudly.
    assert CHROMIUM.exists(), "Debian's chromium is missing: make test installs it (scripts/test_deps.py)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class PageWatch:
    """Everything a page did that the tests judge: console errors and requests to other hosts."""

    def __init__(self, page: Page, base: str) -> None:
        self.page = page
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []
        self.failed_requests: list[str] = []
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        # A request the page itself abandons on navigating away (lazy images) is not a failure of the site.
        page.on(
            "requestfailed",
            lambda r: None if "ERR_ABORTED" in (r.failure or "") else self.failed_requests.append(r.url),
        )
        page.on(
            "request",
            lambda r: None if r.url.startswith((base, "data:", "blob:")) else self.foreign_requests.append(r.url),
        )


@pytest.fixture
def watched(browser: Browser, site_url: str) -> Iterator[PageWatch]:
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    page = context.new_page()
    watch = PageWatch(page, site_url)
    yield watch
    context.close()
