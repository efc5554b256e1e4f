"""The statistics charts in real Chromium: every label readable on what is behind it, inside the chart, on a phone,
on a wide screen and in 长辈模式; charts that fit a phone or scroll in their own box and say so."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# What the reader sees of each text of each chart: its colour, the colour painted behind its centre (the last
# filled shape before it in the SVG that covers that point, else the nearest background of an ancestor), its
# size on screen and where it is.
LABELS = """
() => {
  const rgba = (css) => {
    const m = css.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const backdrop = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) return colour[3] < 1 ? over(colour, backdrop(node.parentElement)) : colour;
    }
    return [255, 255, 255, 1];
  };
  const charts = [...document.querySelectorAll("svg.stats-chart__svg")];
  return charts.map((svg) => {
    const box = svg.getBoundingClientRect();
    const shapes = [...svg.querySelectorAll("rect, path, circle, ellipse, polygon")];
    const labels = [...svg.querySelectorAll("text")].map((text) => {
      const style = getComputedStyle(text);
      const r = text.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      let behind = backdrop(svg);
      for (const shape of shapes) {
        if (!(shape.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
        const s = getComputedStyle(shape);
        const fill = rgba(s.fill);
        if (!fill || s.display === "none" || s.visibility === "hidden") continue;
        const b = shape.getBoundingClientRect();
        if (x < b.left || x > b.right || y < b.top || y > b.bottom) continue;
        const alpha = fill[3] * parseFloat(s.fillOpacity) * parseFloat(s.opacity);
        behind = over([fill[0], fill[1], fill[2], alpha], behind);
      }
      const ink = rgba(style.fill);
      const inkAlpha = ink[3] * parseFloat(style.fillOpacity) * parseFloat(style.opacity);
      return {
        text: text.textContent,
        ink: over([ink[0], ink[1], ink[2], inkAlpha], behind),
        behind,
        px: parseFloat(style.fontSize) * text.getScreenCTM().a,
        inside: r.left >= box.left - 1 && r.right <= box.right + 1
          && r.top >= box.top - 1 && r.bottom <= box.bottom + 1,
        shown: r.width > 0 && style.display !== "none" && style.visibility !== "hidden",
      };
    });
    const scroller = svg.closest(".stats-chart__scroll");
    const hint = svg.closest("figure").querySelector(".stats-chart__hint");
    return {
      id: svg.id,
      left: box.left,
      right: box.right,
      scrolls: ["auto", "scroll"].includes(getComputedStyle(scroller).overflowX),
      scrollerRight: scroller.getBoundingClientRect().right,
      hinted: !!hint && hint.getBoundingClientRect().height > 0 && getComputedStyle(hint).visibility !== "hidden",
      table: !!svg.closest(".stats__pair").querySelector("table caption"),
      labels,
    };
  });
}
"""


def luminance(colour: list[float]) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: list[float], b: list[float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def year_pages(browser, site_url: str) -> list[str]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url + "stats/", wait_until="networkidle")
    links = page.locator(".stats__years a").evaluate_all("els => els.map(a => a.href)")
    context.close()
    return [site_url + "stats/", *links]


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("width", [375, 1280])
def test_every_chart_label_reads_on_its_background_and_the_charts_fit(
    browser, site_url: str, width: int, care: bool
) -> None:
    urls = year_pages(browser, site_url)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    if care:
        context.add_init_script("window.localStorage.setItem('care-mode', 'on')")
    page = context.new_page()
    checked = 0
    for url in urls:
        page.goto(url, wait_until="networkidle")
        assert (page.evaluate("document.documentElement.dataset.mode") == "care") is care
        charts = page.evaluate(LABELS)
        assert len(charts) == 2, url
        for chart in charts:
            assert chart["table"], (url, chart["id"])  # the figures are in a table beside the chart too
            labels = [label for label in chart["labels"] if label["shown"]]
            assert len(labels) >= 10, (url, chart["id"])
            for label in labels:
                where = (url, chart["id"], label["text"])
                ratio = contrast(label["ink"], label["behind"])
                assert ratio >= 4.5, (*where, label["ink"], label["behind"], round(ratio, 2))
                assert label["inside"], where  # not cut off at the chart's edge
                # As large as the page's own small print; in 长辈模式 as large as its body text.
                assert label["px"] >= (20 if care else 12), (*where, label["px"])
                checked += 1
            if width == 375:
                fits = chart["left"] >= 0 and chart["right"] <= width
                boxed = chart["scrolls"] and chart["scrollerRight"] <= width and chart["hinted"]
                assert fits or boxed, (url, chart["id"], chart)
                if not care:
                    assert fits, (url, chart["id"])  # on a phone the chart is whole, without scrolling
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    assert checked > 0
    context.close()
