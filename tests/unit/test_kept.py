"""The kept site serves a build only when what changed is the Markdown body of existing articles and pages."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace

from content_model.site import Item
from rendering.kept import Header, item_digest, patch_content, same_item, why_not

NOW = datetime.datetime(2020, 7, 25, 12, 0)


def _item(tmp_path: Path, **values: object) -> Item:
    item = Item(kind="article", id="a", rel="content/articles/a.md", path=tmp_path / "a.md", parsed=None)  # type: ignore[arg-type]
    item.values = {"title": "标题", **values}
    return item


def _header(sources: dict[str, object]) -> Header:
    return Header(b"all settings", b"settings", NOW, [], dict(sources), {})  # type: ignore[arg-type]


def test_only_changed_markdown_files_can_be_patched() -> None:
    kept = _header({"/c/a.md": (1, 10, 7), "/c/b.jpg": (1, 20, 8)})
    assert why_not(kept, b"settings", NOW, {"/c/a.md": (2, 11, 7), "/c/b.jpg": (1, 20, 8)}) == ""
    image_changed = {"/c/a.md": (1, 10, 7), "/c/b.jpg": (2, 20, 8)}
    assert why_not(kept, b"settings", NOW, image_changed) == "/c/b.jpg is not Markdown"
    assert why_not(kept, b"other", NOW, kept.sources) == "settings, plugins or Pelican changed"
    later = NOW + datetime.timedelta(minutes=1)
    assert why_not(kept, b"settings", later, kept.sources) == "the build's time (SITE_NOW) changed"
    assert why_not(kept, b"settings", NOW, {"/c/a.md": (1, 10, 7)}) == "files were added or removed"


def test_an_item_may_differ_in_its_body_only(tmp_path: Path) -> None:
    item = _item(tmp_path)
    kept = item_digest(item)
    assert same_item(item, kept) == ""
    assert same_item(_item(tmp_path, title="新标题"), kept) == "its front matter, state or linked files changed"
    item.links = [SimpleNamespace(url="report.pdf")]  # type: ignore[list-item]
    assert same_item(item, kept) == "its front matter, state or linked files changed"
    item.links, item.images = [], [SimpleNamespace(src="lab.jpg")]  # type: ignore[list-item]
    assert same_item(item, kept) == "its body has images"
    column = _item(tmp_path)
    column.kind = "column"
    assert same_item(column, kept) == "a column, whose body other pages show"
    assert same_item(None, kept) == same_item(item, None) == "not an article or page of the site"


def test_a_content_object_takes_the_new_body_and_summary_only() -> None:
    kept = SimpleNamespace(_content="<p>旧</p>", _summary="旧", title="题", metadata={"summary": "旧", "title": "题"})
    fresh = SimpleNamespace(_content="<p>新</p>", _summary="新", title="题", metadata={"summary": "新", "title": "题"})
    assert patch_content(kept, fresh) == ""
    assert (kept._content, kept._summary, kept.metadata["summary"]) == ("<p>新</p>", "新", "新")
    retitled = SimpleNamespace(_content="<p>新</p>", title="新题", metadata={"title": "新题"})
    assert patch_content(kept, retitled) == "its title changed"
    assert kept.title == "题"
