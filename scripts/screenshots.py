"""`make screenshots`: docs/screenshots/, every page type of the sample site at 375 and 1280 px, 长辈模式 included:
the first screen of each, and the whole home page."""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, served  # noqa: E402
from tests.browser.page_types import PAGE_TYPES, load_every_picture  # noqa: E402

OUT = ROOT / "docs/screenshots"
SAMPLE_NOW = "2020-12-31 12:00"
# The first screen of a phone and of a laptop; 长辈模式 on both.
VIEWS = [(375, 780, False), (1280, 900, False), (375, 780, True), (1280, 900, True)]


def publish_build(output: Path) -> None:
    """The sample site as it would be published, at the sample's "now"."""
    env = {**os.environ, "SITE_NOW": SAMPLE_NOW, "PYTHONPATH": str(ROOT / "plugins")}
    env.pop("SITEURL", None)
    command = [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", str(ROOT / "publishconf.py")]
    subprocess.run([*command, "-o", str(output)], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def save(png: bytes, target: Path) -> None:
    """256 colours, no dithering: the site's flat colours and its text survive, at a third of the size in git."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(target, optimize=True)


def name_of(page: str, width: int, care: bool) -> str:
    return f"{page}-{width}{'-care' if care else ''}.png"


def shoot(site: Path, out: Path, full_page: bool, only: list[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        for width, height, care in VIEWS:
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
            if care:
                context.add_init_script("window.localStorage.setItem('care-mode', 'on')")
            page = context.new_page()
            for name, path in PAGE_TYPES.items():
                if only and name not in only:
                    continue
                page.goto(url + path, wait_until="networkidle")
                if full_page:
                    load_every_picture(page)
                target = out / name_of(name, width, care)
                save(page.screenshot(full_page=full_page, animations="disabled"), target)
                written.append(target)
                if name == "home" and not care and not full_page:
                    # The home page is the portal's face: its whole length too.
                    load_every_picture(page)
                    target = out / name_of("home-full", width, care)
                    save(page.screenshot(full_page=True, animations="disabled"), target)
                    written.append(target)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, help="a built site to shoot (default: a fresh publish build)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the first screen")
    parser.add_argument("pages", nargs="*", help=f"page types, default all: {' '.join(PAGE_TYPES)}")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "output"
            publish_build(site)
        for path in shoot(site, args.out, args.full_page, args.pages):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
