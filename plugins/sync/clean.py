"""A feed item's HTML reduced to the allow-list the content checker accepts, one block per line for Markdown."""

from __future__ import annotations

from urllib.parse import urlparse

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.formatter import HTMLFormatter

from content_model.sanitize import restricted

# Kept as they are (a subset of content_model.sanitize.TAGS, the body's allow-list).
BLOCKS = frozenset(["p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "figure", "pre", "hr", "dl"])
INSIDE = frozenset(
    ["li", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figcaption", "dt", "dd", "code", "br", "img"]
)
INLINE = frozenset(
    ["a", "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "q", "cite", "kbd"]
)
ALLOWED = BLOCKS | INSIDE | INLINE
RENAMED = {"h1": "h2", "strike": "s"}
MEDIA_NAMES = {"video": "视频", "audio": "音频"}
# Removed with their contents besides the sanitiser's own (code, embedded pages): forms mean nothing in an article.
DROPPED = frozenset(["form", "button", "canvas", "head"])
# What the sanitiser lets through: the allowed tags, those renamed after it, and media, which become links.
PASSED = ALLOWED | frozenset(RENAMED) | frozenset(MEDIA_NAMES) | {"source"}
ATTRIBUTES = {
    "a": frozenset(["href", "title"]),
    "img": frozenset(["src", "alt", "title"]),
    "th": frozenset(["colspan", "rowspan", "scope"]),
    "td": frozenset(["colspan", "rowspan"]),
    "ol": frozenset(["start"]),
    "abbr": frozenset(["title"]),
    "video": frozenset(["src"]),
    "audio": frozenset(["src"]),
    "source": frozenset(["src"]),
}


class _Formatter(HTMLFormatter):
    """Escapes what Markdown or the checker would read as syntax inside text: [ (links, images), ` and ~ (code)."""

    def substitute(self, ns: str) -> str:  # type: ignore[override]
        text = super().substitute(ns)
        return text.replace("[", "&#91;").replace("`", "&#96;").replace("~", "&#126;")


FORMATTER = _Formatter(entity_substitution=HTMLFormatter.REGISTRY["minimal"].entity_substitution)


def _media_link(soup: BeautifulSoup, tag: Tag) -> None:
    """Outside video and audio are not embedded here (only self-hosted <video>): a link to the file instead."""
    source = tag.get("src") or next((s.get("src") for s in tag.find_all("source") if s.get("src")), None)
    if not source or urlparse(str(source)).scheme not in ("http", "https"):
        tag.decompose()
        return
    link = soup.new_tag("a", href=str(source))
    link.string = MEDIA_NAMES[tag.name]
    paragraph = soup.new_tag("p")
    paragraph.append(link)
    tag.replace_with(paragraph)


def _shape_tags(soup: BeautifulSoup, alt: str) -> None:
    """What the sanitiser leaves, shaped for an article: headings renamed, media as links, every image with alt."""
    for tag in soup.find_all(tuple(MEDIA_NAMES)):
        _media_link(soup, tag)
    for tag in soup.find_all("source"):
        tag.decompose()
    for tag in soup.find_all(True):
        tag.name = RENAMED.get(tag.name, tag.name)
        if tag.name == "a" and not tag.get("href"):
            tag.unwrap()  # its address was not allowed: the text stays
        elif tag.name == "img":
            if urlparse(str(tag.get("src") or "")).scheme not in ("http", "https"):
                tag.decompose()
                continue
            # The checker requires alt text on every image; the feed may not give one.
            tag["alt"] = " ".join(str(tag.get("alt") or "").split()) or alt


def _is_empty(tag: Tag) -> bool:
    return tag.name not in ("hr", "img", "br") and not tag.get_text(strip=True) and not tag.find(("img", "hr"))


def _blocks(soup: BeautifulSoup) -> list[Tag]:
    """Top-level blocks: loose text and inline tags gathered into paragraphs."""
    blocks: list[Tag] = []
    loose: list[NavigableString | Tag] = []

    def flush() -> None:
        if any((node.strip() if isinstance(node, NavigableString) else True) for node in loose):
            paragraph = soup.new_tag("p")
            for node in loose:
                paragraph.append(node)
            blocks.append(paragraph)
        loose.clear()

    for node in list(soup.children):
        node.extract()
        if isinstance(node, Tag) and node.name in BLOCKS:
            flush()
            blocks.append(node)
        elif isinstance(node, Tag) and node.name in INSIDE - {"br", "img", "code"}:
            flush()  # a stray <li> or <td> outside its list or table: keep its content as a paragraph
            node.name = "p"
            node.attrs = {}
            blocks.append(node)
        elif isinstance(node, Tag) and node.name == "br":
            flush()
        else:
            loose.append(node)
    flush()
    return [b for b in blocks if not _is_empty(b)]


def _one_line(block: Tag) -> str:
    """A block on one line: Markdown ends a raw HTML block at a blank line, and reads indented lines as code."""
    html = block.decode(formatter=FORMATTER)
    if block.name == "pre":
        return html.replace("\r", "")
    return " ".join(html.split())


def sanitise(html: str, base_url: str, alt: str) -> str:
    """Limited HTML the checker accepts: allowed tags and attributes only, absolute http(s) links and images."""
    soup = BeautifulSoup(restricted(html or "", PASSED, ATTRIBUTES, base_url, DROPPED), "html.parser")
    _shape_tags(soup, alt)
    return "\n\n".join(_one_line(block) for block in _blocks(soup))
