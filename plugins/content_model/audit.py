"""`make audit YEAR=2020`: who submitted and who approved each published item of a year, and how; never published."""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .attest import Attester, AttestError, GithubApproval, Outcome, Proof, report
from .check import UsageError, options_from_settings, read_publish_settings, year_option
from .gitlog import GitError, Objects, git
from .problems import Problems
from .registries import REVIEWERS_FILE, reviewers_of
from .reviewers import STAGE_NAMES, Registry
from .schema import REVIEW_STAGES
from .site import Item, Site, load_site
from .times import SITE_TZ

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
WIDTH = 80  # the table fits a standard terminal
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula
HOW = {"commit": ("签名提交", "signed commit"), "github": ("拉取请求批准", "pull-request approval")}
HEADER = [
    "标题 title",
    "网址 URL",
    "报送单位 department",
    "投稿人 submitter",
    "投稿时间 submitted",
    *(
        f"{STAGE_NAMES[s]}{what}"
        for s in REVIEW_STAGES
        for what in ("人 reviewer", "时间 when", "方式 how", "凭据 proof")
    ),
    "核验 attested",
    "未核验的原因 why not",
]


@dataclass(frozen=True)
class Submission:
    """Who first committed an item's file, and when."""

    author: str
    when: datetime.datetime | None


def submissions(root: Path, folder: str, objects: Objects) -> dict[str, Submission]:
    """The first commit of each file under `folder` (paths from the top of the repository), from one `git log`."""
    found: dict[str, str] = {}
    sha = ""
    log = git(root, "log", "--diff-filter=A", "--no-renames", "-z", "--format=%x01%H", "--name-only", "--", folder)
    for token in log.split("\0"):
        token = token.strip("\n")
        if token.startswith("\x01"):
            sha = token[1:]
        elif token:
            found[token] = sha  # newest first: the last one seen is the first commit
    result = {}
    for path, commit_id in found.items():
        commit = objects.commit(commit_id)
        result[path] = Submission(commit.author, commit.time)
    return result


def former_reviewers(root: Path, content: str) -> list[dict]:
    """The entries of every earlier version of the reviewer registry, newest first."""
    path = f"{content}/{REVIEWERS_FILE}"
    entries: list[dict] = []
    with Objects(root) as objects:
        for sha in git(root, "log", "--format=%H", "--", path).split():
            text = objects.text(f"{sha}:./{path}")
            for name, entry in reviewers_of(text, path, Problems()).items():
                entries.append({**entry, "name": name})
    return entries


def safe_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula gets a leading apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _time(moment: datetime.datetime | None) -> str:
    return moment.astimezone(SITE_TZ).strftime("%Y-%m-%d %H:%M") if moment else ""


@dataclass
class Row:
    """One published item: what it is, who submitted it, and each stage's proof."""

    item: Item
    url: str
    department: str
    submission: Submission | None
    outcome: Outcome

    @property
    def attested(self) -> bool:
        return not self.outcome.gaps

    def cells(self, why: str) -> list[str]:
        review = self.item.get("review") or {}
        cells = [
            self.item.get("title", ""),
            self.url,
            self.department,
            self.submission.author if self.submission else "",
            _time(self.submission.when) if self.submission else "",
        ]
        for stage in REVIEW_STAGES:
            proof = self.outcome.proofs.get(stage)
            if proof is None:
                cells += [review.get(stage, ""), "", "", ""]
            else:
                cells += [proof.name, _time(proof.when), HOW[proof.how][0], _reference(proof)]
        return [*cells, "是 yes" if self.attested else "否 no", why]


def _reference(proof: Proof) -> str:
    return proof.ref[:10] if proof.how == "commit" else f"#{proof.ref}"


def rows_of(site: Site, year: int, registry: Registry, approvals: list[GithubApproval], siteurl: str) -> list[Row]:
    items = sorted(
        (a for a in site.articles.values() if a.state == "published" and a.get("date").year == year),
        key=lambda a: (a.get("date"), a.rel),
    )
    outcomes = Attester(site, registry, approvals).prove(None, items)
    prefix = git(site.repo_root, "rev-parse", "--show-prefix").strip()
    with Objects(site.repo_root) as objects:
        submitted = submissions(site.repo_root, site.rel(site.content_root), objects)
    departments = site.registries.get("departments", {})
    rows = []
    for item, outcome in zip(items, outcomes, strict=True):
        department = departments.get(item.get("department", ""), {}).get("name", item.get("department", ""))
        url = f"{siteurl.rstrip('/')}/{item.url}" if siteurl else f"/{item.url}"
        rows.append(Row(item, url, department, submitted.get(prefix + item.rel), outcome))
    return rows


def _stage_cell(row: Row, stage: str) -> str:
    proof = row.outcome.proofs.get(stage)
    if proof is None:
        name = (row.item.get("review") or {}).get(stage, "")
        return f"{name}\n[red]未核验[/red]" if name else "[red]未核验[/red]"
    how = "签名" if proof.how == "commit" else "PR"
    return f"{proof.name}\n{_time(proof.when)[5:10]} {how}"


def tables(rows: list[Row], year: int) -> list[Table]:
    """The attested items, then the others apart; each fits 80 columns."""
    result = []
    groups = (
        ([r for r in rows if r.attested], f"{year}年已发布稿件的三审记录 Approvals of {year}'s published items"),
        ([r for r in rows if not r.attested], "未完整核验的已发布稿件 Published without full attestation"),
    )
    for group, title in groups:
        if not group:
            continue
        table = Table(title=title, show_lines=True)
        table.add_column("标题", overflow="fold", ratio=3)
        table.add_column("单位", overflow="fold", ratio=2)
        for stage in REVIEW_STAGES:
            table.add_column(STAGE_NAMES[stage], overflow="fold", ratio=2)
        for row in group:
            table.add_row(
                row.item.get("title", ""), row.department, *(_stage_cell(row, stage) for stage in REVIEW_STAGES)
            )
        result.append(table)
    return result


def write_csv(path: Path, rows: list[Row], whys: dict[str, str]) -> None:
    """UTF-8 with a BOM so that Excel opens it; the attested items first, the others after them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in sorted(rows, key=lambda r: not r.attested):
        writer.writerow([safe_cell(cell) for cell in row.cells(whys.get(row.item.rel, ""))])
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8", newline="")


def _out_path(root: Path, out: str, year: int, settings: dict) -> Path:
    """Where the CSV goes: never inside content/ or the output folder, from where it could be published."""
    path = (root / (out or f"audit-{year}.csv")).resolve()
    folders = {
        root.resolve() / "content",
        root.resolve() / "output",
        (root / settings.get("OUTPUT_PATH", "output")).resolve(),
    }
    for folder in folders:
        if path.is_relative_to(folder):
            raise UsageError(
                f"审计表不能写到 {folder.name}/ 中，那里的文件可能被发布：{path}\n"
                f"The audit file must not go into {folder.name}/, from where it could be published: {path}"
            )
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="三审记录 The approvals of a year's published items")
    parser.add_argument("--year", default="")
    parser.add_argument("--root", default=".")
    parser.add_argument("--out", default="", help="default: audit-<year>.csv in the project folder")
    parser.add_argument("--approvals", default="", help="pull-request approvals read by content_model.github_reviews")
    parser.add_argument("--site-now", default=None)
    args = parser.parse_args(argv)
    root = Path(args.root)
    try:
        settings = read_publish_settings()
        options = options_from_settings(settings, strict=False, now_text=args.site_now)
        year = year_option(args.year, options.now.year)
        out = _out_path(root, args.out, year, settings)
        approvals = GithubApproval.load(Path(args.approvals)) if args.approvals else []
        site = load_site(root / "content", root, options)
        if site.problems.errors:
            print("稿件有错误，请先运行 make check。 The content has errors: run make check first.", file=sys.stderr)
            return EXIT_CONTENT
        registry = Registry.from_entries(site.registries.get("reviewers", {}), former_reviewers(root, "content"))
        rows = rows_of(site, year, registry, approvals, settings.get("SITEURL", ""))
    except (UsageError, AttestError, GitError, OSError, ValueError) as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    problems = Problems()
    report([row.outcome for row in rows], problems)
    whys: dict[str, str] = {}
    for problem in problems.items:
        whys[problem.file] = (whys.get(problem.file, "") + f"{problem.field}: {problem.message_zh} ").strip()
    write_csv(out, rows, whys)
    console = Console(width=WIDTH)
    for table in tables(rows, year):
        console.print(table)
    attested = sum(1 for r in rows if r.attested)
    console.print(
        f"{year}年已发布 {len(rows)} 篇，三审全部核验 {attested} 篇，未完整核验 {len(rows) - attested} 篇。"
        f"已写入 {out.name}（不发布）。\n"
        f"{len(rows)} published in {year}, {attested} fully attested, {len(rows) - attested} not. "
        f"Wrote {out.name} (never published)."
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
