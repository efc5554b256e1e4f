"""`make approve STAGE=… FILES=…`: a reviewer's approval of articles, as one commit signed with their SSH key."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .gitlog import GitError, git, verified_signers
from .messages import MESSAGES
from .problems import Problems
from .registries import load_reviewers
from .review_field import ReviewEditError, set_review
from .reviewers import STAGE_NAMES, STAGE_NAMES_EN, Registry, Reviewer
from .schema import REVIEW_STAGES
from .ssh_keys import BadKey, PublicKey, parse_public_key

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
KEY_PREFIXES = ("ssh-", "ecdsa-", "sk-")


class Refusal(Exception):
    """The approval is refused; carries a catalogue code and its parameters, and the exit code."""

    def __init__(self, code: str, exit_code: int = EXIT_REFUSED, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.exit_code = exit_code
        self.params = params

    def text(self) -> str:
        message = MESSAGES[self.code]
        return f"{message.zh.format(**self.params)}\n{message.en.format(**self.params)}"


def _config(root: Path, name: str) -> str:
    try:
        return git(root, "config", "--get", name).strip()
    except GitError:
        return ""  # not set


def signing_key(root: Path) -> PublicKey:
    """The public key git signs this clone's commits with: user.signingkey as a literal key or a key file."""
    if _config(root, "gpg.format") != "ssh":
        raise Refusal("approve-no-signing", detail_zh="gpg.format 不是 ssh", detail_en="gpg.format is not ssh")
    value = _config(root, "user.signingkey")
    if not value:
        raise Refusal("approve-no-signing", detail_zh="没有 user.signingkey", detail_en="user.signingkey is not set")
    if value.startswith("key::") or value.startswith(KEY_PREFIXES):
        return _parse(value, value)
    path = Path(os.path.expanduser(value))
    if not path.is_absolute():
        path = root / path
    if not path.is_file():
        raise Refusal(
            "approve-no-signing",
            detail_zh=f"user.signingkey 指向的文件不存在：{value}",
            detail_en=f"user.signingkey names a file that does not exist: {value}",
        )
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    if text.startswith(KEY_PREFIXES):
        return _parse(text, value)  # a public key file
    public = path.with_name(path.name + ".pub")
    if public.is_file():
        return _parse(public.read_text(encoding="utf-8", errors="replace"), str(public))
    # A private key without its .pub beside it: ssh-keygen derives the public key (it may ask for the passphrase).
    derived = subprocess.run(["ssh-keygen", "-y", "-f", str(path)], stdout=subprocess.PIPE, text=True, check=False)
    return _parse(derived.stdout, value)


def _parse(text: str, where: str) -> PublicKey:
    try:
        return parse_public_key(text)
    except BadKey as bad:
        raise Refusal(
            "approve-no-signing",
            detail_zh=f"无法读取签名公钥 {where}：{bad.zh}",
            detail_en=f"cannot read the signing key {where}: {bad.en}",
        ) from bad


def find_reviewer(root: Path, key: PublicKey) -> Reviewer:
    problems = Problems()
    entries = load_reviewers(root / "content", lambda p: p.relative_to(root).as_posix(), problems)
    if problems.errors:
        first = problems.errors[0]
        raise Refusal(
            "approve-bad-file",
            file=first.file,
            detail_zh=f"审核人登记表第 {first.line} 行有错误，请先运行 make check：{first.message_zh}",
            detail_en=f"the reviewer registry has an error on line {first.line}; run make check: {first.message_en}",
        )
    reviewer = Registry.from_entries(entries).by_fingerprint.get(key.fingerprint)
    if reviewer is None:
        raise Refusal("approve-unknown-key", value=f"{key.fingerprint} {key.comment}".strip())
    return reviewer


def _check_file(root: Path, name: str) -> Path:
    path = (root / name).resolve()
    articles = (root / "content/articles").resolve()
    if not path.is_file():
        raise Refusal("approve-bad-file", file=name, detail_zh="文件不存在", detail_en="the file does not exist")
    if not path.suffix == ".md" or not path.is_relative_to(articles):
        raise Refusal(
            "approve-bad-file",
            file=name,
            detail_zh="只能审核 content/articles/ 中的稿件",
            detail_en="only articles under content/articles/ are reviewed",
        )
    status = git(root, "status", "--porcelain", "--", str(path))
    if status.startswith("??"):
        raise Refusal(
            "approve-bad-file",
            file=name,
            detail_zh="文件还没有提交；请先由作者提交，再审核",
            detail_en="the file is not committed yet; have it committed first, then approve it",
        )
    if status.strip():
        raise Refusal(
            "approve-bad-file",
            file=name,
            detail_zh="文件有尚未提交的修改；审核只签已提交的内容，请先提交或撤销这些修改",
            detail_en="the file has changes not committed; an approval signs committed text only: commit or "
            "undo them first",
        )
    return path


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root.resolve()).as_posix()


def _message(stage: str, reviewer: Reviewer, paths: list[str]) -> str:
    what = paths[0] if len(paths) == 1 else f"{len(paths)} 篇 articles"
    lines = [
        f"{STAGE_NAMES[stage]}通过 {STAGE_NAMES_EN[stage].capitalize()} approved: {what}",
        "",
        f"Review-Stage: {stage}",
        f"Reviewed-by: {reviewer.name}",
        *(f"Review-File: {p}" for p in paths),
    ]
    return "\n".join(lines) + "\n"


def approve(root: Path, stage: str, files: list[str]) -> str:
    """Set review.<stage> in each file and commit them, signed; returns the new commit's id."""
    if stage not in REVIEW_STAGES:
        raise Refusal(
            "approve-usage",
            EXIT_USAGE,
            detail_zh=f"STAGE 只能是 first、second 或 final，现在是“{stage}”",
            detail_en=f"STAGE must be first, second or final, not `{stage}`",
        )
    if not files:
        raise Refusal("approve-usage", EXIT_USAGE, detail_zh="没有给出 FILES", detail_en="FILES is empty")
    key = signing_key(root)
    reviewer = find_reviewer(root, key)
    if stage not in reviewer.stages:
        raise Refusal(
            "approve-stage-not-allowed",
            value=reviewer.name,
            stage_zh=STAGE_NAMES[stage],
            stage_en=STAGE_NAMES_EN[stage],
            allowed_zh="、".join(STAGE_NAMES[s] for s in reviewer.stages) or "（无）",
            allowed_en=" and ".join(STAGE_NAMES_EN[s] for s in reviewer.stages) or "no stage",
        )
    paths = [_check_file(root, name) for name in dict.fromkeys(files)]
    prefix = git(root, "rev-parse", "--show-prefix").strip()
    edits: dict[Path, tuple[bytes, bytes]] = {}  # path → (as it was, with the stage set)
    for path in paths:
        data = path.read_bytes()
        try:
            edited = set_review(data.decode("utf-8"), stage, reviewer.name, REVIEW_STAGES).encode("utf-8")
        except (ReviewEditError, UnicodeDecodeError) as error:
            zh, en = (error.zh, error.en) if isinstance(error, ReviewEditError) else ("不是 UTF-8 编码", "not UTF-8")
            raise Refusal("approve-bad-file", file=_shown(root, path), detail_zh=zh, detail_en=en) from error
        if edited != data:
            edits[path] = (data, edited)
    names = [prefix + _shown(root, p) for p in paths]
    try:
        for path, (_data, edited) in edits.items():
            path.write_bytes(edited)
        sha = _commit(root, _message(stage, reviewer, names), [str(p) for p in edits])
    except GitError as error:
        for path, (data, _edited) in edits.items():
            path.write_bytes(data)
        raise Refusal("approve-commit-failed", detail=str(error)) from error
    if verified_signers(root, [sha], Registry([reviewer]).allowed_signers()).get(sha) != key.fingerprint:
        raise Refusal("approve-unverified", commit=sha[:10])
    return sha


def _commit(root: Path, message: str, changed: list[str]) -> str:
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as file:
        file.write(message)
    try:
        # --only: the reviewer's other staged work stays out of the approval
        git(root, "commit", "-S", "--only", "--allow-empty", "--cleanup=strip", "-F", file.name, "--", *changed)
    finally:
        os.unlink(file.name)
    return git(root, "rev-parse", "HEAD").strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="签署审核 Sign an approval")
    parser.add_argument("--root", default=".")
    parser.add_argument("--stage", default="")
    parser.add_argument("--files", default="")
    args = parser.parse_args(argv)
    root = Path(args.root)
    try:
        sha = approve(root, args.stage.strip(), args.files.split())
    except Refusal as refusal:
        print(refusal.text(), file=sys.stderr)
        return refusal.exit_code
    except GitError as error:
        print(f"git 出错：{error}\ngit failed: {error}", file=sys.stderr)
        return EXIT_REFUSED
    print(
        f"已签署{STAGE_NAMES[args.stage]}，提交 {sha[:10]}。请推送到拉取请求的分支：git push\n"
        f"Signed the {STAGE_NAMES_EN[args.stage]} as commit {sha[:10]}. Push it to the pull request's branch: git push"
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
