"""body.BodyRules: the raw-HTML allow-list, script URLs, images without alt, and the lines reported."""

from __future__ import annotations

import pytest

from content_model import Options, load_site
from content_model.body import BodyRules
from content_model.problems import Problems

from .conftest import NOW, assert_well_formed, jpeg_bytes, one

REL = "content/articles/a.md"
FIRST = 10  # the body's first line in its file


def scan(body: str, hosts: tuple[str, ...] = (), first_line: int = FIRST):
    problems = Problems()
    images = BodyRules(REL, problems, hosts).scan(body, first_line)
    return problems.items, images


def only(body: str, hosts: tuple[str, ...] = ()):
    items, _ = scan(body, hosts)
    assert len(items) == 1, [(p.code, p.line, p.message_en) for p in items]
    return items[0]


def test_a_plain_body_is_fine():
    items, images = scan(
        "第一段，**加粗**，[链接](https://www.hnast.example/)。\n\n"
        '<figure><img src="a.jpg" alt="照片"><figcaption>说明</figcaption></figure>\n\n'
        '<video controls src="/media/a.mp4" poster="p.jpg"></video>\n'
        "| 表头 | 表头 |\n|---|---|\n| a | b |\n"
    )
    assert items == []
    assert [i.src for i in images] == ["a.jpg"]


@pytest.mark.parametrize(
    "body", ["<script>alert(1)</script>\n", "<SCRIPT src=https://evil.example/x.js></SCRIPT>\n", "<script/>\n"]
)
def test_script_tag(body):
    problem = only(body)
    assert problem.code == "html-forbidden-tag"
    assert problem.field == "body"
    assert "script" in problem.message_zh and "<script>" in problem.message_en
    assert_well_formed(problem, REL)


@pytest.mark.parametrize("tag", ["object", "embed", "form", "style", "link", "meta", "base", "svg"])
def test_other_tags_outside_the_allow_list(tag):
    problem = only(f"<{tag}>x</{tag}>\n")
    assert problem.code == "html-forbidden-tag"


def test_iframe_not_in_iframe_hosts():
    problem = only('<iframe src="https://player.example.com/v/1"></iframe>\n')
    assert problem.code == "html-iframe-host"
    assert "player.example.com" in problem.message_en
    assert_well_formed(problem, REL)


def test_iframe_allowed_when_its_host_is_listed():
    items, _ = scan('<iframe src="https://player.example.com/v/1" width="640"></iframe>\n', ("player.example.com",))
    assert items == []


def test_iframe_from_another_host_than_the_listed_one():
    problem = only('<iframe src="https://evil.example/v/1"></iframe>\n', ("player.example.com",))
    assert problem.code == "html-iframe-host"
    assert "evil.example" in problem.message_en


def test_iframe_with_a_listed_host_as_a_subdomain_trick():
    problem = only('<iframe src="https://player.example.com.evil.example/v"></iframe>\n', ("player.example.com",))
    assert problem.code == "html-iframe-host"


def test_iframe_without_src():
    assert only("<iframe></iframe>\n").code == "html-iframe-host"


@pytest.mark.parametrize(
    "body",
    [
        '<p onclick="alert(1)">x</p>\n',
        '<img src="a.jpg" alt="照片" onerror="alert(1)">\n',
        '<a href="https://x.example" ONMOUSEOVER="alert(1)">x</a>\n',
        '<video controls onplay="alert(1)"></video>\n',
    ],
)
def test_event_handler_attributes(body):
    problem = only(body)
    assert problem.code == "html-event-attribute"
    assert problem.field == "body"
    assert_well_formed(problem, REL)


@pytest.mark.parametrize(
    "body",
    [
        "请点[这里](javascript:alert(1))报名。\n",
        "[x](JaVaScRiPt:alert(1))\n",
        "[x]( JaVaScRiPt :alert(1))\n",
        "[x][1]\n\n[1]: javascript:alert(1)\n",
        "[x](vbscript:msgbox(1))\n",
    ],
)
def test_script_urls_in_markdown_links(body):
    problem = only(body)
    assert problem.code == "html-script-url"
    assert problem.field == "body"
    assert_well_formed(problem, REL)


@pytest.mark.parametrize(
    "body",
    [
        '<a href="javascript:alert(1)">x</a>\n',
        '<a href=" JaVaScRiPt :alert(1)">x</a>\n',
        '<a href="java&#x09;script:alert(1)">x</a>\n',
        '<a href="&#106;avascript:alert(1)">x</a>\n',
        '<a href="javascript&#58;alert(1)">x</a>\n',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>\n',
        '<img src="javascript:alert(1)" alt="x">\n',
        '<video poster="javascript:alert(1)"></video>\n',
    ],
)
def test_script_urls_in_raw_html(body):
    problem = only(body)
    assert problem.code == "html-script-url"
    assert_well_formed(problem, REL)


@pytest.mark.parametrize(
    "body",
    [
        "[x](javascript&#58;alert(1))\n",
        "[x](JAVASCRIPT&colon;alert(1))\n",
        "[x][1]\n\n[1]: javascript&#58;alert(1)\n",
    ],
)
def test_script_urls_in_markdown_links_with_character_references(body):
    # Python-Markdown copies the reference into href="…", and the browser decodes &#58; to ":".
    problem = only(body)
    assert problem.code == "html-script-url"


def test_script_url_in_an_angle_bracket_link_target():
    items, _ = scan("[x](<javascript:alert(1)>)\n")
    assert "html-script-url" in [p.code for p in items]


def test_style_attribute():
    problem = only('<p style="color:red">x</p>\n')
    assert problem.code == "html-attribute"
    assert "style" in problem.message_zh and "style" in problem.message_en
    assert_well_formed(problem, REL)


def test_unknown_attribute():
    assert only('<span data-x="1">x</span>\n').code == "html-attribute"


def test_markdown_image_without_alt():
    items, images = scan("段落。\n\n![](photo.jpg)\n")
    [problem] = items
    assert problem.code == "image-alt-missing"
    assert problem.line == FIRST + 2
    assert "photo.jpg" in problem.message_zh
    assert_well_formed(problem, REL)
    assert [(i.src, i.alt, i.line) for i in images] == [("photo.jpg", "", FIRST + 2)]


def test_markdown_image_with_blank_alt():
    assert only("![   ](photo.jpg)\n").code == "image-alt-missing"


def test_raw_img_without_alt():
    items, images = scan('段落。\n<img src="p.jpg">\n<img src="q.jpg" alt="">\n')
    assert [(p.code, p.line) for p in items] == [("image-alt-missing", FIRST + 1), ("image-alt-missing", FIRST + 2)]
    assert [i.src for i in images] == ["p.jpg", "q.jpg"]


def test_images_with_alt_are_returned_with_their_lines():
    items, images = scan('![李明在实验室](li-ming.jpg "标题")\n\n<img src="/images/a.png" alt="图">\n')
    assert items == []
    assert sorted((i.line, i.src, i.alt) for i in images) == [
        (FIRST, "li-ming.jpg", "李明在实验室"),
        (FIRST + 2, "/images/a.png", "图"),
    ]


def test_remote_images_are_not_files_to_check():
    items, images = scan("![图](https://img.example.com/a.jpg)\n")
    assert [p.code for p in items] == ["html-remote-media"]  # an error of its own, never file-missing
    assert images == []


@pytest.mark.parametrize("fence", ["```", "~~~", "```html"])
def test_fenced_code_is_not_judged(fence):
    close = fence[:3]
    body = (
        f"示例代码：\n\n{fence}\n<script>alert(1)</script>\n<p onclick=x style=y>x</p>\n![](a.jpg)\n"
        f"[x](javascript:alert(1))\n<iframe src=https://evil.example></iframe>\n{close}\n\n结束。\n"
    )
    items, images = scan(body)
    assert items == []
    assert images == []


def test_inline_code_is_not_judged():
    items, _ = scan("不要写 `<script>`，也不要写 `[x](javascript:y)` 或 `<p onclick=x>`。\n")
    assert items == []


def test_indented_markdown_code_is_not_judged():
    items, _ = scan("示例：\n\n    [x](javascript:alert(1))\n    ![](a.jpg)\n\n结束。\n")
    assert items == []


def test_code_does_not_hide_what_follows_it():
    items, _ = scan("```\n<script>1</script>\n```\n\n<script>2</script>\n")
    assert [(p.code, p.line) for p in items] == [("html-forbidden-tag", FIRST + 4)]


def test_reported_lines():
    body = (
        "第一段。\n"  # FIRST
        "\n"  # +1
        "<script>alert(1)</script>\n"  # +2
        "\n"  # +3
        '<p\n  onclick="x()">多行标签</p>\n'  # +4, +5
        "[报名](javascript:go())\n"  # +6
        "![](a.jpg)\n"  # +7
        '<iframe src="https://evil.example/"></iframe>\n'  # +8
    )
    items, _ = scan(body)
    assert sorted((p.line, p.code) for p in items) == [
        (FIRST + 2, "html-forbidden-tag"),
        (FIRST + 4, "html-event-attribute"),
        (FIRST + 6, "html-script-url"),
        (FIRST + 7, "image-alt-missing"),
        (FIRST + 8, "html-iframe-host"),
    ]


def test_lines_through_load_site_count_the_front_matter(site):
    # lines 1-6 are the front matter of article_text; the body starts on line 7
    site.write("content/articles/a.jpg", jpeg_bytes())
    site.article("a", body="第一段。\n\n<script>x</script>\n\n![](a.jpg)\n")
    loaded = site.load()
    assert one(loaded, "html-forbidden-tag").line == 9
    assert one(loaded, "image-alt-missing").line == 11


def test_lines_through_load_site_with_crlf(site):
    text = (
        "---\r\ntitle: 标题\r\ndate: 2020-07-20\r\ndepartment: dyxcb\r\n"
        "review: {first: 甲, second: 乙, final: 丙}\r\n---\r\n\r\n<p onclick=x>y</p>\r\n"
    )
    site.write("content/articles/a.md", text)
    assert one(site.load(), "html-event-attribute").line == 8


def test_iframe_hosts_reach_the_body_rules_through_options(site):
    site.article("a", body='<iframe src="https://player.example.com/v/1"></iframe>\n')
    assert one(site.load(), "html-iframe-host").file == "content/articles/a.md"
    assert site.load(iframe_hosts=("player.example.com",)).problems.items == []


# What Markdown makes of the body decides what is live and what is code


@pytest.mark.parametrize(
    ("body", "code", "line"),
    [
        # a fence indented by one space is no fence for Markdown: the script between is live
        ("正文。\n\n ```\n<script>alert(1)</script>\n ```\n", "html-forbidden-tag", FIRST + 3),
        # four backticks open a fence only three cannot close: no fence at all
        ("正文。\n\n````\n<script>alert(2)</script>\n```\n", "html-forbidden-tag", FIRST + 3),
        # a code span inside a tag stays part of the tag
        ('正文 <span title="`" onmouseover="alert(3)" class="`">悬停</span> 结束。\n', "html-event-attribute", FIRST),
        # an attribute list sets the handler on the paragraph
        ('一段话。\n{: onmouseover="alert(4)" }\n', "html-event-attribute", FIRST + 1),
        ('一段话。\n{: title="x" }\n', "attr-list-attribute", FIRST + 1),
        # browsers end the comment at <!--> already
        ("正文。\n\n<!--><script>alert(5)</script>-->\n", "html-forbidden-tag", FIRST + 2),
        # inside a raw HTML block, backticks are no code
        ("<div>\n`<script>alert(6)</script>`\n</div>\n", "html-forbidden-tag", FIRST + 1),
        ("[x](ftp://files.example/a.doc)\n", "html-url-scheme", FIRST),
        ("![图](data:image/png;base64,AAAA)\n", "html-url-scheme", FIRST),
        ('<table><tr><td style="color:red">x</td></tr></table>\n', "html-attribute", FIRST),
    ],
)
def test_what_markdown_makes_live_is_reported_on_its_line(body, code, line):
    problem = only(body)
    assert (problem.code, problem.line) == (code, line)
    assert_well_formed(problem, REL)


@pytest.mark.parametrize(
    "body",
    [
        "正文。\n\n````\n<script>alert(1)</script>\n```\n````\n",
        "示例：\n\n    <script>alert(1)</script>\n    <p onclick=x>\n\n完。\n",
        "见 <https://www.example.com/a?b=1&c=2>。\n",
        "# 一级标题\n\n<h1>也可以</h1>\n",
        "| 左 | 右 |\n|:--|--:|\n| a | b |\n",
        "正文 &copy; 2020 &amp; 以后\n",
        "## 标题 {#biaoti}\n\n段落\n{: .lead }\n",
    ],
)
def test_what_markdown_shows_as_text_or_allows_is_fine(body):
    items, _ = scan(body)
    assert items == []


def test_a_reference_used_twice_is_reported_once_at_its_definition():
    items, _ = scan("[a][x] 和 [b][x]\n\n[x]: javascript:alert(1)\n")
    assert [(p.code, p.line) for p in items] == [("html-script-url", FIRST + 2)]


@pytest.mark.parametrize(
    ("html", "code"),
    [
        ('<iframe src="https://player.example.com/v" srcdoc="<b>x</b>"></iframe>\n', "html-attribute"),
        ('<iframe src="https://evil.example\\@player.example.com/v"></iframe>\n', "html-iframe-host"),
        ('<iframe src="javascript://player.example.com/%0aalert(1)"></iframe>\n', "html-iframe-host"),
    ],
)
def test_iframes_of_a_listed_host_take_safe_attributes_and_plain_addresses_only(html, code):
    assert only(html, ("player.example.com",)).code == code


def test_the_site_markdown_settings_are_the_ones_judged(site):
    # With Python-Markdown's own attribute lists, the handler is set: the rendered HTML still shows it.
    site.article("a", body='一段话。\n{: onclick="alert(1)" }\n')
    plain_extra = {"extensions": ["markdown.extensions.extra"], "output_format": "html5"}
    loaded = load_site(site.content, site.root, Options(strict=True, now=NOW, markdown=plain_extra))
    assert [(p.code, p.line) for p in loaded.problems.items] == [("html-event-attribute", 8)]


def test_a_body_with_no_sign_of_markup_is_not_converted(monkeypatch):
    import content_model.body as body_module

    def refuse(_settings):
        raise AssertionError("converted")

    monkeypatch.setattr(body_module, "body_markdown", refuse)
    items, _ = scan("第一段，**加粗**，[链接](/columns/a/)。\n\n![图](a.jpg)\n\n## 标题\n")
    assert items == []


def test_whatever_the_sanitiser_would_take_out_unnamed_is_still_an_error(monkeypatch):
    import content_model.sanitize as allow

    # Should the sanitiser ever remove what no rule here names, the check says so rather than pass.
    monkeypatch.setattr(allow, "sanitize", lambda html, hosts=(): html.replace("<b>", "").replace("</b>", ""))
    problem = only("第一段。\n\n<p>第二段 <b>加粗</b></p>\n")
    assert (problem.code, problem.line) == ("html-removed", FIRST + 2)
    assert_well_formed(problem, REL)


@pytest.mark.parametrize(
    "body",
    [
        "![照片](https://mmbiz.qpic.cn/a/640.jpg)\n",
        "![照片](//img.example/a.jpg)\n",
        '<img src="https://img.example/a.jpg" alt="照片">\n',
        '<video controls poster="https://img.example/p.jpg" src="v.mp4"></video>\n',
        '<video controls><source src="https://img.example/v.mp4"></video>\n',
        '<img src="a.jpg" srcset="a.jpg 1x, https://img.example/b.jpg 2x" alt="照片">\n',
    ],
)
def test_an_image_or_video_from_another_host_is_an_error(body):
    problem = only(body)
    assert problem.code == "html-remote-media"
    assert "img.example" in problem.message_en or "qpic.cn" in problem.message_en
    assert "其他网站" in problem.message_zh
    assert_well_formed(problem, REL)


def test_a_link_to_another_site_is_no_image():
    items, _ = scan("[原文](https://www.henandaily.example/a.html)\n")
    assert items == []


def test_an_image_or_link_inside_an_html_comment_is_not_used():
    body = "正文。\n\n<!--\n添加照片：![图片内容的描述](zhaopian.jpg)\n[x](javascript:alert(1))\n-->\n\n![](b.jpg)\n"
    items, images = scan(body)
    assert [(p.code, p.line) for p in items] == [("image-alt-missing", FIRST + 7)]
    assert [i.src for i in images] == ["b.jpg"]


def test_an_unclosed_comment_hides_nothing():
    _, images = scan("<!-- 未写完的注释\n![照片](a.jpg)\n")
    assert [i.src for i in images] == ["a.jpg"]


def test_the_placeholder_alt_is_a_warning_in_a_draft_and_an_error_once_published(site):
    site.write("content/articles/a/a.jpg", jpeg_bytes())
    site.write("content/articles/b/b.jpg", jpeg_bytes())
    site.article("a/index", body="正文。\n\n![请填写图片说明](a.jpg)\n", status="draft")
    site.article("b/index", body="正文。\n\n![请填写图片说明](b.jpg)\n")
    loaded = site.load()
    found = sorted((p.file, p.line, p.level) for p in loaded.problems.items if p.code == "image-alt-placeholder")
    assert found == [
        ("content/articles/a/index.md", 10, "warning"),
        ("content/articles/b/index.md", 9, "error"),
    ]
