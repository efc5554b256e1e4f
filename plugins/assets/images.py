"""The Pillow pipeline: read a header, plan sizes, then decode once and encode upright sRGB files without metadata."""

from __future__ import annotations

import io
import math
import os
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# Importing the checker sets Pillow's pixel limit to ours and registers HEIC, in worker processes too.
from content_model.files import IMAGE_FORMATS, MAX_MEGAPIXELS, MAX_PIXELS, BadImage, vet_image

from .written import Written, record

SUFFIXES = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# The transposition that makes each EXIF orientation upright (as ImageOps.exif_transpose does).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")
ALPHA_MODES = ("RGBA", "LA", "PA", "RGBa", "La")


@dataclass(frozen=True)
class ImageSettings:
    """What a derivative depends on besides its source: part of every cache key."""

    widths: tuple[int, ...] = (480, 960, 1600)
    max_width: int = 2560
    jpeg_quality: int = 82
    webp_quality: int = 80
    og_size: tuple[int, int] = (1200, 630)

    @classmethod
    def from_settings(cls, settings: dict) -> ImageSettings:
        return cls(
            widths=tuple(sorted(settings.get("IMAGE_WIDTHS", cls.widths))),
            max_width=int(settings.get("IMAGE_MAX_WIDTH", cls.max_width)),
            jpeg_quality=int(settings.get("IMAGE_JPEG_QUALITY", cls.jpeg_quality)),
            webp_quality=int(settings.get("IMAGE_WEBP_QUALITY", cls.webp_quality)),
            og_size=tuple(settings.get("IMAGE_OG_SIZE", cls.og_size)),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class Header:
    """What the pipeline plans from, read without decoding any pixel."""

    width: int  # upright, after the EXIF orientation
    height: int
    raw_width: int
    raw_height: int
    format: str
    orientation: int
    alpha: bool

    @property
    def fallback(self) -> str:
        """The format browsers without WebP get: JPEG for photos, PNG where transparency or lossless matters."""
        if self.format == "WEBP":
            return "WEBP"
        if self.alpha or self.format in ("PNG", "GIF"):
            return "PNG"
        return "JPEG"


@dataclass(frozen=True)
class Output:
    """One file to encode: a resized copy, or the centre crop that Open Graph wants."""

    kind: str  # "resize" | "crop"
    width: int
    height: int
    format: str
    quality: int

    @property
    def name(self) -> str:
        # The name carries every setting that changes the bytes, so a changed setting is a cache miss.
        q = f"q{self.quality}" if self.format != "PNG" else "lossless"
        return f"{self.kind}-{self.width}x{self.height}-{q}{SUFFIXES[self.format]}"


@dataclass
class EncodeResult:
    """What a worker did for one source."""

    source: str
    written: list[str] = field(default_factory=list)
    records: dict[str, Written] = field(default_factory=dict)  # by name: checked before each later use
    error: str = ""
    seconds: float = 0.0


def _orientation(image: Image.Image) -> int:
    # PNG's getexif() decodes the whole image when eXIf follows the pixels; the header's copy is enough.
    if image.format == "PNG":
        raw = image.info.get("exif")
        if not raw:
            return 1
        exif = Image.Exif()
        exif.load(raw)
    else:
        exif = image.getexif()
    value = exif.get(0x0112, 1)
    return value if value in UPRIGHT else 1


def _header_of(image: Image.Image) -> Header:
    raw_width, raw_height = image.size
    if raw_width * raw_height > MAX_PIXELS:
        raise BadImage("image-too-large", megapixels=round(raw_width * raw_height / 1e6))
    fmt = image.format or "?"
    if fmt not in IMAGE_FORMATS:
        raise BadImage("image-format", fmt)
    orientation = _orientation(image)
    width, height = (raw_height, raw_width) if orientation >= 5 else (raw_width, raw_height)
    alpha = image.mode in ALPHA_MODES or "transparency" in image.info
    return Header(width, height, raw_width, raw_height, fmt, orientation, alpha)


def read_header(path: Path) -> Header:
    """The header alone: a bomb is refused here, before any pixel is decoded."""
    limit = Image.MAX_IMAGE_PIXELS
    # Pillow's own guard would refuse before telling the size; ours judges the size in _header_of.
    Image.MAX_IMAGE_PIXELS = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return _header_of(image)
    except BadImage:
        raise
    except UnidentifiedImageError as error:
        raise BadImage("image-unreadable", "不是可识别的图片 not a recognised image") from error
    except Exception as error:  # whatever a damaged header makes a decoder raise
        raise BadImage("image-unreadable", str(error) or type(error).__name__) from error
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def responsive_sizes(header: Header, settings: ImageSettings) -> list[tuple[int, int]]:
    """The widths to publish: the configured ones below the source's width, then its own (capped); never upscaled."""
    top = min(header.width, settings.max_width)
    widths = [w for w in settings.widths if w < top] + [top]
    return [(w, max(1, round(header.height * w / header.width))) for w in widths]


def crop_size(header: Header, settings: ImageSettings) -> tuple[int, int]:
    """The Open Graph crop: its aspect ratio at most its size, never larger than the source allows."""
    target_w, target_h = settings.og_size
    ratio = target_w / target_h
    crop_w = min(header.width, round(header.height * ratio))
    width = min(target_w, crop_w)
    return width, max(1, round(width / ratio))


def _draft_size(header: Header, outputs: list[Output]) -> tuple[int, int]:
    """The smallest raw size that still holds every output at full detail (JPEG decodes at 1/2, 1/4, 1/8)."""
    scale = 0.0
    for out in outputs:
        if out.kind == "resize":
            scale = max(scale, out.width / header.width)
        else:
            scale = max(scale, out.width / header.width, out.height / header.height)
    scale = min(1.0, scale)
    return max(1, math.ceil(header.raw_width * scale)), max(1, math.ceil(header.raw_height * scale))


def _to_srgb(image: Image.Image) -> Image.Image:
    """Pixels in sRGB, so that untagged output (no ICC profile is written) shows the intended colours."""
    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            srgb = ImageCms.createProfile("sRGB")
            alpha = image.mode in ALPHA_MODES
            if image.mode in ("RGB", "RGBA", "CMYK", "L", "LA") and (not alpha or image.mode == "RGBA"):
                converted = ImageCms.profileToProfile(image, source, srgb, outputMode="RGBA" if alpha else "RGB")
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: the pixels are still usable as they are
    return image


def _normalise(image: Image.Image) -> Image.Image:
    """RGB or RGBA, 8 bits a channel, whatever came in (CMYK, 16-bit grey, palette, 1-bit)."""
    if image.mode in SIXTEEN_BIT:
        # Pillow's plain conversion clips 16-bit values at 255 (a white image); scale them instead.
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ALPHA_MODES or "transparency" in image.info:
        return image.convert("RGBA")
    return image if image.mode == "RGB" else image.convert("RGB")


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no alpha: put transparent pixels on white, as a page would show them."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background


def decode(path: Path, header: Header, outputs: list[Output]) -> Image.Image:
    """The upright sRGB pixels, decoded no larger than the outputs need."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as opened:
            if opened.format in ("JPEG", "MPO"):
                # Draft decoding scales in the decoder: a 200 MP photo never exists in memory at full size.
                opened.draft(None, _draft_size(header, outputs))
            opened.load()  # frame 0: an animated GIF, WebP or PNG is published as a still of its first frame
            image = _to_srgb(opened)
            image = _normalise(image)
    if header.orientation in UPRIGHT:
        image = image.transpose(UPRIGHT[header.orientation])
    return image


def render(image: Image.Image, out: Output) -> Image.Image:
    if out.kind == "crop":
        result = ImageOps.fit(image, (out.width, out.height), Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    elif image.size == (out.width, out.height):
        result = image.copy()
    else:
        result = image.resize((out.width, out.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if out.format == "JPEG":
        result = _flatten(result)
    result.info = {}  # no EXIF, GPS, XMP, ICC or comment can follow the pixels out
    return result


def save(image: Image.Image, out: Output, target: Path) -> None:
    """Write `target` atomically: a reader sees the old file, or none, or the whole new one."""
    tmp = target.with_name(f"{target.name}.{os.getpid()}.part")
    try:
        if out.format == "JPEG":
            image.save(tmp, "JPEG", quality=out.quality, optimize=True, progressive=True)
        elif out.format == "WEBP":
            image.save(tmp, "WEBP", quality=out.quality, method=4)
        else:
            image.save(tmp, "PNG", optimize=True)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def encode(source: str, folder: str, outputs: list[Output]) -> EncodeResult:
    """Vet, decode once, write every missing output into `folder`. Runs in a worker: errors are returned as text."""
    started = time.perf_counter()
    result = EncodeResult(source)
    path, target_folder = Path(source), Path(folder)
    try:
        vet_image(path)  # the checker's own test, before anything is decoded at full size
        header = read_header(path)
        image = decode(path, header, outputs)
        target_folder.mkdir(parents=True, exist_ok=True)
        for out in outputs:
            save(render(image, out), out, target_folder / out.name)
            result.written.append(out.name)
            result.records[out.name] = record(target_folder / out.name)
    except BadImage as bad:
        result.error = describe(bad)
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as error:
        result.error = f"{type(error).__name__}: {error}"
    except Exception as error:  # any other decoder failure must name its file, never stop the build with a trace
        result.error = f"{type(error).__name__}: {error}"
    result.seconds = time.perf_counter() - started
    return result


def describe(bad: BadImage) -> str:
    """A BadImage as one line, Chinese first."""
    if bad.code == "image-too-large":
        return f"图片超过 {MAX_MEGAPIXELS} 百万像素 image over {MAX_MEGAPIXELS} megapixels ({bad.megapixels} MP)"
    if bad.code == "image-format":
        return f"不支持的图片格式 unsupported image format {bad.detail}"
    return f"图片无法读取 unreadable image: {bad.detail}"
