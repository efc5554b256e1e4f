"""Static, accessible SVG charts of the statistics, drawn at build time with pygal: no script, no outside request."""

from __future__ import annotations

import itertools
import re
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
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=14,
    title_font_size=16,
    no_data_font_size=20,
)
COMMON: dict[str, Any] = {
    "style": STYLE,
    "js": [],  # pygal would load its tooltip script from its own website; public pages load nothing from elsewhere
    "disable_xml_declaration": True,
    "show_legend": True,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 2,
    "print_values": True,  # the figures are text in the chart, not only in a tooltip that needs JavaScript
    "print_zeroes": True,
    "truncate_label": -1,  # a department's name is never cut short
    "truncate_legend": -1,
    "value_formatter": lambda value: f"{value:.0f}",
    "formatter": lambda value: f"{value:.0f}",
}
# Each series differs by more than its colour, so that it can be told apart in a grey printout.
SERIES = (
    ("报送稿件（篇）", "submitted", {"width": 2.5}),
    ("采纳次数（次）", "adoptions", {"width": 2.5, "dasharray": "8, 4"}),
)


def value_axis(largest: int) -> dict[str, Any]:
    """Whole-number ticks from zero: counts have no halves, and pygal would print 0.5 as a second "0"."""
    steps = (n * 10**power for power in itertools.count() for n in (1, 2, 5))
    step = next(s for s in steps if -(-largest // s) <= 6)  # the first of 1, 2, 5, 10, 20 … with ≤ 6 ticks
    top = max(step, -(-largest // step) * step)
    return {"range": (0, top), "y_labels": list(range(0, top + 1, step))}


def _label_room(labels: list[str], font_size: int) -> int:
    # pygal measures every character as 0.6 em; a Chinese character takes a whole em, so add the rest.
    return int(max((len(label) for label in labels), default=0) * font_size * 0.45) + 20


def _chart_id(name: str, year: int) -> str:
    # A fixed id instead of pygal's random uuid: the same content gives the same page, byte for byte.
    return f"stats-{name}-{year}"


def _finish(title: str, desc: str):
    """An xml filter: keep only what a static chart needs, and make it an accessible image."""

    def finish(root: Any) -> Any:
        chart_id = root.get("id")
        for node in list(root.iter(etree.Comment)):
            node.getparent().remove(node)  # pygal's comments carry the day of the build and links to its site
        for node in list(root.iter(etree.Element)):
            # pygal's script, and the tooltip texts and boxes only that script would show
            name = etree.QName(node).localname
            if name in ("script", "desc", "title") or "tooltip-overlay" in (node.get("class") or ""):
                node.getparent().remove(node)
            elif name == "text" and not (node.text or "").strip():
                node.getparent().remove(node)  # the place of a value left unprinted (a zero on the line chart)
            elif "reactive" in (classes := (node.get("class") or "").split()):
                # Hover styling for the script; its thin stroke would also override the series' line width.
                node.set("class", " ".join(c for c in classes if c not in ("reactive", "tooltip-trigger")))
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


def _render(chart: Any, name: str, year: int, title: str, desc: str) -> str:
    chart.uuid = _chart_id(name, year)
    chart.add_xml_filter(_finish(title, desc))
    return chart.render(is_unicode=True)


def department_chart(figures: YearFigures) -> str:
    """A bar per department, in registry order as in the table beside it: items submitted and adoptions."""
    rows = figures.rows
    names = [row.name for row in rows]
    largest = max((max(row.tally.submitted, row.tally.adoptions) for row in rows), default=0)
    chart = pygal.HorizontalBar(
        **COMMON,
        **value_axis(largest),
        margin_left=_label_room(names, STYLE.label_font_size),
        width=880,
        height=max(260, 44 * len(rows) + 120),
        x_title="数量",
        print_values_position="top",
    )
    # pygal draws the first label at the bottom: reversed, the registry's first department is at the top.
    chart.x_labels = [row.name for row in reversed(rows)]
    for label, attribute, _stroke in SERIES:
        chart.add(label, [getattr(row.tally, attribute) for row in reversed(rows)])
    parts = [f"{row.name}：报送{row.tally.submitted}篇，采纳{row.tally.adoptions}次" for row in rows]
    title = f"{figures.year}年各报送单位报送稿件数与采纳次数"
    desc = "条形图，单位顺序与报送单位登记表相同。" + "；".join(parts) + "。数据见图旁的表格。"
    return _render(chart, "departments", figures.year, title, desc)


def trend_chart(figures: YearFigures) -> str:
    """The monthly trend line of the year: items submitted and adoptions, by the article's month."""
    largest = max((max(m.tally.submitted, m.tally.adoptions) for m in figures.months), default=0)
    # A zero sits on the axis, where its label would cover the month's name: only the others are printed.
    chart = pygal.Line(
        **{**COMMON, "print_zeroes": False}, **value_axis(largest), width=880, height=420, x_title="月份", dots_size=4
    )
    chart.x_labels = [month.label for month in figures.months]
    for label, attribute, stroke in SERIES:
        chart.add(label, [getattr(month.tally, attribute) for month in figures.months], stroke_style=stroke)
    parts = [f"{m.label}报送{m.tally.submitted}篇、采纳{m.tally.adoptions}次" for m in figures.months]
    title = f"{figures.year}年每月报送稿件数与采纳次数"
    desc = "折线图，按稿件发布月份统计。" + "；".join(parts) + "。数据见图旁的表格。"
    return _render(chart, "months", figures.year, title, desc)


_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)


_LEGEND_ID = re.compile(r'\s+id="activate-serie-\d+"')


def split_styles(svg: str) -> tuple[str, list[str]]:
    """The SVG without its <style> blocks, and their CSS (scoped by the chart's id) for a stylesheet file.

    Two of pygal's habits fail the HTML checker once the SVG is inlined: `text-anchor="left"` (SVG says
    "start") and legend ids that repeat across the charts of a page (they serve pygal's script, which we omit).
    """
    css = [block.strip() for block in _STYLE.findall(svg)]
    svg = _STYLE.sub("", svg).replace('text-anchor="left"', 'text-anchor="start"')
    return _LEGEND_ID.sub("", svg), css
