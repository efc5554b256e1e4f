"""The images of an imported item: fetched into the item's folder and vetted like any contributor's photo, or left out
with a note for the reviewer. A public page never loads an image from the sub-site's server.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, NavigableString

from content_model.files import BadImage, vet_image
from content_model.slugs import is_id, slugify

from . import remote
from .clean import FORMATTER

MAX_IMAGE_BYTES = 20 * 1024 * 1024
IMAGE_ACCEPT = "image/jpeg, image/png, image/webp, image/gif, image/heic;q=0.9, */*;q=0.1"
SUFFIX_OF_FORMAT = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png", "WEBP": ".webp", "GIF": ".gif", "HEIF": ".heic"}

Fetch = Callable[[str], bytes]


@dataclass
class Localised:
    """An imported body with its images made local: the files to write beside it, and what was left out."""

    html: str
    files: dict[str, bytes] = field(default_factory=dict)
    left_out: list[tuple[str, str, str]] = field(default_factory=list)  # (image URL, why in Chinese, in English)


def fetcher(timeout: float, trusted: str) -> Fetch:
    """Fetch an image with the feed's own limits; the feed's origin is the only private address allowed."""

    def fetch(url: str) -> bytes:
        return remote.fetch(url, timeout=timeout, limit=MAX_IMAGE_BYTES, trusted=trusted, accept=IMAGE_ACCEPT).data

    return fetch


def _vetted_suffix(data: bytes) -> str:
    """The file suffix of a sound image, judged as the checker judges a contributor's photo; raises BadImage."""
    with tempfile.TemporaryDirectory(prefix="sync-image-") as folder:
        path = Path(folder) / "image"
        path.write_bytes(data)
        facts = vet_image(path)
    suffix = SUFFIX_OF_FORMAT.get(facts.format)
    if suffix is None:
        raise BadImage("image-format", facts.format)
    return suffix


def _name(url: str, suffix: str, taken: set[str]) -> str:
    stem = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    base = stem.lower() if is_id(stem.lower()) else slugify(stem) or "image"
    base = base[:40].rstrip("-") or "image"
    name, number = f"{base}{suffix}", 2
    while name in taken:
        name, number = f"{base}-{number}{suffix}", number + 1
    taken.add(name)
    return name


def _reason(error: Exception) -> tuple[str, str]:
    if isinstance(error, remote.FetchError):
        return error.zh, error.en
    if isinstance(error, BadImage):
        detail = error.detail or error.code
        return f"不是可用的图片：{detail}", f"not a usable image: {detail}"
    return str(error), str(error)


def localise(html: str, fetch: Fetch) -> Localised:
    """`html` (as sanitised for import) with each image fetched and named by a local file, or replaced by a note."""
    soup = BeautifulSoup(html, "html.parser")
    images = soup.find_all("img")
    if not images:
        return Localised(html)
    result = Localised(html)
    known: dict[str, str | tuple[str, str]] = {}  # by URL: the local name, or why it was left out
    for image in images:
        url = str(image.get("src") or "")
        if url not in known:
            try:
                data = fetch(url)
                name = _name(url, _vetted_suffix(data), set(result.files))
                result.files[name] = data
                known[url] = name
            except (remote.FetchError, BadImage, OSError) as error:
                known[url] = _reason(error)
                result.left_out.append((url, *_reason(error)))
        outcome = known[url]
        if isinstance(outcome, str):
            image["src"] = outcome
        else:
            image.replace_with(NavigableString(f"〔原文此处的图片未能导入（{outcome[0]}），请审稿时处理：{url}〕"))
    result.html = soup.decode(formatter=FORMATTER)
    return result
