"""stats: figures, CSV, JSON, charts and report of 稿件报送与媒体采纳, on a fixture site with hand-derived numbers."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import tinycss2

from content_model.site import Options, Site, load_site
from content_model.times import parse_time
from stats import charts
from stats.figures import CSV_HEADER, Stats, compute, csv_text, figures_for, json_data
from stats.spreadsheet import BOM
from tests.sites import PROJECT, write_site

NOW = "2020-07-25 12:00"
REVIEW = "review: {first: 陈静, second: 赵磊, final: 孙敏}"

DEPARTMENTS = """\
    - {id: bgs, name: 办公室, kind: 机关部室}
    - {id: dyxcb, name: 调研宣传部, kind: 机关部室}
    - {id: skjg, name: 河南省科学技术馆, kind: 直属单位}
    - {id: zzskx, name: 郑州市科协, kind: 市科协}
    - {id: lyskx, name: 洛阳市科协, kind: 市科协}
    - {id: snxh, name: 河南省农学会, kind: 省级学会}
    """
MEDIA = """\
    - {id: xinhua, name: 新华社, level: 中央}
    - {id: st-daily, name: 科技日报, level: 中央}
    - {id: henan-daily, name: 河南日报, level: 省级, url: "https://www.henandaily.example/"}
    - {id: zhengzhou-daily, name: 郑州日报, level: 市级}
    - {id: luoyang-daily, name: 洛阳日报, level: 市级}
    - {id: cast-voice, name: 中国科协之声, level: 行业}
    """


def story(title: str, date: str, department: str, *adoptions: str, **fields: str) -> str:
    """An article; each adoption is `media date`, given a link of its own so that pages can be checked."""
    lines = [f"title: {title}", f"date: {date}", f"department: {department}"]
    if fields.get("status") != "draft":
        lines.append(REVIEW)
    lines += [f"{key}: {value}" for key, value in fields.items()]
    if adoptions:
        lines.append("adopted_by:")
        for adoption in adoptions:
            media, day = adoption.split()
            lines.append(f'  - {{media: {media}, date: {day}, url: "https://{media}.example/{day}/{title}.html"}}')
    return "---\n" + "\n".join(lines) + "\n---\n正文。\n"


# The fixture: two years, six departments, six media on all four levels, and every state that must not count.
FILES: dict[str, str] = {
    "content/data/departments.yml": DEPARTMENTS,
    "content/data/media.yml": MEDIA,
    # 2020, counted
    "content/articles/dyxcb-a.md": story(
        "调研宣传部一月稿",
        "2020-01-10 09:00",
        "dyxcb",
        "xinhua 2020-01-11",
        "henan-daily 2020-01-12",
        "zhengzhou-daily 2020-01-12",
    ),
    "content/articles/dyxcb-b.md": story("调研宣传部三月稿", "2020-03-05", "dyxcb"),
    "content/articles/dyxcb-c.md": story("调研宣传部七月稿", "2020-07-20 09:30", "dyxcb", "henan-daily 2020-07-21"),
    "content/articles/zzskx-a.md": story(
        "郑州市科协三月稿", "2020-03-15", "zzskx", "zhengzhou-daily 2020-03-16", "cast-voice 2020-03-20"
    ),
    "content/articles/skjg-a.md": story(
        "科技馆七月稿", "2020-07-01", "skjg", "st-daily 2020-07-02", "xinhua 2020-07-02"
    ),
    "content/articles/bgs-a.md": story("办公室五月稿", "2020-05-01", "bgs"),
    # 2020, never counted: a draft, a hidden item, a withdrawn item and an embargoed one (after NOW), all adopted
    "content/articles/dyxcb-draft.md": story(
        "DRAFTMARK草稿", "2020-07-01", "dyxcb", "xinhua 2020-07-02", status="draft"
    ),
    "content/articles/zzskx-hidden.md": story(
        "HIDDENMARK隐藏稿", "2020-06-01", "zzskx", "henan-daily 2020-06-02", status="hidden"
    ),
    "content/articles/skjg-withdrawn.md": story(
        "WITHDRAWNMARK撤稿",
        "2020-04-01",
        "skjg",
        "xinhua 2020-04-02",
        status="withdrawn",
        withdrawn_reason="内容有误",
    ),
    "content/articles/bgs-embargo.md": story("EMBARGOMARK定时稿", "2020-07-28 10:00", "bgs", "henan-daily 2020-07-28"),
    # 2019, counted; one adoption falls in 2020 but counts with its article's year
    "content/articles/lyskx-2019.md": story(
        "洛阳市科协2019稿", "2019-11-20", "lyskx", "henan-daily 2019-11-21", "cast-voice 2019-11-22"
    ),
    "content/articles/dyxcb-2019.md": story("调研宣传部年末稿", "2019-12-31 23:30", "dyxcb", "xinhua 2020-01-02"),
    "content/articles/snxh-2019.md": story("农学会2019稿", "2019-06-01", "snxh"),
    # drafts in 2019 and 2018: not counted, and 2018 (no published article) gets no year at all
    "content/articles/snxh-draft-2019.md": story(
        "DRAFTMARK2019", "2019-05-01", "snxh", "cast-voice 2019-05-02", status="draft"
    ),
    "content/articles/draft-2018.md": story("DRAFTMARK2018", "2018-05-01", "bgs", status="draft"),
}

# Per department in registry order: (id, name, kind, submitted, adopted_items, adoptions, central, provincial, city,
# industry), as the CSV has them.
EXPECTED_2020 = [
    # bgs: 办公室五月稿 only (the embargoed item is after NOW) → 1 submitted, none adopted
    ("bgs", "办公室", "机关部室", 1, 0, 0, 0, 0, 0, 0),
    # dyxcb: 一月稿 (新华社 中央, 河南日报 省级, 郑州日报 市级), 三月稿 (none), 七月稿 (河南日报 省级); the draft is out
    # → 3 submitted, 2 adopted, 3 + 1 = 4 adoptions: 中央 1, 省级 2, 市级 1, 行业 0
    ("dyxcb", "调研宣传部", "机关部室", 3, 2, 4, 1, 2, 1, 0),
    # skjg: 七月稿 (科技日报 中央, 新华社 中央); the withdrawn item is out → 1, 1, 2 adoptions, both 中央
    ("skjg", "河南省科学技术馆", "直属单位", 1, 1, 2, 2, 0, 0, 0),
    # zzskx: 三月稿 (郑州日报 市级, 中国科协之声 行业); the hidden item is out → 1, 1, 2: 市级 1, 行业 1
    ("zzskx", "郑州市科协", "市科协", 1, 1, 2, 0, 0, 1, 1),
    # lyskx, snxh: nothing in 2020, listed with zeros
    ("lyskx", "洛阳市科协", "市科协", 0, 0, 0, 0, 0, 0, 0),
    ("snxh", "河南省农学会", "省级学会", 0, 0, 0, 0, 0, 0, 0),
]
# 2020 totals: 1+3+1+1 = 6 submitted, 0+2+1+1 = 4 adopted, 0+4+2+2 = 8 adoptions; 中央 1+2 = 3, 省级 2, 市级 1+1 = 2,
# 行业 1 (3+2+2+1 = 8)
TOTAL_2020 = (6, 4, 8, 3, 2, 2, 1)
EXPECTED_2019 = [
    ("bgs", "办公室", "机关部室", 0, 0, 0, 0, 0, 0, 0),
    # dyxcb: 年末稿, adopted by 新华社 on 2020-01-02, counted in 2019 with its article → 1, 1, 1, 中央 1
    ("dyxcb", "调研宣传部", "机关部室", 1, 1, 1, 1, 0, 0, 0),
    ("skjg", "河南省科学技术馆", "直属单位", 0, 0, 0, 0, 0, 0, 0),
    ("zzskx", "郑州市科协", "市科协", 0, 0, 0, 0, 0, 0, 0),
    # lyskx: 2019稿 (河南日报 省级, 中国科协之声 行业) → 1, 1, 2: 省级 1, 行业 1
    ("lyskx", "洛阳市科协", "市科协", 1, 1, 2, 0, 1, 0, 1),
    # snxh: 2019稿 with no adoption; its adopted draft is out → 1, 0, 0
    ("snxh", "河南省农学会", "省级学会", 1, 0, 0, 0, 0, 0, 0),
]
TOTAL_2019 = (3, 2, 3, 1, 1, 0, 1)
# Ranking 2020: dyxcb (4 adoptions); skjg and zzskx tie on (2, 1, 1): registry order puts skjg first; bgs (0, 0, 1);
# lyskx and snxh tie on zeros: registry order.
RANKING_2020 = ["dyxcb", "skjg", "zzskx", "bgs", "lyskx", "snxh"]
# Ranking 2019: lyskx (2 adoptions), dyxcb (1), snxh (0, 0, 1), then bgs, skjg, zzskx on zeros in registry order.
RANKING_2019 = ["lyskx", "dyxcb", "snxh", "bgs", "skjg", "zzskx"]
# Kinds 2020: 机关部室 = bgs + dyxcb; 直属单位 = skjg; 市科协 = zzskx + lyskx; 省级学会 = snxh
KINDS_2020 = {
    "机关部室": (2, (4, 2, 4, 1, 2, 1, 0)),
    "直属单位": (1, (1, 1, 2, 2, 0, 0, 0)),
    "市科协": (2, (1, 1, 2, 0, 0, 1, 1)),
    "省级学会": (1, (0, 0, 0, 0, 0, 0, 0)),
}
# Months 2020, by the article's month: Jan 一月稿 (3 adoptions); Mar 三月稿 + 郑州三月稿 (2 adoptions: 市级, 行业);
# May 办公室五月稿; Jul 七月稿 (省级) + 科技馆七月稿 (2 中央); the other months are zero.
MONTHS_2020 = {
    1: (1, 1, 3, 1, 1, 1, 0),
    3: (2, 1, 2, 0, 0, 1, 1),
    5: (1, 0, 0, 0, 0, 0, 0),
    7: (2, 2, 3, 2, 1, 0, 0),
}
# Each department's counted items, newest first, every year.
DEPARTMENT_ITEMS = {
    "bgs": ["bgs-a"],
    "dyxcb": ["dyxcb-c", "dyxcb-b", "dyxcb-a", "dyxcb-2019"],
    "skjg": ["skjg-a"],
    "zzskx": ["zzskx-a"],
    "lyskx": ["lyskx-2019"],
    "snxh": ["snxh-2019"],
}
# What each media adopted, newest adoption first; luoyang-daily adopted nothing.
MEDIA_ITEMS = {
    "xinhua": ["skjg-a", "dyxcb-a", "dyxcb-2019"],  # adopted 2020-07-02, 2020-01-11, 2020-01-02
    "st-daily": ["skjg-a"],
    "henan-daily": ["dyxcb-c", "dyxcb-a", "lyskx-2019"],
    "zhengzhou-daily": ["zzskx-a", "dyxcb-a"],
    "luoyang-daily": [],
    "cast-voice": ["zzskx-a", "lyskx-2019"],
}


def write_fixture(root: Path) -> Path:
    return write_site(root, FILES)


def load(root: Path, now: str = NOW) -> Site:
    site = load_site(root / "content", root, Options(strict=True, now=parse_time(now)))
    assert not site.problems.errors, [(p.file, p.message_en) for p in site.problems.errors]
    return site


@pytest.fixture(scope="module")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("stats"))


@pytest.fixture(scope="module")
def stats(fixture_root: Path) -> Stats:
    site = load(fixture_root)
    return compute(site, site.options.now)


def rows_of(figures) -> list[tuple]:
    return [(r.id, r.name, r.kind, *r.tally.numbers()) for r in figures.rows]


def test_years_are_the_current_one_and_each_earlier_year_with_a_published_article(stats: Stats) -> None:
    assert stats.current_year == 2020
    assert stats.years == [2020, 2019]  # 2018 has only a draft


def test_every_department_row_of_each_year(stats: Stats) -> None:
    assert rows_of(stats.by_year[2020]) == EXPECTED_2020
    assert rows_of(stats.by_year[2019]) == EXPECTED_2019
    assert stats.by_year[2020].total.numbers() == TOTAL_2020
    assert stats.by_year[2019].total.numbers() == TOTAL_2019


def test_ranking_breaks_ties_by_adopted_items_then_submitted_then_registry_order(stats: Stats) -> None:
    assert [r.id for r in stats.by_year[2020].ranking] == RANKING_2020
    assert [r.id for r in stats.by_year[2019].ranking] == RANKING_2019
    assert [r.rank for r in stats.by_year[2020].ranking] == [1, 2, 3, 4, 5, 6]


def test_kind_subtotals_months_and_quarters(stats: Stats) -> None:
    figures = stats.by_year[2020]
    assert {k.kind: (k.departments, k.tally.numbers()) for k in figures.kinds} == KINDS_2020
    zero = (0,) * 7
    assert [m.tally.numbers() for m in figures.months] == [MONTHS_2020.get(n, zero) for n in range(1, 13)]
    # Q1 = Jan + Mar; Q2 = May; Q3 = Jul; Q4 = nothing
    assert [q.tally.numbers() for q in figures.quarters] == [
        (3, 2, 5, 1, 1, 2, 1),
        (1, 0, 0, 0, 0, 0, 0),
        MONTHS_2020[7],
        zero,
    ]


def test_department_lists_hold_only_published_items(stats: Stats) -> None:
    assert {d: [e.slug for e in entries] for d, entries in stats.entries_by_department.items()} == DEPARTMENT_ITEMS


def test_media_are_grouped_by_level_with_what_they_adopted(stats: Stats) -> None:
    levels = [(g.level, [m.id for m in g.media]) for g in stats.media_levels]
    assert levels == [
        ("中央", ["xinhua", "st-daily"]),
        ("省级", ["henan-daily"]),
        ("市级", ["zhengzhou-daily", "luoyang-daily"]),
        ("行业", ["cast-voice"]),
    ]
    adopted = {m.id: [entry.slug for _a, entry in m.adoptions] for g in stats.media_levels for m in g.media}
    assert adopted == MEDIA_ITEMS


def test_csv_is_the_contract(stats: Stats) -> None:
    text = csv_text(stats.by_year[2020])
    data = text.encode("utf-8")
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].split(b"\r\n")[0] == (
        b"department_id,department,kind,submitted,adopted_items,adoptions,"
        b"adoptions_central,adoptions_provincial,adoptions_city,adoptions_industry"
    )
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert tuple(rows[0]) == CSV_HEADER
    assert [tuple(r[:3]) + tuple(int(n) for n in r[3:]) for r in rows[1:]] == EXPECTED_2020


def test_json_has_the_same_figures_plus_months_and_kinds(stats: Stats) -> None:
    data = json.loads(json.dumps(json_data(stats.by_year[2019]), ensure_ascii=False))
    assert data["year"] == 2019 and data["complete"] is True
    assert [tuple(d[c] for c in CSV_HEADER) for d in data["departments"]] == EXPECTED_2019
    assert data["ranking"] == RANKING_2019
    assert len(data["months"]) == 12 and data["months"][10]["month"] == "2019-11"
    assert data["months"][10]["adoptions"] == 2 and data["months"][11]["adoptions_central"] == 1
    assert [k["kind"] for k in data["kinds"]] == ["机关部室", "直属单位", "市科协", "省级学会"]
    assert json_data(stats.by_year[2020])["complete"] is False


def test_a_current_year_without_articles_still_has_figures(fixture_root: Path) -> None:
    # In 2021 the embargoed item has been published (2020-07-28): 2020 gains it, and 2021 is all zeros.
    site = load(fixture_root, "2021-02-01 08:00")
    later = compute(site, site.options.now)
    assert later.years == [2021, 2020, 2019]
    assert later.by_year[2021].total.numbers() == (0,) * 7
    assert [r.id for r in later.by_year[2021].rows] == [r[0] for r in EXPECTED_2020]
    bgs = later.by_year[2020].row("bgs").tally.numbers()
    assert bgs == (2, 1, 1, 0, 1, 0, 0)  # 五月稿, plus the once-embargoed item with its 河南日报 adoption
    assert figures_for(site, site.options.now, 2017).total.numbers() == (0,) * 7


# Charts


def _svg(markup: str) -> ET.Element:
    return ET.fromstring(markup)


SVG = "{http://www.w3.org/2000/svg}"


def _values(root: ET.Element) -> list[int]:
    return [int(t.text) for t in root.iter(f"{SVG}text") if "value" in (t.get("class") or "").split()]


def _no_outside_reference(markup: str) -> None:
    assert "<script" not in markup.lower()
    assert "href" not in markup  # no xlink:href, no stylesheet link
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", markup))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls
    assert "url(" not in markup and "@import" not in markup


def test_department_chart_is_accessible_static_svg_with_the_table_numbers(stats: Stats) -> None:
    figures = stats.by_year[2020]
    markup = charts.department_chart(figures).svg
    root = _svg(markup)
    _no_outside_reference(markup)
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and "2020" in title.text
    assert desc.tag == f"{SVG}desc" and "调研宣传部：报送3篇，采纳4次" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    labels = {t.text for t in root.iter(f"{SVG}text")}
    assert {r[1] for r in EXPECTED_2020} <= labels  # every department is named in the chart
    # One printed value per bar: the submitted series, then the adoptions, each drawn bottom-up (registry reversed).
    values = _values(root)
    submitted = [r[3] for r in EXPECTED_2020]
    adoptions = [r[5] for r in EXPECTED_2020]
    assert sorted(values) == sorted(submitted + adoptions)
    assert values in ([*submitted[::-1], *adoptions[::-1]], [*adoptions[::-1], *submitted[::-1]])


def test_trend_chart_has_a_pair_of_bars_per_month_with_the_monthly_numbers(stats: Stats) -> None:
    figures = stats.by_year[2020]
    markup = charts.trend_chart(figures).svg
    root = _svg(markup)
    _no_outside_reference(markup)
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert all(f"{n}月" in labels for n in range(1, 13))
    # Every monthly figure is printed, zeros too (a bar of nothing still says 0), each series drawn bottom-up.
    submitted = [m.tally.submitted for m in figures.months]
    adoptions = [m.tally.adoptions for m in figures.months]
    assert _values(root) in ([*submitted[::-1], *adoptions[::-1]], [*adoptions[::-1], *submitted[::-1]])
    assert "1月报送1篇、采纳3次" in root[1].text


def test_trend_chart_of_the_current_year_stops_at_this_month(stats: Stats) -> None:
    figures = stats.by_year[2020]
    root = _svg(charts.trend_chart(figures, through_month=7).svg)
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert [n for n in range(1, 13) if f"{n}月" in labels] == list(range(1, 8))
    assert len(_values(root)) == 14
    assert "截至7月" in root[1].text and "8月" not in root[1].text


def test_chart_styles_are_css_text_not_xml(stats: Stats) -> None:
    """The styles are handed over as the CSS they are: `>` stays `>`, and nothing of them stays in the SVG."""
    for chart in (charts.department_chart(stats.by_year[2020]), charts.trend_chart(stats.by_year[2020])):
        css = "\n".join(chart.css)
        assert ".graph > .background" in css and ".plot > .background" in css
        assert "&gt;" not in css and "&" not in css
        for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
            assert rule.type == "qualified-rule", rule
        assert (
            "<style" not in chart.svg
            and 'text-anchor="left"' not in chart.svg
            and 'id="activate-serie' not in chart.svg
        )


def test_charts_are_reproducible(stats: Stats) -> None:
    figures = stats.by_year[2019]
    assert charts.department_chart(figures) == charts.department_chart(figures)
    assert charts.trend_chart(figures) == charts.trend_chart(figures)


def test_chart_labels_are_escaped(stats: Stats) -> None:
    figures = stats.by_year[2020]
    figures.rows[0].name = '<a>&"'
    try:
        markup = charts.department_chart(figures).svg
    finally:
        figures.rows[0].name = "办公室"
    assert "<a>" not in markup
    assert '<a>&"' in {t.text for t in _svg(markup).iter(f"{SVG}text")}


def test_a_long_name_is_cut_short_on_the_chart_and_whole_in_its_description(stats: Stats) -> None:
    figures = stats.by_year[2020]
    long_name = "河南省科学技术协会调研宣传部（科普部）与各市县科协联合报送组" * 3
    figures.rows[0].name = long_name
    try:
        svg = _svg(charts.department_chart(figures).svg)
    finally:
        figures.rows[0].name = "办公室"
    labels = {t.text for t in svg.iter(f"{SVG}text")}
    assert long_name[: charts.LABEL_CHARS - 1] + "…" in labels and long_name not in labels
    assert long_name in "".join(svg.find(f"{SVG}desc").itertext())


def test_value_axis_has_whole_number_ticks_from_zero() -> None:
    assert charts.value_axis(0) == {"range": (0, 1), "y_labels": [0, 1]}
    assert charts.value_axis(3)["y_labels"] == [0, 1, 2, 3]
    assert charts.value_axis(7)["y_labels"] == [0, 2, 4, 6, 8]
    assert charts.value_axis(61)["y_labels"] == [0, 20, 40, 60, 80]


# The terminal report


def _report(
    root: Path, *args: str, site_now: str = NOW, columns: str = "200", text: bool = True
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "plugins"), "SITE_NOW": site_now, "COLUMNS": columns}
    return subprocess.run(
        [sys.executable, "-m", "stats.report", "--root", str(root), *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=text,
        timeout=120,
    )


def _table_rows(output: str) -> dict[str, list[str]]:
    """The rows of the terminal table, by department id: rank, name, kind and the seven counts."""
    ids = {r[1]: r[0] for r in EXPECTED_2020}
    rows = {}
    for line in output.splitlines():
        cells = line.split()
        if len(cells) == 10 and cells[1] in ids:
            rows[ids[cells[1]]] = cells
    return rows


@pytest.mark.parametrize(("year", "expected"), [("2020", EXPECTED_2020), ("2019", EXPECTED_2019)])
def test_report_prints_the_same_table(fixture_root: Path, year: str, expected: list[tuple]) -> None:
    result = _report(fixture_root, "--year", year)
    assert result.returncode == 0, result.stderr
    rows = _table_rows(result.stdout)
    assert list(rows) == [r[0] for r in expected]
    ranking = RANKING_2020 if year == "2020" else RANKING_2019
    for row in expected:
        assert rows[row[0]] == [str(ranking.index(row[0]) + 1), *(str(v) for v in row[1:])], rows[row[0]]
    assert f"{year}年稿件报送" in result.stdout and "排序" in result.stdout


def test_report_fits_an_80_column_terminal(tmp_path: Path) -> None:
    from rich.cells import cell_len

    long_name = "- {id: jgdw, name: 河南省科学技术协会机关党委（机关纪委）办公室, kind: 机关部室}\n"
    write_site(tmp_path, {**FILES, "content/data/departments.yml": DEPARTMENTS.rstrip(" ") + "    " + long_name})
    result = _report(tmp_path, "--year", "2020", columns="80")
    assert result.returncode == 0, result.stderr
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80, result.stdout
    assert "…" not in result.stdout  # nothing cut short to fit
    rows = _table_rows(result.stdout)
    assert {key: row[3:] for key, row in rows.items()} == {r[0]: [str(n) for n in r[3:]] for r in EXPECTED_2020}
    assert "河南省科学技术馆" in result.stdout and "机关纪委" in result.stdout  # a long name wraps in its column
    wide = _report(tmp_path, "--year", "2020", columns="200")
    assert "河南省科学技术协会机关党委（机关纪委）办公室" in wide.stdout


def test_report_defaults_to_the_latest_year_with_data_and_says_so(fixture_root: Path) -> None:
    result = _report(fixture_root, "--year", "")
    assert result.returncode == 0, result.stderr
    assert "2020年稿件报送" in result.stdout and _table_rows(result.stdout)["dyxcb"][3] == "3"
    # Every January the current year has nothing yet: the report opens on the year before, and says which.
    january = _report(fixture_root, "--year", "", site_now="2021-01-05 09:00")
    assert january.returncode == 0, january.stderr
    assert "2020年稿件报送" in january.stdout and "2021年稿件报送" not in january.stdout
    assert "显示有数据的最近一年：2020年" in january.stderr and "2020, the latest year with data" in january.stderr
    asked = _report(fixture_root, "--year", "2021", site_now="2021-01-05 09:00")
    assert "2021年稿件报送" in asked.stdout and "最近一年" not in asked.stderr
    bad = _report(fixture_root, "--year", "二〇二〇")
    assert bad.returncode == 2 and "YEAR" in bad.stderr


def test_report_writes_the_csv_and_the_same_figures_under_chinese_headers(tmp_path: Path) -> None:
    hostile = '    - {id: evil, name: "=HYPERLINK(\\"https://evil.example\\")", kind: 省级学会}\n'
    write_site(tmp_path, {**FILES, "content/data/departments.yml": DEPARTMENTS.rstrip(" ") + hostile})
    plain = _report(tmp_path, "--year", "2020", "--format", "csv", text=False)
    assert plain.returncode == 0, plain.stderr
    site = load(tmp_path)
    assert plain.stdout == csv_text(compute(site, site.options.now).by_year[2020]).encode("utf-8")
    chinese = _report(tmp_path, "--year", "2020", "--format", "csv-zh", text=False)
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(chinese.stdout.decode("utf-8").removeprefix(BOM))))
    plain_rows = list(csv.reader(io.StringIO(plain.stdout.decode("utf-8").removeprefix(BOM))))
    assert rows[0] == [
        "单位标识", "报送单位", "单位类别", "报送稿件", "被采纳稿件", "采纳次数",
        "中央媒体采纳次数", "省级媒体采纳次数", "市级媒体采纳次数", "行业媒体采纳次数",
    ]  # fmt: skip
    assert rows[1:] == plain_rows[1:]
    assert [tuple(r[:3]) + tuple(int(n) for n in r[3:]) for r in rows[1:7]] == EXPECTED_2020
    assert rows[7][1] == '\'=HYPERLINK("https://evil.example")'  # shown as text, never run as a formula
    latest = _report(tmp_path, "--year", "", "--format", "csv-zh", site_now="2021-01-05 09:00", text=False)
    assert latest.stdout.decode("utf-8").count("\r\n") == 8 and "2020" in latest.stderr.decode("utf-8")
    bad = _report(tmp_path, "--format", "xlsx")
    assert bad.returncode == 2 and "csv-zh" in bad.stderr


def test_report_refuses_content_with_errors(tmp_path: Path) -> None:
    write_site(tmp_path, {**FILES, "content/articles/bad.md": story("未登记单位稿", "2020-02-01", "nosuch")})
    result = _report(tmp_path, "--year", "2020")
    assert result.returncode == 1
    assert "content/articles/bad.md" in result.stderr and "nosuch" in result.stderr
    assert "dyxcb" not in result.stdout
