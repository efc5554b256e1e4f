"""三审 the repository can prove: each review stage of an item is attested by its reviewer's signed approval.

An *edit* of a file is a commit that changes anything in it but its `review` field. An *approval* of a file for a
stage is a commit that
- is signed by the key the reviewer registry gives the named person (git verifies it against an allowed-signers file
  made from the registry),
- carries the trailers `Review-Stage: <stage>` and `Reviewed-by: <name>`, one of each,
- touches the file: it changes the file's `review.<stage>` to that name and nothing else in the file, or it leaves
  the file as it is and names it in a `Review-File: <path>` trailer (the name was there already),
- comes after the file's last edit, and approved the text the file has now (its review field aside).
An approving review on GitHub, on the head commit of the pull request that changed the file, is an approval too.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .deployed import NoDeployRecord, last_deployed
from .gitlog import Commit, GitError, Objects, changed_paths, git, resolve, verified_signers, walk
from .problems import Problems
from .review_field import review_of, without_review
from .reviewers import STAGE_NAMES, STAGE_NAMES_EN, Registry, Reviewer, editors_of, github_login
from .schema import REVIEW_STAGES
from .site import Item, Site

CHECKED_STATUSES = ("published", "hidden")
UNNAMED = "（未填写）"


class AttestError(Exception):
    """The attestation cannot be judged at all (no git history, an unknown BASE): a usage error, not content."""


@dataclass(frozen=True)
class GithubApproval:
    """An approving review of a pull request, on its head commit, as the pull-request reader recorded it."""

    login: str
    pr: int
    commit: str  # the head commit the review approved
    anchor: str  # where it applies in this history: the head, or the commit that merged the pull request
    since: str  # the pull request's files are those changed between `since` and `anchor`
    submitted_at: str = ""
    url: str = ""

    @classmethod
    def load(cls, path: Path) -> list[GithubApproval]:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [
            cls(
                str(a["login"]),
                int(a["pr"]),
                str(a["commit"]),
                str(a["anchor"]),
                str(a["since"]),
                str(a.get("submitted_at", "")),
                str(a.get("url", "")),
            )
            for a in data
        ]


@dataclass(frozen=True)
class Proof:
    """One stage proved: by whom, when, and how (a signed commit, or an approval on the pull request)."""

    stage: str
    name: str
    when: datetime.datetime | None
    how: str  # "commit" or "github"
    ref: str  # the commit id, or the pull request's number


@dataclass(frozen=True)
class Gap:
    """One stage not proved, and why."""

    stage: str
    name: str
    reason: str
    detail: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    """What the history proves about one item's three stages."""

    item: Item
    proofs: dict[str, Proof] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)


@dataclass
class _Candidate:
    """A commit that would approve a file for a stage, if its signature holds and the text is still the same."""

    sha: str
    stage: str
    name: str
    time: datetime.datetime | None
    text: str | None  # the file as approved, review field aside


@dataclass
class _Track:
    """One file's history, newest first, up to its last edit."""

    path: str  # from the top of the git repository
    current: str | None  # the file now, review field aside
    candidates: list[_Candidate] = field(default_factory=list)
    last_edit: str | None = None
    edit_position: int | None = None
    done: bool = False


def _normal(text: str | None) -> str | None:
    rest = without_review(text) if text is not None else None
    return rest.replace("\r\n", "\n") if rest is not None else None


class Attester:
    """Judges the attestation of items against one repository's history."""

    def __init__(self, site: Site, registry: Registry, approvals: Iterable[GithubApproval] = ()) -> None:
        self.site = site
        self.root = site.repo_root
        self.registry = registry
        self.approvals = list(approvals)
        self._positions: dict[str, int] = {}
        self._pr_files: dict[tuple[str, str], set[str]] = {}

    def prove(self, base: str | None, items: list[Item] | None = None) -> list[Outcome]:
        """Outcomes for `items`, or for every published or hidden article added or changed after `base`."""
        try:
            self.prefix = git(self.root, "rev-parse", "--show-prefix").strip()
        except GitError as error:
            raise AttestError(f"not a git checkout: {error}") from error
        if resolve(self.root, "HEAD") is None:
            raise AttestError("the repository has no commit yet")
        with Objects(self.root) as objects:
            self.objects = objects
            range_commits = self._read(f"{base}..HEAD" if base else "HEAD")
            if items is None:
                items = self._changed_items(base, range_commits)
            tracks = {item.rel: self._track(item) for item in items}
            by_path = {t.path: t for t in tracks.values()}
            for position, commit in enumerate(range_commits):
                self._follow(by_path, commit, position)
            pending = {p: t for p, t in by_path.items() if not t.done}
            if base and pending:
                # Only approvals changed these files since BASE: look further back for their last edit.
                position = len(range_commits)
                for commit in walk(self.root, [base], objects):
                    if not pending:
                        break
                    self._follow(pending, commit, position)
                    pending = {p: t for p, t in pending.items() if not t.done}
                    position += 1
            shas = {c.sha for t in tracks.values() for c in t.candidates}
            signers = verified_signers(self.root, shas, self.registry.allowed_signers())
            return [self._judge(item, tracks[item.rel], signers) for item in items]

    # Reading the history

    def _read(self, revision: str) -> list[Commit]:
        commits = list(walk(self.root, [revision], self.objects))
        self._positions = {commit.sha: position for position, commit in enumerate(commits)}
        return commits

    def _changed_items(self, base: str | None, range_commits: list[Commit]) -> list[Item]:
        articles = [a for a in self.site.articles.values() if a.get("status") in CHECKED_STATUSES]
        if base is None:
            return articles
        changed = changed_paths(self.root, base, self.site.rel(self.site.content_root))
        for commit in range_commits:
            changed.update(commit.changes)
        return [a for a in articles if self.prefix + a.rel in changed]

    def _track(self, item: Item) -> _Track:
        try:
            text = item.path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            text = None
        return _Track(self.prefix + item.rel, _normal(text))

    def _follow(self, tracks: dict[str, _Track], commit: Commit, position: int) -> None:
        """Let one commit (newer ones came before) tell each file it touches what it did."""
        named = commit.trailer("Review-File")
        for path in dict.fromkeys([*commit.changes, *named]):
            track = tracks.get(path)
            if track is None or track.done:
                continue
            change = commit.changes.get(path)
            if change is None:
                self._approval(track, commit, self.objects.text(f"{commit.sha}:{path}"), None)
                continue
            new = self.objects.text(change.new) if change.new else None
            old = self.objects.text(change.old) if change.old else None
            new_rest, old_rest = _normal(new), _normal(old)
            if new_rest is None or old_rest is None or new_rest != old_rest:
                track.done, track.last_edit, track.edit_position = True, commit.sha, position
                continue
            self._approval(track, commit, new, (review_of(old) or {}, review_of(new) or {}))

    def _approval(self, track: _Track, commit: Commit, text: str | None, reviews: tuple[dict, dict] | None) -> None:
        """Note the commit as a candidate approval of the file if its trailers and its change say it is one."""
        stages, names = commit.trailer("Review-Stage"), commit.trailer("Reviewed-by")
        if len(stages) != 1 or len(names) != 1 or stages[0] not in REVIEW_STAGES:
            return
        stage, name = stages[0], names[0]
        if reviews is not None and reviews[1] != {**reviews[0], stage: name}:
            return  # it changed the review field otherwise than setting this stage to this name
        track.candidates.append(_Candidate(commit.sha, stage, name, commit.time, _normal(text)))

    # Judging

    def _judge(self, item: Item, track: _Track, signers: dict[str, str]) -> Outcome:
        outcome = Outcome(item)
        review = item.get("review") or {}
        editors = editors_of(item, self.site.registries, self.site.items["column"])
        seen: dict[str, str] = {}
        for stage in REVIEW_STAGES:
            name = review.get(stage, "")
            gap = self._rules(stage, name, seen, editors)
            if gap is None:
                reviewer = self.registry.by_name[name]
                proof = self._proof(track, stage, reviewer, signers)
                if proof is not None:
                    outcome.proofs[stage] = proof
                    continue
                gap = self._why_not(track, stage, name, signers)
            outcome.gaps.append(gap)
        return outcome

    def _rules(self, stage: str, name: str, seen: dict[str, str], editors: set[str]) -> Gap | None:
        """The rules on who may sign a stage, before any history is looked at."""
        if not name:
            return Gap(stage, UNNAMED, "unnamed")
        if name in seen:
            return Gap(stage, name, "same-person", {"other": seen[name]})
        seen[name] = stage
        reviewer = self.registry.by_name.get(name)
        if reviewer is None:
            return Gap(stage, name, "unregistered")
        if stage not in reviewer.stages:
            return Gap(stage, name, "stage-not-allowed", {"allowed": " ".join(reviewer.stages)})
        if stage == "final" and editors and github_login(reviewer.github) not in editors:
            return Gap(stage, name, "not-an-editor", {"editors": ", ".join(sorted(editors))})
        return None

    def _proof(self, track: _Track, stage: str, reviewer: Reviewer, signers: dict[str, str]) -> Proof | None:
        if track.current is None:
            return None
        for candidate in track.candidates:
            if (
                candidate.stage == stage
                and candidate.name == reviewer.name
                and self.registry.signs_for(reviewer.name, signers.get(candidate.sha))
                and candidate.text == track.current
            ):
                return Proof(stage, reviewer.name, candidate.time, "commit", candidate.sha)
        login = github_login(reviewer.github) if reviewer.github else None
        for approval in self.approvals:
            if login and github_login(approval.login) == login and self._github_covers(approval, track):
                when = _iso(approval.submitted_at)
                return Proof(stage, reviewer.name, when, "github", str(approval.pr))
        return None

    def _github_covers(self, approval: GithubApproval, track: _Track) -> bool:
        """Whether a pull request's approval covers the file as it is now."""
        position = self._positions.get(approval.anchor)
        if position is None or (track.edit_position is not None and position > track.edit_position):
            return False
        key = (approval.since, approval.anchor)
        if key not in self._pr_files:
            try:
                names = git(
                    self.root, "diff", "--name-only", "-z", "--no-renames", f"{approval.since}...{approval.anchor}"
                )
            except GitError:
                names = ""
            self._pr_files[key] = {n for n in names.split("\0") if n}
        if track.path not in self._pr_files[key]:
            return False
        approved = [approval.anchor]
        if approval.commit != approval.anchor and resolve(self.root, approval.commit):
            approved.append(approval.commit)  # a merged pull request: its head is what the reviewer saw
        return all(_normal(self.objects.text(f"{sha}:{track.path}")) == track.current for sha in approved)

    def _why_not(self, track: _Track, stage: str, name: str, signers: dict[str, str]) -> Gap:
        if track.current is None:
            return Gap(stage, name, "unreadable")
        mine = [c for c in track.candidates if c.stage == stage and c.name == name]
        unsigned = [c for c in mine if not self.registry.signs_for(name, signers.get(c.sha))]
        if unsigned:
            return Gap(stage, name, "bad-signature", {"commit": unsigned[0].sha[:10]})
        if mine:
            return Gap(stage, name, "text-differs", {"commit": mine[0].sha[:10]})
        if track.last_edit is not None:
            return Gap(stage, name, "after-edit", {"commit": track.last_edit[:10]})
        return Gap(stage, name, "no-approval")


def _iso(text: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


# Why a stage is not proved, and what fixes it: {reason: (zh, en, fix_zh, fix_en)}.
_APPROVE_ZH = "请{name}在自己的电脑上运行：make approve STAGE={stage} FILES={file}"
_APPROVE_EN = "{name} should run, in their own clone: make approve STAGE={stage} FILES={file}"
REASONS: dict[str, tuple[str, str, str, str]] = {
    "unnamed": (
        "review 中还没有{stage_zh}审核人",
        "review names no one for it",
        "请{stage_zh}审核人运行：make approve STAGE={stage} FILES={file}",
        "The reviewer of this stage should run: make approve STAGE={stage} FILES={file}",
    ),
    "same-person": (
        "“{name}”已担任{other_zh}，三审须由三位不同的人完成",
        "`{name}` is already the {other_en}; the three stages need three different people",
        "请由另一位审核人审核这一审",
        "Have another reviewer take this stage.",
    ),
    "unregistered": (
        "“{name}”不在审核人登记表 content/data/reviewers.yml 中",
        "`{name}` is not in the reviewer registry content/data/reviewers.yml",
        "请改为已登记的审核人，或请调研宣传部登记此人的签名公钥",
        "Name a registered reviewer, or ask the office to register this person's signing key.",
    ),
    "stage-not-allowed": (
        "登记表中“{name}”能签的只有：{allowed_zh}",
        "the registry lets `{name}` sign only: {allowed_en}",
        "请由可以签这一审的审核人审核",
        "Have a reviewer who may sign this stage take it.",
    ),
    "not-an-editor": (
        "终审须由本稿栏目或专栏的编辑（{editors}）担任，“{name}”不是",
        "the final review must be by an editor of the article's section or column ({editors}); `{name}` is not one",
        "请由其中一位编辑终审",
        "Have one of those editors take the final review.",
    ),
    "unreadable": (
        "无法读取文件",
        "the file cannot be read",
        "请先改正文件，再运行 make check",
        "Fix the file, then run make check.",
    ),
    "bad-signature": (
        "审核提交 {commit} 的签名不能用登记表中“{name}”的公钥核验（未签名，或用了别的密钥）",
        "the approval commit {commit} is not signed with the key the registry gives `{name}` (unsigned, or "
        "signed with another key)",
        _APPROVE_ZH,
        _APPROVE_EN,
    ),
    "text-differs": (
        "审核提交 {commit} 所审的内容与现在的文件不同",
        "the approval commit {commit} approved other text than the file has now",
        _APPROVE_ZH,
        _APPROVE_EN,
    ),
    "after-edit": (
        "最后一次修改（提交 {commit}）之后没有“{name}”签名的审核提交；修改后原有的审核失效",
        "there is no approval signed by `{name}` after the last edit (commit {commit}); an edit voids earlier "
        "approvals",
        _APPROVE_ZH,
        _APPROVE_EN,
    ),
    "no-approval": (
        "没有“{name}”签名的审核提交",
        "there is no approval signed by `{name}`",
        _APPROVE_ZH,
        _APPROVE_EN,
    ),
}


def report(outcomes: list[Outcome], problems: Problems) -> None:
    """One `review-unattested` error per stage not proved, on the review line, saying what to run."""
    for outcome in outcomes:
        item = outcome.item
        parsed = item.parsed
        line = parsed.line_of("review") if "review" in parsed.fields else parsed.line_of("status")
        for gap in outcome.gaps:
            zh, en, fix_zh, fix_en = REASONS[gap.reason]
            params: dict[str, Any] = {
                "name": gap.name,
                "stage": gap.stage,
                "stage_zh": STAGE_NAMES[gap.stage],
                "file": item.rel,
                **gap.detail,
            }
            if "other" in gap.detail:
                params["other_zh"] = STAGE_NAMES[gap.detail["other"]]
                params["other_en"] = STAGE_NAMES_EN[gap.detail["other"]]
            if "allowed" in gap.detail:
                allowed = gap.detail["allowed"].split()
                params["allowed_zh"] = "、".join(STAGE_NAMES[s] for s in allowed) or "（无）"
                params["allowed_en"] = " and ".join(STAGE_NAMES_EN[s] for s in allowed) or "none"
            problems.add(
                "review-unattested",
                item.rel,
                line,
                f"review.{gap.stage}",
                value=gap.name,
                stage_zh=STAGE_NAMES[gap.stage],
                stage_en=STAGE_NAMES_EN[gap.stage],
                reason_zh=zh.format(**params),
                reason_en=en.format(**params),
                fix_zh=fix_zh.format(**params),
                fix_en=fix_en.format(**params),
            )


def attest_site(site: Site, base: str | None, approvals: Iterable[GithubApproval] = ()) -> Problems:
    """The attestation problems of every published or hidden item changed after `base` (None: all history)."""
    registry = Registry.from_entries(site.registries.get("reviewers", {}))
    problems = Problems()
    report(Attester(site, registry, approvals).prove(base), problems)
    return problems


def attestation(site: Site, mode: str, base_text: str, approvals_file: str = "") -> Problems:
    """`make check ATTEST=1|only BASE=<commit>|deployed [APPROVALS=<file>]`: the attestation problems.

    AttestError, with a message in both languages, when the command is given wrongly.
    """
    if mode not in ("1", "only"):
        raise AttestError(f"ATTEST 只能是 1 或 only，现在是“{mode}”。\nATTEST must be 1 or only, not `{mode}`.")
    base_text = base_text.strip()
    if not base_text:
        raise AttestError(
            "ATTEST 需要 BASE：从哪个提交之后的改动须有签名审核，"
            "例如 BASE=origin/main，或 BASE=deployed（上次发布）。\n"
            "ATTEST needs BASE, the commit after which changes need signed approvals, e.g. BASE=origin/main, or "
            "BASE=deployed (the last deploy)."
        )
    if base_text == "deployed":
        try:
            base_text = last_deployed(site.repo_root)
        except NoDeployRecord as missing:
            raise AttestError(str(missing)) from missing
    base = resolve(site.repo_root, base_text)
    if base is None:
        raise AttestError(
            f"BASE 不是本仓库中的提交：“{base_text}”。请检查拼写，或先 git fetch。\n"
            f"BASE is not a commit of this repository: `{base_text}`. Check it, or run git fetch first."
        )
    approvals: list[GithubApproval] = []
    if approvals_file.strip():
        try:
            approvals = GithubApproval.load(Path(approvals_file.strip()))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise AttestError(
                f"无法读取 APPROVALS 文件 {approvals_file}：{error}\n"
                f"Cannot read the APPROVALS file {approvals_file}: {error}"
            ) from error
    try:
        return attest_site(site, base, approvals)
    except GitError as error:
        raise AttestError(f"读取提交记录失败：{error}\nReading the history failed: {error}") from error
