"""Unit tests of `make sync`: reading feeds, sanitising bodies, writing drafts once, and clear errors."""

from __future__ import annotations

import io
import json
import re
import socket
import threading
from pathlib import Path

import pytest
from PIL import Image

from content_model.body import BodyRules
from content_model.problems import Problems
from content_model.site import Options, load_site
from content_model.times import parse_time
from feeds import atom_feed
from sync import EXIT_FEED, EXIT_OK, EXIT_USAGE, import_feed, main
from sync.clean import sanitise
from sync.feed import FeedError, parse
from sync.images import localise
from tests.sites import write_site

CITY = "https://kx.zhengzhou.example"
NOW = parse_time("2020-07-25 12:00")


def json_feed_document(*items: dict) -> bytes:
    return json.dumps(
        {"version": "https://jsonfeed.org/version/1.1", "title": "郑州市科学技术协会", "items": list(items)},
        ensure_ascii=False,
    ).encode("utf-8")


def item(slug: str, title: str = "金水区科协开展科普进社区活动", **extra: object) -> dict:
    url = f"{CITY}/articles/2020/07/{slug}/"
    return {
        "id": url,
        "url": url,
        "title": title,
        "date_published": "2020-07-18T09:30:00+08:00",
        "content_html": f'<p>正文{slug}。</p><p><img src="{url}photo.jpg" alt="现场"></p>',
        "summary": "作者写的摘要。",
        "authors": [{"name": "赵鹏"}],
        "tags": ["科普"],
        **extra,
    }


@pytest.fixture
def province(tmp_path: Path) -> Path:
    return write_site(tmp_path / "province", {"content/articles/news/a.md": _province_article()})


def _province_article() -> str:
    return (
        "---\ntitle: 省站稿件\ndate: 2020-07-01\ndepartment: dyxcb\n"
        "review: {first: 陈静, second: 赵磊, final: 孙敏}\n---\n正文。\n"
    )


def _check(root: Path) -> Problems:
    site = load_site(root / "content", root, Options(strict=True, now=NOW))
    return site.problems


def _front(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[0]


# Reading feeds


def test_a_json_feed_is_read_into_entries() -> None:
    text_item = {"id": "x-1", "url": f"{CITY}/x/", "title": "纯文本", "content_text": "第一段\n\n第二段 <b>"}
    feed = parse(json_feed_document(item("a"), text_item), "feed.json")
    first, second = feed.entries
    assert first.title == "金水区科协开展科普进社区活动" and first.authors == ["赵鹏"] and first.tags == ["科普"]
    assert first.date == parse_time("2020-07-18 09:30")
    assert second.html == "<p>第一段</p><p>第二段 &lt;b&gt;</p>" and second.date is None


def test_an_atom_feed_is_read_into_entries_in_beijing_time() -> None:
    from types import SimpleNamespace

    from markupsafe import Markup

    article = SimpleNamespace(
        url="articles/2020/07/a/",
        title=Markup("标题 &amp; 说明"),
        summary=Markup("摘要 &lt;b&gt;"),
        content="<p>正文</p>",
        date=parse_time("2020-07-18 09:30"),
        tags=[SimpleNamespace(name="科普")],
        byline_authors=["赵鹏"],
    )
    text = atom_feed(
        [article], title="t", home_url=f"{CITY}/", feed_url=f"{CITY}/feed.atom", site_url=CITY, author="a", updated=NOW
    )
    entry = parse(text.encode("utf-8"), "feed.atom").entries[0]
    assert entry.title == "标题 & 说明" and entry.url == entry.id == f"{CITY}/articles/2020/07/a/"
    assert entry.date == parse_time("2020-07-18 09:30") and entry.date.utcoffset().total_seconds() == 8 * 3600
    assert entry.summary == "摘要 <b>" and entry.tags == ["科普"] and entry.authors == ["赵鹏"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'{"title": "no version", "items": []}', "不是 JSON Feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "x"}]}', "缺少 id"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "不是有效的 JSON"),
        (b"<!DOCTYPE html><html><body><p>a page</p></body></html>", "不是 Atom"),
        (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry>', "格式有误"),
    ],
)
def test_a_bad_feed_is_a_clear_error_chinese_first(data: bytes, words: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse(data, "https://bad.example/feed")
    message = str(caught.value)
    assert words in message
    zh, en = message.split("\n")
    assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en.split(":")[0])


# Sanitising


def test_the_body_keeps_only_what_the_checker_allows() -> None:
    html = """<div class="x" style="color:red"><h1>标题</h1>文字 [1] `code` <span onclick="x()">红</span>
    <script>alert(1)</script><style>p{}</style><iframe src="https://v.example/"></iframe>
    <img src="/uploads/a.jpg"><img src="javascript:alert(1)" alt="x"><img src="data:image/png;base64,AAAA" alt="d">
    <a href="javascript:alert(1)">坏链接</a> <a href="../b/" target="_blank" onmouseover="x">相对</a>
    <form><input name="q"></form><table><tr><td colspan="2" class="c">格</td></tr></table>
    <video src="clip.mp4"></video></div>"""
    out = sanitise(html, f"{CITY}/articles/2020/07/a/", alt="标题配图")
    for gone in (
        "script",
        "style",
        "iframe",
        "onclick",
        "onmouseover",
        "class=",
        "javascript",
        "data:",
        "form",
        "input",
    ):
        assert gone not in out, gone
    assert "<h2>标题</h2>" in out
    assert f'<img alt="标题配图" src="{CITY}/uploads/a.jpg"/>' in out
    assert f'<a href="{CITY}/articles/2020/07/b/">相对</a>' in out and "坏链接" in out
    assert f'<a href="{CITY}/articles/2020/07/a/clip.mp4">视频</a>' in out
    assert '<td colspan="2">格</td>' in out
    assert "&#91;1] &#96;code&#96;" in out, "Markdown and the checker must not read text as links or code"
    assert all(line.startswith("<") for line in out.split("\n") if line), "one block per line, none indented"
    # Images still point at the sub-site here; the import fetches them into the article's folder.
    localised = localise(out, lambda url: _png())
    sources = re.findall(r'<img [^>]*src="([^"]+)"', localised.html)
    assert sources and set(sources) == set(localised.files)
    problems = Problems()
    BodyRules("imported.md", problems).scan(localised.html, 1)
    assert not problems.errors and not problems.warnings, problems.items


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


# Importing


def test_import_writes_drafts_that_pass_the_check_and_a_second_run_adds_nothing(province: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    title = '他说："科普要走进千家万户"：一篇 #标题'
    feed.write_bytes(json_feed_document(item("a"), item("b", title=title), item("c", summary="")))
    result = import_feed(str(feed), "zzskx", "jiceng", province, source="郑州市科协")
    names = sorted(p.relative_to(province).as_posix() for p in result.created)
    assert names == [
        "content/articles/jiceng/zzskx/2020-07-18-zzskx-a.md",
        "content/articles/jiceng/zzskx/2020-07-18-zzskx-b.md",
        "content/articles/jiceng/zzskx/2020-07-18-zzskx-c.md",
    ]
    front = _front(province / names[1])
    for line in (
        "status: draft",
        "section: jiceng",
        "department: zzskx",
        'source: "郑州市科协"',
        f'source_url: "{CITY}/articles/2020/07/b/"',
        "date: 2020-07-18 09:30",
        "slug: zzskx-b",
    ):
        assert line in front, line
    problems = _check(province)
    assert not problems.errors, [p.message_en for p in problems.errors]
    site = load_site(province / "content", province, Options(strict=True, now=NOW))
    assert site.articles["zzskx-b"].values["title"] == title
    assert site.articles["zzskx-b"].state == "draft"
    again = import_feed(str(feed), "zzskx", "jiceng", province, source="郑州市科协")
    assert again.created == [] and again.already == 3


def test_already_imported_items_are_matched_by_url_even_when_moved_or_read_from_atom(
    province: Path, tmp_path: Path
) -> None:
    feed = tmp_path / "feed.json"
    feed.write_bytes(json_feed_document(item("a")))
    (created,) = import_feed(str(feed), "zzskx", "jiceng", province).created
    moved = province / "content/articles/jiceng/elsewhere.md"
    created.rename(moved)
    # The same item with another id and a URL ending in index.html still counts as imported.
    other = item("a", id="tag:kx.zhengzhou.example,2020-07-18:/a", url=f"{CITY}/articles/2020/07/a/index.html")
    feed.write_bytes(json_feed_document(other))
    assert import_feed(str(feed), "zzskx", "jiceng", province).created == []


def test_slugs_stay_unique_and_entries_without_what_the_model_needs_are_skipped(province: Path, tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    twin = item("a", id=f"{CITY}/other/a/", url=f"{CITY}/other/a/")
    no_date = item("d")
    del no_date["date_published"]
    no_url = {"id": "plain-id", "title": "无网址", "content_html": "<p>x</p>", "date_published": "2020-07-18"}
    feed.write_bytes(json_feed_document(item("a"), twin, no_date, no_url))
    result = import_feed(str(feed), "zzskx", "jiceng", province)
    assert sorted(p.name for p in result.created) == ["2020-07-18-zzskx-a-2.md", "2020-07-18-zzskx-a.md"]
    assert len(result.skipped) == 2
    assert not _check(province).errors


def test_the_command_exits_1_on_a_bad_feed_and_2_on_an_unknown_department(
    province: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["--feed", str(bad), "--department", "zzskx", "--root", str(province)]) == EXIT_FEED
    err = capsys.readouterr().err
    assert err.startswith("JSON Feed 不是有效的 JSON") and "Traceback" not in err
    assert main(["--feed", str(bad), "--department", "nope", "--root", str(province)]) == EXIT_USAGE
    assert "报送单位“nope”" in capsys.readouterr().err
    assert main(["--feed", str(bad), "--department", "zzskx", "--section", "nope", "--root", str(province)]) == 2
    assert main(["--feed", "ftp://x.example/feed", "--department", "zzskx", "--root", str(province)]) == EXIT_FEED
    assert "http://" in capsys.readouterr().err
    assert not (province / "content/articles/jiceng").exists(), "a failed sync writes nothing"


def test_an_unreachable_or_silent_server_is_an_error_after_the_timeout(
    province: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A port with nothing listening
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{closed_port}/feed.json"
    assert main(["--feed", url, "--department", "zzskx", "--root", str(province)]) == EXIT_FEED
    assert "无法读取订阅源" in capsys.readouterr().err
    # A server that accepts the connection and never answers
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(server.accept()[0]), daemon=True)
    thread.start()
    try:
        port = server.getsockname()[1]
        code = main(
            [
                "--feed",
                f"http://127.0.0.1:{port}/feed.json",
                "--department",
                "zzskx",
                "--root",
                str(province),
                "--timeout",
                "0.5",
            ]
        )
        assert code == EXIT_FEED
        err = capsys.readouterr().err
        assert "无法读取订阅源" in err and "timed out" in err
    finally:
        thread.join(timeout=2)
        for connection in accepted:
            connection.close()
        server.close()


def test_a_good_run_reports_what_it_did(province: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "feed.json"
    feed.write_bytes(json_feed_document(item("a")))
    assert main(["--feed", str(feed), "--department", "zzskx", "--root", str(province)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "新导入 1 篇" in out and "Imported 1 new" in out
    text = next((province / "content/articles/jiceng/zzskx").glob("*.md")).read_text(encoding="utf-8")
    assert 'source: "郑州市科协"' in text, "来源 is the department's registered name"
