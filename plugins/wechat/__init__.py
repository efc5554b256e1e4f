"""WeChat-ready copies: /wechat/<slug>.html for every published, listed article, styled inline for pasting."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import sys
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from pelican import signals
from pelican.generators import Generator

import feeds
import reuse
from content_model.times import text_format
from feeds import absolute_url, cover_url, site_root, syndicated
from publishing import SITE
from publishing.reader import relative_root
from publishing.templating import asset, plain_text
from reuse import code_of, made, output_cache

from . import convert
from .convert import BODY_LIMIT, STYLESHEET, TITLE_LIMIT, WechatCopy, wechat_copy

log = logging.getLogger(__name__)

FOLDER = "wechat/"
# The tool page's own stylesheet and script, published beside the copies (never part of a copied body).
TOOL_FILES = ("tool.css", "copy.js")


def copy_url(slug: str) -> str:
    return f"{FOLDER}{slug}.html"


def lines_around(article: Any) -> tuple[list[str], list[str]]:
    """The plain-text lines above the body (source, authors, number, event) and below it (the editor)."""
    values = article.item.values
    byline = [f"来源：{values.get('source', '')}"]
    if values.get("authors"):
        byline.append("作者：" + "、".join(values["authors"]))
    if values.get("photographers"):
        byline.append("摄影：" + "、".join(values["photographers"]))
    before = ["　".join(byline)]
    if values.get("doc_number"):
        before.append(values["doc_number"])
    event = values.get("event")
    if event:
        when = text_format(event["start"])
        if event.get("end") and event["end"] != event["start"]:
            when += f"至{text_format(event['end'])}"
        before.append(f"时间：{when}　地点：{event.get('location', '')}")
    after = [f"责任编辑：{values['editor']}"] if values.get("editor") else []
    return before, after


def copy_of(article: Any, root: str, css: str) -> WechatCopy:
    """The WeChat copy of one article, every URL absolute."""
    title = plain_text(article.title)
    before, after = lines_around(article)
    attachments = [
        (a["title"], absolute_url(root, asset(a["file"], article.item)))
        for a in article.item.values.get("attachments", [])
    ]
    # Pelican rewrites the body's links on each read.
    page = absolute_url(root, article.url)
    return wechat_copy(title, article.content, page, before=before, after=after, attachments=attachments, css=css)


def page_inputs(article: Any, root: str) -> list[Any]:
    """What a copy's page is made from besides the site's name, the stylesheet and the template, as plain values:
    what a feed's entry is made from, and the front matter (source, authors, editor, attachments …)."""
    return [*feeds.entry_inputs(article, root), article.item.values]


def json_options(options: dict[str, Any], name: str) -> str:
    """Jinja's options as JSON, which a worker can be sent and a cache key can hold: a chooser of autoescaping (by a
    template's name) is asked here, for this one template."""
    chosen = dict(options)
    if callable(chosen.get("autoescape")):
        chosen["autoescape"] = bool(chosen["autoescape"](name))
    return json.dumps(chosen, sort_keys=True)


@functools.cache
def page_template(path: str, options: str) -> jinja2.Template:
    """wechat.html in an environment of its own: Jinja's options of the site (`options`, JSON) and filters, none of
    the site's filters and globals, so that a page is made from the inputs it is kept by, whichever build or worker
    renders it. The template extends and includes nothing."""
    folder, name = os.path.split(path)
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), **json.loads(options))
    return environment.get_template(name)


def copy_page(article: Any, root: str, css: str, sitename: str, template: tuple[str, str, str]) -> str:
    """The tool page of one article's copy, or the one an earlier build made from the same inputs.

    `template`: wechat.html's path, the digest of its source and Jinja's options. It is rendered with exactly the
    names below: nothing else of the site's context, so that what the page shows is all in its inputs.
    """
    path, digest, options = template

    def make() -> str:
        variables = {
            "wechat": copy_of(article, root, css),
            "SITENAME": sitename,
            "SITEURL": relative_root(FOLDER).rstrip("/") or ".",
            "source_article": article,
            "article_url": absolute_url(root, article.url),
            "cover": cover_url(article, root),
            "TITLE_LIMIT": TITLE_LIMIT,
            "BODY_LIMIT": BODY_LIMIT,
        }
        return page_template(path, options).render(variables)

    return made("wechat_page", [page_inputs(article, root), root, sitename, digest, options], make)


class WechatGenerator(Generator):
    """Writes one copy per article that may leave the site; drafts, embargoed, hidden and withdrawn items get none."""

    def generate_context(self) -> None:
        self.chosen = syndicated(self.context.get("articles", []), self.context[SITE].visibility)
        for article in self.chosen:
            # Read by article.html (the share area) and the API, before any page is written.
            article.wechat_url = copy_url(article.slug)

    def generate_output(self, writer: Any) -> None:
        root = site_root(self.settings)
        css = STYLESHEET.read_text(encoding="utf-8")
        path = self.get_template("wechat").filename or ""
        options = json_options(self.settings["JINJA_ENVIRONMENT"], Path(path).name)
        template = (path, hashlib.sha256(Path(path).read_bytes()).hexdigest(), options)
        versions = [metadata.version(name) for name in ("beautifulsoup4", "css-inline", "jinja2", "markupsafe")]
        code = code_of(sys.modules[__name__], convert, feeds)
        output_cache(self.context[SITE].cache_folder, "wechat_page", code, css, *versions)
        output = Path(writer.output_path)
        if self.chosen:
            (output / FOLDER).mkdir(parents=True, exist_ok=True)
            for name in TOOL_FILES:
                shutil.copyfile(Path(__file__).with_name(name), output / FOLDER / name)
        sitename = self.settings.get("SITENAME", "")
        for article in self.chosen:
            # A tool page is no page of the site: the sitemap, which hears only of templates' pages, never lists it.
            # The conversion is the costly part: it runs where the page is made, in a worker.
            writer.write_data(article.wechat_url, partial(copy_page, article, root, css, sitename, template))
        log.info("queued %d WeChat copies", len(self.chosen))


def get_generators(_pelican: Any) -> type:
    return WechatGenerator


def register() -> None:
    reuse.register()
    signals.get_generators.connect(get_generators)
