"""What a reader sees, in Chromium, for every page type at 375 and 1280 px and in 长辈模式: every picture shows,
the navigation is never cut off without a way to the rest, and no chart, table or picture is wider than the screen.
Then the home page on a phone: what it costs before scrolling, and which picture it loads first."""

from __future__ import annotations

import pytest

from tests.browser.page_types import PAGE_TYPES, PICTURED, load_every_picture

pytestmark = pytest.mark.browser

# Every visible picture of the page's main part, loaded and drawn at a size a reader can see.
EMPTY_PICTURES = """() => [...document.querySelectorAll('main img')]
  .filter(img => img.getClientRects().length > 0)
  .filter(img => {
    const box = img.getBoundingClientRect();
    return !img.complete || img.naturalWidth === 0 || box.width < 16 || box.height < 16;
  })
  .map(img => `${img.currentSrc || img.getAttribute('src')} (${img.naturalWidth} px, drawn ` +
    `${Math.round(img.getBoundingClientRect().width)}×${Math.round(img.getBoundingClientRect().height)})`)"""

# What sticks out of the screen. A box is seen through every ancestor that clips it (a table in a wrapper that
# scrolls sideways is seen through the wrapper): what is seen must lie on the screen. A chart or a picture must
# also fit whole, as a data table need not (WCAG 1.4.10 lets a table scroll within its own box); in 长辈模式 a
# chart may scroll sideways too, its text kept as large as the page's.
TOO_WIDE = """(careMode) => {
  const screen = document.documentElement.clientWidth;
  const found = [];
  const page = document.documentElement.scrollWidth;
  if (page > screen) found.push(`the page scrolls sideways: ${page} px`);
  const seen = el => {
    let {left, right} = el.getBoundingClientRect();
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === 'visible') continue;
      const box = up.getBoundingClientRect();
      left = Math.max(left, box.left); right = Math.min(right, box.right);
    }
    return {left, right};
  };
  for (const el of document.querySelectorAll('main :is(table, svg, canvas, img, video, iframe, pre, figure)')) {
    if (el.parentElement && el.parentElement.closest('svg')) continue;
    const box = el.getBoundingClientRect();
    if (!box.width) continue;
    const name = `${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''}`;
    const {left, right} = seen(el);
    if (left < -1 || right > screen + 1) found.push(`${name} is cut off: ${Math.round(left)}..${Math.round(right)} px`);
    const whole = el.matches('svg, canvas, img, video, iframe') && !(careMode && el.matches('svg'));
    if (whole && box.width > screen + 1) found.push(`${name} is ${Math.round(box.width)} px wide, screen ${screen}`);
  }
  return found;
}"""

# Each entry of the navigation, against the box it is shown in and the screen.
CUT_OFF_ENTRIES = """() => {
  const screen = document.documentElement.clientWidth;
  return [...document.querySelectorAll('.site-nav a')].filter(a => {
    const box = a.getBoundingClientRect();
    const list = a.closest('ul').getBoundingClientRect();
    return box.width === 0 || box.left < Math.max(0, list.left) - 1 || box.right > Math.min(screen, list.right) + 1;
  }).map(a => a.textContent.trim());
}"""

VIEWS = [(375, False), (1280, False), (375, True), (1280, True)]


def _open(browser, url: str, width: int, care: bool):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    if care:
        context.add_init_script("window.localStorage.setItem('care-mode', 'on')")
    return context, context.new_page()


@pytest.mark.parametrize(("width", "care"), VIEWS, ids=["375", "1280", "375-care", "1280-care"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_every_page_type_looks_whole(browser, site_url: str, name: str, width: int, care: bool) -> None:
    context, page = _open(browser, site_url, width, care)
    try:
        response = page.goto(site_url + PAGE_TYPES[name], wait_until="networkidle")
        assert response is not None and (response.ok or name == "404")
        load_every_picture(page)
        if name in PICTURED:
            assert page.locator("main img").count() > 0, f"{name}: no picture at all"
        assert page.evaluate(EMPTY_PICTURES) == []
        assert page.evaluate(TOO_WIDE, care) == []
        cut_off = page.evaluate(CUT_OFF_ENTRIES)
        if cut_off:
            # Entries off the row are fine only while the row shows it has more, and a button opens them all.
            nav = page.locator(".site-nav")
            assert nav.get_attribute("data-more") is not None or nav.get_attribute("data-less") is not None
            toggle = page.get_by_role("button", name="全部栏目")
            assert toggle.is_visible(), f"{name}: {cut_off} are cut off and nothing says so"
            toggle.click()
            assert page.evaluate(CUT_OFF_ENTRIES) == []
            assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


def test_the_menu_opens_and_closes_from_the_keyboard(browser, site_url: str) -> None:
    context, page = _open(browser, site_url, 375, False)
    try:
        page.goto(site_url, wait_until="networkidle")
        nav = page.locator(".site-nav")
        assert nav.get_attribute("data-more") is not None  # the row fades out where it has more
        assert page.evaluate(CUT_OFF_ENTRIES) != []
        assert page.get_by_role("button", name="全部栏目").is_visible()
        toggle = page.locator("[data-nav-toggle]")  # its name changes as it opens
        assert toggle.get_attribute("aria-expanded") == "false"
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true" and toggle.inner_text() == "收起栏目"
        assert page.evaluate(CUT_OFF_ENTRIES) == []
        page.keyboard.press("Space")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert page.evaluate(CUT_OFF_ENTRIES) != []
    finally:
        context.close()


def test_the_row_keeps_the_current_page_in_sight(browser, site_url: str) -> None:
    context, page = _open(browser, site_url, 375, False)
    try:
        page.goto(site_url + "events/", wait_until="networkidle")
        current = page.locator(".site-nav a[aria-current='page']")
        assert current.inner_text() == "活动"
        assert "活动" not in page.evaluate(CUT_OFF_ENTRIES)
        assert page.locator(".site-nav").get_attribute("data-less") is not None
    finally:
        context.close()


def test_the_home_page_on_a_phone_costs_under_150_kb_before_scrolling(browser, site_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    try:
        page.goto(site_url, wait_until="networkidle")
        sizes = {r.url: r.sizes() for r in finished}
        transferred = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values())
        assert transferred < 150 * 1024, sorted((s["responseBodySize"], url) for url, s in sizes.items())
        # Pictures far below the first screen are left for later; the 头条's is loaded, and first.
        later = page.evaluate(
            "[...document.querySelectorAll('main img')]"
            ".filter(img => img.getBoundingClientRect().top > 3 * innerHeight)"
            ".map(img => [img.loading, img.currentSrc])"
        )
        assert later and all(loading == "lazy" and src == "" for loading, src in later), later
        pictures = [url for url in sizes if url.endswith((".webp", ".jpg", ".png"))]
        assert pictures and "zhiku-chengguo" in pictures[0], pictures
    finally:
        context.close()


def test_the_headline_picture_is_the_largest_paint_and_no_larger_than_it_needs(browser, site_url: str) -> None:
    for scale in (1, 2, 3):
        context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=scale)
        page = context.new_page()
        try:
            page.goto(site_url, wait_until="networkidle")
            largest = page.evaluate(
                """() => new Promise(done => new PerformanceObserver(list => {
                     const entries = list.getEntries();
                     done(entries[entries.length - 1].element?.className || '');
                   }).observe({type: 'largest-contentful-paint', buffered: true}))"""
            )
            assert largest == "lead__image"
            image = page.locator(".lead__image")
            assert image.get_attribute("fetchpriority") == "high" and image.get_attribute("loading") is None
            drawn = image.evaluate("img => img.getBoundingClientRect().width") * scale
            offered = page.locator(".lead source[type='image/webp']").get_attribute("srcset")
            widths = sorted(int(entry.split()[-1][:-1]) for entry in offered.split(", "))
            needed = min([w for w in widths if w >= drawn] or [widths[-1]])
            assert image.evaluate("img => img.currentSrc").endswith(f"-{needed}w.webp"), (scale, drawn, widths)
        finally:
            context.close()
