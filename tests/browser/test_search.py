"""Search in Chromium: recall against a plain-text ground truth, ranking, the /search/ page and the header box."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, expect

from search.index import term_hash
from search.tokenize import query_words, word_terms
from tests.browser.conftest import PageWatch, served
from tests.build.test_search_build import NOW, FixtureArticle, settings_file, write_search_site
from tests.sites import build

pytestmark = pytest.mark.browser

# Single words, names, place names, multi-word phrases, several words (all required), single characters.
QUERIES = {
    "word": ("科技", "科普", "专家", "合作社", "培训"),
    "name": ("李明", "王建国", "赵立然", "马志", "沈兰芳"),
    "place": ("洛阳", "郑州", "驻马店", "南阳", "洛阳市"),
    "phrase": ("脱贫攻坚", "乡村振兴", "洛阳市科协", "科技工作者日", "科技下乡活动"),
    "words": ("洛阳 专家", "脱贫攻坚 科技", "王建国 洛阳市科协"),
    "char": ("洛", "科", "阳", "豫"),
}
RECALL_TARGET = 0.98


@pytest.fixture(scope="module")
def search_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[FixtureArticle]]:
    root = tmp_path_factory.mktemp("search-browser")
    published = write_search_site(root)
    run = build(root, publish=True, site_now=NOW, settings=settings_file(root), timeout=300)
    assert run.returncode == 0, run.text
    return run.output, published


@pytest.fixture(scope="module")
def search_url(search_site: tuple[Path, list[FixtureArticle]]) -> Iterator[str]:
    with served(search_site[0]) as url:
        yield url


@pytest.fixture
def page_watch(browser: Browser, search_url: str) -> Iterator[PageWatch]:
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    watch = PageWatch(context.new_page(), search_url)
    yield watch
    assert watch.foreign_requests == [], "a request left localhost"
    assert watch.console_errors == []
    context.close()


def truth(published: list[FixtureArticle], query: str) -> set[str]:
    """The ground truth: the article bodies, as plain text, that contain every word of the query."""
    return {a.url for a in published if all(word in a.plain for word in query.split())}


def run_js(page, query: str) -> list[dict]:
    return page.evaluate(
        "q => siteSearch.search(q, {}, {limit: Infinity}).then(r => r.map(x => ({path: x.path, title: x.title})))",
        query,
    )


def test_recall_against_the_plain_text_of_the_bodies(page_watch: PageWatch, search_url: str, search_site) -> None:
    _output, published = search_site
    page = page_watch.page
    page.goto(search_url + "search/", wait_until="networkidle")
    page.evaluate("siteSearch.ready")
    expected_total = found_total = 0
    misses: dict[str, set[str]] = {}
    extras: dict[str, set[str]] = {}
    titles = {a.url: a.title for a in published} | {"about/": "关于我们"}
    plains = {a.url: a.plain for a in published} | {"about/": "本站由调研宣传部维护，洛阳市科协等单位供稿。"}
    for kind, queries in QUERIES.items():
        kind_expected = kind_found = 0
        for query in queries:
            expected = truth(published, query)
            found = {r["path"] for r in run_js(page, query)}
            kind_expected += len(expected)
            kind_found += len(expected & found)
            if expected - found:
                misses[query] = expected - found
            # Anything else must really contain the query, in its title or a fixed page's body.
            wrong = {u for u in found - expected if not all(w in titles[u] + plains[u] for w in query.split())}
            if wrong:
                extras[query] = wrong
        assert kind_expected > 0, f"the fixture has no answer for the {kind} queries"
        print(f"recall {kind}: {kind_found}/{kind_expected} = {kind_found / kind_expected:.3f}")
        expected_total += kind_expected
        found_total += kind_found
    recall = found_total / expected_total
    print(f"recall overall: {found_total}/{expected_total} = {recall:.3f}")
    assert recall >= RECALL_TARGET, misses
    assert not extras, extras


def test_an_exact_title_ranks_its_own_article_first(page_watch: PageWatch, search_url: str, search_site) -> None:
    _output, published = search_site
    page = page_watch.page
    page.goto(search_url + "search/", wait_until="networkidle")
    page.evaluate("siteSearch.ready")
    for article in published[::6]:
        first = page.evaluate("q => siteSearch.search(q).then(r => r[0].path)", article.title)
        assert first == article.url, article.title


def test_the_browser_tokenises_and_hashes_as_the_index_does(page_watch: PageWatch, search_url: str) -> None:
    page = page_watch.page
    page.goto(search_url + "search/", wait_until="networkidle")
    for query in ("洛阳市科协", "李明  2020年，ＡＩ", "𠀋𠀋字", "Covid-19 科普"):
        words = page.evaluate("q => siteSearch.tokens.queryWords(q)", query)
        assert words == query_words(query)
        for word in words:
            terms = page.evaluate("w => siteSearch.tokens.wordTerms(w)", word)
            assert terms == word_terms(word)
            hashes = page.evaluate("ts => ts.map(siteSearch.tokens.termHash)", terms)
            assert hashes == [term_hash(t) for t in terms]


def test_results_page_marks_the_terms_and_works_from_the_keyboard(
    page_watch: PageWatch, search_url: str, search_site
) -> None:
    _output, published = search_site
    page = page_watch.page
    page.goto(search_url + "search/", wait_until="networkidle")
    page.locator("#search-q").focus()
    page.keyboard.type("洛阳市科协")
    page.keyboard.press("Enter")
    results = page.locator("#search-results .search-result")
    expect(results.first).to_be_visible()
    assert parse_qs(urlparse(page.url).query)["q"] == ["洛阳市科协"]
    status = page.locator("#search-status")
    assert status.get_attribute("aria-live") == "polite"
    count = len(truth(published, "洛阳市科协")) + 1  # and 关于我们
    expect(status).to_have_text(f"找到 {count} 条结果")
    first = results.first
    snippet_marks = page.locator(".search-result__snippet mark").all_inner_texts()
    assert snippet_marks and set(snippet_marks) == {"洛阳市科协"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", first.locator("time").inner_text())
    href = first.locator("a").first.get_attribute("href")
    assert href.startswith("../articles/"), href  # relative: the site works under any path

    # Filters: open the chips, choose a section with the keyboard, and the URL says so.
    page.locator("#search-filters summary").focus()
    page.keyboard.press("Enter")
    chip = page.locator('.search-chip[data-filter="section"]').first
    chip.focus()
    value = chip.get_attribute("data-value")
    page.keyboard.press("Enter")
    chip = page.locator(f'.search-chip[data-filter="section"][data-value="{value}"]')
    expect(chip).to_have_attribute("aria-pressed", "true")
    assert parse_qs(urlparse(page.url).query)["section"] == [value]
    expect(page.locator(".search-chip--clear")).to_be_visible()

    # Tab on to the first result and follow it.
    link = results.first.locator("a").first
    link_text = link.inner_text()
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.search-result') !== null"):
            break
    assert page.evaluate("document.activeElement.textContent") == link_text
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/articles/" in page.url
    assert page.locator("h1.article__title").inner_text() == link_text


def test_a_shared_link_opens_with_its_query_and_filters(page_watch: PageWatch, search_url: str) -> None:
    page = page_watch.page
    page.goto(search_url + "search/?q=%E6%B4%9B%E9%98%B3&year=2020", wait_until="networkidle")
    page.evaluate("siteSearch.ready")
    expect(page.locator("#search-q")).to_have_value("洛阳")
    dates = page.locator("#search-results time").all_inner_texts()
    assert dates and all(d.startswith("2020-") for d in dates)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling on a phone


def test_the_header_box_on_every_page_submits_to_search(page_watch: PageWatch, search_url: str, search_site) -> None:
    _output, published = search_site
    page = page_watch.page
    page.goto(search_url + published[3].url, wait_until="networkidle")
    box = page.get_by_role("search").get_by_label("搜索本站")
    box.fill("脱贫攻坚")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    expect(page.locator("#search-results .search-result").first).to_be_visible()
    expect(page.locator("#search-q")).to_have_value("脱贫攻坚")


def test_no_results_and_one_query_transfer(page_watch: PageWatch, search_url: str) -> None:
    page = page_watch.page
    page.goto(search_url + "search/?q=不存在的词语组合", wait_until="networkidle")
    page.evaluate("siteSearch.ready")
    expect(page.locator("#search-status")).to_contain_text("没有找到")
    page.goto(search_url + "search/?q=洛阳市科协", wait_until="networkidle")
    page.evaluate("siteSearch.ready")
    transferred = page.evaluate("siteSearch.transferred()")
    print(f"bytes for one query on the fixture site: {transferred}")
    assert 0 < transferred < 300 * 1024
