"""The one allow-list of body HTML: the content check judges raw HTML by it, and nh3 enforces it on what renders."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from importlib import metadata
from pathlib import Path

import nh3

from .cache import fingerprint

# What a body may show. Besides what contributors write, this is what Python-Markdown's `extra` makes (h1 from
# `#`, footnotes, tables, abbreviations, definition lists, code) and what the image pipeline writes (<picture>).
TAGS = frozenset(
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
        "h1",
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
        "picture",
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
# Allowed on any of those tags. None of them runs script; URLs among them are judged by URL_SCHEMES.
ATTRIBUTES = frozenset(
    [
        "alt",
        "title",
        "href",
        "src",
        "srcset",
        "sizes",
        "media",
        "width",
        "height",
        "loading",
        "decoding",
        "fetchpriority",
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
# Python-Markdown's tables align a column with a style attribute: these exact values, and no other style.
_ALIGNED = frozenset(f"text-align: {side};" for side in ("left", "center", "right"))
ATTRIBUTE_VALUES = {"th": {"style": _ALIGNED}, "td": {"style": _ALIGNED}}
# An iframe from a host in IFRAME_HOSTS may carry these (never srcdoc, which is a page of its own).
IFRAME_ATTRIBUTES = frozenset(
    ["src", "width", "height", "title", "allowfullscreen", "frameborder", "scrolling", "loading", "referrerpolicy"]
)
URL_ATTRIBUTES = frozenset(["href", "src", "poster", "cite", "srcset"])
# What a page loads by itself, rather than on a reader's click: it must come from this site (iframes from
# IFRAME_HOSTS aside), since readers in mainland China cannot reach many hosts and each one would see them.
MEDIA_TAGS = frozenset(["img", "video", "audio", "source", "track"])
MEDIA_ATTRIBUTES = frozenset(["src", "srcset", "poster"])
# Addresses with no scheme (relative to the page or the site) are allowed too.
URL_SCHEMES = frozenset(["http", "https", "mailto", "tel"])
# Schemes a browser runs as script. Images in data: URLs are refused too: every image goes through the pipeline.
SCRIPT_SCHEMES = ("javascript", "vbscript", "data")
# Removed with everything inside them: their content is code, another document, or means nothing as text.
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "object",
        "applet",
        "embed",
        "frame",
        "frameset",
        "noembed",
        "noframes",
        "xmp",
        "plaintext",
        "title",
        "textarea",
        "select",
        "svg",
        "math",
    ]
)

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
# What a browser ignores in an address: C0 controls and spaces around it, tabs and line breaks inside it.
_IGNORED = re.compile(r"[\s\x00-\x1f]+")
# In nh3's output every attribute is quoted and no `>` is left inside one; an iframe's text cannot hold its end tag.
_FRAME_WITHOUT_ADDRESS = re.compile(r'<iframe(?![^>]*\ssrc=")[^>]*>.*?</iframe>', re.DOTALL)
_IFRAME_SRC = re.compile(r"^(?:https?:)?//(?P<host>[a-z0-9.-]+)(?::\d+)?(?:[/?#][^\s\\@]*)?$", re.IGNORECASE)


def url_scheme(url: str) -> str | None:
    """The scheme of an address as a browser reads it (character references decoded), or None when relative."""
    match = _SCHEME.match(_IGNORED.sub("", unescape(url)).lower())
    return match.group(1) if match else None


def srcset_urls(value: str) -> list[str]:
    """The addresses of a srcset: each candidate is an address, then an optional width or density."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]


def iframe_host(src: str) -> str | None:
    """The host an iframe's address loads from; None unless it is a plain http(s) address a browser reads alike."""
    match = _IFRAME_SRC.match(unescape(src).strip())
    return match.group("host").lower() if match else None


class Sanitizer:
    """Cleans rendered body HTML by the allow-list; one per set of IFRAME_HOSTS."""

    def __init__(self, iframe_hosts: tuple[str, ...] = ()) -> None:
        self.iframe_hosts = frozenset(host.lower() for host in iframe_hosts)
        tags = set(TAGS)
        dropped = set(DROPPED_WITH_CONTENT)
        attributes: dict[str, set[str]] = {"*": set(ATTRIBUTES)}
        if self.iframe_hosts:
            tags.add("iframe")
            attributes["iframe"] = set(IFRAME_ATTRIBUTES)
        else:
            dropped.add("iframe")
        self._cleaner = nh3.Cleaner(
            tags=tags,
            clean_content_tags=dropped,
            attributes=attributes,
            tag_attribute_values={
                tag: {name: set(values) for name, values in v.items()} for tag, v in ATTRIBUTE_VALUES.items()
            },
            attribute_filter=self._attribute,
            url_schemes=set(URL_SCHEMES),
            # No target attribute is allowed, so no link can reach back into the page: rel would only add bytes.
            link_rel=None,
            strip_comments=True,
        )

    def _attribute(self, tag: str, name: str, value: str) -> str | None:
        # nh3 has judged href and src by URL_SCHEMES already; srcset and cite are ours to judge.
        if tag in MEDIA_TAGS and name in MEDIA_ATTRIBUTES:
            return value if media_allowed(value, srcset=name == "srcset") else None
        if name == "srcset":
            return value if all(url_allowed(url) for url in srcset_urls(value)) else None
        if name == "cite":
            return value if url_allowed(value) else None
        if tag == "iframe" and name == "src":
            return value if iframe_host(value) in self.iframe_hosts else None
        return value

    def clean(self, html: str) -> str:
        cleaned = self._cleaner.clean(html)
        if self.iframe_hosts and "<iframe" in cleaned:
            # An iframe whose address was refused would still draw an empty frame: it goes whole.
            cleaned = _FRAME_WITHOUT_ADDRESS.sub("", cleaned)
        return cleaned


def restricted(
    html: str,
    tags: frozenset[str],
    attributes: dict[str, frozenset[str]],
    base_url: str,
    dropped: frozenset[str] = frozenset(),
) -> str:
    """HTML from elsewhere (a sub-site's feed) cut down to `tags` and `attributes`, by the same sanitiser.

    Addresses become absolute from `base_url` (relative ones are dropped when it is not an http(s) address) and
    keep only the http, https and mailto schemes. DROPPED_WITH_CONTENT and `dropped` go with their content.
    """
    absolute = url_scheme(base_url) in ("http", "https")
    cleaner = nh3.Cleaner(
        tags=set(tags),
        clean_content_tags=set(DROPPED_WITH_CONTENT | {"iframe"} | dropped) - tags,
        attributes={tag: set(names) for tag, names in attributes.items()},
        url_schemes={"http", "https", "mailto"},
        url_relative=("rewrite_with_base", base_url) if absolute else "deny",
        link_rel=None,
        strip_comments=True,
    )
    return cleaner.clean(html)


def is_remote(url: str) -> bool:
    """Whether an address leads to another host: an http(s) address, or one that starts with // (or \\\\)."""
    # A browser drops tabs and newlines inside an address and reads a backslash as a slash.
    plain = _IGNORED.sub("", unescape(url)).replace("\\", "/")
    return plain.startswith("//") or url_scheme(plain) in ("http", "https")


def media_allowed(value: str, srcset: bool = False) -> bool:
    """A media address the page may load by itself: this site's, never another host's."""
    urls = srcset_urls(value) if srcset else [value]
    return all(url_allowed(url) and not is_remote(url) for url in urls)


def url_allowed(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in URL_SCHEMES


@lru_cache(maxsize=8)
def sanitizer(iframe_hosts: tuple[str, ...] = ()) -> Sanitizer:
    return Sanitizer(iframe_hosts)


def sanitize(html: str, iframe_hosts: tuple[str, ...] = ()) -> str:
    """Body HTML with everything outside the allow-list removed: no script, handler, foreign frame or script URL."""
    return sanitizer(tuple(iframe_hosts)).clean(html)


# Every element a browser knows, for `normalise`: a page parsed as a browser would, nothing taken out.
_EVERY_TAG = (
    TAGS
    | DROPPED_WITH_CONTENT
    | nh3.ALLOWED_TAGS
    | frozenset(
        [
            "address",
            "article",
            "aside",
            "audio",
            "base",
            "body",
            "button",
            "canvas",
            "data",
            "datalist",
            "dialog",
            "fieldset",
            "footer",
            "form",
            "head",
            "header",
            "hgroup",
            "html",
            "iframe",
            "input",
            "keygen",
            "label",
            "legend",
            "link",
            "main",
            "map",
            "menu",
            "meta",
            "meter",
            "nav",
            "optgroup",
            "option",
            "output",
            "param",
            "progress",
            "rb",
            "rp",
            "rt",
            "rtc",
            "search",
            "section",
            "slot",
            "wbr",
            "area",
            "basefont",
            "bgsound",
            "blink",
            "center",
            "dir",
            "font",
            "image",
            "isindex",
            "listing",
            "marquee",
            "multicol",
            "nextid",
            "nobr",
            "spacer",
            "strike",
            "tt",
        ]
    )
)
_EVERY_SCHEME = URL_SCHEMES | nh3.ALLOWED_URL_SCHEMES | frozenset(SCRIPT_SCHEMES) | frozenset(["file", "livescript"])


@lru_cache(maxsize=1)
def _normaliser() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(_EVERY_TAG),
        clean_content_tags=set(),
        generic_attribute_prefixes={""},  # every attribute
        url_schemes=set(_EVERY_SCHEME),
        link_rel=None,
        strip_comments=True,
    )


def normalise(html: str) -> str:
    """HTML as a browser parses it, written out plainly, with only comments removed: what the check judges.

    It is the parse the sanitiser makes, so a trick that misleads a simpler parser (`<!-->` and the like) shows
    here as the element it really is.
    """
    return _normaliser().clean(html)


def version(iframe_hosts: tuple[str, ...] = ()) -> str:
    """Everything sanitised HTML depends on besides its input: for the keys of caches that keep it."""
    return fingerprint(Path(__file__).read_bytes(), metadata.version("nh3"), repr(sorted(iframe_hosts)))
