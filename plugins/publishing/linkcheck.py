"""Checks a built site's internal links and references: every href and src inside it must lead to a file."""

from __future__ import annotations

import argparse
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

_ATTRIBUTES = {"href", "src", "poster", "srcset"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name not in _ATTRIBUTES or not value:
                continue
            if name == "srcset":
                self.urls.extend(part.strip().split(" ")[0] for part in value.split(",") if part.strip())
            elif not (tag == "link" and ("canonical" in dict(attrs).get("rel", "") or "")):
                self.urls.append(value)


def _target(output: Path, page: Path, url: str) -> Path | None:
    """The file a relative URL leads to, or None for links that leave the site."""
    parts = urlparse(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "tel:", "data:")):
        return None
    page_url = "/" + page.relative_to(output).as_posix()
    path = unquote(urlparse(urljoin(page_url, url)).path)
    target = output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def broken_links(output: Path) -> list[tuple[str, str]]:
    """(page, url) for each link inside the site that leads nowhere."""
    broken = []
    for page in sorted(output.rglob("*.html")):
        if page.name == "404.html":
            continue  # its links start from the site's absolute root, by design
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for url in parser.urls:
            target = _target(output, page, url)
            if target is not None and not target.exists():
                broken.append((page.relative_to(output).as_posix(), url))
    return broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查站内链接 Check the built site's internal links")
    parser.add_argument("output", nargs="?", default="output")
    args = parser.parse_args(argv)
    broken = broken_links(Path(args.output))
    for page, url in broken:
        print(f"{page}: 链接无效 broken link {url}")
    print(f"共 {len(broken)} 个无效链接。 {len(broken)} broken link(s).")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
