"""Caches are checked before they are trusted: image files against their records, SQLite files for damage."""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

import pytest
from PIL import Image

import assets.cache
from assets.cache import WRITTEN, ImageCache
from assets.renditions import Plan
from assets.runner import publish
from content_model import cache as text_cache_module
from content_model.cache import TextCache
from content_model.records import FILE_NAME as RECORDS_FILE
from tests.damage import SQLITE_DAMAGES

from .conftest import SiteBuilder
from .test_image_pipeline import SETTINGS, make_item, phone_jpeg, write


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return tmp_path / "content"


def _plan(content: Path) -> Plan:
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    for n in range(2):
        plan.rendition(item, f"{n}.jpg")
    return plan


def _hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the cached files the cache reads and hashes to check them."""
    calls: list[str] = []
    real = assets.cache.same_bytes
    monkeypatch.setattr(
        assets.cache, "same_bytes", lambda path, written: calls.append(path.name) or real(path, written)
    )
    return calls


def _output(tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "output"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _run(content: Path, tmp_path: Path, output: str = "output"):
    cache = ImageCache(tmp_path / "cache")
    return cache, publish(_plan(content), cache, tmp_path / output, workers=1)


def _cached(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "cache").rglob("*") if p.suffix in (".jpg", ".webp"))


def test_a_linked_cache_is_not_read_again_and_a_new_output_is_checked_byte_for_byte(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(2):
        write(content, f"a/{n}.jpg", phone_jpeg((800 + n, 600)))
    _run(content, tmp_path)
    files = _cached(tmp_path)
    hashed = _hashes(monkeypatch)
    _, second = _run(content, tmp_path)
    assert second.encoded == 0 and hashed == [], "output/ already links every cached file: nothing is read"
    _, fresh = _run(content, tmp_path, output="elsewhere")
    assert fresh.encoded == 0 and sorted(hashed) == sorted(p.name for p in files), "files about to be linked are read"


@pytest.mark.parametrize("damage", ["garbage-in-place", "truncated", "other-image", "no-record"])
def test_a_damaged_cached_image_is_made_again_with_a_warning(
    content: Path, tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(2):
        write(content, f"a/{n}.jpg", phone_jpeg((800 + n, 600)))
    _run(content, tmp_path)
    clean = _output(tmp_path)
    victim = next(p for p in _cached(tmp_path) if p.suffix == ".webp")
    if damage == "garbage-in-place":  # output/ holds the same file through a hard link: damaged too
        with victim.open("r+b") as handle:
            handle.seek(100)
            handle.write(os.urandom(50))
    elif damage == "truncated":
        os.truncate(victim, victim.stat().st_size // 2)
    elif damage == "other-image":
        other = tmp_path / "other.webp"
        Image.new("RGB", (20, 20), "green").save(other, "WEBP")
        os.replace(other, victim)
    else:
        (tmp_path / "cache" / next((tmp_path / "cache").iterdir()).name / WRITTEN).unlink()
    with caplog.at_level(logging.WARNING):
        cache, again = _run(content, tmp_path)
    assert _output(tmp_path) == clean
    if damage == "no-record":  # made before records were kept: made again, nothing to warn about
        assert again.encoded == 2 and not cache.repaired
        return
    assert again.encoded == 1 and cache.repaired == [victim]
    assert [r for r in caplog.records if victim.name in r.getMessage() and r.levelno == logging.WARNING]


# SQLite files


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_cache_module, "_set_aside", set())


def _fill(folder: Path, rows: int = 400) -> None:
    cache = TextCache(folder, "upper", "v1")
    for n in range(rows):
        cache.get(f"text {n} " * 20, str.upper)
    cache.save()


@pytest.mark.parametrize("preload", [False, True], ids=["lookups", "preloaded"])
@pytest.mark.parametrize("damage", list(SQLITE_DAMAGES))
def test_a_damaged_text_cache_is_started_afresh_once(
    tmp_path: Path, damage: str, preload: bool, caplog: pytest.LogCaptureFixture
) -> None:
    _fill(tmp_path)
    SQLITE_DAMAGES[damage](tmp_path / "text.sqlite")
    with caplog.at_level(logging.WARNING):
        cache = TextCache(tmp_path, "upper", "v1", preload=preload)
        results = [cache.get(f"text {n} " * 20, str.upper) for n in range(400)]
        cache.save()
    assert results == [(f"text {n} " * 20).upper() for n in range(400)], "every value is right, computed again"
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "text.sqlite" in warnings[0], warnings
    if damage != "wrong-schema":
        assert (tmp_path / "text.sqlite.damaged").is_file()

    def not_again(text: str) -> str:
        raise AssertionError("computed again: the fresh cache kept nothing")

    caplog.clear()
    with caplog.at_level(logging.WARNING):
        later = TextCache(tmp_path, "upper", "v1", preload=preload)
        assert later.get("text 7 " * 20, not_again) == ("text 7 " * 20).upper()
    assert not caplog.records, "repaired: nothing more to say"


def test_a_value_of_the_wrong_type_is_never_returned(tmp_path: Path) -> None:
    _fill(tmp_path, rows=1)
    db = sqlite3.connect(tmp_path / "text.sqlite")
    db.execute("UPDATE \"upper_v1\" SET value = x'deadbeef'")  # a BLOB keeps its type in a TEXT column
    db.commit()
    db.close()
    for preload in (False, True):
        assert TextCache(tmp_path, "upper", "v1", preload=preload).get("text 0 " * 20, str.upper) == "TEXT 0 " * 20


@pytest.mark.parametrize("damage", list(SQLITE_DAMAGES))
def test_damaged_content_records_are_started_afresh_once(
    site: SiteBuilder, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    for n in range(30):
        site.article(f"a{n}", body=f"第{n}篇。\n" * 50)
    first = site.load()
    path = site.root / ".cache" / RECORDS_FILE
    SQLITE_DAMAGES[damage](path)
    with caplog.at_level(logging.WARNING):
        second = site.load()
    assert sorted(second.articles) == sorted(first.articles)
    assert [p.message_en for p in second.problems.items] == [p.message_en for p in first.problems.items]
    warnings = [
        r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "model.sqlite" in r.getMessage()
    ]
    assert len(warnings) == 1, warnings
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        site.load()
    assert not [r for r in caplog.records if "model.sqlite" in r.getMessage()], "repaired: nothing more to say"
