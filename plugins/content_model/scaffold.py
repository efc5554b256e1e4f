"""`make new`: a draft article as a folder with index.md, its photos copied in beside it, ready for `make check`."""

from __future__ import annotations

import argparse
import datetime
import difflib
import json
import os
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import schema as S
from .check import UsageError, options_from_settings, read_publish_settings
from .files import MAX_MEGAPIXELS, BadImage, vet_image
from .messages import MESSAGES
from .site import Site, article_url, load_site
from .slugs import slugify

MAX_SLUG = 60
EXIT_OK, EXIT_USAGE = 0, 2

TEMPLATE = """\
---
title: {title}
date: {date}
section: {section}
{columns}type: news                      # news | notice | release | interpretation | profile | event
department: {department}{department_pad}# 报送单位：{department_name}（content/data/departments.yml）
authors: []                     # 作者，如 [张华]
editor:                         # 责任编辑
tags: []
status: draft                   # 定稿时改为 published，再由三位审核人各自批准（make approve）
# review: {{first: 初审人, second: 复审人, final: 终审人}}
---
在这里写正文。

{photos}"""

# The photo hint is an HTML comment: it shows nowhere, and the check reads no image inside it.
PHOTO_HINT = """\
<!--
添加照片：把照片放进本文件夹（index.md 旁边），文件名用小写字母、数字和连字符，
再在正文中写一行，方括号里写图片内容的描述：
![会场主席台上方红色横幅写着会议名称](zhaopian.jpg)
也可以新建时带上照片：make new TITLE=… PHOTOS="a.jpg b.jpg"
To add a photo, put it in this folder and write ![what the picture shows](photo.jpg).
-->
"""


class Refused(Exception):
    """Why nothing was written; the message is Chinese first, then English."""


@dataclass(frozen=True)
class Photo:
    """A photo given in PHOTOS and the name it gets beside index.md."""

    source: Path
    name: str


def _short_slug(title: str) -> str:
    slug = slugify(title) or "article"
    if len(slug) <= MAX_SLUG:
        return slug
    return slug[:MAX_SLUG].rsplit("-", 1)[0]


def yaml_title(title: str) -> str:
    """The title as YAML reads it back unchanged: bare when it can be, as contributors write it, else quoted."""
    try:
        if yaml.safe_load(f"title: {title}") == {"title": title}:
            return title
    except yaml.YAMLError:
        pass
    # JSON's string syntax is YAML's double-quoted scalar: any quote or backslash stays as typed.
    return json.dumps(title, ensure_ascii=False)


def _free_slug(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`… when another article has it (a title used every week, say)."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def _registry_id(value: str, registry: dict[str, dict[str, Any]], what: tuple[str, str], where: str) -> str:
    """The id of a registry entry given by its id or by its exact name; else Refused, naming the nearest entries
    (by id, name or the name's pinyin) first, and every entry when there are few."""
    value = value.strip()
    if value in registry:
        return value
    by_name = {entry.get("name"): entry_id for entry_id, entry in registry.items()}
    if value in by_name:
        return by_name[value]
    keys = {key: entry_id for entry_id, entry in registry.items() for key in (entry_id, entry.get("name", ""))}
    keys.update({slugify(entry.get("name", "")): entry_id for entry_id, entry in registry.items()})
    keys.pop("", None)
    close = difflib.get_close_matches(value, list(keys), n=5, cutoff=0.6)
    # A part of a Chinese name (信阳 for 信阳市科协) is as telling as a close spelling.
    close += [key for key in keys if len(value) >= 2 and value in key and key not in close]
    near = list(dict.fromkeys(keys[key] for key in close))[:5]
    others = [entry_id for entry_id in registry if entry_id not in near] if len(registry) <= 12 else []

    def label(entry_id: str) -> str:
        return f"{entry_id}（{registry[entry_id].get('name', '')}）"

    zh = [f"最接近的：{'、'.join(map(label, near))}。"] if near else []
    en = [f"Nearest: {', '.join(near)}."] if near else []
    if others:
        zh.append(f"{'其余' if near else '可选'}：{'、'.join(map(label, others))}。")
        en.append(f"{'Others' if near else 'Choose one of'}: {', '.join(others)}.")
    raise Refused(
        f"{what[0]}“{value}”不存在。{''.join(zh)}全部{what[0]}见 {where}。\n"
        f"Unknown {what[1]} `{value}`. {' '.join(en)} The full list is in {where}.".replace("  ", " ")
    )


def split_photos(text: str) -> list[Path]:
    """The photos of PHOTOS: names separated by spaces, quoted or escaped as a shell would; a name that
    holds spaces is found as written, since a file manager's name with a space is common and nobody quotes it.
    Relative names are from the current folder: the repository's root under make."""
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    found: list[Path] = []
    index = 0
    while index < len(words):
        # The longest run of words that names an existing file, else the one word (reported missing later).
        for end in range(len(words), index, -1):
            path = Path(" ".join(words[index:end])).expanduser()
            if path.is_file() or end == index + 1:
                found.append(path)
                index = end
                break
    return found


def _photo_name(source: Path, used: set[str]) -> str:
    """A web-safe name for a photo: pinyin, lower case, hyphens; its type's suffix in lower case."""
    stem = slugify(source.stem) or "zhaopian"
    suffix = source.suffix.lower()
    name, number = f"{stem}{suffix}", 1
    while name in used:
        number += 1
        name = f"{stem}-{number}{suffix}"
    used.add(name)
    return name


def vet_photos(paths: list[Path]) -> list[Photo]:
    """Every photo checked as the content model checks images; Refused lists every bad one at once."""
    problems: list[str] = []
    photos: list[Photo] = []
    used: set[str] = set()
    seen: set[Path] = set()
    for path in paths:
        shown = str(path)
        if not path.is_file():
            problems.append(
                f"找不到照片“{shown}”。请检查文件名和位置（路径从仓库根目录算起，也可写完整路径）。\n"
                f"The photo `{shown}` was not found. Check its name and folder (from the repository's root, or a full "
                "path)."
            )
            continue
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        code, params = "", {}
        if path.suffix.lower() not in S.IMAGE_SUFFIXES:
            code, params = "image-format", {"detail": path.suffix or "?"}
        else:
            try:
                vet_image(path)
            except BadImage as bad:
                code, params = bad.code, {"detail": bad.detail, "megapixels": bad.megapixels}
        if code:
            message = MESSAGES[code]
            values = {"field": "PHOTOS", "value": shown, "limit": MAX_MEGAPIXELS, **params}
            problems.append(f"{message.zh.format(**values)}\n{message.en.format(**values)}")
            continue
        photos.append(Photo(path, _photo_name(path, used)))
    if problems:
        raise Refused("\n".join(problems))
    return photos


def draft(
    title: str,
    date: datetime.datetime,
    section: str,
    column: str,
    department: str,
    department_name: str,
    photos: list[str],
) -> str:
    """The draft's text: front matter with hints, a line to replace with the body, and a line for each photo."""
    lines = [f"![{S.ALT_PLACEHOLDER}]({name})\n" for name in photos]
    return TEMPLATE.format(
        title=yaml_title(title),
        date=f"{date:%Y-%m-%d %H:%M}",
        section=section,
        columns=f"columns: [{column}]\n" if column else "",
        department=department,
        department_pad=" " * max(1, 20 - len(department)),
        department_name=department_name,
        photos="\n".join(lines) if lines else PHOTO_HINT,
    )


def _load(root: Path) -> Site:
    """The site as the checker reads it, for its registries and the slugs already taken."""
    options = options_from_settings(read_publish_settings(), strict=False)
    return load_site(root / "content", root, options)


def _columns(site: Site) -> dict[str, dict[str, Any]]:
    return {item_id: {"name": item.values.get("title", "")} for item_id, item in site.items.get("column", {}).items()}


def scaffold(
    root: Path, *, title: str, section: str, column: str, department: str, photos: str, port: int
) -> tuple[Path, str, list[Photo], str]:
    """Write the draft; return its index.md, its preview URL, its photos and a note on its slug (or "")."""
    title = " ".join(title.split())
    if not title:
        raise Refused(
            '请给出标题：make new TITLE=稿件标题 DEPARTMENT=单位标识（标题有空格时整体加引号：TITLE="…"）\n'
            "Give a title: make new TITLE=… DEPARTMENT=<department id>"
        )
    if not department.strip():
        raise Refused(
            "请给出报送单位：make new TITLE=… DEPARTMENT=单位标识，例如 DEPARTMENT=dyxcb 或 DEPARTMENT=调研宣传部"
            "（标识见 content/data/departments.yml）。\n"
            "Give the submitting department: make new TITLE=… DEPARTMENT=<id from content/data/departments.yml>."
        )
    chosen = vet_photos(split_photos(photos)) if photos.strip() else []
    site = _load(root)
    registries = site.registries
    section_id = _registry_id(
        section or "news", registries["sections"], ("栏目", "section"), "content/data/sections.yml"
    )
    department_id = _registry_id(
        department, registries["departments"], ("报送单位", "department"), "content/data/departments.yml"
    )
    column_id = ""
    if column.strip():
        column_id = _registry_id(column, _columns(site), ("专栏", "column"), "content/columns/")
    now = site.options.now
    assert now is not None
    wanted = _short_slug(title)
    parent = root / "content" / "articles" / (column_id or section_id)
    for earlier in (parent / f"{now:%Y-%m-%d}-{wanted}", parent / f"{now:%Y-%m-%d}-{wanted}.md"):
        if earlier.exists():  # the same title today: most likely this draft was made already
            raise Refused(
                f"今天已用这个标题新建过稿件，未覆盖：{earlier.relative_to(root)}。请直接编辑它，或换一个标题。\n"
                f"A draft with this title was made today and was not overwritten: {earlier.relative_to(root)}. "
                "Edit it, or choose another title."
            )
    slug = _free_slug(wanted, set(site.articles))
    note = ""
    if slug != wanted:
        note = (
            f"已有稿件使用网址标识 {wanted}，这篇用 {slug}。\n"
            f"Another article has the slug {wanted}; this one takes {slug}."
        )
    folder = parent / f"{now:%Y-%m-%d}-{slug}"
    if folder.exists():
        raise Refused(
            f"文件夹已存在，未覆盖：{folder.relative_to(root)}。请直接编辑其中的 index.md，或换一个标题。\n"
            f"The folder exists and was not overwritten: {folder.relative_to(root)}. Edit its index.md, or choose "
            "another title."
        )
    department_name = registries["departments"][department_id].get("name", "")
    text = draft(title, now, section_id, column_id, department_id, department_name, [p.name for p in chosen])
    folder.mkdir(parents=True)
    try:
        for photo in chosen:
            shutil.copyfile(photo.source, folder / photo.name)
        (folder / "index.md").write_text(text, encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # half a draft would be worse than none
        raise
    url = f"http://localhost:{port}/{article_url(slug, now)}"
    return folder / "index.md", url, chosen, note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="新建稿件 Create a draft article")
    parser.add_argument("--root", default=os.environ.get("SITE_ROOT", "."))
    parser.add_argument("--section", default="news")
    parser.add_argument("--column", default="")
    # Free text comes from the environment, as make passes its command-line variables: no shell quoting to break.
    parser.add_argument("--title", default=os.environ.get("TITLE", ""))
    parser.add_argument("--photos", default=os.environ.get("PHOTOS", ""))
    parser.add_argument("--department", default="")
    parser.add_argument("--port", type=int, default=8000, help="the port of make serve / make devserver")
    args = parser.parse_args(argv)
    root = Path(args.root)
    try:
        path, url, photos, note = scaffold(
            root,
            title=args.title,
            section=args.section,
            column=args.column,
            department=args.department,
            photos=args.photos,
            port=args.port,
        )
    except (Refused, UsageError) as error:
        print(f"未新建稿件 Nothing was created.\n{error}", file=sys.stderr)
        return EXIT_USAGE
    rel = path.relative_to(root)
    print(f"已新建草稿 Created the draft: {rel}")
    for photo in photos:
        print(f"  照片 photo: {photo.source} → {(path.parent / photo.name).relative_to(root)}")
    if photos:
        print(
            f"请把每张照片的“{S.ALT_PLACEHOLDER}”改为图片内容的描述。 Describe each photo in place of the placeholder."
        )
    if note:
        print(note)
    print(f"预览 preview: {url}  （先运行 make devserver，或 make html 后 make serve）")
    print(f"检查 check:   make check FILES={shlex.quote(rel.as_posix())}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
