"""A small git helper: commands, one streamed log with each commit's changed files, objects read in one process."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# A user's own settings must not change what these commands print.
_QUIET = ("-c", "log.showSignature=false", "-c", "core.quotePath=false")
_EMPTY = "0" * 40
_TRAILER = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]*)[ \t]*:[ \t]*(.*?)\s*$")
_IDENTITY = re.compile(r"^(?P<name>.*?) <(?P<email>[^>]*)> (?P<time>\d+) (?P<zone>[+-]\d{4})$")


class GitError(RuntimeError):
    """A git command failed; carries what git said."""


def git(root: Path, *args: str, input_text: str | None = None) -> str:
    """Run a git command in `root` and return its output; GitError when it fails."""
    try:
        done = subprocess.run(
            ["git", *_QUIET, *args], cwd=root, input=input_text, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise GitError(str(error)) from error
    if done.returncode != 0:
        raise GitError(done.stderr.strip() or f"git {args[0]} failed")
    return done.stdout


def resolve(root: Path, rev: str) -> str | None:
    """The full commit id a revision names, or None."""
    try:
        return git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}").strip() or None
    except GitError:
        return None


@dataclass(frozen=True)
class Change:
    """One file's change in one commit: blob ids before and after (None when absent)."""

    old: str | None
    new: str | None


@dataclass
class Commit:
    """A commit as the attestation rules read it: its changes, author, time and trailers."""

    sha: str
    changes: dict[str, Change] = field(default_factory=dict)
    author: str = ""
    author_email: str = ""
    time: datetime.datetime | None = None  # the committer's time
    trailers: dict[str, list[str]] = field(default_factory=dict)  # lower-case key → values, in order

    def trailer(self, key: str) -> list[str]:
        return self.trailers.get(key.lower(), [])


def _identity(value: str) -> tuple[str, str, datetime.datetime | None]:
    match = _IDENTITY.match(value)
    if not match:
        return value, "", None
    zone = match["zone"]
    offset = datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5])) * (-1 if zone[0] == "-" else 1)
    moment = datetime.datetime.fromtimestamp(int(match["time"]), datetime.timezone(offset))
    return match["name"], match["email"], moment


def trailers(message: str) -> dict[str, list[str]]:
    """The trailers of a commit message as git reads them: the last paragraph, if it is a trailer block."""
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", message.strip("\n")) if p.strip()]
    if len(paragraphs) < 2:
        return {}  # the subject alone is never a trailer block
    lines = paragraphs[-1].split("\n")
    found: list[tuple[str, str]] = []
    others = 0
    for line in lines:
        match = _TRAILER.match(line)
        if match:
            found.append((match[1].lower(), match[2]))
        elif line[:1] in (" ", "\t") and found:
            key, value = found[-1]
            found[-1] = (key, f"{value} {line.strip()}")
        else:
            others += 1
    # git accepts a block with other lines only when it holds a trailer git itself writes
    generated = any(key == "signed-off-by" for key, _ in found) or any("(cherry picked from commit" in x for x in lines)
    if not found or (others and not (generated and len(found) * 3 >= others)):
        return {}
    result: dict[str, list[str]] = {}
    for key, value in found:
        result.setdefault(key, []).append(value)
    return result


class Objects:
    """Reads objects through one `git cat-file --batch` process; blobs are decoded as UTF-8."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self._texts: dict[str, str | None] = {}

    def raw(self, name: str) -> tuple[str, bytes] | None:
        """(type, content) of an object named as `git cat-file` takes it, or None when there is none."""
        if "\n" in name:
            return None
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(name.encode("utf-8") + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().decode("utf-8", "replace").split()
        if len(header) != 3:
            return None  # "<name> missing" or "ambiguous"
        size = int(header[2])
        data = self.process.stdout.read(size + 1)[:size]
        return header[1], data

    def text(self, name: str) -> str | None:
        """A blob's text (a blob id, or `commit:path`), or None when absent or not UTF-8."""
        if name not in self._texts:
            found = self.raw(name)
            text = None
            if found is not None and found[0] == "blob":
                try:
                    text = found[1].decode("utf-8")
                except UnicodeDecodeError:
                    text = None
            self._texts[name] = text
        return self._texts[name]

    def commit(self, sha: str) -> Commit:
        found = self.raw(sha)
        commit = Commit(sha)
        if found is None or found[0] != "commit":
            return commit
        head, _, message = found[1].decode("utf-8", "replace").partition("\n\n")
        for line in head.split("\n"):
            name, _, value = line.partition(" ")
            if name == "author":
                commit.author, commit.author_email, _ = _identity(value)
            elif name == "committer":
                commit.time = _identity(value)[2]
        commit.trailers = trailers(message)
        return commit

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()

    def __enter__(self) -> Objects:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _tokens(stream: Iterable[bytes]) -> Iterator[str]:
    """NUL-separated fields of a `git log -z` stream, as they arrive."""
    rest = b""
    for chunk in stream:
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        for part in parts:
            yield part.decode("utf-8", "surrogateescape")
    if rest:
        yield rest.decode("utf-8", "surrogateescape")


def walk(root: Path, revisions: list[str], objects: Objects) -> Iterator[Commit]:
    """Commits of `git log <revisions>`, children before parents, each with the files it changed.

    Merges list no changes: what a merge brings is judged by content, not by this list. The walk may be left
    early; git is then stopped.
    """
    process = subprocess.Popen(
        [
            "git",
            *_QUIET,
            "log",
            "-z",
            "--topo-order",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            "--diff-merges=off",
            "--format=%x01%H",
            *revisions,
            "--",
        ],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        current: Commit | None = None
        tokens = _tokens(iter(lambda: process.stdout.read(65536), b""))
        for token in tokens:
            token = token.lstrip("\n")
            if token.startswith("\x01"):
                if current is not None:
                    yield current
                current = objects.commit(token[1:].strip())
            elif token.startswith(":") and current is not None:
                path = next(tokens, "")
                meta = token[1:].split()
                if len(meta) >= 5:
                    old, new = meta[2], meta[3]
                    current.changes[path] = Change(None if old == _EMPTY else old, None if new == _EMPTY else new)
        if current is not None:
            yield current
    finally:
        process.stdout.close()
        if process.poll() is None:
            process.kill()
        process.wait()
        error = process.stderr.read().decode("utf-8", "replace").strip() if process.stderr else ""
        if process.stderr:
            process.stderr.close()
    if process.returncode not in (0, -9) and error:
        raise GitError(error)


def changed_paths(root: Path, base: str, folder: str) -> set[str]:
    """Files under `folder` that differ between `base` and the working tree, or that git does not track."""
    names = git(root, "diff", "--name-only", "-z", "--no-renames", base, "--", folder).split("\0")
    names += git(root, "ls-files", "--others", "--full-name", "-z", "--", folder).split("\0")
    return {name for name in names if name}


def verified_signers(root: Path, shas: Iterable[str], allowed_signers: str) -> dict[str, str]:
    """{commit: key fingerprint} of the commits whose signature is good and made by a key in `allowed_signers`."""
    shas = sorted(set(shas))
    if not shas:
        return {}
    handle, name = tempfile.mkstemp(prefix="allowed-signers-", text=True)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(allowed_signers)
        output = git(
            root,
            "-c",
            f"gpg.ssh.allowedSignersFile={name}",
            "log",
            "--no-walk=unsorted",
            "--stdin",
            "--format=%H %G? %GF",
            input_text="\n".join(shas) + "\n",
        )
    finally:
        os.unlink(name)
    result = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "G":
            result[parts[0]] = parts[2]
    return result
