"""Rules for a Markdown body: the raw-HTML allow-list, script URLs, and the images and links it uses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlparse

from .problems import Problems

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "source",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "track",
        "u",
        "ul",
        "video",
    ]
)
ALLOWED_ATTRIBUTES = frozenset(
    [
        "alt",
        "title",
        "href",
        "src",
        "width",
        "height",
        "colspan",
        "rowspan",
        "scope",
        "controls",
        "poster",
        "preload",
        "muted",
        "loop",
        "playsinline",
        "type",
        "kind",
        "srclang",
        "label",
        "datetime",
        "lang",
        "start",
        "reversed",
        "cite",
        "id",
        "class",
        "align",
    ]
)
_URL_ATTRIBUTES = ("href", "src", "poster", "cite")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
_FENCE = re.compile(r"^(\s*)(```|~~~)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_MD_LINK_TARGET = re.compile(r"\]\(\s*<?(?P<src>[^)>]+)")
_MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<src>\S+?)>?(\s|$)")
_SPACES = re.compile(r"[\s\x00-\x1f]+")


@dataclass(frozen=True)
class LinkUse:
    """A link the body makes to a place inside the site, with the line it is on."""

    url: str
    line: int


@dataclass(frozen=True)
class ImageUse:
    """An image the body shows, with the line it is on."""

    src: str
    alt: str
    line: int


def _blank_code(body: str) -> list[str]:
    """The body's lines with code blocks and inline code blanked, so examples in code are not judged."""
    lines = body.split("\n")
    out = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence:
            if match and match.group(2) == fence:
                fence = None
            out.append("")
            continue
        if match:
            fence = match.group(2)
            out.append("")
            continue
        if line.startswith("    ") and not line.strip().startswith(("<", "-", "*", "|")):
            out.append("")
            continue
        out.append(_INLINE_CODE.sub("", line))
    return out


def _script_scheme(url: str) -> str | None:
    # Markdown passes entities through to the href, where the browser decodes them: judge the decoded form.
    compact = _SPACES.sub("", unescape(url)).lower()
    for scheme in _SCRIPT_SCHEMES:
        if compact.startswith(scheme):
            return scheme
    return None


class _TagScanner(HTMLParser):
    def __init__(self, rules: BodyRules, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.first_line = first_line

    def _line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.rules.tag(tag, dict(attrs), self._line())

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


class BodyRules:
    """Scans one body once, recording problems and the images it uses."""

    def __init__(self, rel: str, problems: Problems, iframe_hosts: tuple[str, ...] = ()) -> None:
        self.rel = rel
        self.problems = problems
        self.iframe_hosts = iframe_hosts
        self.images: list[ImageUse] = []
        self.links: list[LinkUse] = []

    def scan(self, body: str, first_line: int) -> list[ImageUse]:
        lines = _blank_code(body)
        scanner = _TagScanner(self, first_line)
        scanner.feed("\n".join(lines))
        scanner.close()
        for offset, line in enumerate(lines):
            number = first_line + offset
            for match in _MD_IMAGE.finditer(line):
                self._image(match.group("src"), match.group("alt").strip(), number)
            for match in _MD_LINK_TARGET.finditer(_MD_IMAGE.sub("", line)):
                self._url(match.group("src"), number, "")
            match = _MD_REFERENCE.match(line)
            if match:
                self._url(match.group("src"), number, "")
        return self.images

    def _image(self, src: str, alt: str, line: int) -> None:
        scheme = _script_scheme(src)
        if scheme:
            self.problems.add("html-script-url", self.rel, line, "body", value=scheme)
            return
        if not alt:
            self.problems.add("image-alt-missing", self.rel, line, "body", value=src)
        if not urlparse(src).scheme:
            self.images.append(ImageUse(src, alt, line))

    def _url(self, url: str, line: int, field: str, *, link: bool = True) -> None:
        scheme = _script_scheme(url)
        if scheme:
            self.problems.add("html-script-url", self.rel, line, field or "body", value=scheme)
            return
        parts = unescape(url).split()
        target = parts[0] if parts else ""  # a Markdown link may carry a "title" after the address
        if link and target and not target.startswith(("#", "//")) and not urlparse(target).scheme:
            self.links.append(LinkUse(target.split("#", 1)[0], line))

    def tag(self, tag: str, attrs: dict[str, str | None], line: int) -> None:
        if tag == "iframe":
            host = urlparse(attrs.get("src") or "").hostname or ""
            if host not in self.iframe_hosts:
                self.problems.add("html-iframe-host", self.rel, line, "body", value=host or "?")
                return
        elif tag not in ALLOWED_TAGS:
            self.problems.add("html-forbidden-tag", self.rel, line, "body", value=tag)
            return
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.add("html-event-attribute", self.rel, line, "body", value=name)
            elif name == "style" or (name not in ALLOWED_ATTRIBUTES and tag != "iframe"):
                self.problems.add("html-attribute", self.rel, line, "body", tag=tag, value=name)
            elif name in _URL_ATTRIBUTES and value and not (tag == "img" and name == "src"):
                self._url(value, line, "body", link=(tag == "a" and name == "href"))
        if tag == "img":
            src = attrs.get("src") or ""
            self._image(src, (attrs.get("alt") or "").strip(), line)
