"""A fixture project for the incremental builds: a small site with its own theme and settings, and a clean build."""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

from PIL import Image

from tests.sites import PROJECT, Run, article, build, write_site

SITE_NOW = "2020-12-31 12:00"


def photo(size: tuple[int, int] = (640, 400)) -> bytes:
    """A JPEG of one colour."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def site_files() -> dict[str, str | bytes]:
    """Articles in a column and a topic, one with images, a page, and enough notices for a pool of workers."""
    files: dict[str, str | bytes] = {
        "content/columns/zuimei.md": "---\ntitle: 最美科技工作者\norder: 1\n---\n专栏介绍。\n",
        "content/topics/kejiri.md": "---\ntitle: 全国科技工作者日\n---\n专题介绍。\n",
        "content/articles/news/photo/index.md": article(
            "带图的稿件",
            "2020-07-05",
            "正文第一段。\n\n![实验室](lab.jpg)\n",
            tags="[科普, 科技馆]",
            cover="cover.jpg",
            cover_alt="实验室外景",
        ),
        "content/pages/about.md": "---\ntitle: 关于我们\norder: 1\n---\n省科协简介。\n",
        "content/articles/news/photo/cover.jpg": photo((800, 500)),
        "content/articles/news/photo/lab.jpg": photo(),
    }
    for i in range(1, 8):
        files[f"content/articles/news/n{i}.md"] = article(
            f"要闻稿件{i}",
            f"2020-06-{i:02d} 08:00",
            f"要闻{i}的正文。",
            tags="[科普]" if i % 2 else "[科技馆]",
            columns="[zuimei]" if i <= 3 else "[]",
            topics="[kejiri]" if i >= 5 else "[]",
        )
    # Enough pages for the renderer's pool of workers, which checks and renders a real site's pages.
    for i in range(1, 25):
        files[f"content/articles/notices/t{i}.md"] = article(
            f"通知{i}", f"2020-05-{i:02d}", "通知正文。", type="notice"
        )
    return files


def project_settings(folder: Path, theme: Path, sitename: str = "河南省科学技术协会") -> Path:
    path = folder / "settings.py"
    path.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(PROJECT)!r})\n"
        "from pelicanconf import *  # noqa\n"
        f"THEME = {str(theme)!r}\n"
        f"PLUGIN_PATHS = [{str(PROJECT / 'plugins')!r}]\n"
        f"SITENAME = {sitename!r}\n"
        "RENDER_WORKERS = 2\n",
        encoding="utf-8",
    )
    return path


def output_tree(output: Path) -> dict[str, str]:
    return {
        p.relative_to(output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(output.rglob("*"))
        if p.is_file()
    }


class Project:
    """A fixture site with its own copy of the theme and its own settings file, built incrementally."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = write_site(root / "site", site_files())
        self.theme = root / "theme"
        shutil.copytree(PROJECT / "theme", self.theme)
        self.settings = project_settings(root, self.theme)
        self.cleans = 0

    def incremental(self) -> Run:
        run = build(self.site, publish=False, site_now=SITE_NOW, settings=self.settings, args=("--verbose",))
        assert run.returncode == 0, run.text
        return run

    def clean(self) -> dict[str, str]:
        """A clean build of the same content, theme and settings, in a folder of its own."""
        self.cleans += 1
        copy = self.root / f"clean{self.cleans}"
        shutil.copytree(self.site / "content", copy / "content")
        run = build(copy, publish=False, site_now=SITE_NOW, settings=self.settings)
        assert run.returncode == 0, run.text
        return output_tree(run.output)

    def assert_same_as_clean(self) -> dict[str, str]:
        tree = output_tree(self.site / "output")
        clean = self.clean()
        differing = sorted(name for name in tree.keys() | clean.keys() if tree.get(name) != clean.get(name))
        assert differing == [], differing
        return tree


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there) with `new` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
