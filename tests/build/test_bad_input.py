"""Bad input gives a clear error naming file, line and field, fast, without a traceback, touching no content file."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from tests.sites import PROJECT, article, build, check, write_site


def _jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def _bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG whose header claims 900 megapixels."""
    buffer = io.BytesIO()
    Image.new("L", (8, 8)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = 8  # after the PNG signature: length(4) type(4) data(13) crc(4)
    data[ihdr + 8 : ihdr + 16] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr + 4 : ihdr + 21])) & 0xFFFFFFFF
    data[ihdr + 21 : ihdr + 25] = struct.pack(">I", crc)
    return bytes(data)


FILE = "content/articles/bad/index.md"

CASES: dict[str, tuple[dict[str, str | bytes], str, str, int]] = {
    # name: (files, expected code, expected field, expected line)
    "malformed yaml": (
        {FILE: "---\ntitle: 标题\ndate: 2020-07-20\ntags: [科普, 脱贫\ndepartment: dyxcb\n---\n正文\n"},
        "yaml-syntax",
        "",
        4,  # where the list opens and is never closed
    ),
    "full-width colon": (
        {FILE: "---\ntitle：标题\ndate: 2020-07-20\ndepartment: dyxcb\n---\n正文\n"},
        "yaml-fullwidth-colon",
        "title",
        2,
    ),
    "unknown field": (
        {FILE: article("标题", "2020-07-20", colums="[zuimei]")},
        "unknown-field",
        "colums",
        6,
    ),
    "bad date": ({FILE: article("标题", "2020-13-45 10:00")}, "bad-date", "date", 3),
    "unknown department": (
        {
            FILE: "---\ntitle: 标题\ndate: 2020-07-20\ndepartment: dyxbc\n"
            + "review: {first: 甲, second: 乙, final: 丙}\n---\n正文\n"
        },
        "unknown-ref",
        "department",
        4,
    ),
    "unknown media": (
        {FILE: article("标题", "2020-07-20", adopted_by="\n  - {media: henan-dialy, date: 2020-07-21}")},
        "unknown-ref",
        "adopted_by[0].media",
        7,
    ),
    "missing image": (
        {FILE: article("标题", "2020-07-20", "正文\n\n![现场照片](nothere.jpg)\n")},
        "file-missing",
        "body",
        9,
    ),
    "image without alt": (
        {FILE: article("标题", "2020-07-20", "正文\n\n![](photo.jpg)\n"), "content/articles/bad/photo.jpg": _jpeg()},
        "image-alt-missing",
        "body",
        9,
    ),
    "cover without alt": (
        {FILE: article("标题", "2020-07-20", cover="photo.jpg"), "content/articles/bad/photo.jpg": _jpeg()},
        "alt-missing",
        "cover",
        6,
    ),
    "decompression bomb": (
        {FILE: article("标题", "2020-07-20", "![炸弹](bomb.png)"), "content/articles/bad/bomb.png": _bomb_png()},
        "image-too-large",
        "body",
        7,
    ),
    "truncated jpeg": (
        {
            FILE: article("标题", "2020-07-20", "![截断](cut.jpg)"),
            "content/articles/bad/cut.jpg": _jpeg((800, 600))[:1500],
        },
        "image-unreadable",
        "body",
        7,
    ),
    "not an image": (
        {
            FILE: article("标题", "2020-07-20", "![文本](fake.jpg)"),
            "content/articles/bad/fake.jpg": b"hello, not a jpeg",
        },
        "image-unreadable",
        "body",
        7,
    ),
    "path leaving content": (
        {FILE: article("标题", "2020-07-20", "![逃逸](../../../../etc/passwd)")},
        "path-outside-content",
        "body",
        7,
    ),
    "script tag": (
        {FILE: article("标题", "2020-07-20", "正文\n\n<script>alert(1)</script>\n")},
        "html-forbidden-tag",
        "body",
        9,
    ),
    "event handler": (
        {FILE: article("标题", "2020-07-20", '<p onclick="alert(1)">点我</p>')},
        "html-event-attribute",
        "body",
        7,
    ),
    "javascript url": (
        {FILE: article("标题", "2020-07-20", "[点我](javascript:alert(1))")},
        "html-script-url",
        "body",
        7,
    ),
    "iframe": (
        {FILE: article("标题", "2020-07-20", '<iframe src="https://video.example/x"></iframe>')},
        "html-iframe-host",
        "body",
        7,
    ),
}


def _digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "content").rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_reported_clearly(name: str, tmp_path: Path) -> None:
    files, code, field, line = CASES[name]
    write_site(tmp_path, files)
    before = _digest(tmp_path)

    # A hostile file must end in a message, never a hang: the check is stopped (and the test fails) after 60 s.
    result = check(tmp_path, "--format", "json", timeout=60)
    assert result.returncode == 1, result.text
    problems = json.loads(result.stdout)
    matching = [p for p in problems if p["code"] == code]
    assert matching, problems
    problem = matching[0]
    assert problem["file"] == FILE
    assert problem["field"] == field
    assert problem["line"] == line
    assert problem["level"] == "error"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in problem["message_zh"])
    assert problem["message_en"].isascii() or problem["message_en"][0].isascii()
    assert "Traceback" not in result.text

    text = check(tmp_path)
    assert text.returncode == 1
    assert FILE in text.stdout and f"第 {line} 行" in text.stdout
    assert text.stdout.index(problem["message_zh"]) < text.stdout.index(problem["message_en"])

    built = build(tmp_path, publish=True)
    assert built.returncode == 1
    assert FILE in built.stderr and problem["message_zh"] in built.stderr
    assert "Traceback" not in built.text
    assert _digest(tmp_path) == before


def test_every_error_is_listed_at_once(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {
            "content/articles/one.md": article("一", "2020-07-20", colums="[x]"),
            "content/articles/two.md": article("二", "2020-07-32"),
            "content/articles/three.md": "no front matter\n",
        },
    )
    result = check(tmp_path, "--format", "json")
    files = {p["file"] for p in json.loads(result.stdout) if p["level"] == "error"}
    assert files == {"content/articles/one.md", "content/articles/two.md", "content/articles/three.md"}


def _billion_laughs() -> str:
    lines = ['a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    return "---\ntitle: 标题\ndate: 2020-07-20\ndepartment: dyxcb\n" + "\n".join(lines) + "\n---\n正文\n"


def _limit_memory() -> None:
    import resource

    limit = 2 * 1024**3  # the checker needs a few hundred MB; expanding the aliases would need gigabytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_a_billion_laughs_is_refused_with_the_file_and_line(tmp_path: Path) -> None:
    write_site(
        tmp_path,
        {FILE: _billion_laughs(), "content/data/media.yml": "- &m {id: xinhua, name: 新华社, level: 中央}\n- *m\n"},
    )
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "plugins")}
    result = subprocess.run(
        [sys.executable, "-m", "content_model.check", "--root", str(tmp_path), "--format", "json"],
        cwd=PROJECT,
        env={**env, "SITE_NOW": "2020-07-25 12:00"},
        capture_output=True,
        text=True,
        preexec_fn=_limit_memory,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    problems = json.loads(result.stdout)
    aliases = {(p["file"], p["line"]) for p in problems if p["code"] == "yaml-alias"}
    assert {(FILE, line) for line in range(5, 15)} <= aliases
    assert {("content/data/media.yml", 1), ("content/data/media.yml", 2)} <= aliases
