"""Build tests of /stats/: pages, charts and downloads of a fixture site, against figures derived by hand."""

from __future__ import annotations

import csv
import io
import json
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.sites import Run, build
from tests.unit.test_stats import (
    DEPARTMENT_ITEMS,
    EXPECTED_2019,
    EXPECTED_2020,
    MEDIA_ITEMS,
    NOW,
    RANKING_2020,
    TOTAL_2020,
    write_fixture,
)

HEADER = (
    b"department_id,department,kind,submitted,adopted_items,adoptions,"
    b"adoptions_central,adoptions_provincial,adoptions_city,adoptions_industry"
)
NEVER_COUNTED = ("DRAFTMARK", "HIDDENMARK", "WITHDRAWNMARK", "EMBARGOMARK")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Run:
    root = write_fixture(tmp_path_factory.mktemp("stats-publish"))
    run = build(root, publish=True, site_now=NOW)
    assert run.returncode == 0, run.text
    return run


def stats_files(output: Path) -> dict[str, bytes]:
    files = sorted(p for p in (output / "stats").rglob("*") if p.is_file())
    assert files, 'no /stats/ in the output: is "stats" in PLUGINS of pelicanconf.py?'
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in files}


def page(run: Run, name: str) -> BeautifulSoup:
    return BeautifulSoup((run.output / name).read_text(encoding="utf-8"), "html.parser")


def table_rows(table) -> list[list[str]]:
    return [[cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.tbody.find_all("tr")]


def test_every_year_page_and_download_is_written(published: Run) -> None:
    names = set(stats_files(published.output))
    expected = {"stats/index.html", "stats/media/index.html", "stats/charts.css"}
    for year in (2020, 2019):
        expected |= {f"stats/{year}/index.html", f"stats/{year}.csv", f"stats/{year}.json"}
    expected |= {f"stats/departments/{d}/index.html" for d in DEPARTMENT_ITEMS}
    assert names == expected  # nothing for 2018, which has only a draft


@pytest.mark.parametrize(("year", "expected"), [(2020, EXPECTED_2020), (2019, EXPECTED_2019)])
def test_csv_is_the_contract_with_every_row(published: Run, year: int, expected: list[tuple]) -> None:
    data = (published.output / f"stats/{year}.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].splitlines()[0] == HEADER
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
    assert [(*r[:3], *(int(n) for n in r[3:])) for r in rows] == expected


def test_json_has_the_same_figures(published: Run) -> None:
    data = json.loads((published.output / "stats/2020.json").read_text(encoding="utf-8"))
    columns = HEADER.decode().split(",")
    assert [tuple(d[c] for c in columns) for d in data["departments"]] == EXPECTED_2020
    assert data["ranking"] == RANKING_2020
    assert tuple(data["total"][c] for c in columns[3:]) == TOTAL_2020
    assert len(data["months"]) == 12 and len(data["kinds"]) == 4


def test_nothing_uncounted_reaches_any_stats_file(published: Run) -> None:
    for name, data in stats_files(published.output).items():
        text = data.decode("utf-8")
        for mark in NEVER_COUNTED:
            assert mark not in text, f"{mark} in {name}"


@pytest.mark.parametrize("name", ["stats/index.html", "stats/2020/index.html"])
def test_overview_table_ranking_and_accessible_charts(published: Run, name: str) -> None:
    soup = page(published, name)
    table = soup.find("table", id="stats-table-departments")
    assert table.caption and all(th.get("scope") == "col" for th in table.thead.find_all("th"))
    assert all(tr.th.get("scope") == "row" for tr in table.tbody.find_all("tr"))
    assert table_rows(table) == [[r[1], r[2], *(str(n) for n in r[3:])] for r in EXPECTED_2020]
    assert [c.get_text(strip=True) for c in table.tfoot.find_all(["th", "td"])] == ["合计", *map(str, TOTAL_2020)]
    ranking = soup.find("table", id="stats-table-ranking")
    assert [tr["data-department"] for tr in ranking.tbody.find_all("tr")] == RANKING_2020
    assert "相同时依次比较被采纳稿件数、报送稿件数" in soup.get_text()  # the rule is said on the page
    svgs = soup.find_all("svg")
    assert len(svgs) == 2
    for svg in svgs:
        assert svg.get("role") == "img" and svg.title and svg.desc
        assert svg.find_parent("figure").figcaption
    # The bar chart prints the figures of the table: submitted and adoptions of every department.
    values = sorted(int(t.get_text()) for t in svgs[0].find_all("text", class_="value"))
    assert values == sorted([r[3] for r in EXPECTED_2020] + [r[5] for r in EXPECTED_2020])
    css = soup.head.find("link", href=lambda h: h.endswith("stats.css"))["href"]
    assert (published.output / posixpath.normpath(posixpath.join(posixpath.dirname(name), css))).is_file()


def test_stats_pages_load_nothing_from_elsewhere_and_their_links_work(published: Run) -> None:
    for name in [n for n in stats_files(published.output) if n.endswith(".html")]:
        soup = page(published, name)
        assert not soup.select("svg script"), name  # the charts need no script
        for script in soup.find_all("script"):
            assert script.get("src") or script.get("type") == "application/ld+json", name  # no inline script
        for tag in soup.find_all(src=True):
            assert not urlsplit(tag["src"]).netloc, (name, tag["src"])
        for tag in soup.find_all(["link", "use", "image"], href=True):
            if tag.get("rel") != ["canonical"]:
                assert not urlsplit(tag["href"]).netloc, (name, tag["href"])
        for link in soup.main.find_all("a", href=True):
            href = link["href"]
            if urlsplit(href).scheme or href.startswith("#"):
                continue  # an adoption's link on the media's own site
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), href))
            path = published.output / target
            assert path.is_file() or (path / "index.html").is_file(), (name, href)


def test_department_page_lists_exactly_its_published_items(published: Run) -> None:
    for department, slugs in DEPARTMENT_ITEMS.items():
        soup = page(published, f"stats/departments/{department}/index.html")
        assert [tr["data-slug"] for tr in soup.find_all("tr", attrs={"data-slug": True})] == slugs
    soup = page(published, "stats/departments/dyxcb/index.html")
    first = soup.find("tr", attrs={"data-slug": "dyxcb-a"})
    assert first.th.a["href"] == "../../../articles/2020/01/dyxcb-a/"
    adoptions = [li["data-media"] for li in first.find_all("li")]
    assert adoptions == ["xinhua", "henan-daily", "zhengzhou-daily"]
    assert "新华社" in first.get_text() and "2020-01-11" in first.get_text()
    assert first.find("a", href="https://xinhua.example/2020-01-11/调研宣传部一月稿.html")
    years = [table["id"] for table in soup.find_all("table", class_="stats-table--items")]
    assert years == ["stats-items-2020", "stats-items-2019"]


def test_media_page_groups_adoptions_by_media_and_level(published: Run) -> None:
    soup = page(published, "stats/media/index.html")
    levels = [h2.get_text(strip=True)[:4] for h2 in soup.main.find_all("h2")]
    assert levels == ["中央媒体", "省级媒体", "市级媒体", "行业媒体"]
    found = {
        section["data-media"]: [tr["data-slug"] for tr in section.find_all("tr", attrs={"data-slug": True})]
        for section in soup.find_all("section", attrs={"data-media": True})
    }
    assert found == MEDIA_ITEMS
    assert "暂无采纳记录" in soup.find("section", attrs={"data-media": "luoyang-daily"}).get_text()


def test_preview_build_counts_the_same_and_builds_are_reproducible(
    published: Run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A preview build shows drafts and embargoed items, but the statistics never count them.
    root = write_fixture(tmp_path_factory.mktemp("stats-preview"))
    preview = build(root, publish=False, site_now=NOW)
    assert preview.returncode == 0, preview.text
    first, second = stats_files(published.output), stats_files(preview.output)
    for name in first:
        if not name.endswith(".html"):
            assert first[name] == second[name], name
    again = build(root, publish=True, site_now=NOW)
    assert again.returncode == 0, again.text
    assert stats_files(again.output) == first


def test_stats_opens_on_the_latest_year_with_data_and_links_every_year(tmp_path: Path) -> None:
    # Early in January nothing of the new year is published yet: /stats/ shows the year before, not empty zeros.
    root = write_fixture(tmp_path)
    january = build(root, publish=True, site_now="2021-01-05 09:00")
    assert january.returncode == 0, january.text
    soup = page(january, "stats/index.html")
    assert soup.h1.get_text(strip=True).startswith("2020年")
    assert "2021年尚无已发布的稿件" in soup.get_text()
    table = soup.find("table", id="stats-table-departments")
    assert [row[2] for row in table_rows(table)] == [str(r[3] + (r[0] == "bgs")) for r in EXPECTED_2020]
    years = [a.get_text(strip=True) for a in soup.select(".stats__years a")]
    assert years == ["2021年", "2020年", "2019年"]  # every year stays reachable, the empty current one too
    for year in (2021, 2020, 2019):
        assert (january.output / f"stats/{year}/index.html").is_file()


def test_downloads_are_page_jobs_left_alone_while_their_figures_hold(tmp_path: Path) -> None:
    # A build that reads everything again (here, a new file that no statistic counts) keeps the downloads and the
    # charts' styles as they were: they are made like pages, from their figures, and only when those change.
    root = write_fixture(tmp_path)
    first = build(root, publish=False, site_now=NOW)
    assert first.returncode == 0, first.text
    files = [p for p in (first.output / "stats").glob("*") if p.suffix in (".csv", ".json", ".css")]
    made = {p: p.stat().st_mtime_ns for p in files}
    assert {p.suffix for p in made} == {".csv", ".json", ".css"}
    (root / "content/pages").mkdir(exist_ok=True)
    (root / "content/pages/extra.md").write_text("---\ntitle: 新页面\n---\n正文。\n", encoding="utf-8")
    again = build(root, publish=False, site_now=NOW)
    assert again.returncode == 0, again.text
    assert {p: p.stat().st_mtime_ns for p in made} == made
