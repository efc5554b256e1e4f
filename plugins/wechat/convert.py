"""An article's HTML made ready to paste into the WeChat editor: inline styles only, outside links as notes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urlparse

import css_inline
from bs4 import BeautifulSoup, Comment, Tag
from markupsafe import escape

from feeds import absolute_html

STYLESHEET = Path(__file__).with_name("wechat.css")
TITLE_LIMIT = 32  # characters the WeChat editor accepts in a title
BODY_LIMIT = 20_000  # characters it accepts in a body
# The WeChat editor keeps links only to other official-account articles; every other link becomes a note.
WECHAT_HOSTS = frozenset({"mp.weixin.qq.com"})
# Removed with everything inside: they run code, embed other pages, or mean nothing once pasted.
DROPPED = (
    "script",
    "style",
    "link",
    "meta",
    "iframe",
    "frame",
    "object",
    "embed",
    "noscript",
    "template",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "canvas",
    "svg",
    "math",
)
# The attributes that survive; the look comes from the inlined stylesheet alone.
KEPT_ATTRIBUTES = {
    "a": ("href",),
    "img": ("src", "alt"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan"),
    "ol": ("start",),
}
MEDIA_NAMES = {"video": "视频", "audio": "音频"}


@dataclass
class WechatCopy:
    """The pasteable body and what the editor needs to know about it."""

    title: str
    body: str
    notes: list[tuple[str, str]] = field(default_factory=list)
    title_chars: int = 0
    body_chars: int = 0
    warnings: list[str] = field(default_factory=list)


class _Notes:
    """Numbered notes, one per distinct address, in the order the body first links to them."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, str]] = []
        self.numbers: dict[str, int] = {}

    def number(self, label: str, url: str) -> int:
        if url not in self.numbers:
            self.entries.append((label, url))
            self.numbers[url] = len(self.entries)
        return self.numbers[url]


def _media_to_link(soup: BeautifulSoup, tag: Tag) -> Tag | None:
    """WeChat takes no outside <video> or <audio>: the file is offered as a link (then a note) instead."""
    source = tag.get("src") or next((s.get("src") for s in tag.find_all("source") if s.get("src")), None)
    if not source:
        tag.decompose()
        return None
    paragraph = soup.new_tag("p")
    link = soup.new_tag("a", href=str(source))
    link.string = MEDIA_NAMES[tag.name]
    paragraph.append(link)
    tag.replace_with(paragraph)
    return link


def _link_to_note(soup: BeautifulSoup, link: Tag, notes: _Notes) -> None:
    href = str(link.get("href") or "").strip()
    if "footnote-backref" in (link.get("class") or []):
        link.decompose()  # the ↩ of a footnote points back into a page that the paste does not have
        return
    if not href or href.startswith("#"):
        link.unwrap()
        return
    if (urlparse(href).hostname or "") in WECHAT_HOSTS:
        return
    text = link.get_text(" ", strip=True)
    number = notes.number("" if text == href else text, href)
    marker = soup.new_tag("sup", attrs={"class": "wx-ref"})
    marker.string = f"[{number}]"
    link.insert_after(marker)
    link.unwrap()


def _clean_tag(soup: BeautifulSoup, tag: Tag, notes: _Notes) -> None:
    name = tag.name
    if name in DROPPED or name in ("source", "track"):
        tag.decompose()
    elif name == "picture":
        image = tag.find("img")
        if image is None:
            tag.decompose()
        else:
            tag.replace_with(image.extract())
    elif name in MEDIA_NAMES:
        link = _media_to_link(soup, tag)
        if link is not None:
            _link_to_note(soup, link, notes)
    elif name == "a":
        _link_to_note(soup, tag, notes)
    elif name == "h1":
        tag.name = "h2"  # the title is entered in its own field; the body starts below it


def clean_body(html: str, page_url: str, notes: _Notes) -> str:
    """The article's body HTML with absolute images, no code, no ids or classes, and links turned into notes."""
    soup = BeautifulSoup(absolute_html(html, page_url), "html.parser")
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    # One walk in document order: a dropped element takes its descendants with it, so they are passed over.
    for tag in soup.find_all(True):
        if not tag.decomposed and tag.parent is not None:
            _clean_tag(soup, tag, notes)
    for tag in soup.find_all(True):
        kept = KEPT_ATTRIBUTES.get(tag.name, ())
        classes = tag.get("class") if tag.name == "sup" else None
        tag.attrs = {name: value for name, value in tag.attrs.items() if name in kept}
        if classes == ["wx-ref"]:
            tag["class"] = "wx-ref"  # ours, for the stylesheet; removed once the styles are inline
        if tag.name == "img":
            tag["alt"] = tag.get("alt") or ""
    return str(soup)


def _paragraph(css_class: str, text: str) -> str:
    return f'<p class="{css_class}">{escape(text)}</p>'


def _notes_html(notes: list[tuple[str, str]]) -> str:
    if not notes:
        return ""
    lines = [
        _paragraph("wx-note", f"[{number}] {label}：{url}" if label else f"[{number}] {url}")
        for number, (label, url) in enumerate(notes, start=1)
    ]
    return '<section class="wx-notes"><p class="wx-notes-title">注释</p>' + "".join(lines) + "</section>"


# A start tag as css-inline writes it: every attribute value in double quotes (a `>` may sit inside one).
_START_TAG = re.compile(r'<[a-zA-Z][^\s/>]*(?:\s+[^\s"\'=/>]+(?:="[^"]*")?)*\s*/?>')
_TAG_NAME = re.compile(r"<[^\s/>]+")
_ATTRIBUTE = re.compile(r'\s+([^\s"\'=/>]+)(?:="[^"]*")?')


def _without_markup_attributes(tag: re.Match[str]) -> str:
    text = tag.group(0)
    name_end = _TAG_NAME.match(text).end()  # type: ignore[union-attr]
    kept, end = [text[:name_end]], name_end
    # Attributes follow one another; matching them in order never looks inside a quoted value.
    for attribute in _ATTRIBUTE.finditer(text, name_end):
        name = attribute.group(1).lower()
        if not (name in ("class", "id") or name.startswith(("data-", "on"))):
            kept.append(attribute.group(0))
        end = attribute.end()
    kept.append(text[end:])
    return "".join(kept)


def inline_styles(html: str, css: str) -> str:
    """Every rule of the stylesheet moved into style attributes, then every class and id removed.

    css-inline serialises well-formed HTML with quoted attributes, so the attributes are dropped from its start
    tags directly: a second parse of every article cost as much as the rest of the conversion."""
    inliner = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False, keep_link_tags=False)
    inlined = inliner.inline_fragment(html, css)
    return _START_TAG.sub(_without_markup_attributes, inlined)


_TAG = re.compile(r"<[^>]*>")


def text_length(html: str) -> int:
    """Characters a reader sees, without white space: what the editor counts against its limit.

    Our own serialised HTML has no comments or scripts left, so stripping tags is exact and far cheaper
    than a third parse of every article."""
    return len("".join(unescape(_TAG.sub("", html)).split()))


def limit_warnings(title_chars: int, body_chars: int) -> list[str]:
    warnings = []
    if title_chars > TITLE_LIMIT:
        warnings.append(
            f"标题共 {title_chars} 字，超过公众号 {TITLE_LIMIT} 字的上限，请在公众号后台缩短标题。"
            f" The title has {title_chars} characters; WeChat allows {TITLE_LIMIT}: shorten it in the editor."
        )
    if body_chars > BODY_LIMIT:
        warnings.append(
            f"正文共 {body_chars} 字，超过公众号 {BODY_LIMIT} 字的上限，请分篇发布或删减。"
            f" The body has {body_chars} characters; WeChat allows {BODY_LIMIT}: split or shorten it."
        )
    return warnings


def wechat_copy(
    title: str,
    content_html: str,
    page_url: str,
    *,
    before: list[str] | None = None,
    after: list[str] | None = None,
    attachments: list[tuple[str, str]] | None = None,
    css: str | None = None,
) -> WechatCopy:
    """The WeChat-ready copy of one article.

    `before` and `after` are plain-text lines around the body (source and authors; the editor in charge);
    `attachments` are (title, absolute URL) pairs, offered as notes like any other outside link.
    """
    notes = _Notes()
    body = clean_body(content_html, page_url, notes)
    parts = ['<section class="wx">']
    parts += [_paragraph("wx-meta", line) for line in before or []]
    parts.append(f'<section class="wx-body">{body}</section>')
    if attachments:
        items = "".join(
            f'<p class="wx-attachment">{escape(name)}<sup class="wx-ref">[{notes.number(name, url)}]</sup></p>'
            for name, url in attachments
        )
        parts.append(f'<section class="wx-attachments"><p class="wx-attachments-title">附件</p>{items}</section>')
    parts += [_paragraph("wx-after", line) for line in after or []]
    parts.append(_notes_html(notes.entries))
    parts.append("</section>")
    html = inline_styles("".join(parts), css if css is not None else STYLESHEET.read_text(encoding="utf-8"))
    copy = WechatCopy(title=title, body=html, notes=notes.entries, title_chars=len(title), body_chars=text_length(html))
    copy.warnings = limit_warnings(copy.title_chars, copy.body_chars)
    return copy


def has_markup_left(html: str) -> list[str]:
    """What a pasted body must not carry (for tests and a last check): classes, ids, scripts, style blocks."""
    soup = BeautifulSoup(html, "html.parser")
    found = [tag.name for tag in soup.find_all(("script", "style"))]
    found += [f"{tag.name}[{name}]" for tag in soup.find_all(True) for name in tag.attrs if name in ("class", "id")]
    found += ["comment" for text in soup.find_all(string=True) if isinstance(text, Comment)]
    return found
