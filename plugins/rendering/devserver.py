"""`make devserver`: serve output/ on this machine only, and rebuild incrementally whenever a source file changes.

Each rebuild is a fresh `pelican` process, as `make html` runs it: every plugin starts from a clean state and
the page manifest in .cache/pages/ makes the rebuild render only the pages whose inputs changed. Every rebuild
of a session builds at one time, so that an edited body is patched into the kept site.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import threading
import time
from collections.abc import MutableMapping
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]


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


def build(content: Path, settings: Path, output: Path) -> int:
    started = time.monotonic()
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output)]
    code = subprocess.run(command, check=False).returncode
    verdict = "完成 done" if code == 0 else f"失败 failed ({code})：请看上面的信息 see the messages above"
    print(f"构建{verdict} in {time.monotonic() - started:.1f} s", flush=True)
    return code


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(output: Path, bind: str, port: int) -> ThreadingHTTPServer:
    output.mkdir(parents=True, exist_ok=True)
    server = ThreadingHTTPServer((bind, port), functools.partial(QuietHandler, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def pin_clock(env: MutableMapping[str, str]) -> str:
    """The build time of every rebuild in this session: SITE_NOW if set, else the minute the session began.

    A build at the same time as the last one can patch the kept site (plugins/rendering/kept.py) instead of
    reading every file; with the wall clock, every rebuild would be at a new time that some pages show.
    """
    if not env.get("SITE_NOW"):
        from content_model.times import site_now

        env["SITE_NOW"] = site_now().strftime("%Y-%m-%d %H:%M")
    return env["SITE_NOW"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"))
    parser.add_argument("--output", type=Path, default=Path("output"))
    parser.add_argument("--watch", type=Path, nargs="*", default=[Path("theme"), Path("plugins")])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks for changes")
    args = parser.parse_args(argv)
    watched = [args.content, args.settings, *args.watch]
    clock = pin_clock(os.environ)  # the builds are child processes: they inherit it
    server = serve(args.output, args.bind, args.port)
    print(f"预览地址 preview at http://{args.bind}:{server.server_port}/ (Ctrl-C 停止 to stop)", flush=True)
    print(f"预览时间 build time {clock}（重启后更新 restart the devserver to move it on）", flush=True)
    before = snapshot(watched)
    build(args.content, args.settings, args.output)
    try:
        while True:
            time.sleep(args.interval)
            now = snapshot(watched)
            if now != before:
                before = now
                print("发现修改，重新构建 changes found, rebuilding", flush=True)
                build(args.content, args.settings, args.output)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
