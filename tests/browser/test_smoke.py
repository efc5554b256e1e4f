"""The sample site in real Chromium: the home page and an article load cleanly and stay on localhost."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_and_article_load_without_errors_or_foreign_requests(watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url, wait_until="networkidle")
    assert page.title().startswith("河南省科学技术协会")
    headline = page.locator(".lead__title a")
    assert headline.count() == 1
    title = headline.inner_text()
    headline.click()
    page.wait_for_load_state("networkidle")
    assert "/articles/" in page.url
    assert page.locator("h1.article__title").inner_text() == title
    assert page.locator(".article__body p").count() >= 1
    assert watched.console_errors == []
    assert watched.failed_requests == []
    assert watched.foreign_requests == []


def test_stylesheet_applies_on_a_phone(watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url, wait_until="networkidle")
    line_height = page.evaluate(
        "parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize)"
    )
    assert 1.7 <= line_height <= 1.9
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
