"""axe-core over every page type of the sample site, at 375 px and 1280 px, and in 长辈模式: no serious violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "section": "news/",
    "article": "articles/2020/05/keji-gongzuozhe-ri-zhuchang/",
    "notice": "articles/2020/07/xuanchuan-gongzuo-yaodian/",
    "article with gallery": "articles/2020/05/zuimei-fabu-yishi/",
    "column": "columns/zuimei-2020/",
    "topic": "topics/kejiguan-xinguan/",
    "person": "people/li-ming/",
    "honour roll": "people/",
    "gallery": "galleries/kepu-dabaoche-2020/",
    "events": "events/",
    "stats": "stats/",
    "search": "search/?q=科普",
    "404": "404.html",
    "sitemap": "sitemap/",
    "subscribe": "feeds/",
}
AXE = Axe()


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation(browser, site_url: str, name: str, width: int, care: bool) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    if care:
        context.add_init_script("window.localStorage.setItem('care-mode', 'on')")
    page = context.new_page()
    try:
        response = page.goto(site_url + PAGES[name], wait_until="networkidle")
        assert response is not None and response.ok, f"{name}: HTTP {response.status if response else '?'}"
        if care:
            assert page.evaluate("document.documentElement.dataset.mode") == "care"
        results = AXE.run(page)
        serious = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], serious
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
    finally:
        context.close()
