"""The search indexer alone on a generated corpus: what it will add to a build once the search plugin is wired in."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

_FIELD = re.compile(r"^(title|date|section|type|status): (.*)$", re.M)
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|^#+ ", re.M)


def documents(content: Path) -> list:
    """Published articles as the indexer's documents: plain body text, title, date and filters."""
    from search.index import Document

    docs = []
    for path in sorted((content / "articles").rglob("*.md")):
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        fields = dict(_FIELD.findall(head))
        if fields.get("status", "published") != "published":
            continue
        date = datetime.strptime(fields["date"], "%Y-%m-%d %H:%M")
        slug = path.parent.name if path.name == "index.md" else path.stem
        docs.append(
            Document(
                url=f"articles/{date:%Y}/{date:%m}/{slug}/",
                title=fields["title"].strip('"'),
                text=" ".join(_MARKUP.sub(r"\1", body).split()),
                date=date,
                facets={"section": [fields["section"]], "type": [fields["type"]], "year": [f"{date:%Y}"]},
            )
        )
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        from search.index import IndexBuilder
    except ImportError as error:  # the search plugin is work in progress: report, don't fail the bench
        args.result.write_text(json.dumps({"available": False, "error": str(error)}), encoding="utf-8")
        return 0
    started = time.monotonic()
    docs = documents(args.content)
    read = time.monotonic() - started
    builder = IndexBuilder()
    builder.extend(docs)
    stats = builder.write(args.out)
    result = {
        "available": True,
        "documents": len(docs),
        "read_seconds": round(read, 3),
        "index_seconds": round(time.monotonic() - started - read, 3),
        "index_bytes": stats.total_bytes,
        "index_files": stats.files,
    }
    args.result.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
