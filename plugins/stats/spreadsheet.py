"""CSV that a spreadsheet opens as data: a text cell that would start a formula is neutralised (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"  # Excel opens UTF-8 as UTF-8 only when the file starts with a BOM
# What Excel, WPS and LibreOffice take as the start of a formula (OWASP, "CSV Injection"). defusedcsv leaves
# out the tab and the carriage return, and changes `|` inside cells, so the rule is kept here.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spaces before the sign do not make it text for a spreadsheet that trims them on import.
LEADING_SPACE = " \u3000"

Cell = str | int | float


def cell(value: Cell) -> Cell:
    """A text cell that begins a formula, with a single quote in front, which spreadsheets show as text.

    Numbers are written as they are: a number is never a formula, and the figures must stay numbers to be summed.
    Text is judged whatever it looks like: "-3" from a registry is a name, not a count.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.lstrip(LEADING_SPACE).startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """BOM, header and rows, every cell neutralised; CRLF as Excel expects."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)
    return BOM + out.getvalue()
