"""Writes /stats/: the year pages with their charts, each department's and the media's pages, and the downloads."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from markupsafe import Markup
from pelican.generators import Generator

from content_model.schema import MEDIA_LEVELS
from publishing import SITE

from . import charts
from .figures import COUNTING_RULE, RANKING_RULE, Stats, YearFigures, compute, csv_text, json_text

STATS_URL = "stats/"
MEDIA_URL = "stats/media/"


def year_url(year: int) -> str:
    return f"{STATS_URL}{year}/"


def department_url(department_id: str) -> str:
    return f"{STATS_URL}departments/{department_id}/"


def download_url(year: int, suffix: str) -> str:
    return f"{STATS_URL}{year}.{suffix}"


class StatsGenerator(Generator):
    """Counts from the content model, not from Pelican's lists: a preview build lists drafts, stats never count them."""

    def generate_context(self) -> None:
        site = self.context[SITE]
        self.stats: Stats = compute(site, site.options.now)

    def generate_output(self, writer: Any) -> None:
        stats = self.stats
        common = {
            "stats": stats,
            "counting_rule": COUNTING_RULE,
            "ranking_rule": RANKING_RULE,
            "stats_url": STATS_URL,
            "media_url": MEDIA_URL,
            "year_url": year_url,
            "department_url": department_url,
            "download_url": download_url,
            "department_names": {d["id"]: d["name"] for d in stats.departments},
            "media_levels": MEDIA_LEVELS,
        }
        year_template = self.get_template("stats")
        self.chart_css: set[str] = set()
        for year in stats.years:
            figures = stats.by_year[year]
            page = {**common, "figures": figures, "charts": self._charts(figures)}
            # Every year has its own lasting address; /stats/ shows the latest year with data as well, so that
            # it is not an empty table every January.
            self._page(writer, year_template, year_url(year), page)
            if year == stats.latest_year:
                self._page(writer, year_template, STATS_URL, {**page, "overview": True})
            self._downloads(writer, figures)
        department_template = self.get_template("stats_department")
        for department in stats.departments:
            department_id = department["id"]
            page = {
                **common,
                "department": department,
                "entries": stats.entries_by_department[department_id],
                "year_rows": [(year, stats.by_year[year].row(department_id)) for year in stats.years],
            }
            self._page(writer, department_template, department_url(department_id), page)
        self._page(writer, self.get_template("stats_media"), MEDIA_URL, {**common, "levels": stats.media_levels})
        # The charts' styles live in one file, so that a strict Content-Security-Policy (style-src 'self') holds.
        writer.write_data(STATS_URL + "charts.css", partial(_lines, sorted(self.chart_css)))

    def _page(self, writer: Any, template: Any, url: str, page: dict[str, Any]) -> None:
        writer.write_file(
            url + "index.html",
            template,
            self.context,
            relative_urls=self.settings.get("RELATIVE_URLS", True),
            url=url,
            page_url=url,
            **page,
        )

    def _charts(self, figures: YearFigures) -> dict[str, Markup]:
        # Our own SVG, its texts escaped by lxml: safe to inline, so the page makes no extra request.
        out = {}
        through_month = self.stats.now.month if figures.current else 12
        made = (
            ("departments", charts.department_chart(figures)),
            ("months", charts.trend_chart(figures, through_month)),
        )
        for name, chart in made:
            self.chart_css.update(chart.css)
            out[name] = Markup(chart.svg)
        return out

    def _downloads(self, writer: Any, figures: YearFigures) -> None:
        """The year's figures as CSV and JSON: files made like pages, from the figures alone."""
        for suffix, make in (("csv", csv_text), ("json", json_text)):
            writer.write_data(f"{STATS_URL}{figures.year}.{suffix}", partial(_encoded, make, figures))


def _encoded(make: Callable[[YearFigures], str], figures: YearFigures) -> bytes:
    return make(figures).encode("utf-8")  # bytes: the CSV's CRLF must not be translated


def _lines(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"
