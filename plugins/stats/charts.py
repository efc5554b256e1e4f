"""Static, accessible SVG charts of the statistics, drawn at build time with pygal: no script, no outside request."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pygal
from lxml import etree
from pygal.style import Style

from .figures import YearFigures

SVG_NS = "http://www.w3.org/2000/svg"
FONTS = (
    '-apple-system, BlinkMacSystemFont, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", Arial, sans-serif'
)
SUBMITTED_COLOUR = "#1d4f91"  # the site's --brand
ADOPTIONS_COLOUR = "#b8282e"  # the site's --accent

# A chart is drawn this wide and shown between a phone's width and this: its text, FONT_SIZE here, never
# shrinks below 12 px on a 375 px screen (theme/static/css/stats.css).
WIDTH = 420
FONT_SIZE = 16
ROW_HEIGHT = 52  # two bars, each a little taller than its printed figure
FRAME_HEIGHT = 150  # the value axis, its title and the legend below
# A bar's label longer than this is cut short with "…" on the chart (the table beside it and the chart's
# description hold it whole): the bars keep room, and pygal, given no room at all, would never finish drawing.
LABEL_CHARS = 11

# Printable on white paper and readable in the page: the site's colours, its system fonts, dark text.
STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2328",
    foreground_strong="#1f2328",
    foreground_subtle="#8c959f",
    opacity="1",
    opacity_hover="1",
    transition="0s",
    colors=(SUBMITTED_COLOUR, ADOPTIONS_COLOUR),
    font_family=FONTS,
    label_font_size=FONT_SIZE,
    major_label_font_size=FONT_SIZE,
    value_font_size=FONT_SIZE,
    legend_font_size=FONT_SIZE,
    title_font_size=FONT_SIZE,
    no_data_font_size=20,
)
COMMON: dict[str, Any] = {
    "style": STYLE,
    "js": [],  # pygal would load its tooltip script from its own website; public pages load nothing from elsewhere
    "disable_xml_declaration": True,
    "show_legend": True,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 1,  # one below the other: side by side, the long Chinese names overlap
    "print_values": True,  # the figures are text in the chart, not only in a tooltip that needs JavaScript
    "print_zeroes": True,
    "truncate_label": -1,  # a department's name is never cut short
    "truncate_legend": -1,
    "value_formatter": lambda value: f"{value:.0f}",
    "formatter": lambda value: f"{value:.0f}",
}
# Each row's first bar, the upper one, is always the items submitted: the legend says so.
SERIES = (("报送稿件（篇）", "submitted"), ("采纳次数（次）", "adoptions"))


def value_axis(largest: int) -> dict[str, Any]:
    """Whole-number ticks from zero: counts have no halves, and pygal would print 0.5 as a second "0"."""
    steps = (n * 10**power for power in itertools.count() for n in (1, 2, 5))
    step = next(s for s in steps if -(-largest // s) <= 6)  # the first of 1, 2, 5, 10, 20 … with ≤ 6 ticks
    top = max(step, -(-largest // step) * step)
    return {"range": (0, top), "y_labels": list(range(0, top + 1, step))}


def _short_label(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _label_room(labels: list[str], font_size: int) -> int:
    # pygal measures every character as 0.6 em; a Chinese character takes a whole em, so add the rest.
    return int(max((len(label) for label in labels), default=0) * font_size * 0.45) + 20


def _chart_id(name: str, year: int) -> str:
    # A fixed id instead of pygal's random uuid: the same content gives the same page, byte for byte.
    return f"stats-{name}-{year}"


@dataclass(frozen=True)
class Chart:
    """An SVG chart to inline in a page, and its CSS (scoped by the chart's id) for a stylesheet file."""

    svg: str
    css: tuple[str, ...]


def _finish(title: str, desc: str, styles: list[str]):
    """An xml filter: keep only what a static chart needs, and make it an accessible image.

    The <style> blocks are taken out into `styles` as the text they hold. Their serialised form is XML, where
    `.graph > .background` is written `.graph &gt; .background`: a stylesheet file must never be cut from it.
    """

    def finish(root: Any) -> Any:
        chart_id = root.get("id")
        for node in list(root.iter(etree.Comment)):
            node.getparent().remove(node)  # pygal's comments carry the day of the build and links to its site
        for node in list(root.iter(etree.Element)):
            # pygal's script, and the tooltip texts and boxes only that script would show
            name = etree.QName(node).localname
            if name == "style":
                styles.append((node.text or "").strip())
                node.getparent().remove(node)
            elif name in ("script", "desc", "title") or "tooltip-overlay" in (node.get("class") or ""):
                node.getparent().remove(node)
            elif name == "text" and not (node.text or "").strip():
                node.getparent().remove(node)  # the place of a value left unprinted (a zero on the line chart)
            else:
                _fit_for_html(node)
        # pygal makes its elements without a namespace under the root's default one: ours follow suit.
        title_node = etree.Element("title", id=f"{chart_id}-title")
        title_node.text = title
        desc_node = etree.Element("desc", id=f"{chart_id}-desc")
        desc_node.text = desc
        root.insert(0, desc_node)
        root.insert(0, title_node)
        root.set("role", "img")
        root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
        root.set("class", "stats-chart__svg")
        # A new root with the SVG namespace alone: pygal's declares xlink too, and lxml can't drop it in place.
        clean = etree.Element("svg", attrib=dict(root.attrib), nsmap={None: SVG_NS})
        clean.extend(list(root))
        return clean

    return finish


def _fit_for_html(node: Any) -> None:
    """Three of pygal's habits that fail the HTML checker, or our styles, once the SVG is inlined in a page."""
    classes = (node.get("class") or "").split()
    if "reactive" in classes:
        # Hover styling for the script; its thin stroke would also override the series' line width.
        node.set("class", " ".join(c for c in classes if c not in ("reactive", "tooltip-trigger")))
    if node.get("text-anchor") == "left":
        node.set("text-anchor", "start")  # SVG says "start"
    if (node.get("id") or "").startswith("activate-serie-"):
        del node.attrib["id"]  # the legends' ids serve pygal's script, and repeat across the charts of a page


def _render(chart: Any, name: str, year: int, title: str, desc: str) -> Chart:
    chart.uuid = _chart_id(name, year)
    styles: list[str] = []
    chart.add_xml_filter(_finish(title, desc, styles))
    svg = chart.render(is_unicode=True)
    return Chart(svg, tuple(styles))


def _bars(name: str, year: int, labels: list[str], rows: list[Any], title: str, desc: str) -> Chart:
    """Two bars per row, top to bottom in the order given, with their figures printed at their ends.

    Bars across, not columns up: a row's name and figures never collide, however narrow the screen.
    """
    largest = max((max(row.tally.submitted, row.tally.adoptions) for row in rows), default=0)
    chart = pygal.HorizontalBar(
        **COMMON,
        **value_axis(largest),
        margin_left=_label_room([_short_label(label) for label in labels], FONT_SIZE),
        margin_right=len(str(largest)) * FONT_SIZE,  # the longest bar's figure is printed past the bar's end
        width=WIDTH,
        height=ROW_HEIGHT * len(rows) + FRAME_HEIGHT,
        x_title="数量",
        print_values_position="top",
    )
    # pygal draws the first label at the bottom: reversed, the first row is at the top.
    chart.x_labels = [_short_label(label) for label in reversed(labels)]
    for label, attribute in SERIES:
        chart.add(label, [getattr(row.tally, attribute) for row in reversed(rows)])
    return _render(chart, name, year, title, desc)


def department_chart(figures: YearFigures) -> Chart:
    """A pair of bars per department, in registry order as in the table beside it: items submitted and adoptions."""
    rows = figures.rows
    parts = [f"{row.name}：报送{row.tally.submitted}篇，采纳{row.tally.adoptions}次" for row in rows]
    title = f"{figures.year}年各报送单位报送稿件数与采纳次数"
    desc = "条形图，单位顺序与报送单位登记表相同。" + "；".join(parts) + "。数据见图旁的表格。"
    return _bars("departments", figures.year, [row.name for row in rows], rows, title, desc)


def trend_chart(figures: YearFigures, through_month: int = 12) -> Chart:
    """A pair of bars per month, January at the top: items submitted and adoptions, by the article's month.

    The current year stops at `through_month`: a month still to come has no figures, not zeros.
    """
    months = figures.months[:through_month]
    parts = [f"{m.label}报送{m.tally.submitted}篇、采纳{m.tally.adoptions}次" for m in months]
    title = f"{figures.year}年每月报送稿件数与采纳次数"
    so_far = f"截至{through_month}月，" if through_month < len(figures.months) else ""
    desc = f"条形图，按稿件发布月份统计，{so_far}自上而下为1月起各月。" + "；".join(parts) + "。数据见图旁的表格。"
    return _bars("months", figures.year, [m.label for m in months], months, title, desc)
