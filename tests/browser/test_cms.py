"""Web editing end to end: /admin/ over Decap's local backend writes an article that `make check` accepts."""

from __future__ import annotations

import functools
import http.server
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from cms.local import proxy_url, running_proxy
from tests.nginx_conf import policy
from tests.sites import PROJECT, article, build, check, write_site

pytestmark = pytest.mark.browser

NOW = "2020-07-25 12:00"
TITLE = "全省科协系统举办宣传联络员网页编辑培训"
SLUG = "wangye-bianji-peixun"
BODY = "7月20日，省科协举办宣传联络员网页编辑培训，各市科协宣传联络员参加。"
NEW_FILE = f"content/articles/news/2020-07-20-{SLUG}/index.md"
FILES = {
    "content/columns/zuimei-2020.md": "---\ntitle: 2020年河南最美科技工作者\norder: 10\n---\n专栏介绍。\n",
    # A person is named by the folder: the form stores `li-ming`, not Decap's slug of the entry, `li-ming/index`.
    "content/people/li-ming/index.md": "---\nname: 李明\nunit: 郑州大学\n---\n简介。\n",
    "content/articles/news/kexie-huiyi.md": article("全省科协工作会议召开", "2020-07-10 09:00"),
    "content/articles/zuimei-2020/li-ming.md": article("李明：扎根中原", "2020-07-12 09:00", columns="[zuimei-2020]"),
}
# What docs/nginx.conf sends with /admin/, with the local backend in place of api.github.com.
CSP = policy("/admin/").replace("https://api.github.com", "{api}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _settings(root: Path, publish: bool, **extra: str) -> Path:
    """The project's settings plus the cms plugin, whether or not PLUGINS lists it yet."""
    base = "publishconf" if publish else "pelicanconf"
    path = root / f"settings_{base}.py"
    lines = [
        "import sys",
        f"sys.path.insert(0, {str(PROJECT)!r})",
        f"from {base} import *  # noqa",
        f"THEME = {str(PROJECT / 'theme')!r}",
        f"PLUGIN_PATHS = [{str(PROJECT / 'plugins')!r}]",
        'PLUGINS = [*PLUGINS, *(["cms"] if "cms" not in PLUGINS else [])]',
        *(f"{key} = {value!r}" for key, value in extra.items()),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _serve(directory: Path, csp: str) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map: ClassVar[dict[str, str]] = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".yml": "text/yaml",
        }

        def log_message(self, format: str, *args: object) -> None:
            pass

        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", csp)
            super().end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@dataclass
class Editor:
    root: Path
    url: str
    api: str
    log: Path


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    """A copy of a small site in a fresh git repository, its preview build, and decap-server on it."""
    root = write_site(tmp_path_factory.mktemp("cms-site"), dict(FILES))
    git = ["git", "-C", str(root), "-c", "user.name=test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "content"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "fixture"], check=True)
    port = _free_port()
    run = build(
        root, publish=False, site_now=NOW, settings=_settings(root, False, CMS_LOCAL_BACKEND_URL=proxy_url(port))
    )
    assert run.returncode == 0, run.text
    server, url = _serve(run.output, CSP.format(api=f"http://127.0.0.1:{port}"))
    log = root / "decap-server.log"
    # The guard lets only the pages of this preview server use the backend.
    with log.open("wb") as sink, running_proxy(root, port, sink, origins=(url.rstrip("/"),)) as backend:
        yield Editor(root=root, url=url, api=f"http://127.0.0.1:{port}/", log=log)
    server.shutdown()
    assert backend.process.poll() is not None, "decap-server is still running"


class Watch:
    """Every request the editor makes, console errors and CSP reports."""

    def __init__(self, page: Page, allowed: tuple[str, ...]) -> None:
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(allowed) else self.foreign.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} {r.failure}"))
        page.on("response", lambda r: self.failed.append(f"{r.url} {r.status}") if r.status >= 400 else None)
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@pytest.fixture
def admin(browser: Browser, editor: Editor) -> Iterator[tuple[Page, Watch]]:
    # The pickers write Beijing time as shown: run the browser in that zone, as contributors' computers are.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    watch = Watch(page, (editor.url, editor.api, "data:", "blob:", "about:"))
    page.goto(editor.url + "admin/")
    expect(page).to_have_title("网页编辑 - 河南省科学技术协会")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("科协要闻").first).to_be_visible()
    yield page, watch
    context.close()


def _choose(page: Page, label: str, text: str) -> None:
    """Pick an option of a select widget (react-select): open it, type to filter, take the match."""
    page.get_by_label(label, exact=False).first.click()
    page.keyboard.type(text)
    page.get_by_role("option", name=text).click()


def _front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def test_a_contributor_writes_previews_and_saves_an_article(admin: tuple[Page, Watch], editor: Editor) -> None:
    page, watch = admin
    page.get_by_role("link", name="科协要闻").click()
    page.get_by_role("link", name="稿件").click()
    page.get_by_label("标题", exact=True).fill(TITLE)
    page.get_by_label("发布时间").fill("2020-07-20T09:30")
    page.get_by_label("网址标识").fill(SLUG)
    _choose(page, "报送单位", "郑州市科协")
    # Columns and people are read from their collections through the backend: config.yml lists none of them.
    _choose(page, "专栏", "2020年河南最美科技工作者")
    _choose(page, "人物", "李明")
    page.locator('[data-slate-editor="true"]').click()
    page.keyboard.type(BODY)

    # The preview is drawn with the site's own stylesheet and article markup.
    preview = page.frame_locator("iframe").first
    expect(preview.locator(".article__title")).to_have_text(TITLE)
    expect(preview.locator(".preview-banner")).to_contain_text("草稿")
    expect(preview.locator(".article__body")).to_contain_text(BODY)
    expect(preview.locator('link[rel="stylesheet"][href$="theme/css/site.css"]')).to_have_count(1)

    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    expect(page.get_by_text("内容已保存")).to_be_visible()

    written = editor.root / NEW_FILE
    assert written.is_file(), sorted(p.as_posix() for p in (editor.root / "content/articles").rglob("*.md"))
    fields, body = _front_matter(written)
    assert fields["title"] == TITLE and fields["slug"] == SLUG
    assert str(fields["date"]) == "2020-07-20 09:30"
    assert fields["department"] == "zzskx" and fields["columns"] == ["zuimei-2020"] and fields["people"] == ["li-ming"]
    assert fields["section"] == "news" and fields["type"] == "news"
    assert fields["status"] == "draft" and "review" not in fields  # a draft needs no review
    assert BODY in body
    result = check(editor.root, "--files", NEW_FILE, site_now=NOW)
    assert result.returncode == 0, result.text

    assert watch.foreign == []  # nothing leaves this computer
    assert watch.failed == [] and watch.errors == []


def test_a_new_article_without_a_slug_is_refused(admin: tuple[Page, Watch], editor: Editor) -> None:
    page, _watch = admin
    before = sorted((editor.root / "content").rglob("*"))
    page.goto(editor.url + "admin/#/collections/section-news/new")
    page.get_by_label("标题", exact=True).fill("没有网址标识的稿件")
    _choose(page, "报送单位", "调研宣传部")
    page.get_by_role("button", name="发布").first.click()
    page.get_by_text("立即发布").click()
    expect(page.get_by_text("请填写“网址标识”")).to_be_visible()
    assert sorted((editor.root / "content").rglob("*")) == before


def test_the_published_site_editor_signs_in_with_github(browser: Browser, tmp_path: Path) -> None:
    root = write_site(tmp_path, dict(FILES))
    settings = _settings(root, True, CMS_REPO="hnast/site", CMS_AUTH_URL="https://cms-auth.hnast.example")
    run = build(root, publish=True, site_now=NOW, settings=settings)
    assert run.returncode == 0, run.text
    config = yaml.safe_load((run.output / "admin/config.yml").read_text(encoding="utf-8"))
    assert config["backend"]["name"] == "github" and "local_backend" not in config
    server, url = _serve(run.output, CSP.format(api="https://api.github.com"))
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    watch = Watch(page, (url, "data:", "blob:", "about:"))
    try:
        page.goto(url + "admin/")
        # Decap accepted the generated configuration: it offers the GitHub sign-in, in Chinese.
        expect(page.get_by_role("button", name="使用 GitHub 登录")).to_be_visible()
        assert watch.foreign == [] and watch.failed == [] and watch.errors == []
    finally:
        context.close()
        server.shutdown()
