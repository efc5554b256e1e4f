"""`make new`: writes a new draft article with every field a contributor needs, in the right folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .problems import Problems
from .registries import load_registries
from .slugs import slugify
from .times import site_now

MAX_SLUG = 60

TEMPLATE = """\
---
title: {title}
date: {date}
section: {section}
{columns}type: news                      # news | notice | release | interpretation | profile | event
department: {department}                # 报送单位标识，见 content/data/departments.yml
authors: []                     # 作者，如 [张华]
editor:                         # 责任编辑
tags: []
status: draft                   # 定稿时改为 published，再由三位审核人各自批准（make approve）
# review: {{first: 初审人, second: 复审人, final: 终审人}}
---
在这里写正文。图片写成 ![图片内容的描述](照片.jpg)，照片放在本文件旁边。
"""


def _short_slug(title: str) -> str:
    slug = slugify(title) or "article"
    if len(slug) <= MAX_SLUG:
        return slug
    return slug[:MAX_SLUG].rsplit("-", 1)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="新建稿件 Create an article")
    parser.add_argument("--root", default=".")
    parser.add_argument("--section", default="news")
    parser.add_argument("--column", default="")
    parser.add_argument("--title", default="")
    parser.add_argument("--department", default="")
    args = parser.parse_args(argv)
    root = Path(args.root)
    content = root / "content"
    if not args.title.strip():
        print("请给出标题：make new TITLE=稿件标题\nGive a title: make new TITLE=…", file=sys.stderr)
        return 2
    registries = load_registries(content, lambda p: str(p), Problems())
    if args.section not in registries["sections"]:
        known = "、".join(registries["sections"])
        print(
            f"栏目“{args.section}”不存在，可选：{known}\nUnknown section `{args.section}`; choose one of: {known}",
            file=sys.stderr,
        )
        return 2
    if args.column and not (content / "columns" / f"{args.column}.md").exists():
        print(
            f"专栏“{args.column}”不存在（content/columns/{args.column}.md）。\nUnknown column `{args.column}`.",
            file=sys.stderr,
        )
        return 2
    now = site_now()
    folder = content / "articles" / (args.column or args.section)
    path = folder / f"{now:%Y-%m-%d}-{_short_slug(args.title)}.md"
    if path.exists():
        print(f"文件已存在，未覆盖：{path}\nThe file exists and was not overwritten: {path}", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    title = args.title.strip().replace('"', '\\"')
    path.write_text(
        TEMPLATE.format(
            title=f'"{title}"',
            date=f"{now:%Y-%m-%d %H:%M}",
            section=args.section,
            columns=f"columns: [{args.column}]\n" if args.column else "",
            department=args.department,
        ),
        encoding="utf-8",
    )
    print(f"已新建稿件 Created: {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
