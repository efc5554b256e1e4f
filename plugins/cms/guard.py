"""The guard in front of decap-server: only this machine's editor may ask, and only for files under content/."""

from __future__ import annotations

import http.client
import http.server
import json
import socket
import sys
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any

from .fence import LISTINGS, Fence, Refused, bad_request, check_request, visible

HOST = "127.0.0.1"
API_PATH = "/api/v1"
LARGEST_BODY = 50 * 1024 * 1024  # decap-server's own limit (express.json): a photo travels base64-encoded
# Listing a section folder reads every article in it: minutes at 20,000 articles on a slow disk.
BACKEND_TIMEOUT = 600


@dataclass(frozen=True)
class Policy:
    """Who may ask: requests addressed to the guard's own port, sent by pages of the local preview."""

    port: int
    origins: tuple[str, ...]  # e.g. http://127.0.0.1:8000: the dev server that serves /admin/
    fence: Fence

    @property
    def hosts(self) -> tuple[str, ...]:
        return (f"{HOST}:{self.port}", f"localhost:{self.port}")


def _one(headers: Message, name: str) -> str | None:
    """A header that must appear at most once: a second copy is a way to make two readers disagree."""
    values = headers.get_all(name) or []
    if len(values) > 1:
        raise bad_request(f"请求头 {name} 出现了多次", f"the header `{name}` is given more than once")
    return values[0] if values else None


def check_host(headers: Message, policy: Policy) -> None:
    """The Host header names this guard: a page of another site, re-pointed at 127.0.0.1 (DNS rebinding), does not."""
    host = _one(headers, "Host")
    if host is None or host.lower() not in policy.hosts:
        raise Refused(403, "cms-host", host=host or "", allowed=" 或/or ".join(policy.hosts))


def check_origin(headers: Message, policy: Policy) -> str:
    """The page that sends the request is the local preview's /admin/; browsers always name it on a POST."""
    origin = _one(headers, "Origin")
    if origin is None or origin.lower() not in policy.origins:
        raise Refused(403, "cms-origin", origin=origin or "", allowed=" 或/or ".join(policy.origins))
    return origin


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise bad_request("JSON 中有重复的键", "the JSON has a key twice")
    return dict(pairs)


def _no_constant(name: str) -> None:
    raise bad_request(f"JSON 中有 {name}", f"the JSON holds {name}")


def read_body(headers: Message, stream: IO[bytes]) -> object:
    """The request's JSON, read as decap-server would read it, or refused when the two readings could differ."""
    content_type = (_one(headers, "Content-Type") or "").split(";")
    charset = [p.strip().lower() for p in content_type[1:] if p.strip()]
    if content_type[0].strip().lower() != "application/json" or charset not in ([], ["charset=utf-8"]):
        raise bad_request("内容类型应为 application/json", "the content type must be application/json (UTF-8)")
    if headers.get_all("Transfer-Encoding"):
        raise bad_request("不接受分块传输", "chunked transfer is not accepted: send Content-Length")
    if (_one(headers, "Content-Encoding") or "identity").strip().lower() != "identity":
        raise bad_request("不接受压缩的请求内容", "a compressed body is not accepted")
    length = _one(headers, "Content-Length")
    if length is None or not (length.isascii() and length.isdigit()):
        raise bad_request("缺少 Content-Length", "the request has no valid Content-Length")
    if int(length) > LARGEST_BODY:
        raise Refused(413, "cms-request", detail_zh="请求内容超过 50 MB", detail="the body is larger than 50 MB")
    raw = stream.read(int(length))
    try:
        return json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError):
        raise bad_request("请求内容不是有效的 UTF-8 JSON", "the body is not valid UTF-8 JSON") from None


class _UnixConnection(http.client.HTTPConnection):
    """HTTP over the Unix socket decap-server listens on: no port that a browser could reach."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


def ask_backend(socket_path: str, body: object) -> tuple[int, bytes]:
    """Send the checked request, written afresh: decap-server gets exactly what the fence judged."""
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    connection = _UnixConnection(socket_path, BACKEND_TIMEOUT)
    try:
        connection.request("POST", API_PATH, body=payload, headers={"Content-Type": "application/json; charset=utf-8"})
        response = connection.getresponse()
        return response.status, response.read()
    except OSError as error:
        raise Refused(502, "cms-backend", detail=type(error).__name__) from None
    finally:
        connection.close()


def answer(action: str, status: int, data: bytes, fence: Fence) -> bytes:
    """decap-server's answer, with the files a listing should not have shown taken out."""
    if status != 200 or action not in LISTINGS:
        return data
    try:
        listed = json.loads(data)
    except ValueError:
        return data
    return json.dumps(visible(action, listed, fence), ensure_ascii=False).encode("utf-8")


class GuardHandler(http.server.BaseHTTPRequestHandler):
    server: GuardServer
    server_version = "cms-guard"
    sys_version = ""

    def _send(self, status: int, body: bytes, origin: str | None, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if status != 204:
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Vary", "Origin")
        if origin is not None:
            self.send_header("Access-Control-Allow-Origin", origin)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _refuse(self, refused: Refused, origin: str | None) -> None:
        self.log_message("%s %s: %s", self.command, self.path, refused.en)
        self.close_connection = True  # a body left unread must not be taken for the next request
        self._send(refused.status, json.dumps(refused.as_json(), ensure_ascii=False).encode("utf-8"), origin)

    def _checked_origin(self) -> str:
        check_host(self.headers, self.server.policy)
        origin = check_origin(self.headers, self.server.policy)
        if self.path != API_PATH:
            raise bad_request(f"地址 {self.path[:100]} 不存在", f"there is no {self.path[:100]}")
        return origin

    def do_POST(self) -> None:
        origin = None
        try:
            origin = self._checked_origin()
            body = read_body(self.headers, self.rfile)
            action = check_request(body, self.server.policy.fence)
            status, data = ask_backend(self.server.backend_socket, body)
            self._send(status, answer(action, status, data, self.server.policy.fence), origin)
        except Refused as refused:
            self._refuse(refused, origin)

    def do_OPTIONS(self) -> None:
        """The browser's preflight before a JSON POST: answered here, for the allowed origins only."""
        origin = None
        try:
            origin = self._checked_origin()
            if (self.headers.get("Access-Control-Request-Method") or "").upper() != "POST":
                raise bad_request("只接受 POST", "only POST is accepted")
            allow = {
                "Access-Control-Allow-Methods": "POST",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "600",
            }
            self._send(204, b"", origin, allow)
        except Refused as refused:
            self._refuse(refused, origin)

    def _other_method(self) -> None:
        try:
            check_host(self.headers, self.server.policy)
            raise bad_request(f"不接受 {self.command} 请求", f"{self.command} is not accepted")
        except Refused as refused:
            self._refuse(refused, None)

    do_GET = do_HEAD = do_PUT = do_DELETE = do_PATCH = _other_method

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # only refusals and errors are logged: they say what an attacker or a wrong setting tried

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log is not None:
            print(f"cms-guard: {format % args}", file=self.server.log, flush=True)


class GuardServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, policy: Policy, backend_socket: str, log: IO[str] | None = sys.stderr) -> None:
        self.policy = policy
        self.backend_socket = backend_socket
        self.log = log
        super().__init__((HOST, policy.port), GuardHandler)
