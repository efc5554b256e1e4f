"""The statistics of 稿件报送与媒体采纳, computed from the content model: plain data, no Pelican."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from content_model.corrections import originals
from content_model.schema import DEPARTMENT_KINDS, MEDIA_LEVELS
from content_model.site import Item, Site

from . import spreadsheet

# The CSV contract of CONTENT_MODEL.md ("Statistics"): these names, in this order, never change.
LEVEL_KEYS = {"中央": "central", "省级": "provincial", "市级": "city", "行业": "industry"}
COUNT_COLUMNS = ("submitted", "adopted_items", "adoptions", *(f"adoptions_{LEVEL_KEYS[lv]}" for lv in MEDIA_LEVELS))
CSV_HEADER = ("department_id", "department", "kind", *COUNT_COLUMNS)
# The same columns under the names the office's own spreadsheets use (`make report FORMAT=csv-zh`).
CSV_HEADER_ZH = (
    "单位标识",
    "报送单位",
    "单位类别",
    "报送稿件",
    "被采纳稿件",
    "采纳次数",
    *(f"{level}媒体采纳次数" for level in MEDIA_LEVELS),
)

RANKING_RULE = "按采纳次数排序；相同时依次比较被采纳稿件数、报送稿件数；仍相同时按报送单位登记表中的顺序。"
RANKING_RULE_EN = "by adoptions, then adopted items, then submitted items, then registry order"
COUNTING_RULE = (
    "只统计已发布的稿件：草稿、隐藏、撤稿和尚未到发布时间的稿件都不计入。"
    "稿件按其发布日期计入年份和月份，它的每一次媒体采纳都随稿件计入同一年、同一月。"
    "撤稿后另发更正稿件的，原稿与更正稿合计一篇，按原稿的发布日期和报送单位计入，两篇的媒体采纳都计入。"
)


@dataclass
class Tally:
    """The counts of the CSV contract for one department, kind, month or the whole year."""

    submitted: int = 0
    adopted_items: int = 0
    adoptions: int = 0
    by_level: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEDIA_LEVELS, 0))

    def count(self, entry: Entry) -> None:
        self.submitted += 1
        self.adopted_items += 1 if entry.adoptions else 0
        self.adoptions += len(entry.adoptions)
        for adoption in entry.adoptions:
            if adoption.level in self.by_level:
                self.by_level[adoption.level] += 1

    def merge(self, other: Tally) -> None:
        self.submitted += other.submitted
        self.adopted_items += other.adopted_items
        self.adoptions += other.adoptions
        for level, number in other.by_level.items():
            self.by_level[level] += number

    def as_dict(self) -> dict[str, int]:
        """Keyed by the CSV column names."""
        values = {"submitted": self.submitted, "adopted_items": self.adopted_items, "adoptions": self.adoptions}
        values.update({f"adoptions_{LEVEL_KEYS[level]}": self.by_level[level] for level in MEDIA_LEVELS})
        return values

    def numbers(self) -> tuple[int, ...]:
        """In the CSV's column order."""
        values = self.as_dict()
        return tuple(values[name] for name in COUNT_COLUMNS)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.adoptions, self.adopted_items, self.submitted)


@dataclass(frozen=True)
class Adoption:
    """One `adopted_by` entry, with the media's name and level from the registry."""

    media_id: str
    media_name: str
    level: str
    date: datetime.datetime | None
    url: str


@dataclass
class Entry:
    """One counted article: published, with a registered department."""

    slug: str
    title: str
    url: str
    date: datetime.datetime
    department_id: str
    adoptions: list[Adoption]
    corrects_url: str = ""  # for a correction: the URL of the withdrawn item it stands for, whose date it takes


@dataclass
class DepartmentRow:
    """One department of the registry for one year; `rank` is its place in the ranking (1 = first)."""

    id: str
    name: str
    kind: str
    order: int  # position in departments.yml: the last tie-break of the ranking
    tally: Tally = field(default_factory=Tally)
    rank: int = 0


@dataclass
class KindRow:
    """The subtotal of one kind of department (机关部室, 直属单位, 市科协, 省级学会)."""

    kind: str
    departments: int
    tally: Tally = field(default_factory=Tally)


@dataclass
class MonthRow:
    year: int
    month: int
    tally: Tally = field(default_factory=Tally)

    @property
    def label(self) -> str:
        return f"{self.month}月"


@dataclass
class QuarterRow:
    year: int
    quarter: int
    tally: Tally = field(default_factory=Tally)

    @property
    def label(self) -> str:
        return f"第{'一二三四'[self.quarter - 1]}季度"


@dataclass
class YearFigures:
    """Everything the year's page, CSV and JSON show."""

    year: int
    current: bool  # the build's current year: its figures are "so far"
    rows: list[DepartmentRow]  # registry order, every department, zeros included
    ranking: list[DepartmentRow]
    kinds: list[KindRow]
    months: list[MonthRow]
    quarters: list[QuarterRow]
    total: Tally

    def row(self, department_id: str) -> DepartmentRow:
        return next(r for r in self.rows if r.id == department_id)


@dataclass
class MediaGroup:
    """One media of the registry with the items it adopted, newest adoption first."""

    id: str
    name: str
    level: str
    url: str
    adoptions: list[tuple[Adoption, Entry]]


@dataclass
class LevelGroup:
    level: str
    media: list[MediaGroup]

    @property
    def adoptions(self) -> int:
        return sum(len(m.adoptions) for m in self.media)


@dataclass
class Stats:
    """The figures of every year, and the lists behind them, for one build's `now`."""

    now: datetime.datetime
    current_year: int
    years: list[int]  # newest first: the current year, then every earlier year with a published article
    by_year: dict[int, YearFigures]
    departments: list[dict[str, Any]]  # the registry entries, in order
    entries_by_department: dict[str, list[Entry]]  # newest first
    media_levels: list[LevelGroup]

    @property
    def current(self) -> YearFigures:
        return self.by_year[self.current_year]

    @property
    def latest_year(self) -> int:
        """The newest year with a counted article: what /stats/ and `make report` open on. Every January the
        current year has none yet; a site with none at all gets the current year."""
        return next((year for year in self.years if self.by_year[year].total.submitted), self.current_year)


def counted(site: Site, item: Item, departments: dict[str, Any]) -> bool:
    """Only what the content model counts: draft, hidden, withdrawn and embargoed articles never are."""
    return site.visibility.is_counted(item) and item.get("department") in departments and item.get("date") is not None


def _adoptions(item: Item, media: dict[str, Any]) -> list[Adoption]:
    """The item's `adopted_by` entries, with the media's name and level from the registry."""
    found = []
    for adopted in item.get("adopted_by", []):
        media_id = adopted.get("media", "")
        known = media.get(media_id, {})
        found.append(
            Adoption(
                media_id=media_id,
                media_name=known.get("name", media_id),
                level=known.get("level", ""),
                date=adopted.get("date"),
                url=adopted.get("url", ""),
            )
        )
    return found


def _pair_adoptions(original: Item, correction: Item, media: dict[str, Any]) -> list[Adoption]:
    """The original's adoptions, then the correction's own: one copied from the original counts once."""
    found = _adoptions(original, media)
    seen = {(a.media_id, a.date, a.url) for a in found}
    return found + [a for a in _adoptions(correction, media) if (a.media_id, a.date, a.url) not in seen]


def entries(site: Site) -> list[Entry]:
    """Every counted article, newest first (ties by slug, so that the order never depends on file reading).

    A correction and the withdrawn item it corrects are one entry: the item was submitted, and adopted, once.
    The entry takes the original's date and department, so that a correction never moves figures between
    years or departments, and the adoptions of both.
    """
    departments = site.registries.get("departments", {})
    media = site.registries.get("media", {})
    corrected = originals(site)
    found = []
    for item in site.articles.values():
        if not counted(site, item, departments):
            continue
        original = corrected.get(item.id)
        if original is not None and (original.state != "withdrawn" or original.get("department") not in departments):
            original = None  # a withdrawal still under embargo has not happened yet
        basis = original or item
        found.append(
            Entry(
                slug=item.id,
                title=item.values["title"],
                url=item.url,
                date=basis.values["date"],
                department_id=basis.values["department"],
                adoptions=_pair_adoptions(original, item, media) if original else _adoptions(item, media),
                corrects_url=original.url if original else "",
            )
        )
    found.sort(key=lambda e: e.slug)
    found.sort(key=lambda e: e.date, reverse=True)
    return found


def year_figures(
    year: int, year_entries: Iterable[Entry], departments: list[dict[str, Any]], current: bool
) -> YearFigures:
    """One year's table, ranking, kind subtotals, months and quarters."""
    rows = [
        DepartmentRow(id=d["id"], name=d["name"], kind=d["kind"], order=index) for index, d in enumerate(departments)
    ]
    by_id = {row.id: row for row in rows}
    months = [MonthRow(year, month) for month in range(1, 13)]
    for entry in year_entries:
        by_id[entry.department_id].tally.count(entry)
        months[entry.date.month - 1].tally.count(entry)
    ranking = sorted(rows, key=lambda r: (*(-n for n in r.tally.sort_key), r.order))
    for place, row in enumerate(ranking, 1):
        row.rank = place
    kinds = []
    for kind in DEPARTMENT_KINDS:
        members = [r for r in rows if r.kind == kind]
        subtotal = KindRow(kind=kind, departments=len(members))
        for row in members:
            subtotal.tally.merge(row.tally)
        kinds.append(subtotal)
    quarters = [QuarterRow(year, q) for q in range(1, 5)]
    for month in months:
        quarters[(month.month - 1) // 3].tally.merge(month.tally)
    total = Tally()
    for row in rows:
        total.merge(row.tally)
    return YearFigures(year, current, rows, ranking, kinds, months, quarters, total)


def compute(site: Site, now: datetime.datetime) -> Stats:
    """The statistics of a loaded site as of `now` (the item states were judged against the same now)."""
    departments = list(site.registries.get("departments", {}).values())
    all_entries = entries(site)
    current_year = now.year
    of_year: dict[int, list[Entry]] = {current_year: []}
    for entry in all_entries:
        of_year.setdefault(entry.date.year, []).append(entry)
    # Published items are never after now, so no year after the current one can appear.
    years = sorted(of_year, reverse=True)
    by_year = {year: year_figures(year, of_year[year], departments, year == current_year) for year in years}
    by_department: dict[str, list[Entry]] = {d["id"]: [] for d in departments}
    for entry in all_entries:
        by_department[entry.department_id].append(entry)
    return Stats(
        now=now,
        current_year=current_year,
        years=years,
        by_year=by_year,
        departments=departments,
        entries_by_department=by_department,
        media_levels=media_groups(site, all_entries),
    )


def figures_for(site: Site, now: datetime.datetime, year: int) -> YearFigures:
    """One year's figures, for any year asked for: a year with no published article is all zeros."""
    departments = list(site.registries.get("departments", {}).values())
    chosen = [e for e in entries(site) if e.date.year == year]
    return year_figures(year, chosen, departments, year == now.year)


def media_groups(site: Site, all_entries: list[Entry]) -> list[LevelGroup]:
    """Every media of the registry, grouped by level in the contract's order, with what it adopted."""
    registry = site.registries.get("media", {})
    by_media: dict[str, list[tuple[Adoption, Entry]]] = {media_id: [] for media_id in registry}
    for entry in all_entries:
        for adoption in entry.adoptions:
            if adoption.media_id in by_media:
                by_media[adoption.media_id].append((adoption, entry))
    for adopted in by_media.values():
        adopted.sort(key=lambda pair: (pair[0].date or pair[1].date, pair[1].date), reverse=True)
    groups = []
    for level in MEDIA_LEVELS:
        media = [
            MediaGroup(id=m["id"], name=m["name"], level=level, url=m.get("url", ""), adoptions=by_media[m["id"]])
            for m in registry.values()
            if m.get("level") == level
        ]
        groups.append(LevelGroup(level=level, media=media))
    return groups


# The downloads: /stats/<year>.csv and /stats/<year>.json


def csv_text(figures: YearFigures, header: tuple[str, ...] = CSV_HEADER) -> str:
    """The contract's CSV: BOM, header, one row per registry department in registry order; `header` may name the
    same columns otherwise (CSV_HEADER_ZH).

    A department's name comes from a registry anyone may propose a change to: spreadsheet.csv_text keeps a name
    such as `=HYPERLINK(…)` from running as a formula in the office's spreadsheets.
    """
    return spreadsheet.csv_text(header, ((r.id, r.name, r.kind, *r.tally.numbers()) for r in figures.rows))


def json_data(figures: YearFigures) -> dict[str, Any]:
    """The same figures as the CSV, plus ranking, kind subtotals, months and quarters."""
    return {
        "year": figures.year,
        "complete": not figures.current,
        "counting_rule": COUNTING_RULE,
        "ranking_rule": RANKING_RULE,
        "columns": list(CSV_HEADER),
        "departments": [
            {"department_id": r.id, "department": r.name, "kind": r.kind, **r.tally.as_dict(), "rank": r.rank}
            for r in figures.rows
        ],
        "ranking": [r.id for r in figures.ranking],
        "kinds": [{"kind": k.kind, "departments": k.departments, **k.tally.as_dict()} for k in figures.kinds],
        "months": [{"month": f"{m.year}-{m.month:02d}", **m.tally.as_dict()} for m in figures.months],
        "quarters": [{"quarter": f"{q.year}-Q{q.quarter}", **q.tally.as_dict()} for q in figures.quarters],
        "total": figures.total.as_dict(),
    }


def json_text(figures: YearFigures) -> str:
    return json.dumps(json_data(figures), ensure_ascii=False, indent=2) + "\n"
