"""Real git repositories with real SSH keys for the approval tests: reviewers, their clones' settings, commits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.sites import PROJECT, Run, write_site


@dataclass(frozen=True)
class Key:
    """A key pair made by ssh-keygen: the private key's file and the public key's one line."""

    private: Path
    public: str


def make_key(folder: Path, name: str, key_type: str = "ed25519") -> Key:
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    args = ["-t", key_type] + (["-b", "2048"] if key_type == "rsa" else [])
    subprocess.run(["ssh-keygen", "-q", *args, "-N", "", "-C", name, "-f", str(private)], check=True)
    return Key(private, (folder / f"{name}.pub").read_text(encoding="utf-8").strip())


class Repo:
    """A site in a git repository whose commits the tests make as one person or another, signed or not."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root.parent / f"{root.name}-home"  # no one's own git settings reach the tests
        self.home.mkdir(parents=True, exist_ok=True)
        self.tick = 0

    def env(self, **extra: str) -> dict[str, str]:
        self.tick += 1
        moment = f"2026-12-01T10:{self.tick // 60:02d}:{self.tick % 60:02d}+08:00"
        env = {
            **os.environ,
            "HOME": str(self.home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "作者",
            "GIT_AUTHOR_EMAIL": "author@example.org",
            "GIT_COMMITTER_NAME": "作者",
            "GIT_COMMITTER_EMAIL": "author@example.org",
            "GIT_AUTHOR_DATE": moment,
            "GIT_COMMITTER_DATE": moment,
            "PYTHONPATH": str(PROJECT / "plugins"),
        }
        env.pop("SSH_AUTH_SOCK", None)
        env.update(extra)
        return env

    def git(self, *args: str, **env: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, env=self.env(**env), capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def init(self, files: dict[str, str]) -> str:
        write_site(self.root, files)
        self.git("init", "-q", "-b", "main")
        self.git("config", "commit.gpgsign", "false")
        return self.commit("投稿 Submit", ".")

    def write(self, files: dict[str, str]) -> None:
        write_site(self.root, files, registries=False)

    def commit(self, message: str, *paths: str, key: Key | None = None, allow_empty: bool = False) -> str:
        """Commit `paths` (or everything) as the author, or signed with `key`."""
        self.git("add", "-A", *(paths or (".",)))
        signing = ["-c", "gpg.format=ssh", "-c", f"user.signingkey={key.private}"] if key else []
        args = (
            [*signing, "commit", "-q", "-m", message]
            + (["-S"] if key else [])
            + (["--allow-empty"] if allow_empty else [])
        )
        self.git(*args)
        return self.git("rev-parse", "HEAD")

    def sign_as(self, key: Key) -> None:
        """Set this clone up as a reviewer would: git signs with the key's file."""
        self.git("config", "gpg.format", "ssh")
        self.git("config", "user.signingkey", str(key.private))

    def approve(self, stage: str, *files: str, **env: str) -> subprocess.CompletedProcess[str]:
        """`make approve` as the clone's reviewer (the module make runs)."""
        return subprocess.run(
            [sys.executable, "-m", "content_model.approve", "--stage", stage, "--files", " ".join(files)],
            cwd=self.root,
            env=self.env(**env),
            capture_output=True,
            text=True,
        )

    def attest(self, base: str, *extra: str, mode: str = "only") -> tuple[Run, list[dict]]:
        """`make check ATTEST=… BASE=…` with JSON output: the run and its problems."""
        options = ["--attest", mode, "--base", base, *extra]
        done = subprocess.run(
            [sys.executable, "-m", "content_model.check", "--root", str(self.root), "--format", "json", *options],
            cwd=PROJECT,
            env=self.env(SITE_NOW="2026-12-31 12:00"),
            capture_output=True,
            text=True,
        )
        run = Run(done.returncode, done.stdout, done.stderr, self.root / "output")
        problems = json.loads(done.stdout) if done.stdout.strip().startswith("[") else []
        return run, problems


def reviewers_yml(entries: list[tuple[str, Key, str, str]]) -> str:
    """content/data/reviewers.yml: (name, key, github, stages) per reviewer; empty github or stages are left out."""
    lines = []
    for name, key, github, stages in entries:
        parts = [f"name: {name}", f'signing_key: "{key.public}"']
        if github:
            parts.append(f"github: {github}")
        if stages:
            parts.append(f"stages: [{stages}]")
        lines.append("- {" + ", ".join(parts) + "}")
    return "\n".join(lines) + "\n"
