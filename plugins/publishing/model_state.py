"""The content model of the current build, loaded once when Pelican starts and shared by our plugins."""

from __future__ import annotations

import sys
from pathlib import Path

from content_model import Site, load_site
from content_model.check import UsageError, options_from_settings
from content_model.problems import Problems, format_text

_current: Site | None = None
STOPPED = "构建已停止：请先改正以上错误。 The build stopped: fix the errors above first."


def read(settings: dict) -> Site:
    """Read and check all content; raises UsageError for settings the checker cannot work with."""
    options = options_from_settings(settings, strict=bool(settings.get("PUBLISH_BUILD")))
    content_root = Path(settings["PATH"])
    repo_root = Path(settings.get("SITE_REPO_ROOT") or content_root.parent)
    return load_site(content_root, repo_root, options)


def report(problems: Problems) -> None:
    """Print what the checks found; a content error stops the build with the full list, and no traceback."""
    if problems.errors:
        print(format_text(problems), file=sys.stderr)
        print(STOPPED, file=sys.stderr)
        raise SystemExit(1)
    if problems.warnings:
        print(format_text(problems), file=sys.stderr)


def load(settings: dict) -> Site:
    """Read, check and report all content."""
    global _current
    try:
        site = read(settings)
    except UsageError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None
    report(site.problems)
    _current = site
    return site


def use(site: Site) -> None:
    """Make `site` the build's model."""
    global _current
    _current = site


def current() -> Site:
    if _current is None:
        raise RuntimeError("the content model was not loaded: is the publishing plugin enabled?")
    return _current
