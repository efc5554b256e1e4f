"""Writes a redirect page at each earlier URL in an article's `aliases`, so printed links keep working."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from content_model.site import save_as

from .context import SITE
from .reader import relative_root

log = logging.getLogger(__name__)


def write_aliases(generator, writer) -> None:
    """Only for articles that have a page in this build; drafts and embargoed items have none."""
    template = generator.get_template("redirect")
    output = Path(generator.output_path)
    visibility = generator.context[SITE].visibility
    for article in [*generator.articles, *generator.hidden_articles]:
        if not visibility.has_page(article.item):
            continue  # the reader skipped it already; an old address must not name an item before its time
        for alias in article.item.get("aliases", []):
            target_file = save_as(alias.lstrip("/"))
            root = relative_root(alias.lstrip("/"))
            html = template.render(
                {
                    **generator.context,
                    "SITEURL": root.rstrip("/") or ".",
                    "target_url": root + article.url,
                    "article": article,
                }
            )
            path = output / target_file
            os.makedirs(path.parent, exist_ok=True)
            path.write_text(html, encoding="utf-8")
            log.info("alias %s -> %s", alias, article.url)
