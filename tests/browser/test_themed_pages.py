"""Topic and person pages of the sample site in real Chromium, on a phone-sized screen."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_timeline_topic_reads_in_date_order_and_links_work(watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url + "topics/kejiguan-xinguan/", wait_until="networkidle")
    assert page.locator("h1").inner_text() == "省科技馆新馆建设"
    dates = page.locator(".timeline__date").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert len(dates) >= 4 and dates == sorted(dates)
    assert page.locator(".timeline__milestone").count() == len(dates)
    first = page.locator(".timeline__title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1.article__title").inner_text() == title
    assert page.locator(".article__topics a", has_text="省科技馆新馆建设").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert watched.console_errors == [] and watched.foreign_requests == [] and watched.failed_requests == []


def test_person_page_shows_profile_honours_and_articles(watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url + "people/", wait_until="networkidle")
    page.locator(".person-card__name a", has_text="李明").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "李明"
    facts = page.locator(".profile__facts").inner_text()
    assert "工作单位" in facts and "职务/职称" in facts
    photo = page.locator(".profile__photo")
    assert photo.count() == 1 and photo.evaluate("img => img.complete && img.naturalWidth > 0")
    assert photo.get_attribute("alt")
    honours = page.locator(".profile__honours a")
    assert honours.count() >= 1
    articles = page.locator(".article-list__title")
    assert articles.count() >= 1
    articles.first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".article__people a", has_text="李明").count() == 1
    assert watched.console_errors == [] and watched.foreign_requests == [] and watched.failed_requests == []
