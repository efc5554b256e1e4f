"""`make report YEAR=2020`: the year's statistics table in the terminal, with the same figures as /stats/<year>.csv."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from content_model import load_site
from content_model.check import UsageError, options_from_settings, read_publish_settings, year_option
from content_model.problems import format_text
from content_model.schema import MEDIA_LEVELS
from content_model.times import text_format

from .figures import RANKING_RULE, YearFigures, figures_for

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def table(figures: YearFigures, now: datetime.datetime) -> Table:
    """One row per registry department, in registry order, as in the CSV; then the total."""
    state = f"（截至{text_format(now)}）" if figures.current else ""
    result = Table(
        title=f"{figures.year}年稿件报送与媒体采纳统计{state}",
        caption=f"排名规则：{RANKING_RULE}",
        show_footer=True,
    )
    total = figures.total.numbers()
    result.add_column("编号", "合计", no_wrap=True)
    result.add_column("报送单位", no_wrap=True)
    result.add_column("类别", no_wrap=True)
    for heading, number in zip(("报送稿件", "被采纳稿件", "采纳次数", *MEDIA_LEVELS), total, strict=True):
        result.add_column(heading, str(number), justify="right", no_wrap=True)
    result.add_column("名次", justify="right", no_wrap=True)
    for row in figures.rows:
        result.add_row(row.id, row.name, row.kind, *(str(n) for n in row.tally.numbers()), str(row.rank))
    return result


def kinds_table(figures: YearFigures) -> Table:
    result = Table(title=f"{figures.year}年按单位类别小计")
    result.add_column("单位类别", no_wrap=True)
    result.add_column("单位数", justify="right")
    for heading in ("报送稿件", "被采纳稿件", "采纳次数", *MEDIA_LEVELS):
        result.add_column(heading, justify="right", no_wrap=True)
    for kind in figures.kinds:
        result.add_row(kind.kind, str(kind.departments), *(str(n) for n in kind.tally.numbers()))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="稿件统计 Statistics of submissions and adoptions")
    parser.add_argument("--year", default=os.environ.get("YEAR", ""), help="YYYY; default: the current year")
    parser.add_argument("--root", default=os.environ.get("SITE_ROOT", "."))
    parser.add_argument("--site-now", default=None)
    args = parser.parse_args(argv)
    root = Path(args.root)
    try:
        # The publish build's settings, without its review rule: the figures, not the paperwork, are asked for.
        options = options_from_settings(read_publish_settings(), strict=False, now_text=args.site_now)
        year = year_option(args.year, options.now.year)
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    site = load_site(root / "content", root, options)
    if site.problems.errors:
        # The build refuses such content; figures from it would not match the site.
        print(format_text(site.problems), file=sys.stderr)
        print("统计未生成：请先改正以上错误。 No report: fix the errors above first.", file=sys.stderr)
        return EXIT_CONTENT
    figures = figures_for(site, options.now, year)
    # Piped or redirected, rich would cut the table to 80 columns; a file gets the whole table.
    console = Console() if sys.stdout.isatty() or "COLUMNS" in os.environ else Console(width=200)
    console.print(table(figures, options.now))
    console.print(kinds_table(figures))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
