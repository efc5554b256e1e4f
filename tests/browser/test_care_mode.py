"""长辈模式 in real Chromium: a visible switch, 20 px text or more, remembered across pages, switched off again."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _body_px(page) -> float:
    return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article__body, main')).fontSize)")


def test_care_mode_is_remembered_across_pages_and_can_be_switched_off(watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url, wait_until="networkidle")
    switch = page.get_by_role("button", name="长辈模式")
    assert switch.is_visible()
    assert page.evaluate("document.documentElement.dataset.mode") is None
    switch.click()
    assert page.evaluate("document.documentElement.dataset.mode") == "care"
    assert switch.get_attribute("aria-pressed") == "true"
    page.locator(".lead__title a").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.dataset.mode") == "care"
    assert _body_px(page) >= 20
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="退出长辈模式").click()
    assert page.evaluate("document.documentElement.dataset.mode") is None
    page.reload(wait_until="networkidle")
    assert page.evaluate("document.documentElement.dataset.mode") is None
    assert _body_px(page) < 20
    assert watched.console_errors == [] and watched.foreign_requests == []


def test_the_switch_works_from_the_keyboard(watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url, wait_until="networkidle")
    page.get_by_role("button", name="长辈模式").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.dataset.mode") == "care"
    page.keyboard.press("Space")
    assert page.evaluate("document.documentElement.dataset.mode") is None
