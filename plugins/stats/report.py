"""`make report YEAR=2020`: the year's statistics in an 80-column terminal, or as CSV, with the figures of /stats/."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from content_model import load_site
from content_model.check import UsageError, options_from_settings, read_publish_settings, year_option
from content_model.problems import format_text
from content_model.schema import MEDIA_LEVELS
from content_model.times import text_format

from .figures import CSV_HEADER, CSV_HEADER_ZH, RANKING_RULE, YearFigures, compute, csv_text, figures_for

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
FORMATS = {"text": None, "csv": CSV_HEADER, "csv-zh": CSV_HEADER_ZH}
# Two-line headings keep the count columns narrow: the table fits 80 columns with a ten-character name.
COUNT_HEADINGS = ("报送\n稿件", "被采纳\n稿件", "采纳\n次数", *(f"{level}\n媒体" for level in MEDIA_LEVELS))


def _table(title: str, caption: str | None = None) -> Table:
    # No vertical rules and one space between columns: the box characters alone would take a fifth of 80 columns.
    return Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        padding=(0, 0, 0, 1),
        pad_edge=False,
        show_edge=False,
        show_footer=True,
    )


def table(figures: YearFigures, now: datetime.datetime) -> Table:
    """One row per registry department, in registry order, as in the CSV; then the total."""
    state = f"（截至{text_format(now)}）" if figures.current else ""
    result = _table(f"{figures.year}年稿件报送与媒体采纳统计{state}", f"名次：{RANKING_RULE}")
    total = figures.total.numbers()
    result.add_column("名次", "", justify="right", no_wrap=True)
    # The one column that gives way: a long name wraps within it.
    result.add_column("报送单位", "合计", overflow="fold", ratio=1)
    result.add_column("类别", no_wrap=True)
    for heading, number in zip(COUNT_HEADINGS, total, strict=True):
        result.add_column(heading, str(number), justify="right", no_wrap=True)
    for row in figures.rows:
        result.add_row(str(row.rank), row.name, row.kind, *(str(n) for n in row.tally.numbers()))
    return result


def kinds_table(figures: YearFigures) -> Table:
    result = _table(f"{figures.year}年按单位类别小计")
    result.add_column("单位类别", no_wrap=True)
    result.add_column("单位数", justify="right", no_wrap=True)
    for heading in COUNT_HEADINGS:
        result.add_column(heading, justify="right", no_wrap=True)
    for kind in figures.kinds:
        result.add_row(kind.kind, str(kind.departments), *(str(n) for n in kind.tally.numbers()))
    return result


def _format(text: str) -> str:
    name = text.strip() or "text"
    if name not in FORMATS:
        raise UsageError(
            f"make report 的 FORMAT 只能是 text、csv 或 csv-zh，现在是“{name}”。\n"
            f"FORMAT for make report must be text, csv or csv-zh, not `{name}`."
        )
    return name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="稿件统计 Statistics of submissions and adoptions")
    parser.add_argument("--year", default=os.environ.get("YEAR", ""), help="YYYY; default: the latest with data")
    parser.add_argument("--format", default="text", help="text (a table), csv (/stats/<year>.csv) or csv-zh")
    parser.add_argument("--root", default=os.environ.get("SITE_ROOT", "."))
    parser.add_argument("--site-now", default=None)
    args = parser.parse_args(argv)
    root = Path(args.root)
    try:
        fmt = _format(args.format)
        # The publish build's settings, without its review rule: the figures, not the paperwork, are asked for.
        options = options_from_settings(read_publish_settings(), strict=False, now_text=args.site_now)
        asked = year_option(args.year, 0) if args.year.strip() else None  # None: the latest year with data
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    site = load_site(root / "content", root, options)
    if site.problems.errors:
        # The build refuses such content; figures from it would not match the site.
        print(format_text(site.problems), file=sys.stderr)
        print("统计未生成：请先改正以上错误。 No report: fix the errors above first.", file=sys.stderr)
        return EXIT_CONTENT
    assert options.now is not None
    stats = compute(site, options.now)
    year = stats.latest_year if asked is None else asked
    figures = stats.by_year.get(year) or figures_for(site, options.now, year)
    header = FORMATS[fmt]
    if asked is None:
        # Said on stderr, so that a CSV on stdout stays a CSV.
        print(
            f"未指定 YEAR，显示有数据的最近一年：{year}年。其他年份：make report YEAR=…\n"
            f"No YEAR given: showing {year}, the latest year with data.",
            file=sys.stderr,
        )
    if header is not None:
        sys.stdout.buffer.write(csv_text(figures, header).encode("utf-8"))  # bytes: CRLF as Excel expects
        return EXIT_OK
    console = Console()
    console.print(table(figures, options.now))
    console.print(kinds_table(figures))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
