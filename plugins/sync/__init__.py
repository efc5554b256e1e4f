"""`make sync`: imports a sub-site's JSON Feed or Atom feed as draft articles, once each.

An entry is matched first by its feed id (`source_id`, within the department: a JSON Feed's ids are unique only
within that feed), then by its address (`source_url`), wherever the imported file has moved since. The images of
an entry are fetched into the item's folder (it becomes a bundle, index.md beside them), or left out with a note.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from bs4 import BeautifulSoup

from content_model.problems import Problems
from content_model.registries import load_registries
from content_model.slugs import is_id, slug_from_filename, slugify

from .clean import sanitise
from .feed import TIMEOUT, Entry, FeedError, fetch, parse
from .images import Fetch, fetcher, localise

EXIT_OK, EXIT_FEED, EXIT_USAGE = 0, 1, 2
MAX_SLUG = 60
SUMMARY_CHARS = 300
_FRONT = re.compile(r"\A---[ \t]*\r?\n(?P<front>.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_FIELD = re.compile(
    r"^(?P<name>slug|source_url|source_id|department):[ \t]*(?P<value>.*?)[ \t]*(?:#.*)?$", re.MULTILINE
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


@dataclass
class Known:
    """What the site already has: the feed ids and source URLs it imported or reposted, and every article slug."""

    source_ids: set[tuple[str, str]] = field(default_factory=set)  # (department, feed entry id)
    source_urls: set[str] = field(default_factory=set)
    slugs: set[str] = field(default_factory=set)


def normal_url(url: str) -> str:
    """A URL as compared for "already imported": no fragment, no trailing index.html, no trailing slash."""
    url = url.strip().split("#", 1)[0]
    url = re.sub(r"/index\.html?$", "/", url)
    return url.rstrip("/")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        try:
            return json.loads(value)  # as _yaml wrote it: escapes included
        except json.JSONDecodeError:
            return value[1:-1]
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    return value


def known_articles(content: Path) -> Known:
    """One quick pass over content/articles: front matter lines only, no full parse of 20,000 files."""
    known = Known()
    for path in sorted((content / "articles").rglob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        match = _FRONT.match(text)
        front = match.group("front") if match else ""
        fields = {m.group("name"): _unquote(m.group("value")) for m in _FIELD.finditer(front)}
        if fields.get("source_url"):
            known.source_urls.add(normal_url(fields["source_url"]))
        if fields.get("source_id"):
            known.source_ids.add((fields.get("department", ""), _one_line(fields["source_id"])))
        stem = path.parent.name if path.name == "index.md" else path.stem
        known.slugs.add(fields.get("slug") or slug_from_filename(stem))
    return known


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub("", text or "").split())


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is valid YAML, and escapes every quote and backslash."""
    return json.dumps(value, ensure_ascii=False)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip("，、；：,;: ") + "……"


def make_slug(entry: Entry, department: str, known: Known) -> str:
    """`<department>-<the sub-site's slug>` (or the title in pinyin), unique across the site."""
    path = urlparse(entry.url or entry.id).path.rstrip("/")
    last = re.sub(r"\.html?$", "", path.rsplit("/", 1)[-1]) if path else ""
    base = last if is_id(last) else slugify(entry.title)
    if not base:
        base = hashlib.sha1((entry.url or entry.id).encode("utf-8")).hexdigest()[:10]
    slug = f"{department}-{base}"
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0]
    candidate, number = slug, 2
    while candidate in known.slugs:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def _is_made_summary(summary: str, body_html: str) -> bool:
    """Whether the summary is only the sub-site's default (the body's first characters): ours makes the same."""
    if not summary.endswith("……"):
        return False
    start = "".join(summary[:-2].split())
    return "".join(BeautifulSoup(body_html, "html.parser").get_text().split()).startswith(start)


def imported_body(entry: Entry, source_url: str) -> str:
    """The entry's body (and its feed image) as sanitised HTML, images still at their remote addresses."""
    title = _one_line(entry.title)
    body = sanitise(entry.html, source_url, alt=f"{title}配图")
    if entry.image and entry.image not in entry.html:
        cover_alt = _one_line(entry.image_alt) or f"{title}配图"
        cover = sanitise(f'<p><img src="{entry.image}" alt=""></p>', source_url, alt=cover_alt)
        body = f"{cover}\n\n{body}" if body else cover
    return body


def article_text(
    entry: Entry,
    *,
    slug: str,
    section: str,
    department: str,
    source: str,
    source_url: str,
    feed_url: str,
    body: str | None = None,
) -> str:
    """The Markdown file of an imported article: front matter, then the sanitised body as limited HTML."""
    title = _one_line(entry.title)
    date = entry.date.strftime("%Y-%m-%d %H:%M") if entry.date else ""
    if body is None:
        body = imported_body(entry, source_url)
    lines = [
        "---",
        f"# 由 make sync 自订阅源导入 Imported by make sync from {feed_url}",
        f"title: {_yaml(title)}",
        f"date: {date}",
        f"slug: {slug}",
        f"section: {section}",
        "type: news",
        f"department: {department}",
        f"source: {_yaml(source)}",
        f"source_url: {_yaml(source_url)}",
    ]
    if _one_line(entry.id):
        lines.append(f"source_id: {_yaml(_one_line(entry.id))}")
    authors = [_one_line(a) for a in entry.authors if _one_line(a)]
    if authors:
        lines.append(f"authors: [{', '.join(_yaml(a) for a in authors)}]")
    tags = [_one_line(t) for t in entry.tags if _one_line(t)]
    if tags:
        lines.append(f"tags: [{', '.join(_yaml(t) for t in dict.fromkeys(tags))}]")
    summary = _CJK_SPACE.sub("", _one_line(entry.summary))
    if summary and not _is_made_summary(summary, body):
        lines.append(f"summary: {_yaml(_short(summary, SUMMARY_CHARS))}")
    lines += [
        "status: draft                   # 导入稿件须经三审：定稿时改为 published，再由三位审核人各自批准",
        "---",
        body or "<p>（原稿无正文）</p>",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class Result:
    created: list[Path] = field(default_factory=list)
    already: int = 0
    skipped: list[str] = field(default_factory=list)
    images_left_out: list[str] = field(default_factory=list)  # one line each: the item, the image, why


def import_feed(
    location: str,
    department: str,
    section: str,
    root: Path,
    *,
    source: str = "",
    timeout: float = TIMEOUT,
    image_fetcher: Fetch | None = None,
) -> Result:
    """Read the feed at `location` and write each new entry as a draft under content/articles/<section>/<dept>/."""
    data, address = fetch(location, timeout)
    feed = parse(data, location)
    content = root / "content"
    known = known_articles(content)
    folder = content / "articles" / section / department
    fetch_image = image_fetcher or fetcher(timeout, location)
    result = Result()
    for entry in feed.entries:
        addresses = {normal_url(u) for u in (entry.url, entry.id) if u}
        feed_id = (department, _one_line(entry.id))
        if (feed_id[1] and feed_id in known.source_ids) or addresses & known.source_urls:
            result.already += 1
            continue
        source_url = next(
            (u for u in (entry.url, entry.id) if urlparse(u).scheme in ("http", "https") and urlparse(u).netloc), ""
        )
        label = entry.title or entry.id
        if not source_url:
            result.skipped.append(f"{label}：没有网址 has no URL")
            continue
        if not _one_line(entry.title):
            result.skipped.append(f"{source_url}：没有标题 has no title")
            continue
        if entry.date is None:
            result.skipped.append(f"{label}：没有发布时间 has no date")
            continue
        slug = make_slug(entry, department, known)
        base = folder / f"{entry.date:%Y-%m-%d}-{slug}"
        if base.exists() or base.with_name(base.name + ".md").exists():
            result.skipped.append(f"{label}：{base.name} 已存在，未覆盖 already exists and was not overwritten")
            continue
        body = localise(imported_body(entry, source_url), fetch_image)
        text = article_text(
            entry,
            slug=slug,
            section=section,
            department=department,
            source=source or feed.title or department,
            source_url=source_url,
            feed_url=address,
            body=body.html,
        )
        path = _write(base, text, body.files)
        known.slugs.add(slug)
        known.source_urls.update(addresses | {normal_url(source_url)})
        if feed_id[1]:
            known.source_ids.add(feed_id)
        result.created.append(path)
        for url, why_zh, why_en in body.left_out:
            result.images_left_out.append(f"{source_url}：{url}（{why_zh} {why_en}）")
    return result


def _write(base: Path, text: str, images: dict[str, bytes]) -> Path:
    """`<base>.md`, or with images `<base>/index.md` beside them (a bundle); nothing existing is overwritten."""
    if not images:
        base.parent.mkdir(parents=True, exist_ok=True)
        path = base.with_name(base.name + ".md")
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
        return path
    base.mkdir(parents=True, exist_ok=False)
    for name, data in images.items():
        (base / name).write_bytes(data)
    path = base / "index.md"
    path.write_text(text, encoding="utf-8")
    return path


def _registry_problem(registries: dict, department: str, section: str) -> str | None:
    if department not in registries.get("departments", {}):
        return (
            f"报送单位“{department}”不在 content/data/departments.yml 中，请先登记。\n"
            f"The department `{department}` is not in content/data/departments.yml: add it first."
        )
    if section not in registries.get("sections", {}):
        return (
            f"栏目“{section}”不在 content/data/sections.yml 中。\n"
            f"The section `{section}` is not in content/data/sections.yml."
        )
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sync", description="导入下级网站的订阅源 Import a sub-site's feed as draft articles"
    )
    parser.add_argument("--feed", default="", help="JSON Feed 或 Atom 订阅源地址 the feed's URL")
    parser.add_argument("--department", default="", help="报送单位标识 the department id, e.g. zzskx")
    parser.add_argument("--section", default="jiceng", help="栏目 the section (default: jiceng 基层动态)")
    parser.add_argument("--root", default=".", help="项目目录 the project folder (holding content/)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if not args.feed.strip() or not args.department.strip():
        print(
            "请给出订阅源和报送单位：make sync FEED=<网址> DEPARTMENT=<单位标识>\n"
            "Give the feed and the department: make sync FEED=<url> DEPARTMENT=<id>",
            file=sys.stderr,
        )
        return EXIT_USAGE
    department, section = args.department.strip(), (args.section.strip() or "jiceng")
    registries = load_registries(root / "content", lambda p: str(p), Problems())
    problem = _registry_problem(registries, department, section)
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    source = registries["departments"][department]["name"]  # 来源: the name the province knows the unit by
    try:
        result = import_feed(args.feed.strip(), department, section, root, source=source, timeout=args.timeout)
    except FeedError as error:
        print(error, file=sys.stderr)
        return EXIT_FEED
    for path in result.created:
        print(f"已导入 Imported: {path.relative_to(root).as_posix() if path.is_relative_to(root) else path}")
    for reason in result.skipped:
        print(f"已跳过 Skipped: {reason}", file=sys.stderr)
    for line in result.images_left_out:
        print(f"图片未导入，正文中已注明 Image left out, noted in the body: {line}", file=sys.stderr)
    print(
        f"新导入 {len(result.created)} 篇（草稿），已有 {result.already} 篇，跳过 {len(result.skipped)} 篇。"
        f" Imported {len(result.created)} new draft(s); {result.already} already here; {len(result.skipped)} skipped."
    )
    return EXIT_OK
