"""`make cms`: Decap's local backend (decap-server) beside the dev server, both listening on 127.0.0.1 only."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

PROJECT = Path(__file__).resolve().parents[2]
SERVER = PROJECT / "node_modules" / "decap-server" / "dist" / "index.js"
HOST = "127.0.0.1"
DEFAULT_PORT = 8081


class ProxyError(RuntimeError):
    """decap-server did not start."""


def proxy_url(port: int) -> str:
    return f"http://{HOST}:{port}/api/v1"


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((HOST, port)) == 0


def start_proxy(repo: Path, port: int, log: IO[bytes] | int | None = None, timeout: float = 30) -> subprocess.Popen:
    """Start decap-server for `repo` on 127.0.0.1:`port` and wait until it listens.

    Node is started directly, not through npx, so that the process we hold is the server itself; it leads a
    process group of its own, which `stop_proxy` ends as a whole.
    """
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        raise ProxyError("需要 Node.js 和 decap-server：请先运行 npm ci。Node.js and decap-server are missing: npm ci.")
    if _listening(port):
        raise ProxyError(f"端口 {port} 已被占用。Port {port} is already in use (CMS_PORT=… picks another).")
    env = {
        **os.environ,
        "BIND_HOST": HOST,  # without it decap-server listens on every interface
        "PORT": str(port),
        "GIT_REPO_DIRECTORY": str(repo.resolve()),
        "MODE": "fs",  # write files in the working tree; the "git" mode checks branches out in it
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "info"),
    }
    # Its own folder as working directory: decap-server reads a .env file from there, and there is none.
    process = subprocess.Popen(
        [node, str(SERVER)],
        cwd=SERVER.parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while not _listening(port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop_proxy(process)
            raise ProxyError(f"decap-server 未能启动（退出码 {process.returncode}）。decap-server did not start.")
        time.sleep(0.1)
    return process


def stop_proxy(process: subprocess.Popen, timeout: float = 10) -> None:
    """End decap-server's whole process group: the node process itself and anything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout)


@contextlib.contextmanager
def running_proxy(repo: Path, port: int, log: IO[bytes] | int | None = None) -> Iterator[subprocess.Popen]:
    process = start_proxy(repo, port, log)
    try:
        yield process
    finally:
        stop_proxy(process)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="本地网页编辑 Local web editing: decap-server and a command (the dev server) beside it"
    )
    parser.add_argument("--root", default=".", help="the repository the editor writes to")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CMS_PORT") or DEFAULT_PORT))
    parser.add_argument("command", nargs=argparse.REMAINDER, help="after --: the dev server's command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    # A terminal closed or a `kill` must still end decap-server, which runs in a session of its own.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)
    try:
        proxy = start_proxy(Path(args.root), args.port)
    except ProxyError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"网页编辑的本地后端已启动 decap-server: {proxy_url(args.port)}", flush=True)
    env = {**os.environ, "CMS_LOCAL_BACKEND_URL": proxy_url(args.port)}
    try:
        if not command:
            proxy.wait()
            return proxy.returncode or 0
        return subprocess.run(command, env=env).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        stop_proxy(proxy)


if __name__ == "__main__":
    sys.exit(main())
