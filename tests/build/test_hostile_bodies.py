"""Hostile bodies: the check names each with its file and line, and what renders is sanitised in every output.

The sanitiser must hold even where the check misses something, so one build here is made as if the check had
passed every body (its report is silenced by the settings): nothing a browser would run may reach the article
page, the feeds, the API, the WeChat copy or any page derived from a body.
"""

from __future__ import annotations

import io
import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import urlparse

import pytest
from bs4 import BeautifulSoup
from lxml import etree
from PIL import Image

from tests.markup import live_script, live_script_in_atom, live_script_in_json
from tests.sites import PROJECT, article, build, check, write_site

NOW = "2020-07-25 12:00"
SITE = "https://www.hnast.example"
PLAYER = "player.example.com"

# name: body. Each starts with a sentence that must survive, so that its page is known to be built from it.
CASES = {
    "fence-indented-by-one-space": " ```\n<script>alert(1)</script>\n ```\n",
    "four-backtick-fence-closed-by-three": "````\n<script>alert(2)</script>\n```\n",
    "backticks-inside-an-attribute": '说明 <span title="`" onmouseover="alert(3)" class="`">悬停</span> 结束。\n',
    "attribute-list": '一段话。\n{: onmouseover="alert(4)" }\n',
    "handlers-on-other-tags": (
        '<details open ontoggle="alert(5)"><summary>摘要</summary>内容</details>\n\n'
        '<div onmouseover="alert(5)">块</div>\n\n<video controls><source src="v.mp4" onerror="alert(5)"></video>\n'
    ),
    "svg-onload": '<svg onload="alert(6)"><circle r="1"/></svg>\n',
    "img-onerror": '<img src=https://img.example/x.png onerror=alert(7) alt="图">\n',
    "javascript-link": "[报名](javascript:alert(8))\n",
    "javascript-reference-link": "[报名][1]\n\n[1]: javascript:alert(9)\n",
    "iframe-from-another-host": '<iframe src="https://evil.example/x"></iframe>\n',
    "iframe-from-an-allowed-host": (
        f'<iframe src="https://{PLAYER}/v/1" width="640" srcdoc="<script>alert(11)</script>" '
        'onload="alert(11)"></iframe>\n'
    ),
    "object-and-embed": '<object data="javascript:alert(12)"></object><embed src="javascript:alert(12)">\n',
    "style": (
        '<style>body{background:url("javascript:alert(13)")}</style>\n\n'
        '<p style="background:url(javascript:alert(13))">段</p>\n'
    ),
    "form": '<form action="javascript:alert(14)"><button formaction="javascript:alert(14)">提交</button></form>\n',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(15)">\n',
    "entity-encoded-javascript": (
        '<a href="&#106;avascript:alert(16)">链接</a> <a href="java&#x09;script:alert(16)">链接</a> '
        "[链接](javascript&#58;alert(16))\n"
    ),
    "conditional-comments": (
        "<!--[if IE]><script>alert(17)</script><![endif]-->\n\n<!--><script>alert(17)</script>-->\n"
    ),
    "data-urls": (
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxOCk8L3NjcmlwdD4=">链接</a>\n\n'
        '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTgpPjwvc3ZnPg==" alt="图">\n\n'
        "![图](data:text/html,<script>alert(18)</script>)\n"
    ),
    "base-and-link": '<base href="javascript:alert(19)//"><link rel="import" href="https://evil.example/x.html">\n',
    "noscript-escape": (
        '<noscript><p title="</noscript><img src=https://img.example/x.png onerror=alert(20)>"></noscript>\n'
    ),
    "closing-the-body-early": "</div></article><script>alert(21)</script>\n",
    "javascript-image": "![图](javascript:alert(22))\n",
    "media-from-another-host": (
        '![图](https://img.example/a.jpg)\n\n<img src="//img.example/b.png" alt="图">\n\n'
        '<video controls poster="https://img.example/p.jpg"><source src="https://img.example/v.mp4"></video>\n\n'
        '<img src="\\\\img.example\\c.png" alt="图"> <img srcset="a.jpg 1x, https://img.example/d.jpg 2x" alt="图">\n'
    ),
}
SLUGS = {name: f"hostile-{index:02d}" for index, name in enumerate(CASES, start=1)}
DERIVED_BODY = (
    "{name}可见文字。\n\n<script>alert('derived')</script>\n\n"
    '<p onclick="alert(1)">段落</p>\n\n段落二\n{{: onmouseover="alert(2)" }}\n\n[链接](javascript:alert(3))\n'
)
DERIVED_PAGES = {
    "专栏": "columns/hostile-column/index.html",
    "专题": "topics/hostile-topic/index.html",
    "人物": "people/li-ming/index.html",
    "图集": "galleries/hostile-gallery/index.html",
    "页面": "hostile-page/index.html",
}


def marker(name: str) -> str:
    return f"可见文字{SLUGS[name][-2:]}"


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def _files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "content/columns/hostile-column.md": "---\ntitle: 专栏\norder: 1\n---\n" + DERIVED_BODY.format(name="专栏"),
        "content/topics/hostile-topic.md": "---\ntitle: 专题\n---\n" + DERIVED_BODY.format(name="专题"),
        "content/people/li-ming.md": "---\nname: 李明\n---\n" + DERIVED_BODY.format(name="人物"),
        "content/galleries/hostile-gallery/index.md": (
            "---\ntitle: 图集\ndate: 2020-07-01\nphotos:\n  - {file: 001.jpg, caption: 说明, alt: 照片}\n---\n"
            + DERIVED_BODY.format(name="图集")
        ),
        "content/galleries/hostile-gallery/001.jpg": _jpeg(),
        "content/pages/hostile-page.md": "---\ntitle: 页面\n---\n" + DERIVED_BODY.format(name="页面"),
    }
    for index, (name, body) in enumerate(CASES.items()):
        files[f"content/articles/news/{SLUGS[name]}.md"] = article(
            f"案例{index + 1}",
            f"2020-07-{1 + index % 20:02d} {8 + index // 20:02d}:00",
            f"{marker(name)}。\n\n{body}",
            columns="[hostile-column]",
            topics="[hostile-topic]",
            people="[li-ming]",
            gallery="hostile-gallery",
        )
    return files


def _unchecked_settings(folder: Path) -> Path:
    """Publish settings under which the check's findings do not stop the build: the sanitiser stands alone."""
    path = folder / "unchecked.py"
    path.write_text(
        "\n".join(
            [
                "import sys",
                f"sys.path.insert(0, {str(PROJECT)!r})",
                "from publishconf import *",
                f"IFRAME_HOSTS = [{PLAYER!r}]",
                f"SITE_ABSOLUTE_URL = {SITE!r}",
                "SEARCH_INDEX = False",
                f"THEME = {str(PROJECT / 'theme')!r}",
                f"PLUGIN_PATHS = [{str(PROJECT / 'plugins')!r}]",
                "import publishing.model_state as _model_state",
                "_model_state.report = lambda problems: None  # as if the check had found nothing",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("hostile"), _files())


@pytest.fixture(scope="module")
def output(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    run = build(site, site_now=NOW, settings=_unchecked_settings(tmp_path_factory.mktemp("settings")), timeout=300)
    assert run.returncode == 0, run.text
    return run.output


def _article_page(output: Path, name: str) -> Path:
    (page,) = output.glob(f"articles/2020/07/{SLUGS[name]}/index.html")
    return page


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


LIVE = {"iframe_hosts": (PLAYER,)}


@pytest.mark.parametrize("name", list(CASES))
def test_the_article_page_runs_nothing_and_keeps_its_text(output: Path, name: str) -> None:
    html = _text(_article_page(output, name))
    assert marker(name) in html
    assert live_script(html, page=True, **LIVE) == []


@pytest.mark.parametrize("name", list(CASES))
def test_the_feeds_carry_nothing_that_runs(output: Path, name: str) -> None:
    url = f"{SITE}/articles/2020/07/{SLUGS[name]}/"
    for folder in ("", "news/", "columns/hostile-column/", "topics/hostile-topic/"):
        feed = json.loads(_text(output / folder / "feed.json"))
        (item,) = [i for i in feed["items"] if i["url"] == url]
        assert marker(name) in item["content_html"]
        assert live_script_in_json(json.dumps(item), **LIVE) == []
        atom = etree.fromstring((output / folder / "feed.atom").read_bytes())
        namespace = {"a": "http://www.w3.org/2005/Atom"}
        (entry,) = [e for e in atom.findall("a:entry", namespace) if e.find("a:id", namespace).text == url]
        content = entry.find("a:content", namespace).text
        assert marker(name) in content
        assert live_script_in_atom(etree.tostring(entry, encoding="unicode"), **LIVE) == []


@pytest.mark.parametrize("name", list(CASES))
def test_the_api_and_the_wechat_copy_carry_nothing_that_runs(output: Path, name: str) -> None:
    records = json.loads(_text(output / "api/articles/page-1.json"))["items"]
    (record,) = [r for r in records if r["id"] == SLUGS[name]]
    assert marker(name) in record["summary"]
    assert live_script_in_json(json.dumps(record), **LIVE) == []
    assert "alert" not in record["summary"], "a summary is the body's text: code that was dropped is not in it"
    copy = _text(output / f"wechat/{SLUGS[name]}.html")
    assert marker(name) in copy
    assert live_script(copy, page=True) == []


@pytest.mark.parametrize("kind", list(DERIVED_PAGES))
def test_pages_made_from_other_bodies_run_nothing(output: Path, kind: str) -> None:
    html = _text(output / DERIVED_PAGES[kind])
    assert f"{kind}可见文字" in html
    assert live_script(html, page=True) == []
    assert 'href="javascript' not in html.lower()


def test_no_output_file_carries_anything_that_runs(output: Path) -> None:
    found = {}
    for path in sorted(output.rglob("*")):
        rel = path.relative_to(output).as_posix()
        if rel.startswith("admin/") or not path.is_file():
            continue  # the web editor is an application of its own, not content
        if path.suffix == ".html":
            found[rel] = live_script(_text(path), page=True, **LIVE)
        elif path.suffix == ".json":
            found[rel] = live_script_in_json(_text(path), **LIVE)
        elif path.suffix in (".atom", ".xml"):
            found[rel] = live_script_in_atom(_text(path), **LIVE)
    assert len(found) > 50
    assert {rel: what for rel, what in found.items() if what} == {}


# A media address in HTML as written, in JSON (quotes escaped) or in Atom (the HTML escaped once more).
_MEDIA_ADDRESS = re.compile(r'\b(?:src|srcset|poster)=\\?"([^"\\]*)')


def test_no_output_file_loads_an_image_or_video_from_another_host(output: Path) -> None:
    """Pages load nothing from another host: a body's remote image or video loses its address."""
    found = {}
    for path in sorted(output.rglob("*")):
        if path.suffix not in (".html", ".json", ".atom", ".xml") or path.relative_to(output).parts[0] == "admin":
            continue
        addresses = _MEDIA_ADDRESS.findall(unescape(_text(path)))
        remote = [
            a
            for a in addresses
            for url in a.replace("\\", "/").split(",")
            if re.match(r"\s*(https?:)?//", url)
            # the site's own absolute addresses (feeds), and the frame IFRAME_HOSTS allows
            and urlparse(url.strip()).hostname not in (urlparse(SITE).hostname, PLAYER)
        ]
        if remote:
            found[path.relative_to(output).as_posix()] = remote
    assert found == {}
    page = _text(_article_page(output, "media-from-another-host"))
    assert marker("media-from-another-host") in page


def test_an_iframe_from_an_allowed_host_stays_with_safe_attributes_only(output: Path) -> None:
    soup = BeautifulSoup(_text(_article_page(output, "iframe-from-an-allowed-host")), "html.parser")
    (frame,) = soup.select(".article__body iframe")
    assert frame.attrs == {"src": f"https://{PLAYER}/v/1", "width": "640"}
    other = BeautifulSoup(_text(_article_page(output, "iframe-from-another-host")), "html.parser")
    assert other.select(".article__body iframe") == []


def test_the_check_names_the_file_and_line_of_each_case(site: Path) -> None:
    result = check(site, "--format", "json", site_now=NOW)
    assert result.returncode == 1, result.text
    lines_of: dict[str, set[int]] = {}
    for problem in json.loads(result.stdout):
        if problem["level"] == "error" and problem["field"] == "body":
            lines_of.setdefault(problem["file"], set()).add(problem["line"])
    for name, body in CASES.items():
        if name == "iframe-from-an-allowed-host":
            continue  # allowed by the check only with IFRAME_HOSTS; the publish settings have none
        rel = f"content/articles/news/{SLUGS[name]}.md"
        text = (site / rel).read_text(encoding="utf-8").split("\n")
        first = text.index(f"{marker(name)}。") + 3  # the marker sentence, a blank line, then the case
        assert lines_of.get(rel), f"{name}: no error"
        assert all(first <= line < first + body.count("\n") for line in lines_of[rel]), (name, lines_of[rel])
    for rel in (
        "content/columns/hostile-column.md",
        "content/topics/hostile-topic.md",
        "content/people/li-ming.md",
        "content/galleries/hostile-gallery/index.md",
        "content/pages/hostile-page.md",
    ):
        assert len(lines_of.get(rel, ())) == 4, (rel, lines_of.get(rel))


def test_the_four_cases_each_have_a_clear_error_on_their_line(tmp_path: Path) -> None:
    expected = {
        "fence-indented-by-one-space": ("html-forbidden-tag", 2),
        "four-backtick-fence-closed-by-three": ("html-forbidden-tag", 2),
        "backticks-inside-an-attribute": ("html-event-attribute", 1),
        "attribute-list": ("html-event-attribute", 2),
    }
    write_site(
        tmp_path,
        {f"content/articles/{name}.md": article("标题", "2020-07-20", CASES[name]) for name in expected},
    )
    result = check(tmp_path, "--format", "json", site_now=NOW)
    assert result.returncode == 1
    found = {(p["file"], p["code"], p["line"]) for p in json.loads(result.stdout)}
    body_starts = 7  # the front matter of `article` is six lines
    for name, (code, line) in expected.items():
        assert (f"content/articles/{name}.md", code, body_starts + line - 1) in found, (name, found)
    text = check(tmp_path, site_now=NOW).stdout
    assert "onmouseover" in text and "<script>" in text


CODE_EXAMPLES = (
    "示例：\n\n```html\n<script>alert('fenced')</script>\n```\n\n"
    "````\n<img src=x onerror=alert('four')>\n````\n\n"
    "~~~\n<iframe src=https://evil.example></iframe>\n~~~\n\n"
    "缩进的代码：\n\n    <script>alert('indented')</script>\n\n"
    "行内代码 `<p onclick=x>` 也只是文字。\n"
)


def test_code_blocks_show_the_script_as_text_and_pass_the_check(tmp_path: Path) -> None:
    write_site(tmp_path, {"content/articles/news/code.md": article("代码示例", "2020-07-20 10:00", CODE_EXAMPLES)})
    assert check(tmp_path, site_now=NOW).returncode == 0
    run = build(tmp_path, site_now=NOW)
    assert run.returncode == 0, run.text
    html = _text(next(run.output.glob("articles/2020/07/code/index.html")))
    assert live_script(html, page=True) == []
    shown = [code.get_text() for code in BeautifulSoup(html, "html.parser").select(".article__body code")]
    for text in (
        "<script>alert('fenced')</script>",
        "<img src=x onerror=alert('four')>",
        "<iframe src=https://evil.example></iframe>",
        "<script>alert('indented')</script>",
        "<p onclick=x>",
    ):
        assert any(text in code for code in shown), (text, shown)
