"""Deterministic stand-in photos: 1200×800 JPEG gradients with a few shapes, one distinct image per number."""

from __future__ import annotations

import hashlib
import io
import os
import random
from pathlib import Path

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 800
QUALITY = 85
# Part of the pool's folder name: a change here must not reuse images made the old way.
IMAGE_KEY = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def photo(number: int) -> bytes:
    """The JPEG of image `number`; every number gives other bytes, so our content-keyed cache can't share them."""
    rng = random.Random(f"photo-{number}")
    base = [rng.randrange(40, 216) for _ in range(3)]
    # Three gradient planes at different angles make a coloured sky-like background.
    bands = []
    for channel in range(3):
        plane = Image.linear_gradient("L").rotate(rng.choice((0, 45, 90, 135, 180)) + channel * 30, expand=False)
        plane = plane.resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
        bands.append(plane.point(lambda v, b=base[channel]: (v * 3 // 5 + b) % 256))
    image = Image.merge("RGB", bands)
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(3, 6)):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        w, h = rng.randint(60, 420), rng.randint(60, 300)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + w, y + h), fill=colour)
        else:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=QUALITY, optimize=False, progressive=False)
    return out.getvalue()


def pool_path(pool: Path, number: int) -> Path:
    return pool / f"{number // 1000:03d}" / f"{number:06d}.jpg"


def ensure(pool: Path, numbers: list[int]) -> None:
    """Make the images the corpus needs once; every corpus size and twin links to the same files."""
    for number in numbers:
        path = pool_path(pool, number)
        if path.is_file():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.part")
        tmp.write_bytes(photo(number))
        os.replace(tmp, path)  # an interrupted run leaves no half-written image behind


def place(source: Path, target: Path) -> None:
    """A hard link where possible (the twins share the bytes), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(source.read_bytes())
