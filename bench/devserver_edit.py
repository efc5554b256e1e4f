"""`make devserver`'s edit loop measured from outside: from writing an article's body to its page showing the text."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

READY = ("构建完成", "构建失败")
# Edits measured in one session: each applies every edit since the session's build, as an editor's do.
EDITS = 3
# How often the page is looked at: small beside what is measured.
POLL_SECONDS = 0.002


class Session:
    """`python -m devserver` on a corpus, with its printed lines read as they come."""

    def __init__(self, content: Path, settings: Path, output: Path, env: dict[str, str], cwd: Path) -> None:
        command = [
            *(sys.executable, "-m", "devserver", "--content", str(content), "--settings", str(settings)),
            *("--output", str(output), "--watch", "--port", "0"),
        ]
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def until_built(self, timeout: float) -> str:
        """The lines up to the end of the next build; raises when it failed or never ended."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            seen.append(line)
            self.log.append(line)
            if line.startswith(READY):
                if line.startswith(READY[1]):
                    raise RuntimeError("the devserver's build failed:\n" + "".join(seen[-40:]))
                return "".join(seen)
        raise RuntimeError("the devserver never finished a build:\n" + "".join(seen[-40:]))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def replace_file(path: Path, text: str) -> None:
    """Write by replacing the file, as editors save (and leaving a hard-linked corpus alone)."""
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    part.replace(path)


def edit_loop(content: Path, target: Path, slug: str, settings: Path, output: Path, env: dict[str, str], cwd: Path,
              first_build_timeout: float) -> dict[str, Any]:  # fmt: skip
    """Start a session, then edit `target`'s body EDITS times; the seconds from each write to the page showing it."""
    session = Session(content, settings, output, env, cwd)
    started = time.monotonic()
    try:
        session.until_built(first_build_timeout)
        first_build = time.monotonic() - started
        page = next(output.rglob(f"{slug}/index.html"))
        original = target.read_text(encoding="utf-8")
        seconds: list[float] = []
        for number in range(1, EDITS + 1):
            marker = f"编辑部第{number}次补充：预览即改即见。"
            began = time.monotonic()
            replace_file(target, original.rstrip("\n") + f"\n\n{marker}\n")
            while marker not in page.read_text(encoding="utf-8", errors="replace"):
                if time.monotonic() - began > first_build_timeout:
                    raise RuntimeError(f"{page} never showed the edit")
                time.sleep(POLL_SECONDS)
            seconds.append(time.monotonic() - began)
            log = session.until_built(first_build_timeout)  # the session is idle again before the next edit
            if "已更新 applied" not in log:
                raise RuntimeError("the edit was not applied in memory:\n" + log)
    finally:
        session.stop()
    return {"first_build": round(first_build, 2), "edits": [round(s, 3) for s in seconds], "log": session.log[-20:]}
