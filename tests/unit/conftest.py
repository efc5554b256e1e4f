"""Shared helpers for the content-model unit tests: small sites written to tmp_path."""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from content_model.problems import Problem
from content_model.site import Options, Site, load_site
from content_model.times import parse_time

SECTIONS_YML = """\
- {id: news, name: 科协要闻, order: 1}
- {id: notices, name: 通知公告, order: 2}
"""
DEPARTMENTS_YML = """\
- {id: dyxcb, name: 调研宣传部, kind: 机关部室}
- {id: zzskx, name: 郑州市科协, kind: 市科协}
"""
MEDIA_YML = """\
- {id: henan-daily, name: 河南日报, level: 省级, url: "https://www.henandaily.cn/"}
- {id: xinhua, name: 新华社, level: 中央, url: "https://www.xinhuanet.com/"}
"""

# Raw YAML values, written verbatim as `key: value`, so that tests control every line.
ARTICLE_FIELDS: dict[str, str] = {
    "title": "扎根中原的科技工作者",
    "date": "2020-07-20 09:30",
    "department": "dyxcb",
    "review": "{first: 陈静, second: 赵磊, final: 孙敏}",
}

NOW = parse_time("2020-07-25 12:00")

_HAN = re.compile(r"[\u4e00-\u9fff]")


def front_matter(fields: dict[str, str], body: str = "正文。\n") -> str:
    """A content file: `---`, one `key: value` line per field, `---`, then the body."""
    lines = ["---"] + [f"{key}: {value}" for key, value in fields.items()] + ["---", body]
    return "\n".join(lines)


def article_text(body: str = "正文。\n", drop: tuple[str, ...] = (), **fields: str) -> str:
    """An article with every required field (and review); keyword arguments add or override fields."""
    values = {k: v for k, v in ARTICLE_FIELDS.items() if k not in drop}
    values.update(fields)
    return front_matter(values, body)


class SiteBuilder:
    """A minimal valid site under tmp_path/site: registries in content/data, files added by the tests."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.write("content/data/sections.yml", SECTIONS_YML)
        self.write("content/data/departments.yml", DEPARTMENTS_YML)
        self.write("content/data/media.yml", MEDIA_YML)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def article(self, name: str = "a", body: str = "正文。\n", drop: tuple[str, ...] = (), **fields: str) -> str:
        """Write content/articles/<name>.md (name may contain folders); return its site-relative path."""
        rel = f"content/articles/{name}.md"
        self.write(rel, article_text(body, drop, **fields))
        return rel

    def page(self, page_id: str, **fields: str) -> str:
        rel = f"content/pages/{page_id}.md"
        self.write(rel, front_matter({"title": "关于我们", **fields}))
        return rel

    def column(self, column_id: str, **fields: str) -> str:
        rel = f"content/columns/{column_id}.md"
        self.write(rel, front_matter({"title": "最美科技工作者", **fields}))
        return rel

    def topic(self, topic_id: str, **fields: str) -> str:
        rel = f"content/topics/{topic_id}.md"
        self.write(rel, front_matter({"title": "全国科技工作者日", **fields}))
        return rel

    def person(self, person_id: str, **fields: str) -> str:
        rel = f"content/people/{person_id}.md"
        self.write(rel, front_matter({"name": "李明", **fields}))
        return rel

    def gallery(self, gallery_id: str, **fields: str) -> str:
        rel = f"content/galleries/{gallery_id}/index.md"
        self.write(rel, front_matter({"title": "科普大篷车进基层", "date": "2020-09-20", **fields}))
        return rel

    def load(self, strict: bool = True, now=NOW, iframe_hosts: tuple[str, ...] = ()) -> Site:
        return load_site(self.content, self.root, Options(strict=strict, now=now, iframe_hosts=iframe_hosts))


@pytest.fixture
def site(tmp_path: Path) -> SiteBuilder:
    return SiteBuilder(tmp_path / "site")


def codes(site: Site, level: str | None = None) -> list[str]:
    return [p.code for p in site.problems.items if level is None or p.level == level]


def find(site: Site, code: str) -> list[Problem]:
    return [p for p in site.problems.items if p.code == code]


def one(site: Site, code: str) -> Problem:
    """The single problem with this code; fails with the full list otherwise."""
    found = find(site, code)
    assert len(found) == 1, f"expected one {code}, got {[(p.code, p.file, p.message_en) for p in site.problems.items]}"
    return found[0]


def has_chinese(text: str) -> bool:
    return bool(_HAN.search(text))


def mostly_ascii(text: str) -> bool:
    """English text: at least 80 % of its letters are ASCII (it may quote Chinese values)."""
    letters = [c for c in text if not c.isspace()]
    return bool(letters) and sum(c.isascii() for c in letters) / len(letters) >= 0.8


def assert_well_formed(problem: Problem, rel: str | None = None) -> None:
    """The shape every message must have."""
    if rel is not None:
        assert problem.file == rel
    assert not Path(problem.file).is_absolute()
    assert problem.level in ("error", "warning")
    assert has_chinese(problem.message_zh), problem.message_zh
    assert mostly_ascii(problem.message_en), problem.message_en
    placeholder = re.compile(r"\{[a-z_]+\}")
    assert not placeholder.search(problem.message_zh) and not placeholder.search(problem.message_en)


# Images, made with Pillow in tmp_path.


def jpeg_bytes(size: tuple[int, int] = (64, 48), noise: bool = False) -> bytes:
    image = Image.effect_noise(size, 64).convert("RGB") if noise else Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 200, 30)).save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A small PNG whose IHDR claims width x height, with a correct CRC: a decompression bomb's header."""
    data = png_bytes((8, 8))
    assert data[12:16] == b"IHDR"
    ihdr = bytearray(data[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return data[:16] + bytes(ihdr) + crc + data[33:]


def pdf_bytes() -> bytes:
    """A small valid PDF with one blank page."""
    import io

    from pypdf import PdfWriter

    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.write(buffer)
    return buffer.getvalue()
