"""Template filters and globals: locale-free dates, safe JSON-LD, absolute URLs where a standard needs them."""

from __future__ import annotations

import json
from html import unescape
from typing import Any
from urllib.parse import urlparse

from markupsafe import Markup

from content_model.publication import notice_holds
from content_model.times import list_format, text_format

from . import model_state


def plain_text(value: Any) -> str:
    """The text a reader sees: an escaped Markup title turned back into its characters."""
    if isinstance(value, Markup):
        return unescape(str(value))
    return "" if value is None else str(value)


def json_ld(data: Any) -> Markup:
    """JSON for a <script type="application/ld+json"> block; `<`, `>` and `&` can't end the script early.

    JSON is no HTML: an escaped title (Markup) goes in as the characters it stands for, never as `&amp;`.
    """
    text = json.dumps(_plain_data(data), ensure_ascii=False, sort_keys=True, default=plain_text)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _plain_data(value: Any) -> Any:
    # json.dumps writes a Markup as the str it is, escaped: `default` is only asked about other types.
    if isinstance(value, Markup):
        return plain_text(value)
    if isinstance(value, dict):
        return {key: _plain_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_data(item) for item in value]
    return value


TYPE_NAMES = {
    "news": "新闻",
    "notice": "通知公告",
    "release": "新闻发布",
    "interpretation": "政策解读",
    "profile": "人物",
    "event": "活动",
}


def asset(reference: str, item: Any) -> str:
    """The site-relative URL of a file an item names: shared /images/… keep their path, others sit beside the page."""
    if reference.startswith("/"):
        return reference.lstrip("/")
    return item.url + reference.rsplit("/", 1)[-1]


def install(settings: dict) -> None:
    """Add our filters and globals to the settings before any generator builds its Jinja environment."""
    absolute_root = settings.get("SITE_ABSOLUTE_URL", "").rstrip("/")

    def absolute(url: str) -> str:
        return f"{absolute_root}/{url.lstrip('/')}" if absolute_root else "/" + url.lstrip("/")

    settings["JINJA_FILTERS"] = {
        **settings.get("JINJA_FILTERS", {}),
        "list_date": list_format,
        "text_date": text_format,
        "json_ld": json_ld,
        "plain": plain_text,
        "absolute": absolute,
        "asset": asset,
    }
    site = model_state.current()
    settings["JINJA_GLOBALS"] = {
        **settings.get("JINJA_GLOBALS", {}),
        "SITE_NOW": site.options.now,
        "registries": site.registries,
        "TYPE_NAMES": TYPE_NAMES,
        # The 404 page is served at any depth on the site's own host: its links start from the site's path.
        "SITE_BASE_PATH": urlparse(absolute_root).path.rstrip("/"),
        "urgent_notice": _active_notice(site),
    }
    _reproducible_sitemap(site.options.now)


def _active_notice(site: Any) -> dict[str, Any] | None:
    """The urgent notice while it holds; a scheduled rebuild after `expires` takes it down."""
    return site.notice if notice_holds(site.notice, site.options.now) else None


def _reproducible_sitemap(now: Any) -> None:
    # pelican-sitemap stamps index pages with the wall clock; ours must come from SITE_NOW.
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:  # pragma: no cover - pinned in requirements
        return
    if now is not None:
        sitemap.generator.now = now.replace(tzinfo=None)
