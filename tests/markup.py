"""Finds what a browser would run in HTML: script elements, handlers, script URLs, frames, forms and the like."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any
from urllib.parse import urlparse

from bs4 import BeautifulSoup, Comment
from lxml import etree

# Elements that run code, load another document or send a form, wherever they are.
ACTIVE = ("iframe", "frame", "frameset", "object", "embed", "applet", "form", "base", "svg", "math", "portal")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "srcset", "cite", "background", "xlink:href")
_IGNORED = re.compile(r"[\s\x00-\x1f]+")
# The theme's own scripts: files it ships, and JSON-LD.
THEME_SCRIPT = re.compile(r"(^|/)(theme/js/[a-z-]+\.js|wechat/copy\.js)$")


def _script_url(value: str) -> bool:
    candidates = [c.strip().split(" ")[0] for c in value.split(",")] if "," in value else [value]
    for candidate in candidates:
        compact = _IGNORED.sub("", unescape(candidate)).lower()
        if compact.startswith(("javascript:", "vbscript:", "data:", "livescript:")):
            return True
    return False


def _theme_element(tag: Any) -> bool:
    """The theme's own search form, and the charts the statistics pages draw (their scripts are checked apart)."""
    if tag.name == "form":
        return (tag.get("action") or "").rstrip("/").endswith("search") and tag.get("method") == "get"
    return tag.name == "svg"


def _markup_in_attributes(tag: Any) -> bool:
    return any("<" in str(value) for inner in tag.find_all(True) for value in inner.attrs.values())


def live_script(html: str, *, iframe_hosts: tuple[str, ...] = (), page: bool = False) -> list[str]:
    """What in `html` a browser would run or load as a page of its own; empty when nothing.

    `page`: a whole page of the site, whose own scripts (theme files, JSON-LD) are allowed; a fragment may
    have none.
    """
    # html5lib is not among our packages; lxml's parser reads <!--> and friends as a browser does for what
    # is checked here, and the sanitiser's own parse is tested in its unit tests.
    soup = BeautifulSoup(html, "lxml")
    found: list[str] = []
    for script in soup.find_all("script"):
        src = script.get("src") or ""
        if page and src and THEME_SCRIPT.search(urlparse(src).path) and not script.string:
            continue
        if page and script.get("type") == "application/ld+json" and not src:
            try:
                json.loads(script.string or "")
                continue
            except ValueError:
                pass
        found.append(f"<script> {str(script)[:80]}")
    for tag in soup.find_all(True):
        host = urlparse(tag.get("src") or "").hostname or ""
        if tag.name == "iframe" and host in iframe_hosts and not tag.get("srcdoc"):
            continue
        if tag.name in ACTIVE and not (page and _theme_element(tag)):
            found.append(f"<{tag.name}>")
        if tag.name == "noscript" and (not page or _markup_in_attributes(tag)):
            # A browser that runs script reads its inside as text, up to the first </noscript>, even one in an
            # attribute: what follows that is live. A page's own note is plain markup.
            found.append("<noscript>")
        if tag.name == "meta" and tag.get("http-equiv"):
            # A redirect page of the site's own (an alias) is a page that refreshes to a plain address.
            target = (tag.get("content") or "").partition("url=")[2]
            if not (page and target and not _script_url(target)):
                found.append(f"<meta http-equiv={tag.get('http-equiv')}>")
        if tag.name == "style" or (tag.name == "link" and not page):
            found.append(f"<{tag.name}>")  # a page's own styles and links are files the theme ships
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}>")
            elif name.lower() in URL_ATTRIBUTES and _script_url(text):
                found.append(f"<{tag.name} {name}={text[:40]}>")
            elif name.lower() == "style" and re.search(r"url\(|expression|javascript", text, re.IGNORECASE):
                found.append(f"<{tag.name} style={text[:40]}>")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        if re.search(r"\[if|<script|<!", comment, re.IGNORECASE):
            found.append(f"<!--{comment[:40]}-->")
    return found


def strings(data: Any) -> list[str]:
    """Every string in a JSON document."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


def live_script_in_json(text: str, **options: Any) -> list[str]:
    """Live script in any string of a JSON document, each read as HTML (content_html is HTML)."""
    return [found for value in strings(json.loads(text)) if "<" in value for found in live_script(value, **options)]


def live_script_in_atom(text: str, **options: Any) -> list[str]:
    """Live script in the HTML an Atom feed carries (content and summary of type html)."""
    root = etree.fromstring(text.encode("utf-8"))
    found = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.text and "<" in element.text:
            found += live_script(element.text, **options)
    return found
