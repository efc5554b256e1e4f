"""`make fix`: applies the safe copy-style fixes to article and page bodies and shows what changed."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from .editorial import fix_file
from .files import relative_inside
from .problems import Problems
from .tree import walk


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="修正中文排版 Apply the safe Chinese copy-style fixes")
    parser.add_argument("--root", default=".")
    parser.add_argument("--files", default="")
    parser.add_argument("--dry-run", action="store_true", help="只显示差异 only show the diff")
    args = parser.parse_args(argv)
    root = Path(args.root)
    content = root / "content"
    if args.files.split():
        paths = [root / name for name in args.files.split()]
    else:
        # The files the build reads (links are refused there, so never followed here): articles, and pages.
        found = walk(content, "content", Problems()).markdown
        paths = [p for p in found if p.parts[len(content.parts)] == "articles" or p.parent == content / "pages"]
    changed = 0
    for path in paths:
        if not path.is_file():
            print(f"文件不存在：{path}\nNo such file: {path}", file=sys.stderr)
            return 2
        if path.is_symlink() or relative_inside(path, content) is None:
            print(
                f"只修改 content/ 中的文件，不跟随链接：{path}\n"
                f"Only files in content/ are fixed, never through a link: {path}",
                file=sys.stderr,
            )
            return 2
        result = fix_file(path)
        if result is None:
            continue
        before, after = result
        name = path.relative_to(root).as_posix()
        sys.stdout.writelines(
            difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}")
        )
        if not args.dry_run:
            path.write_text(after, encoding="utf-8")
        changed += 1
    verb = "将修改 would change" if args.dry_run else "已修改 changed"
    print(f"{verb} {changed} 个文件 file(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
