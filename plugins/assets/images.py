"""Re-encodes one image for the web: upright, sRGB, at most 2560 px wide, with every metadata block removed."""

from __future__ import annotations

import io
import os
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

MAX_WIDTH = 2560
JPEG_QUALITY = 82


def _to_srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        srgb = ImageCms.createProfile("sRGB")
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
        return ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def publish_image(source: Path, target: Path) -> None:
    """Write `target` atomically: a half-written file never reaches output/."""
    with Image.open(source) as opened:
        image = ImageOps.exif_transpose(opened)
        image = _to_srgb(image)
        if image.width > MAX_WIDTH:
            height = round(image.height * MAX_WIDTH / image.width)
            image = image.resize((MAX_WIDTH, height), Image.Resampling.LANCZOS)
        suffix = target.suffix.lower()
        tmp = target.with_name(target.name + ".part")
        if suffix in (".jpg", ".jpeg", ".heic", ".heif"):
            if suffix in (".heic", ".heif"):
                target = target.with_suffix(".jpg")
                tmp = target.with_name(target.name + ".part")
            image.convert("RGB").save(tmp, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        elif suffix == ".png":
            if image.mode == "I;16" or image.mode == "I":
                image = image.convert("RGB")
            image.save(tmp, "PNG", optimize=True)
        elif suffix == ".webp":
            image.save(tmp, "WEBP", quality=JPEG_QUALITY)
        else:
            image.save(tmp, image.format or "PNG")
        os.replace(tmp, target)
