"""三审 the repository proves: real repositories, real ssh-keygen keys, real signed commits, `make check ATTEST`."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from content_model.review_field import set_review
from content_model.schema import REVIEW_STAGES
from tests.signing import Key, Repo, make_key, reviewers_yml
from tests.sites import PROJECT, article

NEW = "content/articles/new.md"
OLD = "content/articles/old.md"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Key]:
    folder = tmp_path_factory.mktemp("keys")
    return {name: make_key(folder, name) for name in ("chen", "zhao", "sun", "zhou", "stranger")}


def _registry(keys: dict[str, Key]) -> str:
    return reviewers_yml(
        [
            ("陈静", keys["chen"], "chenjing", "first, second"),
            ("赵磊", keys["zhao"], "", ""),
            ("孙敏", keys["sun"], "hnast-sunmin", "final"),
            ("周涛", keys["zhou"], "", "first"),
        ]
    )


def _site(
    tmp_path: Path, keys: dict[str, Key], review: str = "{first: 陈静, second: 赵磊, final: 孙敏}"
) -> tuple[Repo, str]:
    """A repository with the registry and an old article at BASE, and a new article submitted after it."""
    repo = Repo(tmp_path / "site")
    base = repo.init({"content/data/reviewers.yml": _registry(keys), OLD: article("旧稿", "2020-07-01")})
    repo.write({NEW: article("新稿", "2020-07-20", "第一段。", review=review)})
    repo.commit("投稿 Submit")
    return repo, base


def _approval(repo: Repo, stage: str, name: str, key: Key | None, path: str = NEW, edit: str = "") -> str:
    """A hand-made approval commit: review.<stage> set to `name`, trailers, signed with `key` (or not)."""
    file = repo.root / path
    text = set_review(file.read_text(encoding="utf-8"), stage, name, REVIEW_STAGES) + edit
    file.write_text(text, encoding="utf-8")
    return repo.commit(f"审核\n\nReview-Stage: {stage}\nReviewed-by: {name}", path, key=key)


def _approve_all(repo: Repo, keys: dict[str, Key], path: str = NEW) -> None:
    for stage, who in (("first", "chen"), ("second", "zhao"), ("final", "sun")):
        repo.sign_as(keys[who])
        done = repo.approve(stage, path)
        assert done.returncode == 0, done.stderr


def _gaps(problems: list[dict]) -> dict[tuple[str, str], str]:
    return {(p["file"], p["field"]): p["message_en"] for p in problems if p["code"] == "review-unattested"}


def test_typed_names_fail_with_the_command_to_run(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys)
    run, problems = repo.attest(base)
    assert run.returncode == 1, run.stderr
    assert set(_gaps(problems)) == {(NEW, "review.first"), (NEW, "review.second"), (NEW, "review.final")}
    first = next(p for p in problems if p["field"] == "review.first")
    assert first["line"] == 5 and first["level"] == "error"
    assert first["message_zh"].startswith("初审（review.first）“陈静”没有得到证实")
    assert f"make approve STAGE=first FILES={NEW}" in first["message_zh"]
    assert f"make approve STAGE=first FILES={NEW}" in first["message_en"]


def test_three_approvals_pass(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys, review="{first: 陈静}")
    _approve_all(repo, keys)
    assert "review: {first: 陈静, second: 赵磊, final: 孙敏}" in (repo.root / NEW).read_text(encoding="utf-8")
    run, problems = repo.attest(base)
    assert (run.returncode, problems) == (0, []), run.stderr
    run, problems = repo.attest(base, mode="1")  # the whole check as well
    assert run.returncode == 0, problems
    log = repo.git("log", "-1", "--format=%B")
    assert "Review-Stage: final\nReviewed-by: 孙敏\nReview-File: content/articles/new.md" in log


def test_one_approval_covers_several_files_whether_it_changes_them_or_not(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys)  # the new article has the names typed in already
    draft = "content/articles/draft.md"
    repo.write({draft: article("草稿", "2020-07-21", slug="draft", status="draft", review="{}")})
    repo.commit("另一篇")
    for stage, who in (("first", "chen"), ("second", "zhao"), ("final", "sun")):
        repo.sign_as(keys[who])
        assert repo.approve(stage, draft, NEW).returncode == 0
        assert repo.git("show", "--name-only", "--format=", "HEAD") == draft  # only the draft's review changed
    assert repo.attest(base)[1] == []


def test_an_edit_after_the_approvals_voids_them_until_they_are_given_again(
    tmp_path: Path, keys: dict[str, Key]
) -> None:
    repo, base = _site(tmp_path, keys)
    _approve_all(repo, keys)
    repo.write({NEW: (repo.root / NEW).read_text(encoding="utf-8").replace("第一段。", "改过的第一段。")})
    edit = repo.commit("修改正文")
    run, problems = repo.attest(base)
    gaps = _gaps(problems)
    assert run.returncode == 1 and len(gaps) == 3
    assert all(f"after the last edit (commit {edit[:10]})" in message for message in gaps.values())
    _approve_all(repo, keys)  # the names are there already: each approval names the file in a trailer
    assert repo.git("show", "--stat", "--format=", "HEAD") == ""
    assert repo.attest(base)[0].returncode == 0


def test_an_approval_signed_by_an_unregistered_key_fails_even_under_a_registered_name(
    tmp_path: Path, keys: dict[str, Key]
) -> None:
    repo, base = _site(tmp_path, keys, review="{}")
    _approval(repo, "first", "陈静", keys["stranger"])
    for stage, name, who in (("second", "赵磊", "zhao"), ("final", "孙敏", "sun")):
        _approval(repo, stage, name, keys[who])
    problems = repo.attest(base)[1]
    assert list(_gaps(problems)) == [(NEW, "review.first")]
    assert "is not signed with the key the registry gives `陈静`" in _gaps(problems)[(NEW, "review.first")]


def test_a_forged_trailer_in_an_unsigned_commit_fails(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys, review="{}")
    _approval(repo, "first", "陈静", None)
    _approval(repo, "second", "赵磊", keys["zhao"])
    _approval(repo, "final", "孙敏", keys["sun"])
    assert list(_gaps(repo.attest(base)[1])) == [(NEW, "review.first")]


def test_an_approval_that_also_edits_the_body_is_an_edit(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys, review="{}")
    _approval(repo, "first", "陈静", keys["chen"])
    _approval(repo, "second", "赵磊", keys["zhao"])
    smuggled = _approval(repo, "final", "孙敏", keys["sun"], edit="夹带的一句。\n")
    gaps = _gaps(repo.attest(base)[1])
    assert set(gaps) == {(NEW, "review.first"), (NEW, "review.second"), (NEW, "review.final")}
    assert f"(commit {smuggled[:10]})" in gaps[(NEW, "review.first")]


def test_an_approval_of_one_stage_may_not_change_another(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys, review="{}")
    file = repo.root / NEW
    file.write_text(file.read_text(encoding="utf-8").replace("review: {}", "review: {first: 陈静, second: 赵磊}"))
    repo.commit("审核\n\nReview-Stage: first\nReviewed-by: 陈静", NEW, key=keys["chen"])
    _approval(repo, "final", "孙敏", keys["sun"])
    assert set(_gaps(repo.attest(base)[1])) == {(NEW, "review.first"), (NEW, "review.second")}


def test_the_same_person_at_two_stages_fails(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys, review="{}")
    _approval(repo, "first", "陈静", keys["chen"])
    _approval(repo, "second", "陈静", keys["chen"])
    _approval(repo, "final", "孙敏", keys["sun"])
    gaps = _gaps(repo.attest(base)[1])
    assert list(gaps) == [(NEW, "review.second")]
    assert "already the first review" in gaps[(NEW, "review.second")]


def test_a_reviewer_who_may_not_sign_the_final_stage_fails(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys, review="{first: 陈静, second: 赵磊}")
    _approve_all(repo, keys)
    _approval(repo, "final", "周涛", keys["zhou"])
    gaps = _gaps(repo.attest(base)[1])
    assert list(gaps) == [(NEW, "review.final")]
    assert "lets `周涛` sign only: first review" in gaps[(NEW, "review.final")]
    repo.sign_as(keys["zhou"])
    refused = repo.approve("final", NEW)
    assert refused.returncode == 1
    assert refused.stderr.index("不能签终审") < refused.stderr.index("not the final review")


def test_the_final_stage_of_a_column_article_is_one_of_its_editors(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo = Repo(tmp_path / "site")
    base = repo.init(
        {
            "content/data/reviewers.yml": _registry(keys),
            "content/columns/zuimei.md": "---\ntitle: 最美\neditors: [hnast-zhang, Hnast-Sunmin]\n---\n介绍\n",
            OLD: article("旧稿", "2020-07-01", columns="[zuimei]"),
        }
    )
    signers = {
        "a": (("陈静", "chen"), ("赵磊", "zhao"), ("孙敏", "sun")),
        "b": (("周涛", "zhou"), ("陈静", "chen"), ("赵磊", "zhao")),
    }
    for name in signers:
        rel = f"content/articles/zuimei/{name}.md"
        repo.write({rel: article(name, "2020-07-20", columns="[zuimei]", slug=name, review="{}")})
        repo.commit("投稿")
        for stage, (reviewer, who) in zip(REVIEW_STAGES, signers[name], strict=True):
            _approval(repo, stage, reviewer, keys[who], rel)
    gaps = _gaps(repo.attest(base)[1])
    assert list(gaps) == [("content/articles/zuimei/b.md", "review.final")]
    assert "editor of the article's section or column (hnast-sunmin, hnast-zhang)" in next(iter(gaps.values()))


def test_only_published_and_hidden_items_changed_since_base_are_checked(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys)
    repo.write(
        {
            "content/articles/draft.md": article("草稿", "2020-07-21", status="draft", slug="draft"),
            "content/articles/hidden.md": article("隐藏", "2020-07-21", status="hidden", slug="hidden"),
        }
    )
    repo.commit("更多稿件")
    files = {p["file"] for p in repo.attest(base)[1]}
    assert files == {NEW, "content/articles/hidden.md"}  # not the unchanged old one, not the draft
    (repo.root / OLD).write_text(article("旧稿", "2020-07-01", "未提交的修改。"), encoding="utf-8")
    assert OLD in {p["file"] for p in repo.attest(base)[1]}  # a change not committed is not approved


def test_approvals_made_before_base_still_count_when_only_approvals_came_after(
    tmp_path: Path, keys: dict[str, Key]
) -> None:
    repo, _ = _site(tmp_path, keys, review="{}")
    _approval(repo, "first", "陈静", keys["chen"])
    base = _approval(repo, "second", "赵磊", keys["zhao"])  # the last deploy
    repo.sign_as(keys["sun"])
    assert repo.approve("final", NEW).returncode == 0
    run, problems = repo.attest(base)
    assert (run.returncode, problems) == (0, [])


def test_approve_refuses_an_unknown_key_a_missing_setup_and_uncommitted_changes(
    tmp_path: Path, keys: dict[str, Key]
) -> None:
    repo, _ = _site(tmp_path, keys)
    head = repo.git("rev-parse", "HEAD")
    before = (repo.root / NEW).read_bytes()
    not_set = repo.approve("first", NEW)
    assert not_set.returncode == 1 and "gpg.format" in not_set.stderr
    repo.sign_as(keys["stranger"])
    unknown = repo.approve("first", NEW)
    assert unknown.returncode == 1
    zh = unknown.stderr.index("你的签名公钥")
    en = unknown.stderr.index("Your signing key")
    assert zh < en and "SHA256:" in unknown.stderr and "content/data/reviewers.yml" in unknown.stderr
    repo.sign_as(keys["chen"])
    (repo.root / NEW).write_bytes(before + "未提交。\n".encode())
    dirty = repo.approve("first", NEW)
    assert dirty.returncode == 1 and "not committed" in dirty.stderr
    (repo.root / NEW).write_bytes(before)
    wrong = repo.approve("third", NEW)
    assert wrong.returncode == 2 and "STAGE" in wrong.stderr
    assert repo.approve("first", "content/data/reviewers.yml").returncode == 1
    assert repo.git("rev-parse", "HEAD") == head
    assert (repo.root / NEW).read_bytes() == before


def test_approve_takes_the_signing_key_as_a_file_or_as_a_literal_key(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys)
    repo.git("config", "gpg.format", "ssh")
    repo.git("config", "user.signingkey", f"{keys['chen'].private}.pub")  # the public key's file
    assert repo.approve("first", NEW).returncode == 0
    agent = tmp_path / "agent.sock"
    started = subprocess.run(["ssh-agent", "-a", str(agent)], check=True, capture_output=True, text=True).stdout
    env = {"SSH_AUTH_SOCK": str(agent), "SSH_AGENT_PID": started.split("SSH_AGENT_PID=")[1].split(";")[0]}
    try:
        subprocess.run(["ssh-add", "-q", str(keys["zhao"].private)], env=repo.env(**env), check=True)
        repo.git("config", "user.signingkey", f"key::{keys['zhao'].public}")  # a literal key, held by the agent
        done = repo.approve("second", NEW, **env)
        assert done.returncode == 0, done.stderr
    finally:
        subprocess.run(["ssh-agent", "-k"], env=repo.env(**env), capture_output=True)
    repo.sign_as(keys["sun"])
    assert repo.approve("final", NEW).returncode == 0
    assert repo.attest(base)[0].returncode == 0


def test_an_approval_on_github_attests_the_stage_of_that_account(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys, review="{first: 陈静, final: 孙敏}")
    _approval(repo, "second", "赵磊", keys["zhao"])
    head = repo.git("rev-parse", "HEAD")
    approvals = tmp_path / "approvals.json"

    def approved_by(*logins: str, anchor: str = head) -> list[dict]:
        records = [{"login": x, "pr": 7, "commit": anchor, "anchor": anchor, "since": base} for x in logins]
        approvals.write_text(json.dumps(records), encoding="utf-8")
        return repo.attest(base, "--approvals", str(approvals))[1]

    assert approved_by("ChenJing", "hnast-sunmin") == []
    assert set(_gaps(approved_by("chenjing"))) == {(NEW, "review.final")}
    repo.write({NEW: (repo.root / NEW).read_text(encoding="utf-8") + "再改一句。\n"})
    repo.commit("修改")
    assert len(_gaps(approved_by("chenjing", "hnast-sunmin", anchor=head))) == 3  # approved before the edit


def test_base_must_be_given_and_deployed_reads_the_last_deploy(tmp_path: Path, keys: dict[str, Key]) -> None:
    repo, base = _site(tmp_path, keys)
    run, _ = repo.attest("")
    assert run.returncode == 2 and "BASE=deployed" in run.stderr
    run, _ = repo.attest("no-such-commit")
    assert run.returncode == 2 and "no-such-commit" in run.stderr
    run, _ = repo.attest("deployed")
    assert run.returncode == 2 and "ATTEST_BASE" in run.stderr
    # the deployed copy on gh-pages carries the commit it was built from
    head = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "--orphan", "gh-pages")
    repo.git("rm", "-rq", "--cached", ".")
    (repo.root / ".publish.json").write_text(json.dumps({"commit": head}), encoding="utf-8")
    repo.git("add", ".publish.json")
    repo.git("commit", "-qm", "发布")
    repo.git("update-ref", "refs/remotes/origin/gh-pages", "HEAD")
    repo.git("checkout", "-q", "-f", "main")
    run, problems = repo.attest("deployed")
    assert (run.returncode, problems) == (0, []), run.stderr
    # a server's own record comes first
    (repo.root / ".deployed-commit").write_text(base + "\n", encoding="utf-8")
    assert repo.attest("deployed")[0].returncode == 1


def test_the_flow_across_clones(tmp_path: Path, keys: dict[str, Key]) -> None:
    """A contributor pushes a branch; each reviewer approves in their own clone and pushes; the gate passes."""
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    author, _ = _site(tmp_path, keys)
    author.git("remote", "add", "origin", str(origin))
    author.git("push", "-q", "origin", "HEAD~1:refs/heads/main", "HEAD:refs/heads/xin-gao")
    for stage, who in (("first", "chen"), ("second", "zhao"), ("final", "sun")):
        reviewer = Repo(tmp_path / who)
        subprocess.run(["git", "clone", "-q", "-b", "xin-gao", str(origin), str(reviewer.root)], check=True)
        reviewer.sign_as(keys[who])
        assert reviewer.approve(stage, NEW).returncode == 0
        reviewer.git("push", "-q", "origin", "xin-gao")
    author.git("pull", "-q", "--ff-only", "origin", "xin-gao")
    author.git("fetch", "-q", "origin")
    run, problems = author.attest("origin/main")
    assert (run.returncode, problems) == (0, []), run.stderr


def test_make_passes_the_stage_files_and_base_on() -> None:
    def dry(*args: str) -> str:
        return subprocess.run(["make", "-n", *args], cwd=PROJECT, capture_output=True, text=True).stdout

    assert '--stage "final" --files "a.md b.md"' in dry("approve", "STAGE=final", "FILES=a.md b.md")
    assert '--attest "1" --base "abc"' in dry("check", "ATTEST=1", "BASE=abc")
    release = dry("release")
    assert "check ATTEST=1 BASE=deployed" in release and "content_model.deployed" in release
    assert '-m content_model.audit --root "." --year "2020"' in dry("audit", "YEAR=2020")


def test_the_workflows_run_the_gate() -> None:
    attest = (PROJECT / ".github/workflows/attest.yml").read_text(encoding="utf-8")
    assert "pull-requests: read" in attest and "pull_request_review" in attest
    assert 'BASE="$BASE_SHA"' in attest and "github.event.pull_request.base.sha" in attest
    deploy = (PROJECT / ".github/workflows/deploy.yml").read_text(encoding="utf-8")
    assert deploy.index("make check ATTEST=1 BASE=deployed") < deploy.index("make publish")
