"""Fetching from another site: http(s) only, one time limit for the whole fetch, a size cap, no way into this network.

The operator names the feed's address, so that address (its scheme, host and port: its origin) may be anywhere,
an intranet server included. Everything else is the remote site's choice: a redirect, or an image in an item.
Those may lead only to http(s) addresses on the public internet; a redirect to file://, ftp://, this machine
(127.0.0.0/8, ::1) or a private, link-local or reserved range is refused. The address is judged after the
connection is made, on the address actually connected to, so a name that resolves differently the second
time gains nothing. Requests go straight to the server: proxy settings in the environment are not used.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
USER_AGENT = "kexie-sync/1.0 (+make sync)"


class FetchError(Exception):
    """Why a fetch failed, Chinese then English; `status` is the HTTP status when the server answered one."""

    def __init__(self, zh: str, en: str, status: int = 0) -> None:
        super().__init__(f"{zh} {en}")
        self.zh, self.en, self.status = zh, en, status


def origin(url: str) -> tuple[str, str, int]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or (443 if scheme == "https" else 80)


def public_address(address: str) -> bool:
    """Whether an address is on the public internet (not this machine, a private network or a reserved range)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _Guard:
    """Checks the address each connection reached, before a byte of the request is sent."""

    def __init__(self, trusted: tuple[str, str, int] | None) -> None:
        self.trusted = trusted
        self.sockets: list[socket.socket] = []

    def check(self, sock: socket.socket, url_origin: tuple[str, str, int]) -> None:
        self.sockets.append(sock)
        address = sock.getpeername()[0]
        if url_origin != self.trusted and not public_address(address):
            raise FetchError(
                f"不允许访问本机或内网地址 {address}",
                f"an address of this machine or a private network ({address}) is not allowed",
            )


class _Checked(http.client.HTTPConnection):
    """A connection that has its guard check the address it reached."""

    guard: _Guard
    url_origin: tuple[str, str, int]

    def connect(self) -> None:
        super().connect()
        self.guard.check(self.sock, self.url_origin)


class _CheckedTLS(http.client.HTTPSConnection, _Checked):
    """HTTPSConnection.connect calls _Checked.connect, so the address is checked before TLS starts."""


def _connection(url: str, guard: _Guard, timeout: float) -> http.client.HTTPConnection:
    scheme, host, port = origin(url)
    connection: _Checked
    if scheme == "https":
        connection = _CheckedTLS(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        connection = _Checked(host, port, timeout=timeout)
    connection.guard, connection.url_origin = guard, (scheme, host, port)
    return connection


@dataclass
class Fetched:
    data: bytes
    url: str  # after redirects
    content_type: str


class _Attempt:
    """One fetch, run in a thread of its own so that the caller can stop waiting at the deadline."""

    def __init__(self, url: str, limit: int, timeout: float, trusted: str | None, accept: str) -> None:
        self.url, self.limit, self.timeout, self.accept = url, limit, timeout, accept
        self.guard = _Guard(origin(trusted) if trusted else None)
        self.result: Fetched | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._fetch()
        except BaseException as error:  # handed to the caller's thread
            self.error = error

    def abort(self) -> None:
        for sock in self.guard.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _fetch(self) -> Fetched:
        url = self.url
        for _hop in range(MAX_REDIRECTS + 1):
            scheme = urlsplit(url).scheme.lower()
            if scheme not in ("http", "https") or not urlsplit(url).hostname:
                raise FetchError(f"不是 http(s) 地址：{url}", f"not an http(s) address: {url}")
            connection = _connection(url, self.guard, self.timeout)
            try:
                parts = urlsplit(url)
                path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
                headers = {"User-Agent": USER_AGENT, "Accept": self.accept, "Accept-Encoding": "identity"}
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                    target = urljoin(url, response.getheader("Location", ""))
                    if urlsplit(target).scheme.lower() not in ("http", "https"):
                        raise FetchError(
                            f"重定向到非 http(s) 地址：{target}", f"a redirect to a non-http(s) address: {target}"
                        )
                    url = target
                    continue
                if response.status != 200:
                    raise FetchError(f"HTTP {response.status}", f"HTTP {response.status}", status=response.status)
                return Fetched(self._body(response), url, response.getheader("Content-Type", "") or "")
            finally:
                connection.close()
        raise FetchError(f"重定向超过 {MAX_REDIRECTS} 次", f"more than {MAX_REDIRECTS} redirects")

    def _body(self, response: http.client.HTTPResponse) -> bytes:
        declared = response.getheader("Content-Length", "")
        if declared.isdigit() and int(declared) > self.limit:
            raise _too_large(self.limit)
        chunks, size = [], 0
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > self.limit:
                raise _too_large(self.limit)
            chunks.append(chunk)
        return b"".join(chunks)


def _too_large(limit: int) -> FetchError:
    megabytes = limit // 1024 // 1024
    return FetchError(f"超过 {megabytes} MB", f"larger than {megabytes} MB")


def fetch(url: str, *, timeout: float, limit: int, trusted: str | None, accept: str = "*/*") -> Fetched:
    """GET `url` within `timeout` seconds in all (connecting, redirects, reading), at most `limit` bytes.

    `trusted` is the address the operator gave: its origin may be a private or local address; nothing else may.
    """
    attempt = _Attempt(url, limit, timeout, trusted, accept)
    worker = threading.Thread(target=attempt.run, name="sync-fetch", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        attempt.abort()  # the thread's next read fails; nobody waits for it
        raise FetchError(f"超过 {timeout:g} 秒未完成", f"timed out after {timeout:g} s")
    error: Any = attempt.error
    if isinstance(error, FetchError):
        raise error
    if isinstance(error, (TimeoutError, socket.timeout)):
        raise FetchError(f"超过 {timeout:g} 秒未完成", f"timed out after {timeout:g} s")
    if isinstance(error, (OSError, http.client.HTTPException, ValueError, UnicodeError)):
        reason = str(error) or type(error).__name__
        raise FetchError(reason, reason)
    if error is not None:
        raise error
    assert attempt.result is not None
    return attempt.result
