"""Reads the whole content tree once into items and registries, and applies every rule that spans files."""

from __future__ import annotations

import datetime
import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import corrections
from . import schema as S
from .advice import report_unknown_reference
from .body import BodyRules, ImageUse, LinkUse
from .cache import fingerprint
from .copystyle import style_cache
from .dialect import body_settings
from .documents import ARCHIVE_SUFFIXES, Finding, Refused, inspect_document
from .editorial import Editorial, first_commit_times, load_lexicon, load_notice, load_sensitive
from .files import BadImage, OutsideContent, relative_inside, resolve, resolved, vet_image
from .frontmatter import Parsed, parse_file
from .problems import Problems
from .publication import notice_holds
from .records import FileRecord, FileRecords, Signature, code_fingerprint, signature
from .registries import load_registries
from .slugs import is_id, needs_pinyin, slug_from_filename, slugify
from .tree import Tree, report_unused, walk
from .validate import Reference, Validator
from .visibility import PUBLISH, State, Visibility, embargo_time, state_of

KIND_SCHEMAS = {
    "article": S.ARTICLE,
    "page": S.PAGE,
    "column": S.COLUMN,
    "topic": S.TOPIC,
    "person": S.PERSON,
    "gallery": S.GALLERY,
}
KIND_NAMES = {
    "article": ("稿件", "article"),
    "page": ("页面", "page"),
    "column": ("专栏", "column"),
    "topic": ("专题", "topic"),
    "person": ("人物", "person"),
    "gallery": ("图集", "gallery"),
    "section": ("栏目", "section"),
}
# First path segments of pages made from many items, which no single content file owns.
DYNAMIC_PREFIXES = frozenset(
    [
        "tags",
        "archives",
        "honours",
        "events",
        "stats",
        "search",
        "api",
        "wechat",
        "feed.atom",
        "feed.json",
        "images",
        "theme",
        "columns",
        "topics",
        "people",
        "galleries",
        "sitemap.xml",
        "robots.txt",
        "admin",
    ]
)
TYPE_NEEDS = {"event": "event", "interpretation": "interprets"}
TYPE_NAMES = {
    "news": ("新闻", "A news item"),
    "notice": ("通知公告", "A notice"),
    "release": ("新闻发布稿", "A release"),
    "interpretation": ("解读稿件（type: interpretation）", "An interpretation"),
    "profile": ("人物稿件", "A profile"),
    "event": ("活动稿件（type: event）", "An event"),
}


@dataclass
class Options:
    """What the rules depend on besides the content itself."""

    strict: bool = True  # publish rules: review required
    organisation: str = "河南省科学技术协会"
    iframe_hosts: tuple[str, ...] = ()
    markdown: dict[str, Any] | None = None  # the MARKDOWN settings bodies are converted with; None: ours
    now: datetime.datetime | None = None
    stale_column_days: int = 90  # a column with nothing new for this long is a warning
    backdate_days: int = 7  # an article dated this much before its first commit is a warning
    backdate_since: datetime.datetime | None = None  # files first committed before this are history
    use_cache: bool = True  # keep results of costly pure functions in .cache/ beside content/
    cache_path: Path | None = None  # elsewhere than .cache/ beside content/


@dataclass
class Item:
    """One content file, validated: an article, page, column, topic, person or gallery."""

    kind: str
    id: str
    rel: str
    path: Path
    parsed: Parsed
    values: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    images: list[ImageUse] = field(default_factory=list)
    links: list[LinkUse] = field(default_factory=list)
    slug_made: bool = False
    state: State = "published"

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    @property
    def body(self) -> str:
        return self.parsed.body

    @property
    def linked_files(self) -> list[str]:
        """Files beside the item that its body links to (not pages of the site, not other Markdown files)."""
        return [link.url for link in self.links if not link.url.startswith("/") and not link.url.endswith(".md")]

    @property
    def is_bundle(self) -> bool:
        return self.path.name == "index.md"


def article_url(slug: str, date: datetime.datetime) -> str:
    return f"articles/{date:%Y}/{date:%m}/{slug}/"


URL_OF_KIND = {
    "page": "{id}/",
    "column": "columns/{id}/",
    "topic": "topics/{id}/",
    "person": "people/{id}/",
    "gallery": "galleries/{id}/",
}


def save_as(url: str) -> str:
    """The output file of a URL: folders get index.html."""
    return url + "index.html" if url.endswith("/") or not url else url


@dataclass
class Site:
    """Everything the build and the checker know about the content."""

    content_root: Path
    repo_root: Path
    options: Options
    problems: Problems = field(default_factory=Problems)
    registries: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    items: dict[str, dict[str, Item]] = field(default_factory=dict)
    by_path: dict[str, Item] = field(default_factory=dict)  # by the file's resolved path, as a string
    notice: dict[str, Any] | None = None  # the urgent notice of content/data/notice.yml
    _by_url: dict[str, Item] | None = field(default=None, repr=False)  # made when first asked, once all is read

    @property
    def cache_folder(self) -> Path | None:
        if not self.options.use_cache:
            return None
        return self.options.cache_path or self.content_root.parent / ".cache"

    def rel(self, path: Path) -> str:
        inside = relative_inside(path, self.repo_root)
        return path.as_posix() if inside is None else inside

    @property
    def articles(self) -> dict[str, Item]:
        return self.items["article"]

    def item_for(self, path: str | Path) -> Item | None:
        # Asked once per file Pelican reads: strings, not Path objects, at 20,000 files.
        return self.by_path.get(resolved(path))

    def item_at(self, url: str) -> Item | None:
        """The item whose page is at a site-relative URL (`columns/x/`), whether or not this build writes it."""
        if self._by_url is None:
            self._by_url = {item.url: item for items in self.items.values() for item in items.values()}
        return self._by_url.get(url)

    @property
    def visibility(self) -> Visibility:
        """What this build shows: the publish rules are the strict rules (`make publish`, `make check`)."""
        return Visibility(publish=self.options.strict)

    def section_name(self, section_id: str) -> str:
        entry = self.registries.get("sections", {}).get(section_id)
        return entry["name"] if entry else section_id


PRELOAD_ABOVE = 200  # items to check, above which the copy-style cache is read whole


def _classify(rel_parts: tuple[str, ...]) -> str | None:
    """The kind of a Markdown file from its place under content/."""
    top = rel_parts[0]
    depth = len(rel_parts)
    if top == "articles" and depth >= 2:
        return "article"
    if top == "pages" and depth == 2:
        return "page"
    if top in ("columns", "topics") and depth == 2:
        return top[:-1]
    if top == "people" and (depth == 2 or (depth == 3 and rel_parts[2] == "index.md")):
        return "person"
    if top == "galleries" and depth == 3 and rel_parts[2] == "index.md":
        return "gallery"
    return None


class Loader:
    """Builds a Site: parse every file, validate it, then judge the rules between files."""

    def __init__(self, content_root: Path, repo_root: Path, options: Options) -> None:
        self.site = Site(content_root=content_root, repo_root=repo_root, options=options)
        self.site.items = {kind: {} for kind in KIND_SCHEMAS}
        self.references: list[tuple[Item, Reference]] = []
        self.image_cache: dict[Path, BadImage | None] = {}
        self.document_cache: dict[Path, list[Finding] | Refused] = {}  # a file listed and linked is read once
        self._urls: set[str] | None = None
        self.now = options.now
        self.records: FileRecords | None = None
        self._record_of: dict[str, FileRecord] = {}  # by rel: where the editorial findings are kept
        self._refused: list[Item] = []  # read but not part of the site: their wording is still checked
        self._depends_on: list[tuple[str, Signature]] = []  # the files the file being read names
        self._named: set[str] = set()  # every file any content file names, resolved

    @property
    def problems(self) -> Problems:
        return self.site.problems

    def load(self) -> Site:
        root = self.site.content_root
        self.site.registries = load_registries(root, self.site.rel, self.problems)
        if self.site.cache_folder is not None:
            options = self.site.options
            rules = fingerprint(
                repr(
                    (
                        options.strict,
                        options.organisation,
                        options.iframe_hosts,
                        sorted(body_settings(options.markdown).items()),
                        root.resolve(),
                        self.site.repo_root,
                    )
                )
            )
            self.records = FileRecords(self.site.cache_folder, code_fingerprint(), rules)
        tree = walk(root, self.site.rel(root), self.problems)
        for path in tree.markdown:
            self._read(path)
        self._check_other_files(tree)
        self._check_sections()
        self._check_references()
        self._check_urls()
        corrections.check(self.site)
        self._check_empty_groups()
        self._check_editorial()
        if self.records is not None:
            self.records.save()
        return self.site

    # Reading and per-file rules

    def _read(self, path: Path) -> None:
        rel = self.site.rel(path)
        parts = path.relative_to(self.site.content_root).parts
        kind = _classify(parts)
        if kind is None:
            self.problems.add("misplaced-file", rel, 0)
            return
        record = self.records.get(rel, path) if self.records is not None else None
        if record is None:
            record = self._read_file(path, rel, kind)
            if self.records is not None:
                self.records.put(rel, record)
        else:
            self.problems.items.extend(record.problems)
        self._named.update(name for name, _signature in record.depends_on)
        item = record.item
        self.references.extend((item, reference) for reference in record.references)
        if item is not None:
            self._record_of[rel] = record
        if not record.accepted:
            if item is not None:
                self._refused.append(item)
            return
        item.state = state_of(kind, item.values, self.now)  # depends on the time of this run: never kept
        table = self.site.items[kind]
        if item.id in table:
            # Both files hear of it, so that `make check FILES=…` on either one fails.
            first = table[item.id]
            for this, other in ((item, first), (first, item)):
                self.problems.add(
                    "duplicate-slug", this.rel, this.parsed.line_of("slug"), "slug", value=item.id, other=other.rel
                )
            self._refused.append(item)
            return
        table[item.id] = item
        self.site.by_path[resolved(path)] = item

    def _read_file(self, path: Path, rel: str, kind: str) -> FileRecord:
        """Read, validate and vet one file: everything about it that does not depend on other files."""
        before = len(self.problems.items)
        self._depends_on = []
        was = signature(path)  # taken first: a file changed while it is read is read again next time
        item, accepted, references = self._parse_item(path, rel, kind)
        return FileRecord(was, self._depends_on, item, accepted, self.problems.items[before:], references)

    def _parse_item(self, path: Path, rel: str, kind: str) -> tuple[Item | None, bool, list[Reference]]:
        parsed = parse_file(path, rel, self.problems)
        if not parsed.ok:
            return None, False, []
        validator = Validator(rel, self.problems)
        validator.item_line = lambda name, index, default: parsed.item_lines.get((name, index), default)
        checked = validator.mapping(parsed.fields, KIND_SCHEMAS[kind], parsed.line_of, unreadable=parsed.unreadable)
        stem = path.parent.name if path.name == "index.md" else path.stem
        item = Item(kind=kind, id=stem, rel=rel, path=path, parsed=parsed, values=checked.values)
        references = checked.references
        # Every rule runs whatever an earlier one found, so that one run lists every error of the file.
        if kind == "article":
            accepted = self._article(item, validator)
        elif not is_id(stem):
            self.problems.add("bad-file-id", rel, 0, value=stem, suggestion=slugify(stem) or "news")
            accepted = False
        else:
            item.url = URL_OF_KIND[kind].format(id=stem)
            accepted = True
        self._files(item)
        rules = BodyRules(rel, self.problems, self.site.options.iframe_hosts, self.site.options.markdown)
        item.images = rules.scan(parsed.body, parsed.body_line)
        item.links = rules.links
        self._linked_files(item)
        for image in item.images:
            self._image(item, image.src, image.line, "body")
            if image.alt == S.ALT_PLACEHOLDER:
                # A draft may wait for its descriptions; anything readers can see may not.
                level = "warning" if item.values.get("status") == "draft" else None
                self.problems.add("image-alt-placeholder", rel, image.line, "body", value=image.src, level=level)
        # A field left out because YAML could not read its line leaves the item incomplete: not part of the site.
        return item, accepted and not parsed.unreadable, references

    def _article(self, item: Item, validator: Validator) -> bool:
        """The article's own rules, all of them; False when it cannot be part of the site (no slug or date)."""
        values, parsed, rel = item.values, item.parsed, item.rel
        stem = item.id
        has_slug = True
        if "slug" in values:
            item.id = values["slug"]
        elif "slug" in parsed.fields:
            has_slug = False  # an invalid slug was reported
        else:
            item.id = slug_from_filename(stem)
            item.slug_made = needs_pinyin(stem)
            if not item.id:
                self.problems.add("bad-file-id", rel, 0, value=stem, suggestion="news-2020-001")
                has_slug = False
            elif item.slug_made:
                self.problems.add("made-slug", rel, 1, "slug", value=item.id)
        values.setdefault("section", "news")
        values.setdefault("type", "news")
        values.setdefault("status", "published")
        values.setdefault("source", self.site.options.organisation)
        if has_slug and "date" in values:
            item.url = article_url(item.id, values["date"])
        status = values["status"]
        needs_review = status in ("published", "hidden")
        if needs_review and self.site.options.strict and not parsed.fields.get("review"):
            self.problems.add(
                "review-missing", rel, parsed.line_of("status") if "status" in parsed.fields else 1, "review"
            )
        elif needs_review and self.site.options.strict and isinstance(values.get("review"), dict):
            stages = [
                ("first", "初审", "the first review"),
                ("second", "复审", "the second review"),
                ("final", "终审", "the final review"),
            ]
            missing = [(zh, en) for key, zh, en in stages if key not in values["review"]]
            if missing:
                self.problems.add(
                    "review-incomplete",
                    rel,
                    parsed.line_of("review"),
                    "review",
                    missing_zh="、".join(z for z, _ in missing),
                    missing_en=" and ".join(e for _, e in missing),
                )
        self._review_people(item)
        if "cover" in values and "cover_alt" not in values:
            self.problems.add("alt-missing", rel, parsed.line_of("cover"), "cover", alt_field="cover_alt")
        if status == "withdrawn" and "withdrawn_reason" not in values:
            self._needs(item, "withdrawn_reason", ("撤稿（status: withdrawn）", "A withdrawn item"))
        needed = TYPE_NEEDS.get(values["type"])
        if needed and needed not in values and needed not in parsed.fields:
            self._needs(item, needed, TYPE_NAMES[values["type"]])
        event = values.get("event") or {}
        if "start" in event and "end" in event and event["end"] < event["start"]:
            self.problems.add(
                "event-end-before-start",
                rel,
                parsed.line_of("event"),
                "event.end",
                value=f"{event['end']:%Y-%m-%d}",
                start=f"{event['start']:%Y-%m-%d}",
            )
        for index, adoption in enumerate(values.get("adopted_by", [])):
            if "date" in adoption and "date" in values and adoption["date"].date() < values["date"].date():
                self.problems.add(
                    "adoption-before-article",
                    rel,
                    parsed.line_of("adopted_by", index),
                    f"adopted_by[{index}].date",
                    value=f"{adoption['date']:%Y-%m-%d}",
                    article_date=f"{values['date']:%Y-%m-%d}",
                )
        if "pin_until" in values and "pin" not in values:
            self.problems.add("pin-until-without-pin", rel, parsed.line_of("pin_until"), "pin_until")
        aliases = []
        for alias in values.get("aliases", []):
            if not alias.startswith("/") or ".." in alias.split("/") or any(c.isspace() for c in alias):
                self.problems.add("bad-alias", rel, parsed.line_of("aliases"), "aliases", value=alias)
                continue
            # /old/page is a folder like /old/page/ unless its last part names a file (/old/page.html)
            if not alias.endswith("/") and "." not in alias.rsplit("/", 1)[-1]:
                alias += "/"
            aliases.append(alias)
        if "aliases" in values:
            values["aliases"] = aliases
        return bool(item.url)

    def _needs(self, item: Item, name: str, kind_names: tuple[str, str]) -> None:
        example = S.ARTICLE[name].example
        self.problems.add(
            "needed-for-type",
            item.rel,
            item.parsed.line_of("type") if name != "withdrawn_reason" else item.parsed.line_of("status"),
            name,
            kind_zh=kind_names[0],
            kind_en=kind_names[1],
            example=example,
        )

    def _review_people(self, item: Item) -> None:
        review = item.values.get("review") or {}
        stages = [("first", "初审", "first review"), ("second", "复审", "second review"), ("final", "终审", "final")]
        seen: dict[str, list[tuple[str, str]]] = {}
        for key, zh, en in stages:
            if review.get(key):
                seen.setdefault(review[key], []).append((zh, en))
        for person, where in seen.items():
            if len(where) > 1:
                self.problems.add(
                    "review-same-person",
                    item.rel,
                    item.parsed.line_of("review"),
                    "review",
                    value=person,
                    stages_zh="、".join(z for z, _ in where),
                    stages_en=" and ".join(e for _, e in where),
                )

    def _files(self, item: Item) -> None:
        """Every file a content item names must exist inside content/; images must be sound."""
        values, line_of = item.values, item.parsed.line_of
        for name in ("cover", "banner", "photo"):
            if name in values:
                self._image(item, values[name], line_of(name), name)
        if item.kind == "person" and "photo" in values and "photo_alt" not in values:
            self.problems.add("alt-missing", item.rel, line_of("photo"), "photo", alt_field="photo_alt")
        if item.kind in ("column", "topic") and "banner" in values and "banner_alt" not in values:
            self.problems.add("alt-missing", item.rel, line_of("banner"), "banner", alt_field="banner_alt")
        for index, attachment in enumerate(values.get("attachments", [])):
            if "file" in attachment:
                line = item.parsed.line_of("attachments", index)
                path = self._existing(item, attachment["file"], line, f"attachments[{index}].file")
                if path:
                    self._attachment(item, attachment["file"], path, line, f"attachments[{index}].file")
        if item.kind == "gallery":
            listed = set()
            for index, photo in enumerate(values.get("photos", [])):
                if "file" in photo:
                    listed.add(photo["file"])
                    self._image(item, photo["file"], item.parsed.line_of("photos", index), f"photos[{index}].file")
            self._depends_on.append((str(item.path.parent), signature(item.path.parent)))
            for path in sorted(item.path.parent.iterdir()):
                if path.suffix.lower() in S.IMAGE_SUFFIXES and path.name not in listed:
                    self.problems.add("gallery-photo-unlisted", item.rel, line_of("photos"), "photos", value=path.name)
                    self._image(item, path.name, line_of("photos"), "photos")

    def _attachment(self, item: Item, reference: str, path: Path, line: int, name: str) -> None:
        """A file published with the item: refused when it cannot be made safe, a warning when something is removed."""
        if path not in self.document_cache:
            try:
                self.document_cache[path] = inspect_document(path)
            except Refused as refused:
                self.document_cache[path] = refused
        found = self.document_cache[path]
        if isinstance(found, Refused):
            refused = found
            self.problems.add(
                refused.code,
                item.rel,
                line,
                name,
                value=reference,
                detail_zh=refused.finding.zh,
                detail_en=refused.finding.en,
                choices=" ".join(S.ATTACHMENT_SUFFIXES),
            )
            return
        if found:
            self.problems.add(
                "attachment-code-removed",
                item.rel,
                line,
                name,
                value=reference,
                detail_zh="、".join(finding.zh for finding in found),
                detail_en=", ".join(finding.en for finding in found),
            )
        if path.suffix.lower() in S.OLD_OFFICE_SUFFIXES:
            self.problems.add("attachment-old-format", item.rel, line, name, value=reference)

    def _linked_files(self, item: Item) -> None:
        """Files beside the item that its body links to are published with it: the same rules as attachments."""
        local = set(item.linked_files)
        for link in item.links:
            if link.url not in local:
                continue
            try:
                path = resolve(link.url, item.path, self.site.content_root)
            except OutsideContent:
                continue  # the link check names it
            self._depends_on.append((str(path), signature(path)))
            if not path.is_file():
                continue  # a page of the site, or a missing file: the link check names it
            if path.suffix.lower() in S.IMAGE_SUFFIXES:
                self._image(item, link.url, link.line, "body")
            elif path.suffix.lower() in S.ATTACHMENT_SUFFIXES + ARCHIVE_SUFFIXES:
                self._attachment(item, link.url, path, link.line, "body")
            else:
                self.problems.add(
                    "link-file-type",
                    item.rel,
                    link.line,
                    "body",
                    value=link.url,
                    choices=" ".join(S.ATTACHMENT_SUFFIXES),
                )

    def _existing(self, item: Item, reference: str, line: int, name: str) -> Path | None:
        try:
            path = resolve(reference, item.path, self.site.content_root)
        except OutsideContent:
            self.problems.add("path-outside-content", item.rel, line, name, value=reference)
            return None
        self._depends_on.append((str(path), signature(path)))
        if not path.is_file():
            self.problems.add("file-missing", item.rel, line, name, value=reference, resolved=self.site.rel(path))
            return None
        return path

    def _image(self, item: Item, reference: str, line: int, name: str) -> None:
        path = self._existing(item, reference, line, name)
        if path is None:
            return
        if path not in self.image_cache:
            try:
                vet_image(path)
                self.image_cache[path] = None
            except BadImage as bad:
                self.image_cache[path] = bad
        bad = self.image_cache[path]
        if bad is not None:
            self.problems.add(
                bad.code,
                item.rel,
                line,
                name,
                value=reference,
                detail=bad.detail,
                megapixels=bad.megapixels,
                limit=250,
            )

    # Rules between files

    def _check_other_files(self, tree: Tree) -> None:
        """Files that are not content must be of use: named by an item, read by the model, or shared images."""
        for item in self.site.by_path.values():
            for url in item.linked_files:
                try:
                    self._named.add(str(resolve(url, item.path, self.site.content_root)))
                except OutsideContent:
                    continue  # the link check reports it
        report_unused(tree, self._named, self.problems)

    def _check_sections(self) -> None:
        sections = self.site.registries.get("sections", {})
        sections_rel = self.site.rel(self.site.content_root / "data/sections.yml")
        for section_id, entry in sections.items():
            if section_id in S.RESERVED_NAMES:
                self.problems.add("reserved-id", sections_rel, entry["line"], "id", value=section_id)
        for page in self.site.items["page"].values():
            if page.id in S.RESERVED_NAMES:
                self.problems.add("reserved-id", page.rel, 0, value=page.id)
            elif page.id in sections:
                self.problems.add("page-id-is-section", page.rel, 0, value=page.id)

    def _known(self, registry: str) -> dict[str, Any]:
        if registry in self.site.registries:
            return self.site.registries[registry]
        kind = {
            "columns": "column",
            "topics": "topic",
            "people": "person",
            "galleries": "gallery",
            "articles": "article",
        }[registry]
        return self.site.items[kind]

    def _check_references(self) -> None:
        articles = self.site.articles
        for item, ref in self.references:
            known = self._known(ref.registry)
            if ref.value in known:
                is_release = known[ref.value].get("type") == "release"
                if item.kind == "article" and ref.field == "interprets" and not is_release:
                    self.problems.add("interprets-not-release", item.rel, ref.line, ref.field, value=ref.value)
                # `corrected_by` has rules of its own (corrections.py): a draft correction is an error there.
                if isinstance(known[ref.value], Item) and ref.field != "corrected_by":
                    self._check_shown(item, ref.line, ref.field, ref.value, known[ref.value])
                continue
            report_unknown_reference(self.problems, item.rel, ref.line, ref.field, ref.value, ref.registry, known)
        for article in articles.values():
            if "section" not in article.parsed.fields and "news" not in self.site.registries.get("sections", {}):
                zh_name, en_name, where = S.REGISTRY_NAMES["sections"]
                self.problems.add(
                    "unknown-ref",
                    article.rel,
                    1,
                    "section",
                    value="news",
                    registry_zh=zh_name,
                    registry_en=en_name,
                    where=where,
                    suggestion_zh="",
                    suggestion_en="",
                )

    def _check_shown(self, item: Item, line: int, name: str, value: str, target: Item | None) -> None:
        """A published item that names one a publish build leaves out shows no link to it: tell its editor."""
        if target is None or not PUBLISH.has_page(item) or PUBLISH.has_page(target):
            return
        zh, en = KIND_NAMES[target.kind]
        when = embargo_time(target.kind, target.values)
        if target.state == "embargoed" and when is not None:
            why_zh, why_en = f"定于 {when:%Y-%m-%d %H:%M} 发布", f"is scheduled for {when:%Y-%m-%d %H:%M}"
        else:
            why_zh, why_en = "是草稿（status: draft）", "is a draft (status: draft)"
        self.problems.add(
            "ref-not-published",
            item.rel,
            line,
            name,
            value=value,
            kind_zh=zh,
            kind_en=en,
            why_zh=why_zh,
            why_en=why_en,
        )

    def _check_editorial(self) -> None:
        """Wording, links, column folders, stale columns and backdating: the pull-request gate's rules."""
        root, rel_of = self.site.content_root, self.site.rel
        lexicon, sensitive = load_lexicon(root, rel_of, self.problems), load_sensitive(root, rel_of, self.problems)
        words = fingerprint(repr(lexicon.terms), repr(sensitive.terms))
        # Every item's text is published copy: articles and pages, and columns, topics, people and galleries.
        items = [item for kind in KIND_SCHEMAS for item in self.site.items[kind].values()]
        items += self._refused
        unchecked = sum(1 for item in items if words not in self._record_of[item.rel].editorial)
        # Reading every stored result at once pays off for a full check, not for the few files an edit changes.
        cache = style_cache(self.site.cache_folder, preload=unchecked > PRELOAD_ABOVE)
        editorial = Editorial(lexicon, sensitive, self.problems, cache)
        for item in items:
            self._editorial(editorial, words, item)
            self._check_links(item)
        columns = self.site.items["column"]
        for article in self.site.articles.values():
            folder = article.path.relative_to(root / "articles").parts[0]
            written = article.parsed.fields.get("columns")
            unread = [c for c in (written if isinstance(written, list) else [written]) if c and str(c) not in columns]
            if unread:
                continue  # a column written wrongly has its own message, which names the column meant
            if folder in columns and folder not in article.get("columns", []):
                self.problems.add(
                    "column-folder",
                    article.rel,
                    article.parsed.line_of("columns") if "columns" in article.parsed.fields else 1,
                    "columns",
                    value=folder,
                )
        cache.save()
        self._check_stale_columns()
        self._check_backdating()
        self._check_notice()

    def _editorial(self, editorial: Editorial, words: str, item: Item) -> None:
        """The wording rules on one item, or what they found last time for the same file and word lists."""
        record = self._record_of[item.rel]
        found = record.editorial.get(words)
        if found is not None:
            self.problems.items.extend(found)
            return
        before = len(self.problems.items)
        editorial.item(item)
        record.editorial = {words: self.problems.items[before:]}
        if self.records is not None:
            self.records.put(item.rel, record)

    def _check_links(self, item: Item) -> None:
        """Links inside the site must lead somewhere: a page this build writes, or a file in content/."""
        known = self._known_urls()
        for link in item.links:
            target = link.url
            if target.startswith("/"):
                path = target.lstrip("/")
                folder = path if path.endswith("/") or not path else path + "/"
                if (
                    path in known
                    or folder in known
                    or save_as(path) in known
                    or path.split("/", 1)[0] in DYNAMIC_PREFIXES
                    or (self.site.content_root / path).is_file()
                ):
                    self._check_shown(item, link.line, "body", target, self.site.item_at(folder))
                    continue
            else:
                try:
                    resolved = resolve(target, item.path, self.site.content_root)
                except OutsideContent:
                    self.problems.add("path-outside-content", item.rel, link.line, "body", value=target)
                    continue
                if resolved.is_file() or resolved.with_suffix(".md").is_file():
                    self._check_shown(item, link.line, "body", target, self.site.item_for(resolved))
                    continue
            self.problems.add("link-unresolved", item.rel, link.line, "body", value=target)

    def _known_urls(self) -> set[str]:
        if self._urls is None:
            self._urls = self.known_urls_of(self.site)
        return self._urls

    @staticmethod
    def known_urls_of(site: Site) -> set[str]:
        urls = {""}
        for kind in KIND_SCHEMAS:
            urls.update(item.url for item in site.items[kind].values())
        urls.update(f"{section}/" for section in site.registries.get("sections", {}))
        urls.update(a.lstrip("/") for item in site.articles.values() for a in item.get("aliases", []))
        return urls

    def _check_stale_columns(self) -> None:
        now = self.now
        if now is None:
            return
        latest: dict[str, datetime.datetime] = {}
        for article in self.site.articles.values():
            if PUBLISH.is_listed(article):
                for column in article.get("columns", []):
                    latest[column] = max(latest.get(column, article.get("date")), article.get("date"))
        for column in self.site.items["column"].values():
            end = column.get("end")
            if column.id not in latest or (end is not None and end <= now) or not PUBLISH.has_page(column):
                continue  # an empty column has its own warning; an ended or unpublished one is not stale
            days = (now - latest[column.id]).days
            if days > self.site.options.stale_column_days:
                self.problems.add(
                    "stale-column", column.rel, 1, value=column.id, days=days, last=f"{latest[column.id]:%Y-%m-%d}"
                )

    def _check_backdating(self) -> None:
        added = first_commit_times(self.site.repo_root, self.site.rel(self.site.content_root / "articles"))
        limit = datetime.timedelta(days=self.site.options.backdate_days)
        since = self.site.options.backdate_since
        for article in self.site.articles.values():
            first = added.get(article.rel)
            if first is None or (since is not None and first < since) or article.get("source_url"):
                continue  # not committed yet, history from before the rule, or a repost keeping its original date
            date = article.get("date")
            if first - date > limit:
                self.problems.add(
                    "backdated",
                    article.rel,
                    article.parsed.line_of("date"),
                    "date",
                    value=f"{date:%Y-%m-%d %H:%M}",
                    added=f"{first.astimezone(date.tzinfo):%Y-%m-%d %H:%M}",
                    days=(first - date).days,
                )

    def _check_notice(self) -> None:
        notice = load_notice(self.site.content_root, self.site.rel, self.problems)
        self.site.notice = notice
        if notice and self.now is not None and not notice_holds(notice, self.now):
            rel = self.site.rel(self.site.content_root / "data/notice.yml")
            self.problems.add("notice-expired", rel, 1, "expires", value=f"{notice['expires']:%Y-%m-%d %H:%M}")

    def _check_empty_groups(self) -> None:
        """A published column or topic with no published article would show an empty page: warn its editors."""
        used: dict[str, set[str]] = {"columns": set(), "topics": set()}
        for article in self.site.articles.values():
            if PUBLISH.is_listed(article):
                for key in used:
                    used[key].update(article.get(key, []))
        for kind, key in (("column", "columns"), ("topic", "topics")):
            for item in self.site.items[kind].values():
                if item.id not in used[key] and PUBLISH.has_page(item):
                    zh, en = KIND_NAMES[kind]
                    self.problems.add("empty-group", item.rel, 1, kind_zh=zh, kind_en=en, value=item.id)

    def _check_urls(self) -> None:
        """Two things written to one file is an error naming both, never an overwrite."""
        written: dict[str, tuple[str, str, int, str]] = {}

        def claim(url: str, owner: str, rel: str, line: int, name: str) -> None:
            target = save_as(url)
            if target not in written:
                written[target] = (owner, rel, line, name)
                return
            first_owner, first_rel, first_line, first_name = written[target]
            if first_owner == owner:
                return
            # Both files hear of it, so that `make check FILES=…` on either one fails.
            self.problems.add("duplicate-url", rel, line, name, value="/" + url, other=first_owner)
            self.problems.add("duplicate-url", first_rel, first_line, first_name, value="/" + url, other=owner)

        sections_rel = self.site.rel(self.site.content_root / "data/sections.yml")
        for section_id in self.site.registries.get("sections", {}):
            claim(f"{section_id}/", f"{sections_rel} ({section_id})", sections_rel, 0, "id")
        for kind in ("page", "article", "column", "topic", "person", "gallery"):
            for item in self.site.items[kind].values():
                claim(
                    item.url,
                    item.rel,
                    item.rel,
                    item.parsed.line_of("slug") if "slug" in item.parsed.fields else 0,
                    "slug" if kind == "article" else "",
                )
        for item in self.site.articles.values():
            for alias in item.get("aliases", []):
                claim(alias.lstrip("/"), f"{item.rel} (aliases)", item.rel, item.parsed.line_of("aliases"), "aliases")


def known_urls(site: Site) -> set[str]:
    """Every address inside the site that a body's link may lead to (a page, a section, an alias)."""
    return Loader.known_urls_of(site)


def read_again(site: Site, path: Path, urls: set[str] | None = None) -> tuple[Item | None, Problems]:
    """One file of a loaded site read afresh: its own rules and its body's links, judged against that site.

    The other rules between files (wording, columns, backdating …) wait for the next full read: a preview applies
    an edited body with this, and `make check` judges everything.
    """
    loader = Loader(site.content_root, site.repo_root, site.options)
    loader.site.registries, loader.site.items, loader.site.by_path = site.registries, site.items, site.by_path
    loader._urls = urls
    root = site.content_root.resolve()
    path = path.resolve()
    kind = _classify(path.relative_to(root).parts)
    if kind is None:
        return None, loader.problems
    record = loader._read_file(root / path.relative_to(root), site.rel(path), kind)
    item = record.item
    if item is None or not record.accepted:
        return None, loader.problems
    item.state = state_of(kind, item.values, loader.now)
    loader._check_links(item)
    return item, loader.problems


def load_site(content_root: Path, repo_root: Path | None = None, options: Options | None = None) -> Site:
    """Read and check everything under content/; the problems are on the returned Site."""
    options = options or Options()
    repo_root = repo_root or content_root.parent
    # Loading makes long-lived objects and almost no cyclic garbage: the cycle collector would only scan the
    # growing heap again and again (that made 20,000 articles take more than four times as long as 5,000).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return Loader(content_root, repo_root, options).load()
    finally:
        if collecting:
            gc.enable()
