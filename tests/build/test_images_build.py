"""Build tests of the image pipeline on a fixture site: responsive markup, upright files without metadata, the cache."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zlib
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from PIL import ExifTags, Image
from pillow_heif import register_heif_opener

from tests.sites import PROJECT, Run, article, output_text, write_site

register_heif_opener()  # to write the HEIC test photo

NOW = "2020-07-25 12:00"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic")
# Plugins this part of the site needs, whether or not pelicanconf.py lists them yet.
PLUGINS_NEEDED = ("assets", "galleries")


def build_with_plugins(root: Path, *, publish: bool = True, site_now: str | None = NOW, timeout: int = 300) -> Run:
    """Build like tests.sites.build, with settings that add the image and gallery plugins if missing."""
    base = "publishconf" if publish else "pelicanconf"
    settings = root / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(PROJECT)!r})\nfrom {base} import *  # noqa\n"
        f"THEME = {str(PROJECT / 'theme')!r}\nPLUGIN_PATHS = [{str(PROJECT / 'plugins')!r}]\n"
        f"PLUGINS = [*PLUGINS, *[p for p in {PLUGINS_NEEDED!r} if p not in PLUGINS]]\n",
        encoding="utf-8",
    )
    env = dict(os.environ, PYTHONPATH=str(PROJECT / "plugins"))
    env.pop("SITEURL", None)
    env.pop("SITE_NOW", None)
    if site_now is not None:
        env["SITE_NOW"] = site_now
    output = root / "output"
    result = subprocess.run(
        [sys.executable, "-m", "pelican", str(root / "content"), "-s", str(settings), "-o", str(output)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(result.returncode, result.stdout, result.stderr, output)


def image_bytes(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def phone_photo(size=(1800, 1200), orientation: int = 6) -> bytes:
    """A phone photo: left half red, EXIF orientation and a GPS position."""
    image = Image.new("RGB", size, (20, 20, 220))
    image.paste((220, 20, 20), (0, 0, size[0] // 2, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (34.0, 45.0, 1.5)
    return image_bytes(image, "JPEG", quality=90, exif=exif.tobytes())


def images_summary(run: Run) -> tuple[int, int]:
    """(encoded, from cache) from the build log's last image line."""
    match = re.findall(r"images: (\d+) encoded in [\d.]+ s \([\d.]+/s\), (\d+) from cache", run.stdout)
    assert match, run.text
    encoded, cached = match[-1]
    return int(encoded), int(cached)


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("photos")
    gif_frames = [Image.new("RGB", (300, 200), c) for c in ((200, 40, 40), (40, 40, 200))]
    write_site(
        root,
        {
            "content/articles/bundle/index.md": article(
                "图片稿件",
                "2020-07-20 09:30",
                "第一段。\n\n![竖拍的照片](phone.jpg)\n\n第二段。\n\n![截图](shot.png)\n\n"
                "![手机照片](iphone.heic)\n\n![动图](anim.gif)\n\n![共享图片](/images/shared.jpg)\n",
                cover="cover.jpg",
                cover_alt="封面图",
            ),
            "content/articles/bundle/cover.jpg": phone_photo((3000, 2000), orientation=1),
            "content/articles/bundle/phone.jpg": phone_photo(),
            "content/articles/bundle/shot.png": image_bytes(Image.new("RGB", (700, 400), "white"), "PNG"),
            "content/articles/bundle/iphone.heic": image_bytes(Image.new("RGB", (1200, 900), "green"), "HEIF"),
            "content/articles/bundle/anim.gif": image_bytes(
                gif_frames[0], "GIF", save_all=True, append_images=gif_frames[1:], duration=100
            ),
            "content/images/shared.jpg": phone_photo((1000, 800), orientation=1),
            "content/articles/plain.md": article("无图稿件", "2020-07-21", "只有文字。"),
            "content/articles/shared-cover.md": article(
                "共享封面", "2020-07-22", "正文。", cover="/images/shared.jpg", cover_alt="共享封面图"
            ),
            "content/articles/draft/index.md": article(
                "草稿", "2020-07-10", "![草稿图](secret-photo.jpg)", status="draft"
            ),
            "content/articles/draft/secret-photo.jpg": phone_photo((400, 300)),
        },
    )
    return root


@pytest.fixture(scope="module")
def first(photo_site: Path) -> Run:
    run = build_with_plugins(photo_site)
    assert run.returncode == 0, run.text
    return run


def page(run: Run, url: str) -> BeautifulSoup:
    return BeautifulSoup((run.output / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_published_image_is_upright_and_without_metadata(first: Run) -> None:
    files = [p for p in first.output.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES]
    assert len(files) > 30
    for path in files:
        with Image.open(path) as image:
            assert not image.getexif(), f"{path} keeps EXIF"
            assert not image.info.get("icc_profile") and not image.info.get("comment"), path
        assert b"PhoneMaker" not in path.read_bytes()
    assert not [p for p in files if p.suffix == ".heic"]
    with Image.open(first.output / "articles/2020/07/bundle/phone-960w.jpg") as upright:
        assert upright.size == (960, 1440)
        assert upright.convert("RGB").getpixel((480, 100))[0] > 150  # the red half is on top
    assert not [p for p in first.output.rglob("*") if "secret-photo" in p.name or p.name.endswith(".part")]


def test_body_images_are_responsive_pictures_with_sizes(first: Run) -> None:
    soup = page(first, "articles/2020/07/bundle")
    body = soup.select_one(".article__body")
    pictures = body.select("picture")
    assert len(pictures) == 5
    imgs = [p.img for p in pictures]
    assert [i["alt"] for i in imgs] == ["竖拍的照片", "截图", "手机照片", "动图", "共享图片"]
    assert "loading" not in imgs[0].attrs and all(i["loading"] == "lazy" for i in imgs[1:])
    for picture in pictures:
        img = picture.img
        assert int(img["width"]) > 0 and int(img["height"]) > 0 and img["sizes"]
        source = picture.source
        assert source["type"] == "image/webp" and source["sizes"] == img["sizes"]
        for url in [img["src"], *_srcset(img["srcset"]), *_srcset(source["srcset"])]:
            target = urljoin("articles/2020/07/bundle/", url)
            assert (first.output / target).is_file(), target
    assert imgs[0]["width"] == "960" and imgs[0]["height"] == "1440"  # upright, from the derivative
    assert imgs[4]["src"].startswith("../../../../images/shared-")
    assert _srcset(pictures[0].source["srcset"]) == [f"phone-{w}w.webp" for w in (480, 960, 1200)]


def _srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",")]


def test_cover_is_an_eager_picture_and_the_og_image_is_1200_by_630(first: Run) -> None:
    soup = page(first, "articles/2020/07/bundle")
    cover = soup.select_one(".article__cover picture img")
    assert cover["alt"] == "封面图" and cover.get("fetchpriority") == "high" and "loading" not in cover.attrs
    assert _srcset(cover["srcset"])[-1] == "cover-2560w.jpg"
    og = soup.find("meta", property="og:image")["content"]
    assert og.endswith("/articles/2020/07/bundle/cover-og.jpg")
    assert soup.find("meta", property="og:image:width")["content"] == "1200"
    assert soup.find("meta", property="og:image:height")["content"] == "630"
    with Image.open(first.output / "articles/2020/07/bundle/cover-og.jpg") as image:
        assert image.size == (1200, 630)
    shared = page(first, "articles/2020/07/shared-cover")
    assert shared.find("meta", property="og:image")["content"].endswith("/images/shared-og.jpg")
    assert page(first, "articles/2020/07/plain").find("meta", property="og:image") is None


def test_the_downloadable_original_is_at_the_items_path_at_most_2560_wide(first: Run) -> None:
    folder = first.output / "articles/2020/07/bundle"
    with Image.open(folder / "cover.jpg") as image:
        assert image.width == 2560
    with Image.open(folder / "iphone.jpg") as image:
        assert image.format == "JPEG" and image.size == (1200, 900)
    with Image.open(folder / "anim.png") as image:
        assert getattr(image, "n_frames", 1) == 1


def test_drafts_images_never_reach_a_publish_build(first: Run) -> None:
    for name, text in output_text(first.output).items():
        assert "secret-photo" not in text, name


def test_cache_lives_outside_output_and_a_second_build_encodes_nothing(photo_site: Path, first: Run) -> None:
    encoded, cached = images_summary(first)
    assert encoded >= 6 and cached == 0
    cache = photo_site / ".cache" / "images"
    assert cache.is_dir() and any(cache.rglob("*.webp"))
    before = {p.relative_to(first.output): p.read_bytes() for p in first.output.rglob("*") if p.is_file()}
    future = time.time() + 3600
    for path in (photo_site / "content").rglob("*"):
        os.utime(path, (future, future))  # what a fresh git checkout does to file times
    second = build_with_plugins(photo_site)
    assert second.returncode == 0, second.text
    assert images_summary(second) == (0, encoded)
    lines = second.stdout.splitlines()
    done = next(n for n, line in enumerate(lines) if line.startswith("Done:"))
    assert lines[done - 1].startswith("images: 0 encoded")  # the build log's last figures, for make bench
    after = {p.relative_to(second.output): p.read_bytes() for p in second.output.rglob("*") if p.is_file()}
    assert after == before  # reproducible, byte for byte


def test_preview_build_publishes_draft_images_too(photo_site: Path, tmp_path: Path) -> None:
    run = build_with_plugins(photo_site, publish=False)
    assert run.returncode == 0, run.text
    assert (run.output / "articles/2020/07/draft/secret-photo.jpg").is_file()


def test_a_hostile_image_stops_the_build_with_its_name_quickly(tmp_path: Path) -> None:
    bomb = bytearray(image_bytes(Image.new("RGB", (8, 8)), "PNG"))
    bomb[16:24] = (30_000).to_bytes(4, "big") + (30_000).to_bytes(4, "big")
    bomb[29:33] = (zlib.crc32(bytes(bomb[12:29])) & 0xFFFFFFFF).to_bytes(4, "big")
    write_site(
        tmp_path,
        {
            "content/articles/bomb/index.md": article("炸弹", "2020-07-20", "![图](bomb.png)"),
            "content/articles/bomb/bomb.png": bytes(bomb),
        },
    )
    started = time.perf_counter()
    run = build_with_plugins(tmp_path)
    assert time.perf_counter() - started < 60
    assert run.returncode != 0
    assert "bomb.png" in run.text and "250" in run.text
    assert "Traceback" not in run.text
