"""A feed item's HTML reduced to the allow-list the content checker accepts, one block per line for Markdown."""

from __future__ import annotations

from urllib.parse import urljoin, urlparse

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.formatter import HTMLFormatter

# Kept as they are (a subset of content_model.body.ALLOWED_TAGS: nothing here can carry code).
BLOCKS = frozenset(["p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "figure", "pre", "hr", "dl"])
INSIDE = frozenset(
    ["li", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "figcaption", "dt", "dd", "code", "br", "img"]
)
INLINE = frozenset(
    ["a", "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr", "q", "cite", "kbd"]
)
ALLOWED = BLOCKS | INSIDE | INLINE
RENAMED = {"h1": "h2", "strike": "s"}
# Removed with their contents: code, embedded pages and forms mean nothing (or harm) in an article.
DROPPED = (
    "script",
    "style",
    "link",
    "meta",
    "iframe",
    "frame",
    "frameset",
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
    "head",
    "title",
)
ATTRIBUTES = {
    "a": ("href", "title"),
    "img": ("src", "alt", "title"),
    "th": ("colspan", "rowspan", "scope"),
    "td": ("colspan", "rowspan"),
    "ol": ("start",),
    "abbr": ("title",),
}
LINK_SCHEMES = ("http", "https", "mailto")
MEDIA_NAMES = {"video": "视频", "audio": "音频"}


class _Formatter(HTMLFormatter):
    """Escapes what Markdown or the checker would read as syntax inside text: [ (links, images), ` and ~ (code)."""

    def substitute(self, ns: str) -> str:  # type: ignore[override]
        text = super().substitute(ns)
        return text.replace("[", "&#91;").replace("`", "&#96;").replace("~", "&#126;")


FORMATTER = _Formatter(entity_substitution=HTMLFormatter.REGISTRY["minimal"].entity_substitution)


def _url(value: str, base: str, schemes: tuple[str, ...]) -> str | None:
    url = urljoin(base, value.strip())
    return url if urlparse(url).scheme in schemes else None


def _media_link(soup: BeautifulSoup, tag: Tag, base: str) -> None:
    """Outside video and audio are not embedded here (only self-hosted <video>): a link to the file instead."""
    source = tag.get("src") or next((s.get("src") for s in tag.find_all("source") if s.get("src")), None)
    url = _url(str(source), base, ("http", "https")) if source else None
    if url is None:
        tag.decompose()
        return
    link = soup.new_tag("a", href=url)
    link.string = MEDIA_NAMES[tag.name]
    paragraph = soup.new_tag("p")
    paragraph.append(link)
    tag.replace_with(paragraph)


def _clean_tags(soup: BeautifulSoup, base: str, alt: str) -> None:
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for tag in soup.find_all(("video", "audio")):
        _media_link(soup, tag, base)
    for tag in soup.find_all(True):
        tag.name = RENAMED.get(tag.name, tag.name)
        if tag.name not in ALLOWED:
            tag.unwrap()  # div, span, section, font …: their text stays, the wrapper goes
            continue
        kept = ATTRIBUTES.get(tag.name, ())
        tag.attrs = {name: value for name, value in tag.attrs.items() if name in kept and isinstance(value, str)}
        if tag.name == "a":
            url = _url(tag.get("href", ""), base, LINK_SCHEMES) if tag.get("href") else None
            if url is None:
                tag.unwrap()
            else:
                tag["href"] = url
        elif tag.name == "img":
            url = _url(tag.get("src", ""), base, ("http", "https")) if tag.get("src") else None
            if url is None:
                tag.decompose()
                continue
            tag["src"] = url
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
    soup = BeautifulSoup(html or "", "html.parser")
    _clean_tags(soup, base_url, alt)
    return "\n\n".join(_one_line(block) for block in _blocks(soup))
