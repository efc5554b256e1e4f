"""Unit tests of the WeChat copy: every style inline, nothing the editor refuses, outside links as notes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

import reuse
import wechat
from wechat.convert import BODY_LIMIT, TITLE_LIMIT, has_markup_left, inline_styles, wechat_copy

PAGE = "https://www.hnast.example/articles/2020/07/a/"

BODY = """
<p id="p1" class="lead" style="color:red" onclick="alert(1)" data-x="1">开头，见<a href="https://other.example/report">报告</a>。</p>
<h1>一级标题</h1>
<h2 id="toc-1">小标题</h2>
<p>站内<a href="../../../../columns/zuimei/">专栏</a>，公众号<a href="https://mp.weixin.qq.com/s/abc">旧文</a>，
再见<a href="https://other.example/report">报告</a>。</p>
<picture><source type="image/webp" srcset="photo-480w.webp 480w"><img src="photo-960w.jpg"
 srcset="photo-480w.jpg 480w, photo-960w.jpg 960w" sizes="100vw" alt="现场照片" class="prose__img"
 loading="lazy"></picture>
<script>alert(1)</script><style>p{color:red}</style><iframe src="https://x.example/"></iframe>
<video controls src="clip.mp4"></video>
<table class="t"><tr><th>项目</th><td colspan="2">数量</td></tr></table>
<p>脚注<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup></p>
<div class="footnote"><ol><li id="fn:1"><p>注文<a class="footnote-backref" href="#fnref:1">&#8617;</a></p></li>
</ol></div>
<!-- a comment -->
"""


def _copy(**kwargs):
    return wechat_copy(
        "全省科协系统宣传工作推进会召开",
        BODY,
        PAGE,
        before=["来源：河南省科协　作者：张华"],
        after=["责任编辑：刘洋"],
        attachments=[("宣传工作要点", "https://www.hnast.example/articles/2020/07/a/yaodian.pdf")],
        **kwargs,
    )


def test_no_class_id_script_or_style_remains() -> None:
    copy = _copy()
    assert has_markup_left(copy.body) == []
    soup = BeautifulSoup(copy.body, "html.parser")
    assert not soup.find_all(("script", "style", "iframe", "picture", "source", "video", "link"))
    for tag in soup.find_all(True):
        assert not [name for name in tag.attrs if name.startswith(("on", "data-")) or name in ("class", "id")], tag
    assert "a comment" not in copy.body


def test_every_element_the_stylesheet_styles_has_its_style_inline() -> None:
    soup = BeautifulSoup(_copy().body, "html.parser")
    outer = soup.find("section")
    assert "font-size: 16px" in outer["style"] and "line-height: 1.8" in outer["style"]
    assert all("margin" in p["style"] for p in soup.find_all("p"))
    assert all("color: #1d4f91" in h["style"] for h in soup.find_all("h2"))
    assert all("max-width: 100%" in img["style"] for img in soup.find_all("img"))
    assert all("border" in cell["style"] for cell in soup.find_all(("td", "th")))
    assert not soup.find("h1"), "the title is entered in its own field; a body heading starts at h2"


def test_outside_links_become_numbered_notes_and_wechat_links_stay() -> None:
    copy = _copy()
    soup = BeautifulSoup(copy.body, "html.parser")
    assert [a["href"] for a in soup.find_all("a")] == ["https://mp.weixin.qq.com/s/abc"]
    assert copy.notes == [
        ("报告", "https://other.example/report"),
        ("专栏", "https://www.hnast.example/columns/zuimei/"),
        ("视频", "https://www.hnast.example/articles/2020/07/a/clip.mp4"),
        ("宣传工作要点", "https://www.hnast.example/articles/2020/07/a/yaodian.pdf"),
    ]
    text = soup.get_text()
    assert "见报告[1]" in text and "再见报告[1]" in text, "the same address keeps its number"
    assert "[1] 报告：https://other.example/report" in text
    assert "[4] 宣传工作要点：https://www.hnast.example/articles/2020/07/a/yaodian.pdf" in text
    assert "↩" not in text and "脚注1" in text


def test_images_have_absolute_urls_and_keep_their_alt_text() -> None:
    images = BeautifulSoup(_copy().body, "html.parser").find_all("img")
    assert [(i["src"], i["alt"]) for i in images] == [(f"{PAGE}photo-960w.jpg", "现场照片")]
    assert not images[0].get("srcset") and not images[0].get("loading")


def test_lines_around_the_body_are_escaped_plain_text() -> None:
    copy = wechat_copy("t", "<p>x</p>", PAGE, before=["来源：<b>&</b>"], after=[])
    assert "来源：&lt;b&gt;&amp;&lt;/b&gt;" in copy.body


def test_warnings_for_a_long_title_or_body_and_none_otherwise() -> None:
    assert _copy().warnings == []
    long_title = "关" * (TITLE_LIMIT + 1)
    copy = wechat_copy(long_title, "<p>正文</p>", PAGE)
    assert copy.title_chars == TITLE_LIMIT + 1
    assert len(copy.warnings) == 1 and "标题" in copy.warnings[0] and str(TITLE_LIMIT) in copy.warnings[0]
    exactly = wechat_copy("关" * TITLE_LIMIT, "<p>正文</p>", PAGE)
    assert exactly.warnings == []
    long_body = wechat_copy("标题", "<p>" + "字" * (BODY_LIMIT + 1) + "</p>", PAGE)
    assert long_body.body_chars > BODY_LIMIT
    assert len(long_body.warnings) == 1 and "正文" in long_body.warnings[0] and "20000" in long_body.warnings[0]


def test_inlining_drops_markup_attributes_but_never_text_inside_values() -> None:
    html = (
        '<section class="wx" id="top"><p data-x="1" onclick="go()">见 class="q" 一文</p>'
        '<img src="a.jpg" alt="图 onload > id=" class="k"></section>'
    )
    out = inline_styles(html, ".wx { color: red }")
    assert out == (
        '<section style="color: red;"><p>见 class="q" 一文</p><img src="a.jpg" alt="图 onload > id="></section>'
    )


def test_a_page_from_the_cache_equals_a_fresh_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    article = SimpleNamespace(
        title="全省科协系统宣传工作推进会召开",
        slug="a",
        url="articles/2020/07/a/",
        content=BODY,
        summary="摘要",
        date=datetime.datetime(2020, 7, 20, 10, 0),
        item=SimpleNamespace(values={"source": "河南省科协", "authors": ["张华"], "editor": "刘洋"}),
    )
    template = tmp_path / "templates" / "wechat.html"
    template.parent.mkdir()
    template.write_text("{{ wechat.title }}|{{ SITENAME }}|{{ wechat.body | safe }}", encoding="utf-8")
    options = json.dumps({"autoescape": True})

    def page(sitename: str = "河南省科协") -> str:
        root, css = "https://www.hnast.example", "p { color: #333; }"
        return wechat.copy_page(article, root, css, sitename, (str(template), "t1", options))

    reuse.output_cache(None, "wechat_page", "v1")  # no cache: made every time
    fresh = page()
    assert fresh.startswith("全省科协系统宣传工作推进会召开|河南省科协|") and "报告" in fresh
    reuse.output_cache(tmp_path, "wechat_page", "v1")
    assert page() == fresh
    reuse.store_all()

    def not_again(*args, **kwargs):
        raise AssertionError("made again")

    monkeypatch.setattr(wechat, "wechat_copy", not_again)
    reuse.output_cache(tmp_path, "wechat_page", "v1")
    assert page() == fresh
    article.content = BODY.replace("开头", "开场")  # another body is another page
    with pytest.raises(AssertionError, match="made again"):
        page()
    article.content = BODY
    assert page() == fresh
    with pytest.raises(AssertionError, match="made again"):
        page("科协")  # and so is another site name
