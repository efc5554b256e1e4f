"""The content model of the current build, loaded once when Pelican starts and shared by our plugins."""

from __future__ import annotations

import sys
from pathlib import Path

from content_model import Site, load_site
from content_model.check import UsageError, options_from_settings
from content_model.problems import format_text

_current: Site | None = None


def load(settings: dict) -> Site:
    """Read and check all content; a content error stops the build with the full list, and no traceback."""
    global _current
    publish = bool(settings.get("PUBLISH_BUILD"))
    try:
        options = options_from_settings(settings, strict=publish)
    except UsageError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None
    content_root = Path(settings["PATH"])
    repo_root = Path(settings.get("SITE_REPO_ROOT") or content_root.parent)
    site = load_site(content_root, repo_root, options)
    if site.problems.errors:
        print(format_text(site.problems), file=sys.stderr)
        print("构建已停止：请先改正以上错误。 The build stopped: fix the errors above first.", file=sys.stderr)
        raise SystemExit(1)
    if site.problems.warnings:
        print(format_text(site.problems), file=sys.stderr)
    _current = site
    return site


def use(site: Site) -> None:
    """Make `site` the build's model (a build that patches a kept site uses the kept one)."""
    global _current
    _current = site


def current() -> Site:
    if _current is None:
        raise RuntimeError("the content model was not loaded: is the publishing plugin enabled?")
    return _current
