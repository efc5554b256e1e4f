"""The kept search index: updated where documents changed, byte for byte what a clean build writes."""

from __future__ import annotations

import dataclasses
import datetime
import logging
import shutil
from pathlib import Path

import pytest

from search.corpus import articles
from search.index import Document, IndexBuilder
from search.query import IndexReader
from search.update import CannotUpdate, KeptIndex, kept_bytes

LABELS = {"section": {"news": "科协要闻"}}


def corpus(size: int = 200) -> list[Document]:
    start = datetime.datetime(2019, 1, 1, 8, 0)
    docs = []
    for a in articles(size, chars=600, seed=5):
        date = start + datetime.timedelta(days=a.number * 2)
        facets = {"section": [a.section], "type": [a.type], "year": [f"{date:%Y}"]}
        docs.append(Document(url=f"a/{a.number}/", title=a.title, text=a.body, date=date, facets=facets))
    return docs


def publish(docs: list[Document], cache: Path, out: Path) -> str:
    """Make the index in `cache` and write every file it publishes into `out`, as its page jobs do."""
    builder = IndexBuilder(LABELS, workers=1)
    builder.extend(docs)
    kept = KeptIndex(cache)
    _stats, how = kept.make(builder)
    shutil.rmtree(out, ignore_errors=True)
    for name, digest in kept.outputs():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(kept_bytes(str(kept.files), name, digest))
    return how


def digests(cache: Path) -> dict[str, str]:
    return dict(KeptIndex(cache).outputs())


def clean(docs: list[Document], out: Path) -> dict[str, bytes]:
    builder = IndexBuilder(LABELS, workers=1)
    builder.extend(docs)
    builder.write(out)
    return files(out)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def edited(doc: Document, text: str) -> Document:
    return dataclasses.replace(doc, text=doc.text + text)


def test_an_edit_rewrites_only_the_files_it_changes_and_equals_a_clean_build(tmp_path: Path) -> None:
    docs = corpus()
    cache = tmp_path / "cache"
    assert publish(docs, cache, tmp_path / "first").startswith("written whole")
    kept = inodes(cache / "search" / "index")

    docs[17] = edited(docs[17], "洛阳市科协举办青少年机器人竞赛。")
    docs[18] = dataclasses.replace(docs[18], title="新的标题：驻马店")
    assert publish(docs, cache, tmp_path / "second") == "updated"
    assert files(tmp_path / "second") == clean(docs, tmp_path / "clean")

    now = inodes(cache / "search" / "index")
    rewritten = {name for name in kept if now[name] != kept[name]}
    assert {"docs/17.json", "docs/18.json"} <= rewritten
    assert not any(name.startswith("docs/") for name in rewritten - {"docs/17.json", "docs/18.json"})
    # Exactly the shards whose bytes differ from the last build's are written again.
    before, after = files(tmp_path / "first"), files(tmp_path / "second")
    differ = {name for name in before if name.startswith("shards/") and before[name] != after[name]}
    assert differ and {name for name in rewritten if name.startswith("shards/")} == differ
    # And the updated index finds the new words, and no longer finds the old title.
    reader = IndexReader(tmp_path / "second")
    assert {r.url for r in reader.search("机器人竞赛", limit=10).results} == {"a/17/"}
    assert "a/18/" in {r.url for r in reader.search("驻马店", limit=1000).results}


def test_an_unchanged_build_rewrites_no_document_or_shard(tmp_path: Path) -> None:
    docs = corpus()
    cache = tmp_path / "cache"
    publish(docs, cache, tmp_path / "first")
    kept = inodes(cache / "search" / "index")
    assert publish(docs, cache, tmp_path / "second") == "updated"
    now = inodes(cache / "search" / "index")
    assert {name for name in kept if now[name] != kept[name]} == set()
    assert files(tmp_path / "second") == files(tmp_path / "first")


def test_only_the_files_an_edit_changes_are_published_with_a_new_digest(tmp_path: Path) -> None:
    # Each file reaches output/ as a page job named by its digest: the rendering plugin leaves the others as they are.
    docs = corpus()
    cache = tmp_path / "cache"
    publish(docs, cache, tmp_path / "first")
    before = digests(cache)
    docs[17] = edited(docs[17], "洛阳市科协举办青少年机器人竞赛。")
    assert publish(docs, cache, tmp_path / "second") == "updated"
    assert files(tmp_path / "second") == clean(docs, tmp_path / "clean")
    now = digests(cache)
    rewritten = {name for name in now if now[name] != before.get(name)}
    assert {"docs/17.json", "meta.json"} <= rewritten and set(now) == set(before)
    assert not any(name.startswith("docs/") for name in rewritten - {"docs/17.json"})
    # A kept file changed behind the build's back is never published.
    (cache / "search/index/docs/3.json").write_text("{}", encoding="utf-8")
    with pytest.raises(CannotUpdate, match=r"docs/3\.json"):
        kept_bytes(str(cache / "search/index"), "docs/3.json", now["docs/3.json"])


@pytest.mark.parametrize(
    "change, why",
    [
        (lambda docs: docs.append(dataclasses.replace(docs[0], url="new/")), "added, removed or reordered"),
        (lambda docs: docs.pop(3), "added, removed or reordered"),
        (lambda docs: docs.__setitem__(5, edited(docs[5], "长" * 20000)), "average length"),
    ],
    ids=["added", "removed", "longer"],
)
def test_other_changes_write_the_whole_index_the_same_as_a_clean_build(tmp_path: Path, change, why: str) -> None:
    docs = corpus()
    cache = tmp_path / "cache"
    publish(docs, cache, tmp_path / "first")
    change(docs)
    how = publish(docs, cache, tmp_path / "second")
    assert how.startswith("written whole") and why in how
    assert files(tmp_path / "second") == clean(docs, tmp_path / "clean")
    # The whole index was kept again: the next edit updates it.
    docs[2] = edited(docs[2], "新增一句。")
    assert publish(docs, cache, tmp_path / "third") == "updated"
    assert files(tmp_path / "third") == clean(docs, tmp_path / "clean-2")


def test_a_frequent_term_that_becomes_rare_writes_the_whole_index(tmp_path: Path) -> None:
    docs = [dataclasses.replace(d, text=d.text + ("麒麟" if i < 90 else "")) for i, d in enumerate(corpus())]
    cache = tmp_path / "cache"
    publish(docs, cache, tmp_path / "first")  # 麒麟 in 90 of 200: stored as the documents without it
    for i in range(2, 20):
        docs[i] = dataclasses.replace(docs[i], text=docs[i].text.replace("麒麟", "松柏"))
    how = publish(docs, cache, tmp_path / "second")
    assert "became rare" in how
    assert files(tmp_path / "second") == clean(docs, tmp_path / "clean")


def test_a_damaged_kept_file_is_named_and_the_index_made_again(tmp_path: Path, caplog) -> None:
    docs = corpus()
    cache = tmp_path / "cache"
    publish(docs, cache, tmp_path / "first")
    shard = cache / "search" / "index" / "shards" / "0.bin"
    shard.write_bytes(shard.read_bytes()[:-3] + b"bad")
    with caplog.at_level(logging.WARNING, logger="search.update"):
        how = publish(docs, cache, tmp_path / "second")
    assert "shards/0.bin was changed" in how
    assert any("shards/0.bin" in record.getMessage() and "已损坏" in record.getMessage() for record in caplog.records)
    assert files(tmp_path / "second") == files(tmp_path / "first")


def test_a_shard_no_term_falls_into_reads_back_empty() -> None:
    from search.index import read_shard, shard_bytes

    # A large index has thousands of shards, and some hold no term at all: an update reads them like any other.
    assert read_shard(shard_bytes([], {})) == {}
    one = {"科协": ([3], b"\x01\x02")}
    assert read_shard(shard_bytes(["科协"], one)) == {"科协": ([3], b"\x01\x02")}
