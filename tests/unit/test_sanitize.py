"""content_model.sanitize and .dialect: the allow-list keeps what bodies need and nothing a browser would run."""

from __future__ import annotations

from importlib import metadata
from types import SimpleNamespace

import pytest

from content_model import sanitize as allow
from content_model.cache import TextCache, fingerprint
from content_model.dialect import DEFAULT_SETTINGS, body_markdown, refused_attributes
from content_model.sanitize import normalise, restricted, sanitize
from tests.markup import live_script

PLAYER = "player.example.com"

RICH_MARKDOWN = """\
# 一级标题

## 二级标题 {#erji .lead}

段落，**加粗**、*斜体*、`代码`、[站内](/columns/a/)、[相对](../b/)、[外站](https://www.example.com/a?b=1&c=2 "标题")、
[邮件](mailto:xuanchuan@hnast.example)、[电话](tel:0371-65951234)、[锚点](#erji)、<https://auto.example/>。

![照片](photo.jpg "说明")

> 引用[^1]

- 一
- 二

1. 甲
2. 乙

| 左 | 中 | 右 |
|:---|:--:|---:|
| 1 | 2 | 3 |

术语
:   释义

*[HTML]: Hyper Text Markup Language

HTML 缩写。

```python
print("<script>")
```

---

[^1]: 注释。
"""

# What the image pipeline and contributors' allowed HTML put in a body.
PIPELINE_AND_RAW = (
    '<figure><picture><source type="image/webp" srcset="a-480.webp 480w, a-960.webp 960w" sizes="100vw">'
    '<img src="a-960.jpg" srcset="a-480.jpg 480w, a-960.jpg 960w" sizes="100vw" class="wide" width="960" '
    'height="640" alt="照片" title="说明" id="p1" loading="lazy" decoding="async" fetchpriority="high"></picture>'
    "<figcaption>说明</figcaption></figure>"
    '<video controls="" preload="metadata" poster="poster.jpg" width="640" muted="" playsinline="">'
    '<source src="clip.mp4" type="video/mp4"><track kind="captions" src="clip.vtt" srclang="zh" label="中文">'
    "</video>"
    '<table><caption>表</caption><thead><tr><th scope="col" colspan="2">头</th></tr></thead>'
    '<tbody><tr><td rowspan="2" align="center">格</td></tr></tbody></table>'
    '<p><time datetime="2020-07-20">7月20日</time><abbr title="缩写">缩</abbr><q cite="https://x.example/">引</q>'
    "<mark>标</mark><kbd>K</kbd><sub>1</sub><sup>2</sup><small>小</small><s>删</s><u>下</u><ins>增</ins><del>删</del>"
    '<br></p><ol start="3" reversed=""><li>三</li></ol>'
    '<details><summary>更多</summary><div class="x">内</div></details>'
)


def test_everything_markdown_makes_of_a_rich_body_is_kept():
    html = body_markdown(None).reset().convert(RICH_MARKDOWN)
    assert sanitize(html) == normalise(html)
    assert '<h2 class="lead" id="erji">' in sanitize(html)
    assert 'style="text-align: center;"' in sanitize(html)
    assert 'class="footnote-ref"' in sanitize(html)
    assert live_script(sanitize(html)) == []


def test_the_image_pipeline_and_allowed_raw_html_are_kept():
    assert sanitize(PIPELINE_AND_RAW) == normalise(PIPELINE_AND_RAW)
    assert sanitize(PIPELINE_AND_RAW) == PIPELINE_AND_RAW


def test_sanitising_twice_changes_nothing():
    html = sanitize(body_markdown(None).reset().convert(RICH_MARKDOWN) + PIPELINE_AND_RAW)
    assert sanitize(html) == html


def test_links_get_no_rel_since_no_target_is_allowed():
    assert sanitize('<a href="https://x.example/" target="_blank" rel="opener">x</a>') == (
        '<a href="https://x.example/">x</a>'
    )


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="x.png" alt="" onerror="alert(1)">',
    "<img/src=x.png/onerror=alert(1)>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<details open ontoggle="alert(1)">x</details>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;&#97;vascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="">',
    '<img src="a.png" srcset="javascript:alert(1) 1x, b.png 2x" alt="">',
    '<blockquote cite="javascript:alert(1)">x</blockquote>',
    '<video poster="javascript:alert(1)"></video>',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<style>*{background:url("javascript:alert(1)")}</style>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="import" href="https://evil.example/x.html">',
    "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[><script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<template><script>alert(1)</script></template>",
    "<xmp><script>alert(1)</script></xmp>",
    '<p><a href="#" onclick="alert(1)">x</a></p>',
    "</div></article><script>alert(1)</script>",
]


@pytest.mark.parametrize("html", HOSTILE)
def test_nothing_that_runs_is_left(html):
    assert live_script(sanitize(html)) == []


@pytest.mark.parametrize("html", HOSTILE)
def test_nothing_that_runs_is_left_with_iframe_hosts_set(html):
    assert live_script(sanitize(html, (PLAYER,)), iframe_hosts=(PLAYER,)) == []


def test_iframes_are_dropped_whole_by_default():
    assert sanitize(f'<p>前</p><iframe src="https://{PLAYER}/v/1">备用文字</iframe><p>后</p>') == "<p>前</p><p>后</p>"


@pytest.mark.parametrize(
    "src",
    [
        f"https://{PLAYER}/v/1",
        f"//{PLAYER}/player.html?aid=1&amp;page=1",
        f"https://{PLAYER.upper()}/v/1",
        f"http://{PLAYER}:8080/v",
    ],
)
def test_an_iframe_from_a_listed_host_keeps_its_safe_attributes(src):
    html = (
        f'<iframe src="{src}" width="640" height="360" title="视频" allowfullscreen="" frameborder="0" '
        'srcdoc="<b>x</b>" onload="alert(1)" sandbox="allow-scripts" style="x" name="n"></iframe>'
    )
    cleaned = sanitize(html, (PLAYER,))
    assert cleaned.startswith("<iframe src=")
    for kept in ('width="640"', 'height="360"', 'title="视频"', 'allowfullscreen=""', 'frameborder="0"'):
        assert kept in cleaned
    for gone in ("srcdoc", "onload", "sandbox", "style", "name="):
        assert gone not in cleaned


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/v/1",
        f"https://{PLAYER}.evil.example/v",
        f"https://evil.example\\@{PLAYER}/v",
        f"https://user@{PLAYER}/v",
        f"javascript://{PLAYER}/%0aalert(1)",
        f"data:text/html,{PLAYER}",
        "/local/page.html",
        "",
    ],
)
def test_an_iframe_from_any_other_address_is_dropped(src):
    assert sanitize(f'<p>x</p><iframe src="{src}"></iframe>', (PLAYER,)) == "<p>x</p>"


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://www.example.com/a", True),
        ("http://www.example.com/a", True),
        ("mailto:a@b.example", True),
        ("tel:0371-65951234", True),
        ("/columns/a/", True),
        ("../b/", True),
        ("#erji", True),
        ("?page=2", True),
        ("//cdn.example/x", True),
        ("ftp://files.example/a", False),
        ("file:///C:/a.doc", False),
        ("weixin://dl/x", False),
        ("data:image/png;base64,AAAA", False),
    ],
)
def test_addresses_by_scheme(url, kept):
    assert ('href="' in sanitize(f'<a href="{url}">x</a>')) is kept
    assert allow.url_allowed(url) is kept


def test_the_version_follows_the_allow_list_and_iframe_hosts():
    assert allow.version() == allow.version(())
    assert allow.version((PLAYER,)) != allow.version()
    assert allow.version((PLAYER, "b.example")) == allow.version(("b.example", PLAYER))


def test_markdown_cache_keys_hold_the_sanitiser_version(monkeypatch, tmp_path):
    from publishing import model_state, reader

    monkeypatch.setattr(model_state, "current", lambda: SimpleNamespace(cache_folder=tmp_path))
    monkeypatch.setattr(reader, "_markdown_caches", {})
    settings = {"MARKDOWN": DEFAULT_SETTINGS, "IFRAME_HOSTS": []}
    plain = reader.markdown_cache(settings).table
    reader._markdown_caches.clear()
    assert reader.markdown_cache({**settings, "IFRAME_HOSTS": [PLAYER]}).table != plain
    reader._markdown_caches.clear()
    monkeypatch.setattr(allow, "version", lambda hosts=(): "another allow-list")
    assert reader.markdown_cache(settings).table != plain
    # Bodies stored before they were sanitised were keyed on Markdown and its settings alone: never found again.
    before = fingerprint(metadata.version("markdown"), repr(sorted(settings["MARKDOWN"].items())))
    assert TextCache(tmp_path, "markdown", before).table != plain


def test_imported_html_is_cut_to_the_given_tags_with_absolute_addresses():
    html = (
        '<div><p class="x" onclick="y">文 <a href="../b/">相对</a> <a href="javascript:x">坏</a>'
        '<img src="/a.jpg" onerror="x"></p><script>alert(1)</script><form>表单</form></div>'
    )
    tags = frozenset(["p", "a", "img"])
    attributes = {"a": frozenset(["href"]), "img": frozenset(["src"])}
    base = "https://kx.zz.example/articles/2020/07/a/"
    cleaned = restricted(html, tags, attributes, base, frozenset(["form"]))
    assert cleaned == (
        '<p>文 <a href="https://kx.zz.example/articles/2020/07/b/">相对</a> <a>坏</a>'
        '<img src="https://kx.zz.example/a.jpg"></p>'
    )
    assert restricted('<a href="../b/">x</a>', tags, attributes, "") == "<a>x</a>"


# The dialect: attribute lists


@pytest.mark.parametrize(
    ("source", "html", "refused"),
    [
        ("段落\n{: .lead #intro }\n", '<p class="lead" id="intro">段落</p>', []),
        ("## 标题 {#biaoti}\n", '<h2 id="biaoti">标题</h2>', []),
        ('段落\n{: class="a" id="b" }\n', '<p class="a" id="b">段落</p>', []),
        ('段落\n{: onmouseover="alert(1)" }\n', "<p>段落</p>", ["onmouseover"]),
        ('段落\n{: style="color:red" title=x data-a=1 .ok }\n', '<p class="ok">段落</p>', ["style", "title", "data-a"]),
        ("*强调*{: onclick=x }\n", "<p><em>强调</em></p>", ["onclick"]),
    ],
)
def test_attribute_lists_set_class_and_id_only(source, html, refused):
    md = body_markdown(None)
    assert md.reset().convert(source) == html
    assert refused_attributes(md) == refused


def test_a_fence_takes_no_attributes_but_its_language():
    md = body_markdown(None)
    assert md.reset().convert('```{ .python onclick="x" }\nprint(1)\n```\n') == (
        '<pre><code class="language-python">print(1)\n</code></pre>'
    )


def test_the_site_settings_use_the_dialect():
    import pelicanconf

    assert pelicanconf.MARKDOWN["extensions"] == DEFAULT_SETTINGS["extensions"]
    assert "markdown.extensions.extra" not in pelicanconf.MARKDOWN["extensions"]


@pytest.mark.parametrize(
    ("html", "gone"),
    [
        ('<p><img src="https://img.example/a.jpg" alt="图"></p>', "img.example"),
        ('<p><img src="//img.example/a.jpg" alt="图"></p>', "img.example"),
        ('<p><img src="\\\\img.example\\a.jpg" alt="图"></p>', "img.example"),
        ('<p><img src="h&#x09;ttps://img.example/a.jpg" alt="图"></p>', "img.example"),
        ('<video controls poster="https://img.example/p.jpg"><source src="https://img.example/v.mp4"></video>', "img"),
        ('<p><img src="a.jpg" srcset="a.jpg 1x, https://img.example/b.jpg 2x" alt="图"></p>', "img.example"),
    ],
)
def test_images_and_video_from_another_host_lose_their_address(html, gone):
    cleaned = sanitize(html)
    assert gone not in cleaned, cleaned
    assert "<p>" in cleaned or "<video" in cleaned


def test_own_images_and_links_to_other_sites_stay():
    html = '<p><img src="a.jpg" alt="图"> <a href="https://img.example/x.html">原文</a></p>'
    assert sanitize(html) == html
