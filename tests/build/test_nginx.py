"""docs/nginx.conf run by Debian's nginx over the sample site: statuses, types and headers of every kind of file."""

from __future__ import annotations

import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.nginx_conf import CONFIG, policy

SERVER_NAME = "www.hnast.example"
SECRET = "DATABASE_PASSWORD=hunter2"
OFFICE = "127.0.0.2"  # stands for the office network that may open /admin/; 127.0.0.1 is everyone else
SECURITY_HEADERS = {
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "x-content-type-options": "nosniff",
    "x-frame-options": "SAMEORIGIN",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


def _nginx() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(found).is_file(), "nginx is missing: scripts/test_deps.py (run by make test) installs it"
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _substituted(text: str, replacements: dict[str, str]) -> str:
    """The example with the test's paths and ports: each replaced text must be there, so the file is the one tested."""
    for old, new in replacements.items():
        assert old in text, f"docs/nginx.conf no longer has {old!r}: update the test's substitutions"
        text = text.replace(old, new)
    return text


@dataclass
class Server:
    https_port: int
    http_port: int
    ca: Path
    root: Path
    test_output: str

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.ca))
        context.check_hostname = False  # the certificate names www.hnast.example; we connect to 127.0.0.1
        return context

    def get(self, path: str, source: str = "127.0.0.1") -> http.client.HTTPResponse:
        context = self.context()
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, context=context, timeout=30, source_address=(source, 0)
        )
        connection.request("GET", path, headers={"Host": SERVER_NAME})
        response = connection.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        connection.close()
        return response


@pytest.fixture(scope="module")
def nginx(sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("nginx")
    root = base / "site"
    shutil.copytree(sample_site, root)
    # What must never be served, beside the site: a secret, a repository, a deploy mark, a file in /admin/.
    (root / ".env").write_text(SECRET, encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git/config").write_text(f"[remote]\n{SECRET}\n", encoding="utf-8")
    (root / ".publish-build").write_text(SECRET, encoding="utf-8")
    (root / "news/.draft.html").write_text(SECRET, encoding="utf-8")
    (root / "admin/.env").write_text(SECRET, encoding="utf-8")
    (root / ".well-known").mkdir()
    (root / ".well-known/security.txt").write_text("Contact: mailto:kexie@example.org\n", encoding="utf-8")
    key, cert = base / "site.key", base / "site.crt"
    key_options = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key)]
    names = ["-subj", f"/CN={SERVER_NAME}", "-addext", f"subjectAltName=DNS:{SERVER_NAME}"]
    subprocess.run(
        ["openssl", "req", "-x509", "-days", "2", *key_options, *names, "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    https_port, http_port = _free_port(), _free_port()
    site = _substituted(
        CONFIG.read_text(encoding="utf-8"),
        {
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen [::]:80;": "",  # IPv6 may be off on a test machine
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            f"/etc/nginx/tls/{SERVER_NAME}.crt": str(cert),
            f"/etc/nginx/tls/{SERVER_NAME}.key": str(key),
            "root /var/www/site;": f"root {root};",
            "allow 10.0.0.0/8;": f"allow {OFFICE};",
        },
    )
    (base / "site.conf").write_text(site, encoding="utf-8")
    temp = base / "temp"
    temp.mkdir()
    # Run as the current user: a master running as root would hand the workers to `nobody`, who can't read tmp.
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    (base / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {base}/nginx.pid;
error_log {base}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {base}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {base}/site.conf;
}}
""",
        encoding="utf-8",
    )
    command = [_nginx(), "-p", f"{base}/", "-e", f"{base}/error.log", "-c", f"{base}/nginx.conf"]
    tested = subprocess.run([*command, "-t"], capture_output=True, text=True)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", https_port)) == 0:
                    break
            log = (base / "error.log").read_text() if (base / "error.log").exists() else ""
            assert process.poll() is None and time.monotonic() < deadline, f"nginx did not start:\n{log}"
            time.sleep(0.1)
        yield Server(https_port, http_port, cert, root, tested.stdout + tested.stderr)
    finally:
        process.send_signal(signal.SIGQUIT)  # a graceful stop of the master and its worker
        process.wait(30)


def test_the_example_passes_nginx_t_on_debian_stable(nginx: Server) -> None:
    version = subprocess.run([_nginx(), "-v"], capture_output=True, text=True).stderr
    assert re.search(r"nginx/1\.(2[2-9]|[3-9]\d)", version), version
    assert "test is successful" in nginx.test_output
    assert "[emerg]" not in nginx.test_output and "[warn]" not in nginx.test_output, nginx.test_output


def _has_security_headers(response: http.client.HTTPResponse, csp: str | None = None) -> None:
    headers = {name.lower(): value for name, value in response.getheaders()}
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (name, headers)
    assert headers.get("content-security-policy") == (csp or policy())
    assert headers.get("server") == "nginx"  # no version to look up


# Every kind of file the site has, with its type; the security headers must come with each of them.
FILES = {
    "/": "text/html; charset=utf-8",
    "/news/": "text/html; charset=utf-8",
    "/articles/2020/05/keji-gongzuozhe-ri-zhuchang/": "text/html; charset=utf-8",
    "/old/2020/kexie-news-001.html": "text/html; charset=utf-8",  # an alias: a page that sends readers on
    "/feed.atom": "application/atom+xml",
    "/feed.json": "application/feed+json",
    "/news/feed.json": "application/feed+json",
    "/api/index.json": "application/json",
    "/stats/2020.json": "application/json",
    "/stats/2020.csv": "text/csv; charset=utf-8",
    "/articles/2020/05/keji-gongzuozhe-ri-zhuchang/event.ics": "text/calendar; charset=utf-8",
    "/sitemap.xml": "text/xml; charset=utf-8",
    "/robots.txt": "text/plain; charset=utf-8",
    "/.well-known/security.txt": "text/plain; charset=utf-8",
}


@pytest.mark.parametrize(("path", "content_type"), FILES.items())
def test_pages_feeds_and_downloads(nginx: Server, path: str, content_type: str) -> None:
    response = nginx.get(path)
    assert response.status == 200, path
    assert response.getheader("Content-Type") == content_type
    _has_security_headers(response)
    assert response.getheader("X-Robots-Tag") is None


def _one_of(root: Path, pattern: str) -> str:
    found = sorted(root.glob(pattern))
    assert found, pattern
    return "/" + found[0].relative_to(root).as_posix()


@pytest.mark.parametrize(
    ("pattern", "content_type"),
    [
        ("theme/css/*.css", "text/css; charset=utf-8"),
        ("theme/js/*.js", "application/javascript; charset=utf-8"),
        ("images/**/*.jpg", "image/jpeg"),
        ("images/**/*.webp", "image/webp"),
        ("theme/**/*.svg", "image/svg+xml"),
    ],
)
def test_static_files_keep_the_security_headers(nginx: Server, pattern: str, content_type: str) -> None:
    """The caching rule's own headers used to replace the server's: CSS, scripts and images went without them."""
    response = nginx.get(_one_of(nginx.root, pattern))
    assert response.status == 200
    assert response.getheader("Content-Type") == content_type
    assert response.getheader("Cache-Control") == "max-age=2592000"
    _has_security_headers(response)


@pytest.mark.parametrize(
    ("pattern", "content_type"),
    [
        ("**/*.pdf", "application/pdf"),
        ("**/*.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_attachments(nginx: Server, pattern: str, content_type: str) -> None:
    response = nginx.get(_one_of(nginx.root, pattern))
    assert response.status == 200 and response.getheader("Content-Type") == content_type
    _has_security_headers(response)


def test_wechat_copies_allow_style_attributes_only(nginx: Server) -> None:
    response = nginx.get(_one_of(nginx.root, "wechat/*.html"))
    assert response.status == 200
    _has_security_headers(response, policy("/wechat/"))
    assert "style-src-attr 'unsafe-inline'" in response.getheader("Content-Security-Policy")


def test_a_missing_page_gets_the_404_page_with_the_headers(nginx: Server) -> None:
    response = nginx.get("/no-such-page/")
    assert response.status == 404
    assert response.body == (nginx.root / "404.html").read_bytes()
    _has_security_headers(response)


@pytest.mark.parametrize(
    "path",
    [
        "/.env",
        "/.git/config",
        "/.git/",
        "/.git",
        "/.publish-build",
        "/news/.draft.html",
        "/%2eenv",
        "/%2Egit/config",
        "/news/../.env",
        "//.env",
        "/.well-known",
        "/admin/.env",
    ],
)
@pytest.mark.parametrize("source", ["127.0.0.1", OFFICE])
def test_dotfiles_are_never_served(nginx: Server, path: str, source: str) -> None:
    response = nginx.get(path, source)
    assert response.status in (403, 404), path
    assert SECRET.encode() not in response.body
    assert response.getheader("Strict-Transport-Security")


def test_a_folder_without_its_slash_is_sent_on_relatively(nginx: Server) -> None:
    response = nginx.get("/news")
    assert response.status == 301 and response.getheader("Location") == "/news/"
    _has_security_headers(response)


def test_plain_http_is_sent_to_https(nginx: Server) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", nginx.http_port, timeout=30)
    connection.request("GET", "/news/?page=2", headers={"Host": "evil.example"})
    response = connection.getresponse()
    assert response.status == 301
    # The site's own name, not the Host the request made up.
    assert response.getheader("Location") == f"https://{SERVER_NAME}/news/?page=2"
    connection.close()


def test_http2_is_offered(nginx: Server) -> None:
    context = nginx.context()
    context.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", nginx.https_port)) as raw, context.wrap_socket(raw) as tls:
        assert tls.selected_alpn_protocol() == "h2"


def test_the_editor_is_closed_to_other_networks(nginx: Server) -> None:
    for path in ("/admin/", _one_of(nginx.root, "admin/**/*.js")):
        response = nginx.get(path)
        assert response.status == 403, path  # its scripts too: ^~ keeps them from the caching rule
        _has_security_headers(response, policy("/admin/"))


def test_the_editor_opens_to_the_office_network(nginx: Server) -> None:
    page = nginx.get("/admin/", OFFICE)
    assert page.status == 200 and page.getheader("Content-Type") == "text/html; charset=utf-8"
    assert page.getheader("Cache-Control") == "no-cache"
    assert page.getheader("X-Robots-Tag") == "noindex, nofollow"
    _has_security_headers(page, policy("/admin/"))
    config = nginx.get("/admin/config.yml", OFFICE)
    assert config.status == 200 and config.getheader("Content-Type") == "text/yaml; charset=utf-8"
    script = nginx.get(_one_of(nginx.root, "admin/**/*.js"), OFFICE)
    assert script.status == 200 and script.getheader("Content-Type") == "application/javascript; charset=utf-8"
    assert script.getheader("Cache-Control") == "no-cache"
    _has_security_headers(script, policy("/admin/"))
