"""One page of each type of the sample site, as the browser tests and `make screenshots` visit them."""

from __future__ import annotations

import contextlib

from playwright.sync_api import TimeoutError as PlaywrightTimeout

PAGE_TYPES = {
    "home": "",
    "section": "news/",
    "article": "articles/2020/05/keji-gongzuozhe-ri-zhuchang/",
    "article-gallery": "articles/2020/05/zuimei-fabu-yishi/",
    "notice": "articles/2020/07/xuanchuan-gongzuo-yaodian/",
    "column": "columns/zuimei-2020/",
    "topic-sections": "topics/keji-gongzuozhe-ri-2020/",
    "topic-timeline": "topics/kejiguan-xinguan/",
    "topic-grid": "topics/kepu-ri-2020/",
    "person": "people/li-ming/",
    "honour-roll": "honours/henan-zuimei-keji-gongzuozhe/2020/",
    "people": "people/",
    "gallery": "galleries/kepu-dabaoche-2020/",
    "events": "events/",
    "stats": "stats/",
    "search": "search/?q=科普",
    "withdrawn": "articles/2020/06/xuehui-gongzuo-zuotanhui/",
    "404": "404.html",
    "sitemap": "sitemap/",
    "subscribe": "feeds/",
}

# The page types whose main part shows pictures in the sample site: a cover, a banner, photos or portraits.
PICTURED = frozenset(
    {"home", "section", "article", "article-gallery", "column", "topic-sections", "topic-timeline", "topic-grid"}
    | {"person", "honour-roll", "people", "gallery"}
)

# Lazy pictures load as they come near the screen: pass over the page once, then back to the top.
SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.body.scrollHeight; y += 500) {
    window.scrollTo(0, y);
    await new Promise(done => setTimeout(done, 40));
  }
  window.scrollTo(0, 0);
}"""


def load_every_picture(page) -> None:
    """Scroll through the page so that every lazy picture loads, and wait until they have."""
    page.evaluate(SCROLL_THROUGH)
    page.wait_for_load_state("networkidle")
    # networkidle can come before a busy machine has decoded the last pictures: wait until each is loaded or broken.
    # If some never load, the caller's check names them.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("[...document.querySelectorAll('main img')].every(img => img.complete)", timeout=20_000)
