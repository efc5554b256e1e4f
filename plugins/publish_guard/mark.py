"""The mark a finished publish build leaves in output/: what it holds, and how it is noted, sealed and verified.

`output/.publish.json` says "these files are a publish build, exactly as it finished". Every build removes it as it
starts. A publish build that logged no error leaves a pending note when Pelican's work is done; `make publish`
seals the note into the mark as its very last step, once every command before it succeeded. Deploying verifies the
mark: it is there, it says publish, the repository is at the commit it was built from, and output/ holds exactly
the files, sizes and modification times it held when the mark was sealed. docs/部署指南.md describes its fields.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content_model.times import SITE_TZ

MARK = ".publish.json"
PENDING = ".publish-pending.json"
FORMAT = 1
KIND = "publish"


class Refused(Exception):
    """output/ may not be deployed (or sealed); the message says why, in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh}\n{en}")


@dataclass(frozen=True)
class Source:
    """The repository a build read: HEAD's commit, and whether the working tree differed from it."""

    commit: str | None  # None: not a git repository, or git is missing
    dirty: bool | None


class SourceProbe:
    """Asks git about the repository when a build starts, and hears the answer when it ends."""

    def __init__(self, repo_root: Path) -> None:
        # Reading only: git must not take the index lock while someone works in the repository.
        env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
        git = ["git", "-C", str(repo_root)]
        try:
            self._head = subprocess.Popen(
                [*git, "rev-parse", "--verify", "HEAD"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
            )
            self._status = subprocess.Popen(
                [*git, "status", "--porcelain", "--untracked-files=normal"],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        except OSError:
            self._head = self._status = None

    def result(self) -> Source:
        if self._head is None or self._status is None:
            return Source(None, None)
        head, _ = self._head.communicate()
        status, _ = self._status.communicate()
        if self._head.returncode or self._status.returncode:
            return Source(None, None)
        return Source(head.decode().strip(), bool(status.strip()))


def source_of(repo_root: Path) -> Source:
    return SourceProbe(repo_root).result()


def remove(output: Path) -> None:
    """Forget that output/ was a publish build: any build that starts changes it."""
    for name in (MARK, PENDING):
        (output / name).unlink(missing_ok=True)


def _moment(moment: datetime.datetime) -> str:
    return moment.astimezone(SITE_TZ).isoformat(timespec="seconds")


def _write(path: Path, data: dict[str, Any]) -> None:
    # Written beside, then renamed: a reader finds the whole file or none.
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def note(output: Path, now: datetime.datetime, source: Source) -> None:
    """What a publish build that finished its work tells `seal`: its time, and the commit it read."""
    _write(output / PENDING, {"kind": "pending", "now": _moment(now), "commit": source.commit, "dirty": source.dirty})


def inventory(output: Path) -> tuple[int, str]:
    """How many files output/ holds besides the mark, and a digest of their names, sizes and modification times."""
    digest = hashlib.sha256()
    count = 0
    folders = [""]
    while folders:
        inside = folders.pop()
        with os.scandir(output / inside) as scanned:
            entries = sorted(scanned, key=lambda entry: entry.name)
        for entry in entries:
            place = inside + entry.name
            if place == MARK:
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(place + "/")
                continue
            status = entry.stat(follow_symlinks=False)
            digest.update(f"{place}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
            count += 1
    return count, digest.hexdigest()


def seal(output: Path) -> dict[str, Any]:
    """Turn the pending note of the publish build that just finished into the mark; the last step of a publish."""
    pending = output / PENDING
    try:
        noted = json.loads(pending.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Refused(
            f"{output} 中没有刚完成的正式构建（缺少 {PENDING}），未写入发布标记。请重新运行 make publish。",
            f"{output} holds no publish build that just finished (no {PENDING}); no mark was written. "
            "Run make publish again.",
        ) from error
    pending.unlink()
    files, listing = inventory(output)
    mark = {
        "format": FORMAT,
        "kind": KIND,
        "now": noted["now"],
        "commit": noted["commit"],
        "dirty": noted["dirty"],
        "written": _moment(datetime.datetime.now(SITE_TZ)),
        "files": files,
        "listing": listing,
    }
    _write(output / MARK, mark)
    return mark


def read(output: Path) -> dict[str, Any]:
    """The mark of output/, or Refused when there is none that says publish."""
    path = output / MARK
    if not path.is_file():
        raise Refused(
            f"{output} 不是正式构建（没有发布标记 {MARK}）：请先运行 make publish。",
            f"{output} is not a publish build (it has no mark {MARK}): run make publish first.",
        )
    try:
        mark = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise Refused(
            f"{output} 的发布标记 {MARK} 无法读取：请重新运行 make publish。",
            f"{output}'s mark {MARK} cannot be read: run make publish again.",
        ) from error
    if not isinstance(mark, dict) or mark.get("kind") != KIND or mark.get("format") != FORMAT:
        raise Refused(
            f"{output} 的发布标记 {MARK} 不是正式构建的标记：请重新运行 make publish。",
            f"{output}'s mark {MARK} is not a publish build's: run make publish again.",
        )
    return mark


def verify(output: Path, repo_root: Path) -> dict[str, Any]:
    """The mark, when output/ is the publish build it describes, of the commit the repository is at."""
    mark = read(output)
    if inventory(output) != (mark.get("files"), mark.get("listing")):
        raise Refused(
            f"{output} 在正式构建之后被改动过（例如运行了 make html、make devserver 或 make cms）："
            "请重新运行 make publish。",
            f"{output} changed after the publish build (make html, make devserver or make cms, for example): "
            "run make publish again.",
        )
    current = source_of(repo_root).commit
    if current != mark.get("commit"):
        raise Refused(
            f"{output} 是由提交 {mark.get('commit')} 构建的，仓库现在是提交 {current}：请重新运行 make publish。",
            f"{output} was built from commit {mark.get('commit')}, and the repository is now at {current}: "
            "run make publish again.",
        )
    return mark


def describe(mark: dict[str, Any]) -> str:
    """One line for a deployment's log: the build's time and commit."""
    commit = (mark.get("commit") or "?")[:12] + (" (有未提交的修改 uncommitted changes)" if mark.get("dirty") else "")
    return f"{mark['now']} {commit}"
