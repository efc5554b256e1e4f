"""Files that content refers to: resolving paths safely inside content/, and vetting images before use."""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, UnidentifiedImageError

try:  # HEIC from phones; the pipeline needs it too
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - pinned in requirements
    pass

MAX_MEGAPIXELS = 250
MAX_PIXELS = MAX_MEGAPIXELS * 1_000_000
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF", "MPO")
# Pillow's own guard trips at 89 MP; ours is the 250 MP limit, checked from the header before decoding.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@lru_cache(maxsize=8192)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def _real(path: str) -> str:
    # Each folder is resolved once per run, not once per reference: resolving walks the path with lstat.
    folder, name = os.path.split(path)
    if name in ("", ".", ".."):
        return str(Path(path).resolve())
    joined = os.path.join(_real_folder(folder or "."), name)
    return os.path.realpath(joined) if os.path.islink(joined) else joined


def resolved(path: str | os.PathLike[str]) -> str:
    """`str(Path(path).resolve())`, resolving each folder once per run: a content tree has many files in few folders."""
    return _real(os.fspath(path))


def relative_inside(path: Path, folder: Path) -> str | None:
    """`path`'s place under `folder` ("." for the folder itself) once both are resolved; None when outside."""
    return _under(_real(os.fspath(path)), _real_folder(os.fspath(folder)))


def _under(real: str, root: str) -> str | None:
    if real == root:
        return "."
    prefix = root.rstrip(os.sep) + os.sep
    return real[len(prefix) :].replace(os.sep, "/") if real.startswith(prefix) else None


class OutsideContent(ValueError):
    """A path that would leave content/."""


def resolve(reference: str, source: Path, content_root: Path) -> Path:
    """A path as written in a content file: relative to that file, or /… from content/."""
    if reference.startswith("/"):
        candidate = os.path.join(os.fspath(content_root), reference.lstrip("/"))
    else:
        candidate = os.path.join(os.path.dirname(os.fspath(source)), reference)
    real = _real(candidate)
    if _under(real, _real_folder(os.fspath(content_root))) is None:
        raise OutsideContent(reference)
    return Path(real)


@dataclass(frozen=True)
class ImageFacts:
    """What the header of a sound image says."""

    width: int
    height: int
    format: str


class BadImage(ValueError):
    """An image that must not be used; `code` picks the message."""

    def __init__(self, code: str, detail: str = "", megapixels: int = 0) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.megapixels = megapixels


def _header_size(path: Path) -> tuple[int, int, str]:
    """Width, height and format from the header alone; Pillow's own bomb guard is ours to apply here."""
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # reading a header decodes nothing; the size is judged just below
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return image.size[0], image.size[1], image.format or "?"
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def vet_image(path: Path) -> ImageFacts:
    """Read the header, refuse bombs before decoding, then decode cheaply to catch damaged files."""
    try:
        width, height, fmt = _header_size(path)
        if width * height > MAX_PIXELS:
            raise BadImage("image-too-large", megapixels=round(width * height / 1e6))
        if fmt not in IMAGE_FORMATS:
            raise BadImage("image-format", fmt)
        with Image.open(path) as image:
            if fmt in ("JPEG", "MPO"):
                # Draft mode decodes at 1/8 scale: a damaged file still fails, at a fraction of the cost.
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
            else:
                image.verify()
    except BadImage:
        raise
    except UnidentifiedImageError as error:
        raise BadImage("image-unreadable", "不是可识别的图片 not a recognised image") from error
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        raise BadImage("image-unreadable", str(error) or type(error).__name__) from error
    return ImageFacts(width, height, fmt)
