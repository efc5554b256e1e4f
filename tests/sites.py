"""Small fixture sites written to a temporary folder, and the build and check commands run on them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

REGISTRIES = {
    "content/data/sections.yml": """\
        - {id: news, name: 科协要闻, order: 1}
        - {id: notices, name: 通知公告, order: 2}
        - {id: jiceng, name: 基层动态, order: 3}
        """,
    "content/data/departments.yml": """\
        - {id: dyxcb, name: 调研宣传部, kind: 机关部室}
        - {id: zzskx, name: 郑州市科协, kind: 市科协}
        """,
    "content/data/media.yml": """\
        - {id: henan-daily, name: 河南日报, level: 省级, url: "https://daily.example"}
        - {id: xinhua, name: 新华社, level: 中央}
        """,
}

REVIEW = "review: {first: 陈静, second: 赵磊, final: 孙敏}"


def article(title: str, date: str, body: str = "正文。", **fields: str) -> str:
    """An article's text with the required fields; extra fields are YAML lines given as keyword arguments."""
    lines = [f"title: {title}", f"date: {date}", "department: dyxcb"]
    if "review" not in fields and fields.get("status") != "draft":
        lines.append(REVIEW)
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n" + body + "\n"


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    output: Path

    @property
    def text(self) -> str:
        return self.stdout + self.stderr


def write_site(root: Path, files: dict[str, str | bytes], *, registries: bool = True) -> Path:
    """Write `files` (path → text or bytes) under `root`, plus the registries unless told not to."""
    everything: dict[str, str | bytes] = dict(REGISTRIES) if registries else {}
    everything.update(files)
    for name, data in everything.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data) if name.endswith(".yml") else data, encoding="utf-8")
    return root


def _env(site_now: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT / "plugins")
    env.pop("SITEURL", None)
    env["COLUMNS"] = "200"  # Pelican's log is not wrapped into several lines: tests look for whole messages
    if site_now is not None:
        env["SITE_NOW"] = site_now
    return env


def build(
    root: Path,
    *,
    publish: bool = True,
    site_now: str | None = "2020-07-25 12:00",
    timeout: int = 120,
    settings: Path | None = None,
    args: tuple[str, ...] = (),
) -> Run:
    """Build the fixture site with the project's own settings (or `settings`), in a fresh process as `make` would."""
    output = root / "output"
    settings = settings or PROJECT / ("publishconf.py" if publish else "pelicanconf.py")
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(root / "content"), "-s", str(settings), "-o", str(output), *args],
        cwd=PROJECT,
        env=_env(site_now),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(result.returncode, result.stdout, result.stderr, output)


def check(root: Path, *args: str, site_now: str | None = "2020-07-25 12:00", timeout: int = 60) -> Run:
    """Run the content checker on the fixture site."""
    result = subprocess.run(
        [sys.executable, "-m", "content_model.check", "--root", str(root), *args],
        cwd=PROJECT,
        env=_env(site_now),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(result.returncode, result.stdout, result.stderr, root / "output")


def output_text(output: Path) -> dict[str, str]:
    """Every text file of a build, by path relative to output/."""
    texts = {}
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".atom", ".json", ".txt", ".ics", ".csv", ".js"):
            texts[path.relative_to(output).as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return texts
