"""`make release DRY_RUN=1`: what `make release` would do, and whether it could, changing nothing (no pull, no push).

It reads and asks, never writes: the tools a release needs, the git branch and its upstream (asked with
`git ls-remote`, so no remote-tracking branch moves), the check a release runs first (the content and the 三审 of
everything changed since the last deploy), the go-live settings, and the deploy target (an SSH login in batch mode
through RSYNC_SHELL, or the gh-pages remote).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from content_model.check import UsageError, read_publish_settings, run_check

from .check import report, server_arguments, server_of
from .examples import findings, is_example_host

NETWORK_TIMEOUT = 30  # seconds for one question to a remote: a dry run must not hang a terminal or a cron job
MIN_PYTHON = (3, 11)
DEPLOYS = ("rsync_upload", "github")


@dataclass(frozen=True)
class Step:
    ok: bool
    zh: str
    en: str


def _run(command: list[str], root: Path, timeout: float = NETWORK_TIMEOUT) -> subprocess.CompletedProcess[str]:
    # No prompt may wait for a password: a key or nothing, as under cron. `git status` leaves its index alone.
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_SSH_COMMAND": "ssh -o BatchMode=yes -o ConnectTimeout=10",
        "GIT_OPTIONAL_LOCKS": "0",
    }
    try:
        return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        return subprocess.CompletedProcess(command, 124, "", str(error))


def _why(done: subprocess.CompletedProcess[str]) -> str:
    """The line of a failed command's output that says why: git's `fatal:`, ssh's `Permission denied`, …"""
    lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
    telling = [
        line for line in lines if any(word in line.lower() for word in ("fatal", "error", "denied", "could not"))
    ]
    return (telling or lines or [f"exit {done.returncode}"])[0]


def tools(deploy: str) -> list[Step]:
    needed = ["flock", "git", "node", "npm"] + (["rsync", "ssh"] if deploy == "rsync_upload" else [])
    steps = []
    for tool in needed:
        found = shutil.which(tool)
        steps.append(
            Step(bool(found), f"{tool}：{found}", f"{tool}: {found}")
            if found
            else Step(False, f"缺少 {tool}，请先安装（见部署指南的服务器准备）", f"{tool} is missing: install it")
        )
    version = sys.version_info[:2]
    steps.append(
        Step(
            version >= MIN_PYTHON,
            f"Python {version[0]}.{version[1]}（需要 3.11 或更新）",
            f"Python {version[0]}.{version[1]} (3.11 or later needed)",
        )
    )
    return steps


def upstream(root: Path) -> tuple[list[Step], str]:
    """The branch, its upstream and whether a fast-forward pull could work; the upstream's name ('' if none)."""
    branch = _run(["git", "symbolic-ref", "--short", "HEAD"], root)
    if branch.returncode != 0:
        return [Step(False, "不在 git 分支上（HEAD 游离）", "HEAD is not on a branch")], ""
    name = branch.stdout.strip()
    steps = []
    changed = _run(["git", "status", "--porcelain", "--untracked-files=no"], root)
    steps.append(
        Step(True, "没有未提交的修改", "no uncommitted changes")
        if not changed.stdout.strip()
        else Step(
            False,
            "有未提交的修改：服务器上的工作目录应与仓库一致，git pull 可能失败",
            "uncommitted changes: git pull may fail",
        )
    )
    tracked = _run(["git", "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}"], root)
    if tracked.returncode != 0:
        steps.insert(
            0,
            Step(
                False,
                f"分支 {name} 没有上游分支：git pull 不知道从哪里拉取。运行 git branch -u origin/main",
                f"The branch {name} has no upstream: run git branch -u origin/main",
            ),
        )
        return steps, ""
    up = tracked.stdout.strip()
    steps.insert(0, Step(True, f"分支 {name}，上游 {up}", f"branch {name}, upstream {up}"))
    ahead = _run(["git", "rev-list", "--count", "@{u}..HEAD"], root).stdout.strip() or "0"
    if ahead != "0":
        steps.append(
            Step(
                False,
                f"本地有 {ahead} 个提交不在上游：上游有新提交时 git pull --ff-only 会失败",
                f"{ahead} local commit(s) are not upstream: git pull --ff-only fails once upstream moves",
            )
        )
    remote, _, remote_branch = up.partition("/")
    asked = _run(["git", "ls-remote", "--exit-code", "--heads", remote, remote_branch], root)
    steps.append(
        Step(True, f"能连上 {remote}（{remote_branch}）", f"{remote} answers ({remote_branch})")
        if asked.returncode == 0
        else Step(False, f"连不上 {up}：{_why(asked)}", f"cannot reach {up}: {_why(asked)}")
    )
    return steps, up


def content(root: Path) -> Step:
    """The release's own check, on the checkout as it is: the content, and the 三审 of what changed since the last
    deploy (`make check ATTEST=1 BASE=deployed`)."""
    try:
        code, report, _site = run_check(root, [], "text", None, attest="1", base="deployed")
    except UsageError as error:
        first = str(error).splitlines()[0]
        return Step(False, f"稿件与三审核验未能运行：{first}", f"the check could not run: {error}".splitlines()[0])
    if code == 0:
        return Step(True, "稿件与三审核验没有错误", "the content and its 三审 pass the check")
    errors = report.count("错误 error [")
    return Step(
        False,
        f"稿件与三审核验有 {errors} 个错误：make release 会在构建前停止。运行 make check ATTEST=1 BASE=deployed 查看",
        f"the check finds {errors} error(s): make release would stop before building; run make check ATTEST=1 "
        "BASE=deployed",
    )


def target(root: Path, deploy: str, host: str, user: str, shell: str, folder: str, pages_remote: str) -> Step:
    if deploy not in DEPLOYS:
        return Step(
            False, f"DEPLOY 只能是 github 或 rsync_upload，现在是“{deploy}”", f"DEPLOY must be one of {DEPLOYS}"
        )
    if deploy == "github":
        asked = _run(["git", "ls-remote", "--exit-code", pages_remote], root)
        if asked.returncode in (0, 2):  # 2: reachable, with no matching ref yet
            return Step(
                True, f"能连上 gh-pages 的远程仓库 {pages_remote}", f"the gh-pages remote {pages_remote} answers"
            )
        return Step(False, f"连不上 {pages_remote}：{_why(asked)}", f"cannot reach {pages_remote}: {_why(asked)}")
    if is_example_host(host):
        return Step(False, f"SSH_HOST 还是示例值 {host or '（空）'}", f"SSH_HOST is an example: {host or '(empty)'}")
    test = f"test -d {shlex.quote(folder)} && test -w {shlex.quote(folder)}"
    # rsync's own remote shell (RSYNC_SHELL, `ssh -p PORT` by default), in batch mode: a key or nothing.
    login = [*shlex.split(shell), "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", f"{user}@{host}", test]
    done = _run(login, root)
    if done.returncode == 0:
        return Step(True, f"能用密钥登录 {user}@{host}，{folder} 可写", f"{user}@{host} by key; {folder} is writable")
    return Step(
        False,
        f"无法用密钥登录 {user}@{host}，或 {folder} 不存在、不可写：{_why(done)}",
        f"cannot log in to {user}@{host} by key, or {folder} is missing or not writable: {_why(done)}",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="make release 演练 The release's dry run")
    parser.add_argument("--root", type=Path, default=Path("."))
    server_arguments(parser)
    parser.add_argument("--ssh-port", default="22")
    parser.add_argument("--rsync-shell", default="", help="RSYNC_SHELL; default: ssh -p SSH_PORT")
    parser.add_argument("--pages-remote", default="origin")
    parser.add_argument("--pages-branch", default="gh-pages")
    args = parser.parse_args(argv)
    root = args.root
    # Where the last deploy's mark is looked for, as `make check` is told it (content_model.deployed).
    os.environ["GITHUB_PAGES_REMOTE"], os.environ["GITHUB_PAGES_BRANCH"] = args.pages_remote, args.pages_branch
    print("make release 演练：只检查，不拉取、不构建、不发布。 Dry run: checks only; no pull, no build, no push.\n")
    steps, up = upstream(root)
    where = (
        f"{args.ssh_user}@{args.ssh_host}:{args.ssh_target_dir}（端口 port {args.ssh_port}）"
        if args.deploy == "rsync_upload"
        else f"{args.pages_remote} {args.pages_branch}"
    )
    settings = read_publish_settings()
    print("make release 会依次执行 It would run, under flock .release.lock (skipped while a release runs):")
    for number, (command, what) in enumerate(
        (
            ("git pull --ff-only", f"拉取 pull {up or '（没有上游 no upstream）'}"),
            ("publish_guard due", "没有新提交、没有到点的内容时到此为止 stop when nothing changed or came due"),
            ("make check ATTEST=1 BASE=deployed", "稿件检查与上次发布以来的三审核验 the content and its 三审"),
            ("make publish", f"正式构建 publish build, SITEURL={settings.get('SITEURL', '')}"),
            (f"make {args.deploy}", f"发布到 deploy to {where}"),
            ("content_model.deployed", "记下发布的提交 record the deployed commit (.deployed-commit)"),
        ),
        1,
    ):
        print(f"  {number}. {command.ljust(34)} {what}")
    print()
    steps = tools(args.deploy) + steps + [content(root)]
    steps.append(
        target(
            root,
            args.deploy,
            args.ssh_host,
            args.ssh_user,
            args.rsync_shell or f"ssh -p {args.ssh_port}",
            args.ssh_target_dir,
            args.pages_remote,
        )
    )
    found = findings(settings, server_of(args))
    steps.append(
        Step(not found, "上线设置都已改好", "no setting holds an example value")
        if not found
        else Step(False, f"{len(found)} 项设置还是示例值（见下）", f"{len(found)} setting(s) hold example values")
    )
    print("检查 Checks:")
    for step in steps:
        print(f"  {'✓' if step.ok else '✗'} {step.zh} · {step.en}")
    if found:
        print("\n" + report(found))
    ready = all(step.ok for step in steps)
    print(
        "\n演练通过：make release 可以运行。 Ready: make release can run."
        if ready
        else "\n演练未通过：请先处理标 ✗ 的各项。 Not ready: see the items marked ✗."
    )
    return 0 if ready else 1


if __name__ == "__main__":
    sys.exit(main())
