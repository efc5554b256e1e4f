"""`make fix`: applies the safe copy-style fixes to every content file (body, title, summary…) and shows the diff."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from .copystyle import fix_file
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
        # The files the build reads (links are refused there, so never followed here).
        paths = walk(content, "content", Problems()).markdown
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
        fixed = fix_file(path)
        name = path.relative_to(root).as_posix()
        if fixed.front_matter_unread:
            print(
                f"头信息读不出来，没有修改它：{name}（请运行 make check 查看）\n"
                f"The front matter cannot be read and was left as it is: {name} (see make check)",
                file=sys.stderr,
            )
        before, after = fixed.before, fixed.after
        if before == after:
            continue
        sys.stdout.writelines(
            difflib.unified_diff(before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}")
        )
        if not args.dry_run:
            path.write_bytes(after.encode("utf-8"))
        changed += 1
    verb = "将修改 would change" if args.dry_run else "已修改 changed"
    print(f"{verb} {changed} 个文件 file(s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
