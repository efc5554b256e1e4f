"""Rules for a Markdown body: raw HTML by the sanitiser's allow-list, script URLs, and the images and links it uses.

A body that may carry markup is judged twice. Its lines as written give each finding its line. The HTML that
Markdown makes of it, parsed as a browser parses it, decides what is live and what is only code: a finding the
lines missed is added at the line that names it, and one that Markdown shows as text is dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlparse

from markdown.extensions.fenced_code import FencedBlockPreprocessor

from . import sanitize as allow
from .dialect import body_markdown, refused_attributes
from .problems import Problems

# Python-Markdown's own pattern: a fence is code only where Markdown reads one (at the line's start, closed by
# the same fence), so a one-space indent or an unclosed four-backtick fence is no code.
_FENCED_BLOCK = FencedBlockPreprocessor.FENCED_BLOCK_RE
_INDENTED_CODE = "    "
_INLINE_CODE = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)")
# A raw inline tag as Markdown finds it; code spans inside one stay part of the tag, so they are live.
_RAW_TAG = re.compile(r"</?[a-zA-Z][^<>@ ]*(?: [^<>]*)?>")
_PLACEHOLDER = re.compile("\x02(\\d+)\x03")
_MD_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_MD_LINK_TARGET = re.compile(r"\]\(\s*<?(?P<src>[^)>]+)")
_MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<src>\S+?)>?(\s|$)")
# Without one of these, Markdown can make no raw HTML, attribute or script address of a body: the lines say all.
_MAY_CARRY_MARKUP = re.compile(r"[<{&]|script:|data:", re.IGNORECASE)
_IGNORED = re.compile(r"[\s\x00-\x1f]+")
# An HTML comment shows nothing: an image or link written inside one (a hint, or a photo left out) is not used.
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

# A finding: a message code and its parameters (`value`, and `tag` for html-attribute), before it has a line.
Finding = tuple[str, tuple[tuple[str, str], ...]]
FINDING_CODES = (
    "html-forbidden-tag",
    "html-event-attribute",
    "html-attribute",
    "html-script-url",
    "html-url-scheme",
    "html-iframe-host",
    "attr-list-attribute",
    "html-removed",
    "html-remote-media",
)


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


def url_finding(url: str) -> Finding | None:
    """What is wrong with an address in the body: a script URL, or a scheme outside the allow-list."""
    scheme = allow.url_scheme(url)
    if scheme is None or scheme in allow.URL_SCHEMES:
        return None
    compact = _IGNORED.sub("", unescape(url)).lower()
    if scheme in allow.SCRIPT_SCHEMES and not compact.startswith("data:image/"):
        return "html-script-url", (("value", f"{scheme}:"),)
    return "html-url-scheme", (("value", f"{scheme}:"),)


def judge_tag(tag: str, attrs: list[tuple[str, str | None]], iframe_hosts: tuple[str, ...]) -> list[Finding]:
    """What the sanitiser would take from one element, by the allow-list it uses."""
    allowed = allow.ATTRIBUTES
    if tag == "iframe":
        src = next((value for name, value in attrs if name == "src"), None) or ""
        host = allow.iframe_host(src)
        if host is None or host not in {h.lower() for h in iframe_hosts}:
            shown = host or urlparse(unescape(src).strip()).hostname or "?"
            return [("html-iframe-host", (("value", shown),))]
        allowed = allow.ATTRIBUTES | allow.IFRAME_ATTRIBUTES
    elif tag not in allow.TAGS:
        return [("html-forbidden-tag", (("value", tag),))]
    findings: list[Finding] = []
    restricted = allow.ATTRIBUTE_VALUES.get(tag, {})
    for name, value in attrs:
        if name.startswith("on"):
            findings.append(("html-event-attribute", (("value", name),)))
        elif name in restricted and value in restricted[name]:
            continue
        elif name not in allowed:
            findings.append(("html-attribute", (("tag", tag), ("value", name))))
        elif name in allow.URL_ATTRIBUTES and value and not (tag == "iframe" and name == "src"):
            urls = allow.srcset_urls(value) if name == "srcset" else [value]
            findings += [found for found in map(url_finding, urls) if found]
            if tag in allow.MEDIA_TAGS and name in allow.MEDIA_ATTRIBUTES:
                findings += [("html-remote-media", (("value", url),)) for url in urls if allow.is_remote(url)]
    return findings


def _code_lines(text: str) -> set[int]:
    """Indexes of the lines Markdown reads as code: fenced blocks, and indented blocks after a blank line."""
    code: set[int] = set()
    for match in _FENCED_BLOCK.finditer(text):
        first = text.count("\n", 0, match.start())
        code.update(range(first, first + match.group(0).count("\n") + 1))
    lines = text.split("\n")
    block_is_code = False
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        after_blank = index == 0 or not lines[index - 1].strip()
        if after_blank:
            block_is_code = line.startswith(_INDENTED_CODE) and not line.strip().startswith(("<", "-", "*", "|"))
        if block_is_code and line.startswith(_INDENTED_CODE):
            code.add(index)
    return code


def _without_inline_code(line: str) -> str:
    """The line with its code spans blanked, except inside a raw tag, where Markdown leaves them live."""
    spans: list[str] = []

    def hold(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\x02{len(spans) - 1}\x03"

    held = _INLINE_CODE.sub(hold, line)
    if not spans:
        return line

    def restore(match: re.Match[str]) -> str:
        return spans[int(match.group(1))]

    parts = []
    end = 0
    for tag in _RAW_TAG.finditer(held):
        parts.append(_PLACEHOLDER.sub("", held[end : tag.start()]))
        parts.append(_PLACEHOLDER.sub(restore, tag.group(0)))
        end = tag.end()
    parts.append(_PLACEHOLDER.sub("", held[end:]))
    return "".join(parts)


def _without_comments(lines: list[str]) -> list[str]:
    """The lines with every closed HTML comment blanked, line breaks kept so that line numbers stay right."""
    text = "\n".join(lines)
    if "<!--" not in text:
        return lines
    return _HTML_COMMENT.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text).split("\n")


class _TagScanner(HTMLParser):
    # Elements whose content a browser reads as text, not tags (HTMLParser knows only script and style).
    CDATA_CONTENT_ELEMENTS = (
        "script",
        "style",
        "noscript",
        "iframe",
        "noembed",
        "noframes",
        "xmp",
        "textarea",
        "title",
    )

    def __init__(self, on_tag: Any, first_line: int = 1) -> None:
        super().__init__(convert_charrefs=True)
        self.on_tag = on_tag
        self.first_line = first_line

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.on_tag(tag, attrs, self.first_line + self.getpos()[0] - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _needles(finding: Finding) -> list[re.Pattern[str]]:
    """Patterns of the source text a finding comes from, most telling first."""
    code, params = finding
    value = dict(params).get("value", "")
    if code == "html-forbidden-tag":
        return [re.compile(rf"<\s*{re.escape(value)}(?![\w-])", re.IGNORECASE)]
    if code == "html-iframe-host":
        return [re.compile(r"<\s*iframe(?![\w-])", re.IGNORECASE)]
    if code == "html-removed":
        return [re.compile("<")]
    if code in ("html-script-url", "html-url-scheme"):
        name = value.rstrip(":")
        return [re.compile(re.escape(name), re.IGNORECASE), re.compile(r"&#|&colon;", re.IGNORECASE)]
    return [
        re.compile(rf"\{{[^}}\n]*(?<![\w-]){re.escape(value)}(?![\w-])", re.IGNORECASE),
        re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])", re.IGNORECASE),
    ]


class BodyRules:
    """Scans one body once, recording problems and the images it uses."""

    def __init__(
        self,
        rel: str,
        problems: Problems,
        iframe_hosts: tuple[str, ...] = (),
        markdown: dict[str, Any] | None = None,
    ) -> None:
        self.rel = rel
        self.problems = problems
        self.iframe_hosts = iframe_hosts
        self.markdown = markdown
        self.images: list[ImageUse] = []
        self.links: list[LinkUse] = []
        self._found: list[tuple[Finding, int]] = []  # markup findings of the lines as written

    def scan(self, body: str, first_line: int) -> list[ImageUse]:
        text = body.replace("\r\n", "\n").expandtabs(4)
        code = _code_lines(text)
        lines = ["" if index in code else _without_inline_code(line) for index, line in enumerate(text.split("\n"))]
        lines = _without_comments(lines)
        scanner = _TagScanner(self.tag, first_line)
        scanner.feed("\n".join(lines))
        scanner.close()
        for offset, line in enumerate(lines):
            number = first_line + offset
            for match in _MD_IMAGE.finditer(line):
                self._image(match.group("src"), match.group("alt").strip(), number)
            for match in _MD_LINK_TARGET.finditer(_MD_IMAGE.sub("", line)):
                self._url(match.group("src"), number)
            match = _MD_REFERENCE.match(line)
            if match:
                self._url(match.group("src"), number)
        found = self._found
        if _MAY_CARRY_MARKUP.search(body):
            found = self._as_rendered(body, text.split("\n"), code, first_line)
        for (problem, params), line in sorted(found, key=lambda pair: pair[1]):
            self.problems.add(problem, self.rel, line, "body", **dict(params))
        return self.images

    def _as_rendered(self, body: str, lines: list[str], code: set[int], first_line: int) -> list[tuple[Finding, int]]:
        """The findings of the lines, checked against the HTML Markdown makes: what is live, and where it is."""
        md = body_markdown(self.markdown)
        html = md.reset().convert(body)
        live: list[Finding] = []
        for name in refused_attributes(md):
            live.append(
                ("html-event-attribute", (("value", name),))
                if name.lower().startswith("on")
                else ("attr-list-attribute", (("value", name),))
            )
        # Judged as a browser parses it: the parse the sanitiser makes, written out plainly.
        parsed = allow.normalise(html)
        _TagScanner(lambda tag, attrs, _line: live.extend(judge_tag(tag, attrs, self.iframe_hosts))).feed(parsed)
        if not live and allow.sanitize(html, self.iframe_hosts) != parsed:
            live.append(("html-removed", ()))  # the sanitiser would take out what these rules do not name
        wanted = Counter(live)
        kept = [(finding, line) for finding, line in self._found if wanted[finding]]
        missing = wanted - Counter(finding for finding, _line in kept)
        used = {(finding, line - first_line) for finding, line in kept}
        for finding, count in missing.items():
            for _ in range(count):
                line = self._line_of(finding, lines, code, used)
                if (finding, line) in used:
                    continue  # the same finding on the same line once is enough (a reference used twice)
                used.add((finding, line))
                kept.append((finding, first_line + line))
        return kept

    @staticmethod
    def _line_of(finding: Finding, lines: list[str], code: set[int], used: set[tuple[Finding, int]]) -> int:
        """The first line not yet named for this finding, outside code if it can be, that names what it is about.

        When every line that names it is taken, the first of them; with none, the body's first line."""
        order = [i for i in range(len(lines)) if i not in code] + sorted(code)
        for needle in _needles(finding):
            matching = [index for index in order if needle.search(lines[index])]
            if matching:
                return next((index for index in matching if (finding, index) not in used), matching[0])
        return 0

    def _image(self, src: str, alt: str, line: int) -> None:
        found = url_finding(src) or (("html-remote-media", (("value", src),)) if allow.is_remote(src) else None)
        if found:
            self._found.append((found, line))
            return
        if not alt:
            self.problems.add("image-alt-missing", self.rel, line, "body", value=src)
        if not urlparse(src).scheme:
            self.images.append(ImageUse(src, alt, line))

    def _url(self, url: str, line: int, *, link: bool = True) -> None:
        found = url_finding(url)
        if found:
            self._found.append((found, line))
            return
        parts = unescape(url).split()
        target = parts[0] if parts else ""  # a Markdown link may carry a "title" after the address
        if link and target and not target.startswith(("#", "//")) and not urlparse(target).scheme:
            self.links.append(LinkUse(target.split("#", 1)[0], line))

    def tag(self, tag: str, attrs: list[tuple[str, str | None]], line: int) -> None:
        findings = judge_tag(tag, attrs, self.iframe_hosts)
        self._found += [(finding, line) for finding in findings]
        if any(code == "html-forbidden-tag" or code == "html-iframe-host" for code, _ in findings):
            return
        if tag == "a":
            href = next((value for name, value in attrs if name == "href"), None)
            if href and not url_finding(href):
                self._url(href, line)
        if tag == "img":
            src = next((value for name, value in attrs if name == "src"), None) or ""
            if src and not url_finding(src) and not allow.is_remote(src):  # judge_tag named what is wrong with it
                self._image(src, (next((v for n, v in attrs if n == "alt"), None) or "").strip(), line)
