"""The image pipeline: sizes, orientation, metadata, hostile files, the content-keyed cache, atomic writes, markup."""

from __future__ import annotations

import io
import multiprocessing.forkserver
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms

from assets.cache import ImageCache, link_or_copy, same_file
from assets.images import ImageSettings, Output, crop_size, encode, read_header, responsive_sizes
from assets.renditions import Plan, Unplanned, picture_markup, rewrite_body
from assets.runner import Summary, publish
from content_model.body import ImageUse
from content_model.files import BadImage
from content_model.frontmatter import Parsed
from content_model.site import Item

PROJECT = Path(__file__).resolve().parents[2]
SETTINGS = ImageSettings()
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">SECRETXMP</x:xmpmeta>'


# Test images


def save(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def halves(size: tuple[int, int], left=(220, 20, 20), right=(20, 20, 220)) -> Image.Image:
    """Left half red, right half blue: shows which way an image was turned."""
    image = Image.new("RGB", size, right)
    image.paste(left, (0, 0, size[0] // 2, size[1]))
    return image


def phone_exif(orientation: int = 1) -> Image.Exif:
    """EXIF as a phone writes it: maker, orientation and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (34.0, 45.0, 1.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (113.0, 39.0, 2.5)
    return exif


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def phone_jpeg(size=(600, 400), orientation: int = 1) -> bytes:
    return save(
        halves(size),
        "JPEG",
        quality=92,
        exif=phone_exif(orientation).tobytes(),
        xmp=XMP,
        comment=b"SECRETCOMMENT",
        icc_profile=srgb_profile(),
    )


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height: a decompression bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose SOF segment claims width × height."""
    data = bytearray(save(Image.new("RGB", (16, 16), "gray"), "JPEG"))
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# Helpers


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def make_item(content: Path, rel: str, url: str, images: tuple[str, ...] = (), **values) -> Item:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: t\n---\n", encoding="utf-8")
    return Item(
        kind="article",
        id=path.stem,
        rel=f"content/{rel}",
        path=path,
        parsed=Parsed(path=path, rel=rel),
        values=values,
        url=url,
        images=[ImageUse(src, f"图{n}", n) for n, src in enumerate(images, 1)],
    )


def run(plan: Plan, tmp_path: Path, workers: int = 1) -> Summary:
    return publish(plan, ImageCache(tmp_path / "cache"), tmp_path / "output", workers=workers)


def metadata_of(path: Path) -> list[str]:
    """Every metadata block a published file still carries."""
    found = []
    with Image.open(path) as image:
        if len(image.getexif()):
            found.append("exif")
        if image.getexif().get_ifd(ExifTags.IFD.GPSInfo):
            found.append("gps")
        found += [key for key in ("icc_profile", "xmp", "comment", "exif", "XML:com.adobe.xmp") if image.info.get(key)]
    data = path.read_bytes()
    found += [mark for mark in ("Exif\0\0", "SECRETXMP", "SECRETCOMMENT", "PhoneMaker") if mark.encode() in data]
    return found


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return tmp_path / "content"


# Sizes


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (4000, [480, 960, 1600, 2560]),
        (2000, [480, 960, 1600, 2000]),
        (1600, [480, 960, 1600]),
        (600, [480, 600]),
        (300, [300]),
    ],
)
def test_derivative_widths_stop_at_the_source_and_at_2560(width: int, expected: list[int]) -> None:
    header = read_header_of(Image.new("RGB", (width, width // 2)))
    sizes = responsive_sizes(header, SETTINGS)
    assert [w for w, _ in sizes] == expected
    assert all(h == max(1, round(width // 2 * w / width)) for w, h in sizes)


def read_header_of(image: Image.Image, fmt: str = "PNG"):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"image.{fmt.lower()}"
        path.write_bytes(save(image, fmt))
        return read_header(path)


def test_og_crop_is_1200_by_630_and_never_upscaled() -> None:
    assert crop_size(read_header_of(Image.new("RGB", (3000, 2000))), SETTINGS) == (1200, 630)
    assert crop_size(read_header_of(Image.new("RGB", (1000, 3000))), SETTINGS) == (1000, 525)
    assert crop_size(read_header_of(Image.new("RGB", (600, 200))), SETTINGS) == (381, 200)


def test_published_files_have_the_planned_sizes_and_no_upscaling(content: Path, tmp_path: Path) -> None:
    write(content, "a/small.png", save(Image.new("RGB", (300, 200), "green"), "PNG"))
    write(content, "a/big.jpg", save(Image.new("RGB", (3000, 1500), "green"), "JPEG"))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    small, big = plan.rendition(item, "small.png"), plan.rendition(item, "big.jpg")
    summary = run(plan, tmp_path)
    assert summary.errors == {} and summary.encoded == 2
    out = tmp_path / "output"
    for rendition in (small, big):
        for variant in (*rendition.variants, rendition.base):
            with Image.open(out / variant.path) as image:
                assert image.size == (variant.width, variant.height), variant
                assert image.format == variant.format
    assert max(v.width for v in small.variants) == 300
    assert [v.width for v in big.of_format("JPEG")] == [480, 960, 1600, 2560]
    assert big.base.path == "articles/2020/07/a/big.jpg" and big.base.width == 2560
    assert small.base.path == "articles/2020/07/a/small.png" and small.header.fallback == "PNG"


def test_a_frozen_plan_answers_what_it_planned_and_refuses_anything_else(content: Path) -> None:
    write(content, "a/one.png", save(Image.new("RGB", (300, 200), "green"), "PNG"))
    write(content, "a/two.png", save(Image.new("RGB", (300, 200), "blue"), "PNG"))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    planned = plan.rendition(item, "one.png")
    files = dict(plan.files)
    plan.frozen = True
    assert plan.rendition(item, "one.png") is planned and plan.files == files
    # A page rendered in a worker would add a file the build never publishes: it fails instead.
    with pytest.raises(Unplanned, match=r"two\.png"):
        plan.rendition(item, "two.png")
    with pytest.raises(Unplanned, match=r"one-og\.jpg"):
        plan.og(item, "one.png")


# Orientation, colour and metadata


def test_phone_photo_with_orientation_6_is_published_upright(content: Path, tmp_path: Path) -> None:
    # Stored 600×400 with its left half red; orientation 6 means "turn 90° clockwise to view".
    write(content, "a/phone.jpg", phone_jpeg((600, 400), orientation=6))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    rendition = plan.rendition(item, "phone.jpg")
    assert (rendition.header.width, rendition.header.height) == (400, 600)
    og = plan.og(item, "phone.jpg")
    assert run(plan, tmp_path).errors == {}
    for variant in rendition.variants:
        with Image.open(tmp_path / "output" / variant.path) as image:
            assert image.height > image.width
            rgb = image.convert("RGB")
            top = rgb.getpixel((image.width // 2, image.height // 8))
            bottom = rgb.getpixel((image.width // 2, image.height * 7 // 8))
            assert top[0] > 150 and top[2] < 100, f"{variant.path}: the top should be the red half, got {top}"
            assert bottom[2] > 150 and bottom[0] < 100
    with Image.open(tmp_path / "output" / og.path) as image:
        assert image.size == (400, 210)


def test_no_metadata_and_no_gps_in_any_published_file(content: Path, tmp_path: Path) -> None:
    exif = phone_exif(3).tobytes()
    write(content, "a/phone.jpg", phone_jpeg())
    write(content, "a/shot.png", save(halves((500, 300)), "PNG", exif=exif, icc_profile=srgb_profile()))
    write(content, "a/pic.webp", save(halves((500, 300)), "WEBP", exif=exif, xmp=XMP, icc_profile=srgb_profile()))
    write(content, "a/iphone.heic", save(halves((500, 300)), "HEIF", exif=exif, quality=80))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    for name in ("phone.jpg", "shot.png", "pic.webp", "iphone.heic"):
        plan.rendition(item, name)
        plan.og(item, name)
    summary = run(plan, tmp_path)
    assert summary.errors == {}
    files = [p for p in (tmp_path / "output").rglob("*") if p.is_file()]
    assert len(files) == summary.files >= 20
    for path in files:
        assert metadata_of(path) == [], f"{path.name} still carries {metadata_of(path)}"
    # HEIC is published as JPEG, under a .jpg name: browsers cannot show HEIC.
    assert (tmp_path / "output/articles/2020/07/a/iphone.jpg").is_file()
    heic = plan.rendition(item, "iphone.heic")
    assert heic.base.path.endswith("/iphone.jpg") and heic.header.fallback == "JPEG"


def test_colours_of_an_srgb_photo_survive_without_its_profile(content: Path, tmp_path: Path) -> None:
    write(content, "a/red.jpg", save(Image.new("RGB", (200, 100), (200, 40, 40)), "JPEG", icc_profile=srgb_profile()))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    rendition = plan.rendition(item, "red.jpg")
    run(plan, tmp_path)
    with Image.open(tmp_path / "output" / rendition.base.path) as image:
        r, g, b = image.convert("RGB").getpixel((100, 50))
    assert abs(r - 200) < 8 and abs(g - 40) < 8 and abs(b - 40) < 8


# Hostile and odd files


@pytest.mark.parametrize(
    "data", [png_claiming(20_000, 20_000), png_claiming(40_000, 40_000), jpeg_claiming(30_000, 20_000)]
)
def test_a_decompression_bomb_is_refused_from_its_header_within_a_second(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "bomb.png", data)
    started = time.perf_counter()
    with pytest.raises(BadImage) as caught:
        read_header(path)
    assert caught.value.code == "image-too-large"
    result = encode(str(path), str(tmp_path / "cache"), [Output("resize", 480, 480, "JPEG", 82)])
    assert "250" in result.error and not result.written
    assert time.perf_counter() - started < 1.0
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_a_bomb_in_a_plan_is_an_error_naming_the_file_and_nothing_is_written(content: Path, tmp_path: Path) -> None:
    write(content, "a/bomb.png", png_claiming(20_000, 20_000))
    write(content, "a/good.jpg", phone_jpeg())
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content, rel=lambda p: p.relative_to(content.parent).as_posix())
    assert plan.rendition(item, "bomb.png") is None
    assert plan.rendition(item, "good.jpg") is not None
    summary = run(plan, tmp_path)
    assert list(summary.errors) == ["content/a/bomb.png"]
    assert "250" in summary.errors["content/a/bomb.png"]
    names = sorted(p.name for p in (tmp_path / "output").rglob("*") if p.is_file())
    assert "good.jpg" in names and not [n for n in names if "bomb" in n]


def test_truncated_and_non_image_files_are_clear_errors_without_output(content: Path, tmp_path: Path) -> None:
    noisy = save(Image.effect_noise((400, 300), 64).convert("RGB"), "JPEG", quality=95)
    write(content, "a/truncated.jpg", noisy[: len(noisy) // 2])
    write(content, "a/fake.jpg", b"<html>this is not a photo</html>" * 10)
    write(content, "a/empty.png", b"")
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content, rel=lambda p: p.name)
    for name in ("truncated.jpg", "fake.jpg", "empty.png"):
        plan.rendition(item, name)
    summary = run(plan, tmp_path)
    assert set(summary.errors) == {"truncated.jpg", "fake.jpg", "empty.png"}
    assert "不是可识别的图片" in summary.errors["fake.jpg"]
    assert all("图片" in message for message in summary.errors.values())
    output = tmp_path / "output"
    assert not output.exists() or not [p for p in output.rglob("*") if p.is_file()]


def test_cmyk_jpeg_is_published_as_rgb(content: Path, tmp_path: Path) -> None:
    write(content, "a/print.jpg", save(Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG", quality=95))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    rendition = plan.rendition(item, "print.jpg")
    assert run(plan, tmp_path).errors == {}
    for variant in rendition.variants:
        with Image.open(tmp_path / "output" / variant.path) as image:
            assert image.mode == "RGB"
            r, g, b = image.getpixel((10, 10))
            assert r > 200 and g < 60 and b < 60, variant.path


def test_16_bit_png_keeps_its_tones(content: Path, tmp_path: Path) -> None:
    gradient = Image.new("I;16", (256, 16))
    gradient.putdata([x * 256 for _ in range(16) for x in range(256)])
    write(content, "a/scan.png", save(gradient, "PNG"))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    rendition = plan.rendition(item, "scan.png")
    assert run(plan, tmp_path).errors == {}
    with Image.open(tmp_path / "output" / rendition.base.path) as image:
        grey = image.convert("L")
        assert grey.getpixel((10, 8)) < 30 and 100 < grey.getpixel((128, 8)) < 160 and grey.getpixel((250, 8)) > 230


def test_animated_gif_is_published_as_a_still_of_its_first_frame(content: Path, tmp_path: Path) -> None:
    frames = [Image.new("RGB", (200, 100), colour) for colour in ((220, 20, 20), (20, 20, 220), (20, 220, 20))]
    write(content, "a/anim.gif", save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    rendition = plan.rendition(item, "anim.gif")
    assert rendition.base.path.endswith("/anim.png")
    assert run(plan, tmp_path).errors == {}
    for variant in (*rendition.variants, rendition.base):
        with Image.open(tmp_path / "output" / variant.path) as image:
            assert getattr(image, "n_frames", 1) == 1
            red, _, blue = image.convert("RGB").getpixel((50, 50))
            assert red > 180 and blue < 80


def test_transparent_png_keeps_its_alpha_and_its_og_crop_is_on_white(content: Path, tmp_path: Path) -> None:
    logo = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    logo.paste((30, 80, 160, 255), (100, 100, 300, 200))
    write(content, "a/logo.png", save(logo, "PNG"))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    rendition = plan.rendition(item, "logo.png")
    og = plan.og(item, "logo.png")
    assert run(plan, tmp_path).errors == {}
    with Image.open(tmp_path / "output" / rendition.of_format("WEBP")[0].path) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0
    with Image.open(tmp_path / "output" / og.path) as image:
        assert image.mode == "RGB" and image.getpixel((0, 0)) == (255, 255, 255)


def test_a_large_phone_photo_is_decoded_in_draft_mode_with_little_memory(tmp_path: Path) -> None:
    # 80 MP: a full decode needs 240 MB for the pixels alone; draft decoding at 1/2 scale needs a quarter of that.
    source = tmp_path / "big.jpg"
    make = f"from PIL import Image; Image.new('RGB', (10000, 8000), (90, 140, 60)).save({str(source)!r}, quality=80)"
    subprocess.run([sys.executable, "-c", make], check=True)
    measure = (
        "import resource, sys; from assets.images import Output, encode;"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        "r = encode(sys.argv[1], sys.argv[2], [Output('resize', 2560, 2048, 'JPEG', 82),"
        " Output('resize', 480, 384, 'WEBP', 80)]);"
        "assert not r.error, r.error; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)"
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "plugins")}
    done = subprocess.run(
        [sys.executable, "-c", measure, str(source), str(tmp_path / "cache")], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    grown_mb = int(done.stdout.strip()) / 1024
    assert grown_mb < 150, f"encoding took {grown_mb:.0f} MB more: the photo was decoded at full size"
    with Image.open(tmp_path / "cache" / "resize-2560x2048-q82.jpg") as image:
        assert image.size == (2560, 2048)


# Cache and atomic writes


def test_second_run_encodes_nothing_even_after_touch(content: Path, tmp_path: Path) -> None:
    for n in range(3):
        write(content, f"a/{n}.jpg", phone_jpeg((800 + n, 600)))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")

    def plan_all(settings: ImageSettings = SETTINGS) -> Plan:
        plan = Plan(settings, content)
        for n in range(3):
            plan.rendition(item, f"{n}.jpg")
        return plan

    first = run(plan_all(), tmp_path, workers=2)
    assert (first.encoded, first.cached, first.errors) == (3, 0, {})
    # The encoders' server is stopped once they are done: it would hold the pipeline's imports to the build's end.
    assert multiprocessing.forkserver._forkserver._forkserver_pid is None  # type: ignore[attr-defined]
    second = run(plan_all(), tmp_path)
    assert (second.encoded, second.cached) == (0, 3)
    assert second.files == first.files
    future = time.time() + 3600
    for n in range(3):
        os.utime(content / f"a/{n}.jpg", (future, future))
    touched = run(plan_all(), tmp_path)
    assert (touched.encoded, touched.cached) == (0, 3)
    assert touched.line.startswith("images: 0 encoded in ") and touched.line.endswith(", 3 from cache")
    # A changed setting or changed content is a miss, for that image only.
    requalified = run(plan_all(ImageSettings(jpeg_quality=70)), tmp_path)
    assert requalified.encoded == 3
    write(content, "a/1.jpg", phone_jpeg((640, 480)))
    edited = run(plan_all(), tmp_path)
    assert (edited.encoded, edited.cached) == (1, 2)


def test_encoding_is_reproducible(content: Path, tmp_path: Path) -> None:
    write(content, "a/p.jpg", phone_jpeg())
    outs = [Output("resize", 480, 320, fmt, 80) for fmt in ("JPEG", "WEBP", "PNG")]
    encode(str(content / "a/p.jpg"), str(tmp_path / "one"), outs)
    encode(str(content / "a/p.jpg"), str(tmp_path / "two"), outs)
    for out in outs:
        assert (tmp_path / "one" / out.name).read_bytes() == (tmp_path / "two" / out.name).read_bytes()


def test_a_failed_encode_leaves_no_partial_file(content: Path, tmp_path: Path, monkeypatch) -> None:
    write(content, "a/p.jpg", phone_jpeg())
    real_save = Image.Image.save

    def dying_save(self, fp, *args, **kwargs):
        if str(fp).endswith(".part") and "webp" in str(fp):
            with open(fp, "wb") as handle:
                handle.write(b"RIFF\0\0")  # the first bytes, then the disk is full
            raise OSError(28, "No space left on device")
        return real_save(self, fp, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", dying_save)
    folder = tmp_path / "cache"
    outs = [Output("resize", 480, 320, "JPEG", 82), Output("resize", 480, 320, "WEBP", 80)]
    result = encode(str(content / "a/p.jpg"), str(folder), outs)
    assert "No space left" in result.error
    assert sorted(p.name for p in folder.iterdir()) == ["resize-480x320-q82.jpg"]


def test_link_or_copy_replaces_a_file_whole(tmp_path: Path) -> None:
    cached = write(tmp_path, "cache/a.jpg", b"new bytes")
    target = write(tmp_path, "output/a.jpg", b"old")
    link_or_copy(cached, target)
    assert target.read_bytes() == b"new bytes"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.jpg"]
    assert same_file(cached, target)  # the next build leaves it linked as it is
    assert not same_file(write(tmp_path, "cache/b.jpg", b"new bytes"), target)
    assert not same_file(cached, tmp_path / "output/missing.jpg")


def test_two_images_that_would_publish_to_one_file_are_an_error(content: Path, tmp_path: Path) -> None:
    write(content, "a/x.png", save(Image.new("RGB", (500, 300)), "PNG"))
    write(content, "a/sub/x.png", save(Image.new("RGB", (500, 300), "white"), "PNG"))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content, rel=lambda p: p.relative_to(content).as_posix())
    plan.rendition(item, "x.png")
    plan.rendition(item, "sub/x.png")
    assert any("a/x.png" in message for message in plan.errors.values()), plan.errors


# Markup


def test_body_images_become_pictures_first_eager_then_lazy(content: Path, tmp_path: Path) -> None:
    write(content, "a/one.jpg", phone_jpeg((1200, 800)))
    write(content, "images/shared.png", save(Image.new("RGB", (640, 480)), "PNG"))
    item = make_item(content, "a/index.md", "articles/2020/07/a/", images=("one.jpg", "/images/shared.png"))
    html = (
        '<p><img alt="第一张" src="one.jpg" title="说明"></p>\n'
        '<p><img alt="第二张" src="../../../../images/shared.png"></p>\n'
        '<p><img alt="远程" src="https://example.org/x.jpg"></p>'
    )
    plan = Plan(SETTINGS, content)
    out = rewrite_body(html, item, plan)
    first, second = out.split("<picture>")[1:3]
    assert 'srcset="one-480w.webp 480w, one-960w.webp 960w, one-1200w.webp 1200w"' in first
    assert 'src="one-960w.jpg"' in first and 'width="960" height="640"' in first
    assert 'alt="第一张"' in first and 'title="说明"' in first and "loading" not in first
    assert 'src="../../../../images/shared-480w.png"' not in second  # png sources fall back to png at each width
    assert 'srcset="../../../../images/shared-480w.webp 480w, ../../../../images/shared-640w.webp 640w"' in second
    assert 'loading="lazy"' in second and 'alt="第二张"' in second
    assert '<img alt="远程" src="https://example.org/x.jpg">' in out
    assert "images/shared.png" in plan.files and "articles/2020/07/a/one.jpg" in plan.files


def test_picture_markup_escapes_alt_and_skips_source_for_webp(content: Path) -> None:
    write(content, "a/w.webp", save(Image.new("RGB", (700, 350)), "WEBP"))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    markup = str(picture_markup(plan.rendition(item, "w.webp"), '"><script>', lambda p: "/" + p, lazy=False))
    assert "<source" not in markup and "<script>" not in markup and "&#34;&gt;&lt;script&gt;" in markup
    assert 'srcset="/articles/2020/07/a/w-480w.webp 480w, /articles/2020/07/a/w-700w.webp 700w"' in markup


def test_file_names_with_spaces_commas_and_chinese_stay_one_srcset_entry(content: Path, tmp_path: Path) -> None:
    name = "现场 照片,1.jpg"
    write(content, f"a/{name}", phone_jpeg((1000, 600)))
    item = make_item(content, "a/index.md", "articles/2020/07/a/", images=(name,))
    plan = Plan(SETTINGS, content)
    out = rewrite_body(f'<p><img alt="现场" src="{name}"></p>', item, plan)
    srcset = out.split('<source type="image/webp" srcset="')[1].split('"')[0]
    entries = [entry.split() for entry in srcset.split(", ")]
    assert [width for _, width in entries] == ["480w", "960w", "1000w"]
    assert entries[0][0] == "%E7%8E%B0%E5%9C%BA%20%E7%85%A7%E7%89%87%2C1-480w.webp"
    assert run(plan, tmp_path).errors == {}
    assert (tmp_path / "output/articles/2020/07/a/现场 照片,1-480w.webp").is_file()


def test_mpo_from_a_camera_uses_its_first_picture(content: Path, tmp_path: Path) -> None:
    first, second = halves((1200, 800)), Image.new("RGB", (1200, 800), (20, 220, 20))
    write(content, "a/camera.jpg", save(first, "MPO", save_all=True, append_images=[second]))
    item = make_item(content, "a/index.md", "articles/2020/07/a/")
    plan = Plan(SETTINGS, content)
    rendition = plan.rendition(item, "camera.jpg")
    assert rendition.header.format == "MPO"
    assert run(plan, tmp_path).errors == {}
    with Image.open(tmp_path / "output" / rendition.of_format("JPEG")[0].path) as image:
        assert image.size == (480, 320) and image.convert("RGB").getpixel((10, 160))[0] > 150


def _calls_to(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    """The names of the files the image cache hands to its function `name`, in order."""
    import assets.cache

    calls: list[str] = []
    real = getattr(assets.cache, name)
    monkeypatch.setattr(assets.cache, name, lambda path: calls.append(path.name) or real(path))
    return calls


def test_source_digests_are_kept_while_the_file_is_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hashed = _calls_to(monkeypatch, "content_digest")
    photo = write(tmp_path, "content/a.jpg", save(Image.new("RGB", (50, 40)), "JPEG"))
    first = ImageCache(tmp_path / "cache")
    folder = first.folder(photo)
    first.save_known()
    assert ImageCache(tmp_path / "cache").folder(photo) == folder and hashed == ["a.jpg"]  # not read again
    photo.unlink()
    write(tmp_path, "content/a.jpg", save(Image.new("RGB", (50, 40), "white"), "JPEG"))
    assert ImageCache(tmp_path / "cache").folder(photo) != folder and hashed == ["a.jpg", "a.jpg"]


def test_headers_are_kept_by_the_sources_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = _calls_to(monkeypatch, "read_header")
    photo = write(tmp_path, "content/a.jpg", save(Image.new("RGB", (50, 40)), "JPEG"))
    first = ImageCache(tmp_path / "cache")
    assert (first.header(photo).width, first.header(photo).height) == (50, 40)
    first.save_known()
    assert ImageCache(tmp_path / "cache").header(photo).width == 50 and read == ["a.jpg"]  # not opened again
    # Other bytes, another digest: the new header is read.
    photo.unlink()
    write(tmp_path, "content/a.jpg", save(Image.new("RGB", (30, 20)), "JPEG"))
    assert ImageCache(tmp_path / "cache").header(photo).width == 30 and read == ["a.jpg", "a.jpg"]
    # A damaged file raises, and nothing of it is kept.
    photo.unlink()
    write(tmp_path, "content/a.jpg", b"not an image")
    damaged = ImageCache(tmp_path / "cache")
    with pytest.raises(BadImage):
        damaged.header(photo)
    damaged.save_known()
    with pytest.raises(BadImage):
        ImageCache(tmp_path / "cache").header(photo)
