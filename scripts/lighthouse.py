"""`make lighthouse`: Lighthouse over the home page and an article of the built site, served on localhost."""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / ".cache/lighthouse"
VERSION = "12.8.2"  # runs fully on Node 20 and Chromium 156; 12.2.3 fails six audits, 13.x needs Node 22
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
THRESHOLD = 0.95
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"


def install() -> Path:
    """Install Lighthouse into .cache/ on first use; `npm ci` rejects a 12.8.2 lockfile here, so `npm i -E`."""
    binary = TOOL / "node_modules/.bin/lighthouse"
    if not binary.exists():
        TOOL.mkdir(parents=True, exist_ok=True)
        (TOOL / "package.json").write_text('{"private": true}\n', encoding="utf-8")
        subprocess.run(["npm", "i", "-E", f"lighthouse@{VERSION}", "--no-audit", "--no-fund"], cwd=TOOL, check=True)
    return binary


def first_article(output: Path) -> str:
    """An article with a picture, the heaviest kind of page the public reads."""
    pages = sorted((output / "articles").rglob("index.html"))
    chosen = next((p for p in pages if "<picture" in p.read_text(encoding="utf-8")), pages[-1])
    return chosen.relative_to(output).parent.as_posix() + "/"


def audit(binary: Path, url: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": "/usr/bin/chromium"}
        subprocess.run(
            [
                str(binary),
                url,
                "--output=json",
                f"--output-path={report}",
                f"--chrome-flags={CHROME_FLAGS}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--quiet",
            ],
            env=env,
            check=True,
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    return {name: data["categories"][name]["score"] for name in CATEGORIES}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def publish_build(output: Path, site_url: str) -> None:
    """A publish build whose absolute URLs (canonical, Open Graph) name the local server Lighthouse visits."""
    env = {**os.environ, "SITEURL": site_url, "PYTHONPATH": str(ROOT / "plugins")}
    env.setdefault("SITE_NOW", "2020-12-31 12:00")
    subprocess.run(
        [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", str(ROOT / "publishconf.py"), "-o", str(output)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description="Lighthouse over a publish build of the site").parse_args(argv)
    binary = install()
    output = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(output)))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    publish_build(output, base.rstrip("/"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    failed = False
    try:
        for label, path in (("首页 home", ""), ("稿件 article", first_article(output))):
            scores = audit(binary, base + path)
            line = "  ".join(f"{name} {score:.2f}" for name, score in scores.items())
            print(f"{label:12} /{path}\n             {line}")
            failed |= any(score < THRESHOLD for score in scores.values())
    finally:
        server.shutdown()
    verdict = "未达到 FAIL" if failed else "达到 PASS"
    print(f"每项须不低于 {THRESHOLD}。 Each category must be at least {THRESHOLD}: {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
