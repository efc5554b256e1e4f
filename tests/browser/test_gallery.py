"""The gallery in real Chromium: a keyboard-driven lightbox, swipes on a phone, plain links without JavaScript."""

from __future__ import annotations

import re
import runpy
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PageWatch, served
from tests.build.test_images_build import build_with_plugins
from tests.sites import PROJECT

pytestmark = pytest.mark.browser

GALLERY = "galleries/kepu-dabaoche-2020/"
PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def gallery_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site's URL: the shared build once pelicanconf.py lists the galleries plugin, else our own."""
    if "galleries" in runpy.run_path(str(PROJECT / "pelicanconf.py"))["PLUGINS"]:
        yield request.getfixturevalue("site_url")
        return
    root = tmp_path_factory.mktemp("sample-galleries")
    shutil.copytree(PROJECT / "content", root / "content")
    run = build_with_plugins(root, site_now="2020-12-31 12:00", timeout=600)
    assert run.returncode == 0, run.text
    with served(run.output) as url:
        yield url


@pytest.fixture
def phone(browser: Browser, gallery_site: str) -> Iterator[PageWatch]:
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    watch = PageWatch(context.new_page(), gallery_site)
    yield watch
    context.close()


def dialog_state(page: Page) -> dict:
    return page.evaluate(
        """() => {
          const d = document.querySelector('dialog.lightbox');
          const img = d && d.querySelector('.lightbox__image');
          return {
            open: !!(d && d.open),
            focusInside: !!(d && d.contains(document.activeElement)),
            count: d ? d.querySelector('.lightbox__count').textContent : '',
            alt: img ? img.alt : '',
          };
        }"""
    )


def assert_clean(watch: PageWatch) -> None:
    assert watch.console_errors == []
    assert watch.failed_requests == []
    assert watch.foreign_requests == []


def test_lightbox_is_driven_by_the_keyboard_and_gives_focus_back(phone: PageWatch, gallery_site: str) -> None:
    page = phone.page
    page.goto(gallery_site + GALLERY, wait_until="networkidle")
    links = page.locator(".gallery__link")
    total = links.count()
    alts = [links.nth(i).locator("img").get_attribute("alt") for i in range(total)]
    assert total >= 5
    links.first.focus()
    page.keyboard.press("Enter")
    state = dialog_state(page)
    assert state == {"open": True, "focusInside": True, "count": f"1 / {total}", "alt": alts[0]}
    page.keyboard.press("ArrowRight")
    assert dialog_state(page)["count"] == f"2 / {total}" and dialog_state(page)["alt"] == alts[1]
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert dialog_state(page)["count"] == f"{total} / {total}"  # it wraps around
    page.keyboard.press("ArrowRight")
    for key in ["Tab"] * 9 + ["Shift+Tab"] * 9:
        page.keyboard.press(key)
        assert dialog_state(page)["focusInside"], f"focus left the lightbox after {key}"
    image = page.locator("dialog.lightbox .lightbox__image")
    page.wait_for_function("() => document.querySelector('dialog.lightbox .lightbox__image').complete")
    chosen = image.evaluate("img => img.currentSrc")
    assert re.search(r"-(480|960|1600|2560)w\.webp$", chosen), chosen  # a large copy, not a thumbnail
    box = image.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5
    page.keyboard.press("Escape")
    assert dialog_state(page)["open"] is False
    # the dialog's "close" event is a queued task: wait for it rather than race it
    page.wait_for_function("!document.documentElement.classList.contains('lightbox-open')", timeout=5000)
    assert page.evaluate("document.activeElement === document.querySelector('.gallery__link')")
    assert_clean(phone)


def test_swipes_turn_the_photos_on_a_phone(phone: PageWatch, gallery_site: str) -> None:
    page = phone.page
    page.goto(gallery_site + GALLERY, wait_until="networkidle")
    total = page.locator(".gallery__link").count()
    page.locator(".gallery__link").nth(1).tap()
    assert dialog_state(page)["count"] == f"2 / {total}"
    touch = page.context.new_cdp_session(page)

    def swipe(from_x: int, to_x: int, y: int = 400) -> None:
        # A finger's pace, and a pause before lifting it: a fling would swallow the next tap, as on a phone.
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": from_x, "y": y}]})
        for step in range(1, 6):
            x = from_x + (to_x - from_x) * step / 5
            touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
            page.wait_for_timeout(30)
        page.wait_for_timeout(150)
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    swipe(300, 60)
    assert dialog_state(page)["count"] == f"3 / {total}"
    swipe(60, 300)
    swipe(60, 300)
    assert dialog_state(page)["count"] == f"1 / {total}"
    page.locator("dialog.lightbox .lightbox__close").tap()
    page.wait_for_function("() => !document.querySelector('dialog.lightbox').open")
    assert_clean(phone)


def test_gallery_page_fits_a_phone_and_loads_webp(phone: PageWatch, gallery_site: str) -> None:
    page = phone.page
    page.goto(gallery_site + GALLERY, wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gallery__image')].every(i => i.complete && i.naturalWidth > 0)"
    )
    sources = page.eval_on_selector_all(".gallery__image", "imgs => imgs.map(i => i.currentSrc)")
    assert sources and all(src.endswith(".webp") for src in sources), sources
    credit = page.locator(".gallery-page__meta").inner_text()
    assert "摄影" in credit
    assert_clean(phone)


def test_without_javascript_each_thumbnail_opens_its_large_image(browser: Browser, gallery_site: str) -> None:
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(gallery_site + GALLERY)
        href = page.locator(".gallery__link").first.get_attribute("href")
        with page.expect_navigation() as navigation:
            page.locator(".gallery__link").first.click()
        response = navigation.value
        assert response.ok and response.headers["content-type"] == "image/jpeg"
        assert page.url == gallery_site + GALLERY + href
    finally:
        context.close()


def test_article_shows_its_gallery_strip_on_a_phone(phone: PageWatch, gallery_site: str) -> None:
    page = phone.page
    page.goto(gallery_site + GALLERY, wait_until="networkidle")
    article = page.locator(".related a").first
    article.click()
    page.wait_for_load_state("networkidle")
    strip = page.locator(".gallery-strip")
    assert strip.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    strip.locator(".gallery-strip__grid a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(GALLERY + "#photo-1")
    assert_clean(phone)
