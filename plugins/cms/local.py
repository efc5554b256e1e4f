"""`make cms`: Decap's local backend (decap-server, behind our guard) beside the dev server, on 127.0.0.1 only.

The preview beside the editor is `make devserver`'s: an edited body is applied to the site it keeps in memory, and
an article the editor creates starts a new build, so that the content model reads it like any other. (Pelican's own
autoreload keeps the content model it loaded first, and cannot process a new article.)"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .fence import Fence
from .guard import HOST, GuardServer, Policy

PROJECT = Path(__file__).resolve().parents[2]
SERVER_DIR = PROJECT / "node_modules" / "decap-server" / "dist"
BACKEND = Path(__file__).with_name("backend.js")
DEFAULT_PORT = 8081
DEFAULT_SITE_PORT = 8000


class ProxyError(RuntimeError):
    """The editor's backend did not start."""


def proxy_url(port: int) -> str:
    return f"http://{HOST}:{port}/api/v1"


def site_origins(site_port: int) -> tuple[str, ...]:
    """The addresses of the dev server that serves /admin/: the pages allowed to use the backend."""
    return (f"http://{HOST}:{site_port}", f"http://localhost:{site_port}")


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((HOST, port)) == 0


def _answers(socket_path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(str(socket_path)) == 0


@dataclass
class LocalBackend:
    """decap-server on a private Unix socket, and the guard on 127.0.0.1:`port` that alone forwards to it."""

    process: subprocess.Popen
    guard: GuardServer
    socket_dir: Path


def _start_decap_server(repo: Path, socket_path: Path, log: IO[bytes] | int | None, timeout: float) -> subprocess.Popen:
    """Start decap-server's file-system API on `socket_path` and wait until it answers.

    Node is started directly, not through npx, so that the process we hold is the server itself; it leads a
    process group of its own, which `_stop_decap_server` ends as a whole.
    """
    node = shutil.which("node")
    if node is None or not (SERVER_DIR / "middlewares.js").is_file():
        raise ProxyError("需要 Node.js 和 decap-server：请先运行 npm ci。Node.js and decap-server are missing: npm ci.")
    env = {
        **os.environ,
        "GIT_REPO_DIRECTORY": str(repo.resolve()),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "info"),
    }
    # Its own folder as working directory: nothing there for it to pick up from the repository.
    process = subprocess.Popen(
        [node, str(BACKEND), str(SERVER_DIR), str(socket_path)],
        cwd=SERVER_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT if log is not None else None,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while not (socket_path.exists() and _answers(socket_path)):
        if process.poll() is not None or time.monotonic() > deadline:
            _stop_decap_server(process)
            raise ProxyError(f"decap-server 未能启动（退出码 {process.returncode}）。decap-server did not start.")
        time.sleep(0.1)
    return process


def _stop_decap_server(process: subprocess.Popen, timeout: float = 10) -> None:
    """End decap-server's whole process group: the node process itself and anything it started."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout)


def start_proxy(
    repo: Path,
    port: int,
    log: IO[bytes] | int | None = None,
    origins: Iterable[str] = site_origins(DEFAULT_SITE_PORT),
    timeout: float = 30,
) -> LocalBackend:
    """Start decap-server for `repo` behind the guard on 127.0.0.1:`port`, for pages served from `origins`."""
    if _listening(port):
        raise ProxyError(f"端口 {port} 已被占用。Port {port} is already in use (CMS_PORT=… picks another).")
    # A folder only this user may enter holds the socket: other accounts on the machine cannot connect either.
    socket_dir = Path(tempfile.mkdtemp(prefix="cms-"))
    try:
        process = _start_decap_server(repo, socket_dir / "decap.sock", log, timeout)
    except BaseException:
        shutil.rmtree(socket_dir, ignore_errors=True)
        raise
    policy = Policy(port=port, origins=tuple(o.lower().rstrip("/") for o in origins), fence=Fence(repo))
    try:
        guard = GuardServer(policy, str(socket_dir / "decap.sock"))
    except OSError as error:
        _stop_decap_server(process)
        shutil.rmtree(socket_dir, ignore_errors=True)
        raise ProxyError(f"端口 {port} 无法使用（{error}）。Port {port} cannot be used.") from None
    threading.Thread(target=guard.serve_forever, name="cms-guard", daemon=True).start()
    return LocalBackend(process=process, guard=guard, socket_dir=socket_dir)


def stop_proxy(backend: LocalBackend) -> None:
    backend.guard.shutdown()
    backend.guard.server_close()
    _stop_decap_server(backend.process)
    shutil.rmtree(backend.socket_dir, ignore_errors=True)


@contextlib.contextmanager
def running_proxy(
    repo: Path, port: int, log: IO[bytes] | int | None = None, origins: Iterable[str] = site_origins(DEFAULT_SITE_PORT)
) -> Iterator[LocalBackend]:
    backend = start_proxy(repo, port, log, origins)
    try:
        yield backend
    finally:
        stop_proxy(backend)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def preview_command(content: Path, settings: Path, output: Path, site_port: int) -> list[str]:
    """`make devserver` on `site_port`: the pages there are the ones the guard lets use the editor."""
    return [
        sys.executable, "-m", "devserver", "--content", str(content), "--settings", str(settings),
        "--output", str(output), "--bind", HOST, "--port", str(site_port),
    ]  # fmt: skip


def _run_preview(command: list[str], env: dict[str, str]) -> int:
    """Run the preview in a process group of its own, and end the whole group (its builds too) however we leave."""
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        return process.wait()
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="本地网页编辑 Local web editing: decap-server behind its guard, and the dev server beside it"
    )
    parser.add_argument("--root", default=".", help="the repository the editor writes to")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CMS_PORT") or DEFAULT_PORT))
    parser.add_argument(
        "--site-port", type=int, default=DEFAULT_SITE_PORT, help="the dev server's port: its pages may use the editor"
    )
    parser.add_argument("--settings", type=Path, default=Path("pelicanconf.py"), help="the preview's settings")
    parser.add_argument("--output", type=Path, default=Path("output"), help="the preview's output folder")
    parser.add_argument("--no-preview", action="store_true", help="the editor's backend alone, without a dev server")
    args = parser.parse_args(argv)
    root = Path(args.root)
    command = [] if args.no_preview else preview_command(root / "content", args.settings, args.output, args.site_port)
    # A terminal closed or a `kill` must still end decap-server, which runs in a session of its own.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _exit_on_signal)
    try:
        backend = start_proxy(root, args.port, origins=site_origins(args.site_port))
    except ProxyError as error:
        print(error, file=sys.stderr)
        return 1
    print(
        f"网页编辑的本地后端已启动（只接受本机预览页面的请求，只读写 content/）：{proxy_url(args.port)}\n"
        "The editor's local backend is running behind its guard (local preview pages only, content/ only).",
        flush=True,
    )
    if command:
        print(
            f"网页编辑器 the editor: http://{HOST}:{args.site_port}/admin/ （第一次构建完成后打开；保存后预览自动更新 "
            "open it once the first build is done; the preview follows each save）",
            flush=True,
        )
    env = {**os.environ, "CMS_LOCAL_BACKEND_URL": proxy_url(args.port)}
    try:
        if not command:
            backend.process.wait()
            return backend.process.returncode or 0
        return _run_preview(command, env)
    except KeyboardInterrupt:
        return 0
    finally:
        stop_proxy(backend)


if __name__ == "__main__":
    sys.exit(main())
