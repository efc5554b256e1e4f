"""Damaged caches are repaired by the build: a bad image file is encoded again, a bad SQLite file started afresh."""

from __future__ import annotations

import io
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.damage import garbage, truncated, wrong_schema
from tests.sites import article, build, write_site

Damage = Callable[[Path], None]


def _photo(colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (1200, 800), colour)
    image.paste((250, 250, 250), (100, 100, 600, 500))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cache-repair")
    files: dict[str, str | bytes] = {
        "content/articles/news/a/index.md": article("图片稿件", "2020-07-20 09:30", "正文。\n\n![现场照片](a.jpg)\n"),
        "content/articles/news/a/a.jpg": _photo((200, 40, 40)),
        "content/articles/news/b/index.md": article("另一篇", "2020-07-21 09:30", "正文。\n\n![会场](b.jpg)\n"),
        "content/articles/news/b/b.jpg": _photo((40, 40, 200)),
    }
    return write_site(root, files)


def _files(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def clean(site: Path) -> dict[str, bytes]:
    """A build's output from an empty cache, read into memory: later builds link the same cache files."""
    run = build(site)
    assert run.returncode == 0, run.text
    return _files(run.output)


def _cached_images(site: Path) -> list[Path]:
    return sorted(p for p in (site / ".cache" / "images").rglob("*") if p.suffix in (".webp", ".jpg"))


def _garbage(path: Path) -> None:
    with path.open("r+b") as handle:  # the same file, damaged in place
        handle.seek(max(0, path.stat().st_size // 3))
        handle.write(os.urandom(64))


def _replace_with_other_image(images: list[Path]) -> Damage:
    def replace(path: Path) -> None:
        other = next(p for p in images if p.suffix == path.suffix and p.parent != path.parent)
        shutil.copyfile(other, path.with_name("swap.part"))
        os.replace(path.with_name("swap.part"), path)  # a valid image of another photo, as a new file

    return replace


@pytest.mark.parametrize(
    ("image_damage", "model_damage", "text_damage"),
    [
        ("garbage", garbage, truncated),
        ("truncate", wrong_schema, garbage),
        ("replace", truncated, wrong_schema),
    ],
    ids=[
        "garbage-image/garbage-model/truncated-text",
        "truncated-image/wrong-model/garbage-text",
        "other-image/truncated-model/wrong-text",
    ],
)
def test_a_damaged_cache_is_repaired_and_the_output_equals_a_clean_builds(
    site: Path, clean: dict[str, bytes], image_damage: str, model_damage: Damage, text_damage: Damage
) -> None:
    cache = site / ".cache"
    images = _cached_images(site)
    damaged = [p for p in images if "960" in p.name or p.suffix == ".jpg"][:3]
    damage: Damage = {"garbage": _garbage, "truncate": truncated, "replace": _replace_with_other_image(images)}[
        image_damage
    ]
    for path in damaged:
        damage(path)
    model_damage(cache / "model.sqlite")
    text_damage(cache / "text.sqlite")

    run = build(site)
    assert run.returncode == 0, run.text
    assert _files(run.output) == clean
    log = re.sub(r"\n\s*", "", run.text)  # a long line of the log is wrapped, even inside a name
    for path in damaged:
        assert path.name in log, f"the warning names the damaged cache file {path.name}"
    assert log.count("model.sqlite.damaged") + log.count("wrong columns") >= 1, "the damaged records file is named"
    assert "text.sqlite" in log

    again = build(site)
    assert again.returncode == 0, again.text
    assert _files(again.output) == clean
    quiet = re.sub(r"\n\s*", "", again.text)
    assert "damaged" not in quiet and "wrong columns" not in quiet, "repaired once: the next build says nothing"
