"""WeChat-ready copies: /wechat/<slug>.html for every published, listed article, styled inline for pasting."""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil
import sys
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

import feeds
from content_model.cache import TextCache, fingerprint
from content_model.times import text_format
from feeds import absolute_url, cover_url, site_root, syndicated
from publishing import model_state
from publishing.reader import relative_root
from publishing.templating import asset, plain_text
from rendering import pages_rendered, share_worker_state

from . import convert
from .convert import BODY_LIMIT, STYLESHEET, TITLE_LIMIT, WechatCopy, wechat_copy

log = logging.getLogger(__name__)

FOLDER = "wechat/"
# New copies a process stores at once.
SAVE_EVERY = 200
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


def copy_cache(css: str) -> TextCache:
    """Copies made by earlier builds, keyed on everything a copy is made from: a conversion costs about 1 ms."""
    code = b"".join(Path(module.__file__ or "").read_bytes() for module in (convert, feeds))
    versions = [metadata.version(name) for name in ("beautifulsoup4", "css-inline", "markupsafe")]
    depends_on = fingerprint(css, code, *versions, sys.version)
    # Stored as they are made: some 150 MB of copies at 20,000 articles would otherwise wait in the workers.
    return TextCache(model_state.current().cache_folder, "wechat", depends_on, save_every=SAVE_EVERY)


def copy_of(article: Any, root: str, css: str, cache: TextCache | None = None) -> WechatCopy:
    """The WeChat copy of one article, every URL absolute."""
    title = plain_text(article.title)
    body = article.content  # Pelican rewrites its links on each read
    page = absolute_url(root, article.url)
    before, after = lines_around(article)
    attachments = [
        (a["title"], absolute_url(root, asset(a["file"], article.item)))
        for a in article.item.values.get("attachments", [])
    ]

    def make(_inputs: str) -> str:
        copy = wechat_copy(title, body, page, before=before, after=after, attachments=attachments, css=css)
        return json.dumps(dataclasses.asdict(copy), ensure_ascii=False)

    if cache is None:
        return _from_json(make(""))
    inputs = json.dumps([title, body, page, before, after, attachments], ensure_ascii=False)
    return _from_json(cache.get(inputs, make))


def _from_json(text: str) -> WechatCopy:
    fields = json.loads(text)
    fields["notes"] = [tuple(note) for note in fields["notes"]]
    return WechatCopy(**fields)


class WechatGenerator(Generator):
    """Writes one copy per article that may leave the site; drafts, embargoed, hidden and withdrawn items get none."""

    def generate_context(self) -> None:
        self.chosen = syndicated(self.context.get("articles", []), model_state.current().visibility)
        for article in self.chosen:
            # Read by article.html (the share area) and the API, before any page is written.
            article.wechat_url = copy_url(article.slug)

    def generate_output(self, writer: Any) -> None:
        global _copies
        root = site_root(self.settings)
        css = STYLESHEET.read_text(encoding="utf-8")
        _copies = copy_cache(css)
        template = self.get_template("wechat")
        output = Path(writer.output_path)
        if self.chosen:
            (output / FOLDER).mkdir(parents=True, exist_ok=True)
            for name in TOOL_FILES:
                shutil.copyfile(Path(__file__).with_name(name), output / FOLDER / name)
        for article in self.chosen:
            writer.write_file(
                article.wechat_url,
                template,
                self.context,
                relative_urls=True,
                # A tool page is no page of the site: the sitemap, which listens to the writer, must not list it.
                announce=False,
                # The conversion is the costly part: it runs where the page is rendered, in a worker.
                prepare=partial(_copy_variables, article, root, css),
                reads=(article,),
                SITEURL=relative_root(FOLDER).rstrip("/") or ".",
                source_article=article,
                article_url=absolute_url(root, article.url),
                cover=cover_url(article, root),
                TITLE_LIMIT=TITLE_LIMIT,
                BODY_LIMIT=BODY_LIMIT,
                noindex=True,
            )
        log.info("queued %d WeChat copies", len(self.chosen))


# This build's copies: made in the render workers, each of which stores those it made.
_copies: TextCache | None = None


def _copy_variables(article: Any, root: str, css: str) -> dict[str, Any]:
    return {"wechat": copy_of(article, root, css, _copies)}


def _store_copies(*_args: Any, **_kwargs: Any) -> None:
    if _copies is not None:
        _copies.save()


def get_generators(_pelican: Any) -> type:
    return WechatGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
    # Workers store their copies themselves: handing them back would cost memory and time.
    share_worker_state("wechat", _store_copies, lambda _nothing: None)
    pages_rendered.connect(_store_copies)
