"""`make devserver`: serve output/ on this machine only; a resident builder keeps the site in memory and applies edits.

The builder (devserver.resident) builds once and keeps the linked site. On each change under content/ it forks a
copy of that site which reads again only the files edited since, and renders the pages that read them. What a copy
cannot apply (a new, deleted or renamed file, changed front matter, a body with images, a registry), and any change
of the theme, the settings or the plugins, starts a new builder: its first build renders only the pages whose
inputs changed (the page records in .cache/pages/). Every build of a session is at one time.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, MutableMapping
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

import watchfiles

Snapshot = dict[str, tuple[int, int]]
# The names this server answers to. A page of another site can point a name it controls at 127.0.0.1 (DNS
# rebinding) and then read the preview, drafts included, as its own origin: such requests are refused.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
_PORT = re.compile(r":\d+\Z")
# Milliseconds without a further change before the changes seen are built: a save that writes a file in a few steps
# is built once.
NOTICE_STEP_MS = 20


def snapshot(paths: list[Path]) -> Snapshot:
    """(mtime, size) of every file under the watched paths; editors' temporary files are left out."""
    seen: Snapshot = {}
    for root in paths:
        if root.is_file():
            stat = root.stat()
            seen[str(root)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
            for name in files:
                if name.startswith((".", "#")) or name.endswith(("~", ".part", ".swp", ".pyc")):
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:
                    continue
                seen[path] = (stat.st_mtime_ns, stat.st_size)
    return seen


class Watch:
    """The changes to the site's files: content/ by the operating system's notices, taken from when it is made
    (a large site has tens of thousands of files); the settings, theme and plugins, a few hundred files, by a look
    every `interval` seconds. Iterating yields, after each change, the content files noticed, or None when the
    settings, theme or plugins changed."""

    def __init__(self, content: Path, code: list[Path], interval: float) -> None:
        self.code = code
        self.interval = interval
        self.code_before = snapshot(code)
        self.noticed: queue.Queue[set[str]] = queue.Queue()
        self.stop = threading.Event()
        self.ready = threading.Event()
        threading.Thread(target=self._notices, args=(content,), daemon=True).start()
        self.ready.wait(timeout=30)

    def _notices(self, content: Path) -> None:
        notices = watchfiles.watch(
            content, step=NOTICE_STEP_MS, stop_event=self.stop, rust_timeout=100, yield_on_timeout=True
        )
        for found in notices:
            self.ready.set()
            if found:
                self.noticed.put({path for _change, path in found})

    def __iter__(self) -> Iterator[set[str] | None]:
        while not self.stop.is_set():
            paths: set[str] = set()
            with contextlib.suppress(queue.Empty):
                paths |= self.noticed.get(timeout=self.interval)
            while not self.noticed.empty():  # noticed while the last build ran: one build for them all
                paths |= self.noticed.get_nowait()
            code_now = snapshot(self.code)
            if code_now != self.code_before:
                self.code_before = code_now
                yield None
            elif paths:
                yield paths


def local_host(header: str | None) -> bool:
    """Whether a request's Host header names this machine (with any port)."""
    if not header:
        return False
    return _PORT.sub("", header.strip().lower()) in LOCAL_HOSTS


class LocalHandler(SimpleHTTPRequestHandler):
    """Serves output/ to requests addressed to this machine by name; quiet."""

    def send_head(self):  # type: ignore[no-untyped-def]
        if not local_host(self.headers.get("Host")):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "Only localhost, 127.0.0.1 or [::1]")
            return None
        return super().send_head()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(output: Path, bind: str, port: int) -> ThreadingHTTPServer:
    output.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer((bind, port), functools.partial(LocalHandler, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def pin_clock(env: MutableMapping[str, str]) -> str:
    """The build time of every build in this session: SITE_NOW if set, else the minute the session began.

    With the wall clock, a new builder (after a new file, a template …) would build at a new time that some pages
    show (statistics, the sitemap), and render them all again.
    """
    if not env.get("SITE_NOW"):
        from content_model.times import site_now

        env["SITE_NOW"] = site_now().strftime("%Y-%m-%d %H:%M")
    return env["SITE_NOW"]


class Builder:
    """The resident builder process: started (its first build), asked to apply edits, replaced when it cannot."""

    def __init__(self, content: Path, settings: Path, output: Path) -> None:
        self.pelican_args = [str(content), "-s", str(settings), "-o", str(output)]
        self.process: subprocess.Popen[str] | None = None
        self.replies: IO[str] | None = None

    def start(self) -> bool:
        """A new builder and its first build; whether it built (it stays only then)."""
        self.stop()
        read_end, write_end = os.pipe()
        command = [sys.executable, "-m", "devserver.resident", "--reply-fd", str(write_end), *self.pelican_args]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, text=True, pass_fds=(write_end,))
        os.close(write_end)
        self.replies = os.fdopen(read_end, encoding="utf-8")
        answer = self.replies.readline().strip()
        if answer != "built 0":
            self.stop()
            return False
        return True

    def apply(self, noticed: set[str]) -> str:
        """Ask the builder to apply the edits among the files noticed since it started: `applied <pages>`,
        `refused <why>`, or `failed`."""
        if self.process is None or self.process.poll() is not None or self.process.stdin is None:
            return "refused no builder"
        try:
            self.process.stdin.write(f"apply {json.dumps(sorted(noticed))}\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            return "refused the builder ended"
        answer = self.replies.readline().strip() if self.replies is not None else ""
        return answer or "refused the builder ended"

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            if process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self.replies is not None:
            self.replies.close()
            self.replies = None


def report(started: float, built: bool) -> None:
    verdict = "完成 done" if built else "失败 failed：请看上面的信息 see the messages above"
    print(f"构建{verdict} in {time.monotonic() - started:.1f} s", flush=True)


def rebuild(builder: Builder, noticed: set[str] | None) -> bool:
    """Apply the edits in memory when they are content the builder can apply; else start a new builder (True)."""
    started = time.monotonic()
    if noticed is not None:
        answer = builder.apply(noticed)
        if answer.startswith("applied") or answer == "failed":
            report(started, answer != "failed")
            return False
        print(f"重新完整构建 a full build: {answer.removeprefix('refused ')}", flush=True)
    report(started, builder.start())
    return True


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--watch", type=Path, nargs="*", default=[Path("theme"), Path("plugins")])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between looks at the code and settings")
    args = parser.parse_args(argv)
    clock = pin_clock(os.environ)  # the builders are child processes: they inherit it
    server = serve(args.output, args.bind, args.port)
    print(f"预览地址 preview at http://{args.bind}:{server.server_port}/ (Ctrl-C 停止 to stop)", flush=True)
    print(f"预览时间 build time {clock}（重启后更新 restart the devserver to move it on）", flush=True)
    signal.signal(signal.SIGTERM, _exit_on_signal)
    builder = Builder(args.content, args.settings, args.output)
    changes = Watch(args.content, [args.settings, *args.watch], args.interval)  # an edit during the build counts
    report(time.monotonic(), builder.start())
    noticed: set[str] = set()  # the content files noticed since the builder started
    try:
        for found in changes:
            print("发现修改，重新构建 changes found, rebuilding", flush=True)
            noticed |= found or set()
            if rebuild(builder, None if found is None else noticed):
                noticed = set()
    except KeyboardInterrupt:
        pass
    finally:
        changes.stop.set()
        builder.stop()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
