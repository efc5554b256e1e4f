"""Corrections (更正): the notice links to the correction, the correction links back, the pair is counted once."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.sites import Run, article, build, check, output_text, write_site

NOW = "2020-07-25 12:00"
REASON = "withdrawn_reason: 会议日期有误"


def adopted(media: str, day: str) -> str:
    return f'\n  - {{media: {media}, date: {day}, url: "https://{media}.example/{day}.html"}}'


FILES = {
    # Withdrawn in June, corrected in July; the media adopted the original before it was withdrawn.
    "content/articles/original.md": article(
        "原稿ORIGINAL",
        "2020-06-20 11:00",
        status="withdrawn",
        withdrawn_reason="会议日期有误",
        corrected_by="fixed",
        adopted_by=adopted("henan-daily", "2020-06-22"),
    ),
    "content/articles/fixed.md": article(
        "更正稿FIXED", "2020-07-02 09:00", "更正后的正文。", adopted_by=adopted("xinhua", "2020-07-03")
    ),
    # The correction is scheduled for after "now": the notice must not name it in a publish build.
    "content/articles/late.md": article(
        "迟到原稿", "2020-07-10", status="withdrawn", withdrawn_reason="有误", corrected_by="late-fix"
    ),
    "content/articles/late-fix.md": article("定时更正EMBARGOMARK", "2020-07-28 10:00"),
    # The correction is still a draft.
    "content/articles/pending.md": article(
        "待更正原稿", "2020-07-11", status="withdrawn", withdrawn_reason="有误", corrected_by="pending-fix"
    ),
    "content/articles/pending-fix.md": article("草稿更正DRAFTMARK", "2020-07-12", status="draft"),
    # Published in December 2019 by another department, corrected in January 2020.
    "content/articles/old.md": article(
        "年末原稿",
        "2019-12-28",
        status="withdrawn",
        withdrawn_reason="数据有误",
        corrected_by="old-fix",
        adopted_by=adopted("henan-daily", "2019-12-30"),
    ).replace("department: dyxcb", "department: zzskx"),
    "content/articles/old-fix.md": article("年初更正", "2020-01-05"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("corrections"), FILES)


@pytest.fixture(scope="module")
def published(site: Path) -> Run:
    run = build(site, publish=True, site_now=NOW)
    assert run.returncode == 0, run.text
    return run


def soup(run: Run, name: str) -> BeautifulSoup:
    return BeautifulSoup((run.output / name).read_text(encoding="utf-8"), "html.parser")


def target(name: str, href: str) -> str:
    """The output file a relative link on the page `name` leads to."""
    from posixpath import dirname, join, normpath

    path = normpath(join(dirname(name), href))
    return path if path.endswith(".html") else path + "/index.html"


def test_the_notice_links_to_the_correction(published: Run) -> None:
    name = "articles/2020/06/original/index.html"
    page = soup(published, name)
    assert "会议日期有误" in page.get_text()
    link = page.select_one(".withdrawn__correction a")
    assert link is not None, page.main
    assert link.get_text() == "更正稿FIXED"
    assert target(name, link["href"]) == "articles/2020/07/fixed/index.html"
    assert "2020年7月2日" in page.select_one(".withdrawn__correction").get_text()


def test_the_correction_shows_a_note_linking_back_to_the_notice(published: Run) -> None:
    name = "articles/2020/07/fixed/index.html"
    note = soup(published, name).select_one(".correction-note")
    assert note is not None and note.get("role") == "note"
    assert "更正" in note.get_text() and "原稿ORIGINAL" in note.get_text() and "2020年6月20日" in note.get_text()
    assert target(name, note.a["href"]) == "articles/2020/06/original/index.html"
    assert (published.output / "articles/2020/06/original/index.html").is_file()


def test_no_old_url_is_given_up_and_no_alias_is_needed(published: Run) -> None:
    # The original's address, printed in the newspaper, still answers: with the notice, not a redirect.
    page = soup(published, "articles/2020/06/original/index.html")
    assert page.find("meta", attrs={"http-equiv": "refresh"}) is None
    assert page.h1.get_text() == "本稿件已撤回"


@pytest.mark.parametrize("slug", ["late", "pending"])
def test_a_correction_not_yet_public_is_not_linked_in_a_publish_build(published: Run, slug: str) -> None:
    notice = soup(published, f"articles/2020/07/{slug}/index.html")
    assert notice.select_one(".withdrawn__correction") is None
    texts = output_text(published.output)
    for mark in ("EMBARGOMARK", "DRAFTMARK"):
        assert not [n for n, text in texts.items() if mark in text], mark


def test_a_preview_links_a_correction_that_is_not_yet_public(site: Path, tmp_path_factory) -> None:
    run = build(site, publish=False, site_now=NOW)
    assert run.returncode == 0, run.text
    for slug, fix, title in (
        ("late", "late-fix", "定时更正EMBARGOMARK"),
        ("pending", "pending-fix", "草稿更正DRAFTMARK"),
    ):
        name = f"articles/2020/07/{slug}/index.html"
        link = soup(run, name).select_one(".withdrawn__correction a")
        assert link is not None and link.get_text() == title
        fix_page = target(name, link["href"])
        assert fix_page.endswith(f"/{fix}/index.html")
        assert soup(run, fix_page).select_one(".correction-note a") is not None


def _csv(run: Run, year: int) -> dict[str, dict[str, str]]:
    text = (run.output / f"stats/{year}.csv").read_text(encoding="utf-8-sig")
    return {row["department_id"]: row for row in csv.DictReader(io.StringIO(text))}


def test_the_pair_is_counted_once_with_the_adoptions_of_both(published: Run) -> None:
    dyxcb = _csv(published, 2020)["dyxcb"]
    # fixed + original are one item; the withdrawn late and pending, and the unpublished corrections, count not
    assert (dyxcb["submitted"], dyxcb["adopted_items"], dyxcb["adoptions"]) == ("1", "1", "2")
    assert (dyxcb["adoptions_central"], dyxcb["adoptions_provincial"]) == ("1", "1")
    months = json.loads((published.output / "stats/2020.json").read_text(encoding="utf-8"))["months"]
    assert [m["submitted"] for m in months if m["month"] in ("2020-06", "2020-07")] == [1, 0]  # the original's month
    listed = soup(published, "stats/departments/dyxcb/index.html").find("tr", attrs={"data-slug": "fixed"})
    assert listed.th.a.get_text() == "更正稿FIXED"
    assert [li["data-media"] for li in listed.find_all("li")] == ["henan-daily", "xinhua"]
    assert listed.select_one(".stats-correction a")["href"].endswith("articles/2020/06/original/")


def test_a_correction_never_moves_figures_to_another_year(published: Run) -> None:
    assert _csv(published, 2019)["zzskx"]["submitted"] == "1"
    assert _csv(published, 2019)["zzskx"]["adoptions_provincial"] == "1"
    assert _csv(published, 2020)["zzskx"]["submitted"] == "0"


def test_an_adoption_copied_onto_the_correction_counts_once(tmp_path: Path) -> None:
    same = adopted("henan-daily", "2020-06-22")
    write_site(
        tmp_path,
        {
            "content/articles/a.md": article(
                "甲", "2020-06-20", status="withdrawn", withdrawn_reason="有误", corrected_by="b", adopted_by=same
            ),
            "content/articles/b.md": article("乙", "2020-06-21", adopted_by=same),
        },
    )
    run = build(tmp_path, site_now=NOW)
    assert run.returncode == 0, run.text
    assert _csv(run, 2020)["dyxcb"]["adoptions"] == "1"


def _problems(root: Path) -> list[tuple[str, str, str, str]]:
    result = check(root, "--format", "json")
    return [(p["file"], p["code"], p["field"], p["level"]) for p in json.loads(result.stdout)]


def test_the_rules_of_corrected_by(tmp_path: Path) -> None:
    withdrawn = {"status": "withdrawn", "withdrawn_reason": "有误"}
    write_site(
        tmp_path,
        {
            "content/articles/not-withdrawn.md": article("甲", "2020-07-01", corrected_by="fix"),
            "content/articles/itself.md": article("乙", "2020-07-01", corrected_by="itself", **withdrawn),
            "content/articles/typo.md": article("丙", "2020-07-01", corrected_by="fixx", **withdrawn),
            "content/articles/chain.md": article("丁", "2020-07-01", corrected_by="first-fix", **withdrawn),
            "content/articles/first-fix.md": article("戊", "2020-07-02", corrected_by="second-fix", **withdrawn),
            "content/articles/second-fix.md": article("寅", "2020-07-04"),
            "content/articles/twin-a.md": article("己", "2020-07-01", corrected_by="shared", **withdrawn),
            "content/articles/twin-b.md": article("庚", "2020-07-01", corrected_by="shared", **withdrawn),
            "content/articles/shared.md": article("辛", "2020-07-03"),
            "content/articles/waiting.md": article("壬", "2020-07-01", corrected_by="draft-fix", **withdrawn),
            "content/articles/draft-fix.md": article("癸", "2020-07-03", status="draft"),
            "content/articles/fix.md": article("子", "2020-07-03"),
            "content/articles/good.md": article("丑", "2020-07-01", corrected_by="fix", **withdrawn),
        },
    )
    found = _problems(tmp_path)
    about = sorted(p for p in found if p[2] == "corrected_by")
    assert about == [
        ("content/articles/chain.md", "correction-withdrawn", "corrected_by", "error"),
        ("content/articles/itself.md", "corrected-by-self", "corrected_by", "error"),
        ("content/articles/not-withdrawn.md", "corrected-by-not-withdrawn", "corrected_by", "error"),
        ("content/articles/twin-a.md", "correction-shared", "corrected_by", "error"),
        ("content/articles/twin-b.md", "correction-shared", "corrected_by", "error"),
        ("content/articles/typo.md", "unknown-ref", "corrected_by", "error"),
        ("content/articles/waiting.md", "correction-draft", "corrected_by", "warning"),
    ]
    messages = {p["file"]: p for p in json.loads(check(tmp_path, "--format", "json").stdout)}
    assert "（即 second-fix）" in messages["content/articles/chain.md"]["message_zh"]  # the correction that stands
    assert "twin-b.md" in messages["content/articles/twin-a.md"]["message_zh"]
    assert "fix" in messages["content/articles/typo.md"]["message_zh"]  # did you mean


def test_a_correction_taking_the_notice_url_as_an_alias_is_told_to_use_corrected_by(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/articles/a.md": article("甲", "2020-07-01", status="withdrawn", withdrawn_reason="有误"),
            "content/articles/b.md": article("乙", "2020-07-02", aliases="[/articles/2020/07/a/]"),
        },
    )
    result = check(tmp_path, "--format", "json")
    assert result.returncode == 1
    hint = [p for p in json.loads(result.stdout) if p["code"] == "alias-of-withdrawn"]
    assert [(p["file"], p["field"]) for p in hint] == [("content/articles/b.md", "aliases")]
    assert "corrected_by: b" in hint[0]["message_zh"] and "content/articles/a.md" in hint[0]["message_zh"]
