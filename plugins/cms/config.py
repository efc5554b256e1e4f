"""The Decap CMS configuration, generated from the content model so that the form and `make check` agree."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from content_model import schema as S
from content_model.site import Item, Options, Site, load_site
from content_model.slugs import ID_PATTERN
from content_model.times import site_now
from content_model.visibility import Visibility

DEFAULT_LOCAL_URL = "http://127.0.0.1:8081/api/v1"
DEFAULT_BRANCH = "main"
PUBLISH_SETTINGS = {"github": "publishconf", "local": "pelicanconf"}
DATETIME_FORMAT = "YYYY-MM-DD HH:mm"  # the content model's `YYYY-MM-DD HH:MM`, in dayjs tokens
DATE_FORMAT = "YYYY-MM-DD"
ID_HINT = "只用小写字母、数字和连字符，如 kejiguan-xinguan-fengding"
ID_RULE = [ID_PATTERN.pattern, ID_HINT]
URL_RULE = ["^https?://\\S+$", "请填写以 http:// 或 https:// 开头的完整网址"]

# The one convention of the sample site a form default follows: notices are written in the notices section.
SECTION_TYPES = {"notices": "notice"}

# Chinese labels of the schema's choices; a choice missing here shows its value, so a new one still appears.
CHOICE_LABELS = {
    "news": "新闻",
    "notice": "通知公告",
    "release": "新闻发布稿",
    "interpretation": "解读稿件",
    "profile": "人物稿件",
    "event": "活动",
    "published": "已发布（须有三审）",
    "draft": "草稿（待审）",
    "hidden": "隐藏（有网页，不进列表）",
    "withdrawn": "撤稿",
    "sections": "分区块",
    "timeline": "时间线",
    "grid": "网格",
    "info": "提示",
    "warning": "注意",
    "urgent": "紧急",
}

# Fields that hold a day, not a moment: pin_until holds through the day; the rest are calendar dates.
DATE_ONLY = {
    ("article", "pin_until"),
    ("adoption", "date"),
    ("column", "start"),
    ("column", "end"),
    ("gallery", "date"),
}

# Form order for articles: what every contributor fills first, then what reviewers and editors use.
ARTICLE_ORDER = (
    "title",
    "date",
    "department",
    "slug",
    "section",
    "columns",
    "topics",
    "type",
    "authors",
    "photographers",
    "editor",
    "source",
    "source_url",
    "source_id",
    "summary",
    "cover",
    "cover_alt",
    "body",
    "tags",
    "people",
    "doc_number",
    "attachments",
    "event",
    "interprets",
    "gallery",
    "milestone",
    "status",
    "review",
    "adopted_by",
    "pin",
    "pin_until",
    "withdrawn_reason",
    "corrected_by",
    "aliases",
)

HINTS = {
    ("article", "slug"): "新稿件必填，成为网址的一部分（拼音或英文）。" + ID_HINT + "。已发布的稿件请勿修改。",
    ("article", "date"): "北京时间。晚于现在的时间为定时发布：到时才在网站上出现。",
    ("article", "source"): "不填即为本单位名称。",
    ("article", "source_id"): "make sync 导入的稿件才有：下级网站订阅源中这篇稿件的标识，用来避免重复导入，请勿修改。",
    ("article", "summary"): (
        "不填则自动取正文开头的一两句话（只取段落，不含小标题、列表、表格、图片说明和引文），"
        "在句末结束，最多约 120 字。"
    ),
    ("article", "cover"): "上传的图片保存在稿件旁边。",
    ("article", "cover_alt"): "有封面图时必填：用一句话描述图片内容，供视障读者使用。",
    ("article", "status"): "新稿件为草稿。定稿时改为“已发布”，之后由三位审核人批准，不再修改。",
    ("article", "review"): "定稿时填写三位不同的审核人，他们各自在拉取请求上批准。",
    ("article", "pin"): "数字越小越靠前；不填则不置顶。",
    ("article", "pin_until"): "置顶到这一天结束。",
    ("article", "event"): "活动稿件（类型为“活动”）必填开始时间和地点；全天活动的时间填 00:00。",
    ("article", "interprets"): "解读稿件必填：所解读的新闻发布稿。",
    ("article", "corrected_by"): "撤稿时填写：更正稿件的网址标识（slug）。撤稿说明会链接到更正稿件。",
    ("article", "aliases"): "本稿以前的网址，如 /old/url/，访问旧网址会跳转到这里。",
    ("article", "tags"): "多个标签用逗号分隔。",
    ("article", "authors"): "多人用逗号分隔。",
    ("article", "photographers"): "多人用逗号分隔。",
    ("gallery", "photos"): "图片的顺序、说明和替代文字；未列出的图片按文件名排在后面。",
    ("column", "editors"): "负责审核本专栏稿件的 GitHub 用户名，多个用逗号分隔。",
}

SUBFIELD_GROUPS = {"adopted_by": "adoption"}

BODY = {"name": "body", "label": "正文", "widget": "markdown", "required": False}


# Items a field names are picked with Decap's relation widget, which reads the collection through the backend
# with the editor's own rights: no list of them is written into config.yml, which /admin/ serves to anyone.
# `item-relation` (cms-init.js) is that widget offering an item's id: its file's name or its folder's.
ITEM_RELATIONS = {
    "columns": ("columns", ["title"]),
    "topics": ("topics", ["title"]),
    "people": ("people", ["name", "unit"]),
    "galleries": ("galleries", ["title"]),
}
ARTICLE_HINTS = {
    "interprets": "解读稿件必填：所解读的新闻发布稿的网址标识（slug），如 tiaoli-xiuding-fabuhui。",
    "featured": "本专题稿件的网址标识（slug），按显示顺序填写。",
}


class Registries:
    """The choices a form may offer, with Chinese labels, taken from the loaded site.

    Registries (sections, departments, media) are offered in full. Of the items, only the columns that have a page
    in this kind of build name the folders articles are written in. Articles are spread over many folder
    collections, too many for the relation widget to read: a preview's form offers releases and topic members
    as choices; a publish build's form, which is public, names no article and takes a slug instead.
    """

    def __init__(self, site: Site, visibility: Visibility) -> None:
        self.options: dict[str, list[tuple[str, str]]] = {}
        regs = site.registries
        sections = sorted(regs.get("sections", {}).items(), key=lambda kv: (kv[1].get("order", 999), kv[0]))
        self.options["sections"] = [(k, v["name"]) for k, v in sections]
        self.options["departments"] = [(k, v["name"]) for k, v in regs.get("departments", {}).items()]
        self.options["media"] = [(k, v["name"]) for k, v in regs.get("media", {}).items()]
        columns = [c for c in site.items["column"].values() if visibility.has_page(c)]
        columns.sort(key=lambda c: (c.get("order", 999), c.id))
        self.columns = [(c.id, c.get("title") or c.id) for c in columns]
        self.releases: list[tuple[str, str]] | None = None
        self.in_topics: list[tuple[str, str]] | None = None
        if not visibility.publish:
            articles = sorted(site.articles.values(), key=lambda a: a.get("date"), reverse=True)
            # `interprets` must name a release, and a topic features only its own articles: offer just those,
            # so that a list of every article (thousands on a real site) never goes into the form.
            self.releases = [(a.id, _article_label(a)) for a in articles if a.get("type") == "release"]
            self.in_topics = [(a.id, _article_label(a)) for a in articles if a.get("topics")]

    def for_field(self, field: S.Field) -> list[tuple[str, str]] | None:
        """The ids to choose from; None for an id typed as text: any article, or one this form may not list."""
        if field.registry == "articles":
            return {"interprets": self.releases, "featured": self.in_topics}.get(field.name)
        return self.options.get(field.registry or "", [])


def _article_label(article: Item) -> str:
    return f"{article.get('title')}（{article.get('date'):%Y-%m-%d}）"


def _choice_options(choices: Iterable[str]) -> list[dict[str, str]]:
    return [{"label": CHOICE_LABELS.get(c, c), "value": c} for c in choices]


def widget(owner: str, field: S.Field, registries: Registries, *, parent_optional: bool = False) -> dict[str, Any]:
    """One Decap field for one schema field: the widget its kind needs, its label, required flag and hint."""
    out: dict[str, Any] = {"name": field.name, "label": field.label}
    kind = field.kind
    if field.registry in ITEM_RELATIONS:
        collection, shown = ITEM_RELATIONS[field.registry]
        out.update(widget="item-relation", collection=collection, value_field="{{slug}}")
        out.update(search_fields=shown, display_fields=shown, multiple=kind == S.IDS)
    elif field.registry:
        options = registries.for_field(field)
        if options is None:
            out["widget"] = "list" if kind == S.IDS else "string"
            if kind == S.ID:
                out["pattern"] = ID_RULE
            if field.name in ARTICLE_HINTS:
                out["hint"] = ARTICLE_HINTS[field.name]
        elif options:
            out["widget"] = "select"
            out["options"] = [{"label": label, "value": value} for value, label in options]
            if kind == S.IDS:
                out["multiple"] = True
        else:
            # Decap's select needs at least one option; an empty registry leaves a text box with the id rule.
            out.update(widget="list" if kind == S.IDS else "string")
            if kind == S.ID:
                out["pattern"] = ID_RULE
            out["hint"] = f"暂无可选项，先在 {S.REGISTRY_NAMES[field.registry][2]} 中添加。"
    elif kind == S.TEXT:
        out["widget"] = "string"
    elif kind == S.PATH:
        # Attachments are documents; every other path names an image. Uploads land beside the entry.
        out.update(widget="file" if owner == "attachment" else "image", choose_url=False)
    elif kind == S.TEXTS:
        out["widget"] = "list"
    elif kind == S.ID:
        out.update(widget="string", pattern=ID_RULE)
    elif kind == S.TIME:
        out["widget"] = "datetime"
        if (owner, field.name) in DATE_ONLY:
            out.update(format=DATE_FORMAT, time_format=False)
        else:
            # The form stores the time as typed: Beijing time on the contributors' computers, no zone suffix.
            out.update(format=DATETIME_FORMAT, picker_utc=False)
    elif kind == S.INT:
        out.update(widget="number", value_type="int")
    elif kind == S.BOOL:
        out["widget"] = "boolean"
    elif kind == S.URL:
        out.update(widget="string", pattern=URL_RULE)
    elif kind == S.CHOICE:
        out.update(widget="select", options=_choice_options(field.choices))
    elif kind == S.MAPPING:
        # Decap validates an object's inner fields even when the object is left empty, so an optional
        # object's inner fields cannot be required in the form; the checker still requires them once it is used.
        sub = SUBFIELD_GROUPS.get(field.name, field.name)
        out.update(widget="object", collapsed=True)
        out["fields"] = [widget(sub, f, registries, parent_optional=not field.required) for f in field.subfields]
    elif kind == S.MAPPINGS:
        sub = SUBFIELD_GROUPS.get(field.name, field.name[:-1] if field.name.endswith("s") else field.name)
        out.update(widget="list", collapsed=True)
        out["fields"] = [widget(sub, f, registries) for f in field.subfields]
    else:
        raise ValueError(f"no widget for field kind {kind!r}")
    out["required"] = field.required and not parent_optional
    hint = HINTS.get((owner, field.name))
    if hint and "hint" not in out:
        out["hint"] = hint
    return out


def _ordered(fields: dict[str, S.Field], order: Iterable[str]) -> list[str]:
    names = [n for n in order if n in fields or n == "body"]
    # A field added to the schema later still reaches the form, at the end, so they can never drift apart.
    return names + [n for n in fields if n not in names]


def form_fields(
    owner: str, fields: dict[str, S.Field], registries: Registries, order: Iterable[str] = (), **defaults: Any
) -> list[dict[str, Any]]:
    out = []
    names = _ordered(fields, order)
    if "body" not in names:
        names.append("body")
    for name in names:
        if name == "body":
            out.append(dict(BODY))
            continue
        spec = widget(owner, fields[name], registries)
        if name in defaults:
            spec["default"] = defaults[name]
        out.append(spec)
    return out


def article_collections(site: Site, registries: Registries) -> list[dict[str, Any]]:
    """One collection per section folder and per column folder: the folders contributors already use.

    Decap cannot choose a folder from a field's value, so the folder is chosen by picking the collection.
    """
    collections = []
    groups = [("section", k, v) for k, v in registries.options["sections"]]
    groups += [("column", k, v) for k, v in registries.columns]
    for group, group_id, name in groups:
        defaults: dict[str, Any] = {
            "date": "{{now}}",
            "section": group_id if group == "section" else "news",
            "type": SECTION_TYPES.get(group_id, "news") if group == "section" else "news",
            # A new entry is a draft: the form never publishes anything by itself.
            "status": "draft",
        }
        if group == "column":
            defaults["columns"] = [group_id]
        label = name if group == "section" else f"专栏：{name}"
        fields = form_fields("article", S.ARTICLE, registries, ARTICLE_ORDER, **defaults)
        if group == "column":
            news = dict(registries.options["sections"]).get("news", "news")
            next(f for f in fields if f["name"] == "section")["hint"] = f"不选即为“{news}”。"
        collections.append(
            {
                "name": f"{group}-{group_id}",
                "label": label,
                "label_singular": "稿件",
                "description": f"{label}的稿件，保存在 content/articles/{group_id}/。",
                "folder": f"content/articles/{group_id}",
                "create": True,
                "delete": False,  # a published URL must keep working: withdraw (撤稿) instead
                "format": "yaml-frontmatter",
                "extension": "md",
                # A bundle: the article and its photos and attachments share a folder named by its slug.
                "path": "{{slug}}/index",
                "slug": "{{year}}-{{month}}-{{day}}-{{fields.slug}}",
                "media_folder": "",
                "public_folder": "",
                "identifier_field": "title",
                "summary": "{{title}}　{{date}}",
                "sortable_fields": ["date", "title"],
                "view_filters": [
                    {"label": "草稿", "field": "status", "pattern": "draft"},
                    {"label": "已撤稿", "field": "status", "pattern": "withdrawn"},
                ],
                "fields": fields,
            }
        )
    return collections


def _meta_id(label: str) -> dict[str, Any]:
    """The item's id is its folder's name, never a front-matter field: Decap's meta path writes exactly that."""
    return {
        "path": {
            "label": label,
            "widget": "string",
            "index_file": "index",
            "pattern": ID_RULE,
            "hint": "成为网址的一部分，保存后不要修改。" + ID_HINT + "。",
        }
    }


def other_collections(registries: Registries) -> list[dict[str, Any]]:
    common = {"format": "yaml-frontmatter", "extension": "md", "delete": False}
    topic_order = [*S.COLUMN, "layout", "featured", "sections"]
    return [
        {
            **common,
            "name": "columns",
            "label": "专栏",
            "label_singular": "专栏",
            # A new column also needs its folder, its editors and a rebuild of this form: the maintainers add it.
            "description": "专栏介绍页。新开专栏请联系网站管理员。",
            "folder": "content/columns",
            "create": False,
            "media_folder": "/content/images/banners",
            "public_folder": "/images/banners",
            "fields": form_fields("column", S.COLUMN, registries),
        },
        {
            **common,
            "name": "topics",
            "label": "专题",
            "label_singular": "专题",
            "description": "专题页的介绍与编排。新开专题请联系网站管理员。",
            "folder": "content/topics",
            "create": False,
            "media_folder": "/content/images/banners",
            "public_folder": "/images/banners",
            "fields": form_fields("column", S.TOPIC, registries, topic_order),
        },
        {
            **common,
            "name": "people",
            "label": "人物",
            "label_singular": "人物",
            "description": "人物介绍，照片放在人物文件夹中。",
            "folder": "content/people",
            "create": True,
            "path": "{{slug}}/index",
            "meta": _meta_id("人物标识"),
            "media_folder": "",
            "public_folder": "",
            "identifier_field": "name",
            "summary": "{{name}}",
            "fields": form_fields("person", S.PERSON, registries),
        },
        {
            **common,
            "name": "galleries",
            "label": "图集",
            "label_singular": "图集",
            "description": "图集：图片放在图集文件夹中。",
            "folder": "content/galleries",
            "create": True,
            "path": "{{slug}}/index",
            "meta": _meta_id("图集标识"),
            "media_folder": "",
            "public_folder": "",
            "sortable_fields": ["date", "title"],
            "fields": form_fields("gallery", S.GALLERY, registries, date="{{now}}"),
        },
        {
            **common,
            "name": "pages",
            "label": "固定页面",
            "label_singular": "页面",
            "description": "关于我们、联系我们等固定页面。",
            "folder": "content/pages",
            "create": False,
            "fields": form_fields("page", S.PAGE, registries),
        },
        {
            "name": "notice",
            "label": "紧急通知",
            "description": "首页顶部的紧急通知（突发事件快速响应），到截止时间后不再显示。",
            "delete": False,
            "files": [
                {
                    "name": "notice",
                    "label": "紧急通知",
                    "file": "content/data/notice.yml",
                    "format": "yml",
                    "fields": [widget("notice", f, registries) for f in S.NOTICE.values()],
                }
            ],
        },
    ]


def oauth_endpoints(auth_url: str) -> dict[str, str]:
    """Decap's base_url and auth_endpoint for the self-hosted OAuth proxy (docs/网页编辑.md).

    Without it Decap would ask Netlify's servers. Decap compares base_url with the origin of the proxy's
    messages, so base_url is only the origin; a path the proxy lives under goes into auth_endpoint.
    """
    parts = urlsplit(auth_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"CMS_AUTH_URL must be an http(s) address, not {auth_url!r}")
    path = parts.path.strip("/")
    return {"base_url": f"{parts.scheme}://{parts.netloc}", "auth_endpoint": f"{path}/auth" if path else "auth"}


def build_config(
    site: Site,
    *,
    backend: str,
    repo: str = "",
    branch: str = DEFAULT_BRANCH,
    auth_url: str = "",
    local_url: str = DEFAULT_LOCAL_URL,
    site_url: str = "",
) -> dict[str, Any]:
    """The whole Decap configuration: `github` for the published site, `local` adds Decap's local backend."""
    if backend not in ("github", "local"):
        raise ValueError(f"backend must be github or local, not {backend!r}")
    # The GitHub backend is the deployed editor, whose config.yml a publish build serves to anyone.
    registries = Registries(site, Visibility(publish=backend == "github"))
    backend_config: dict[str, Any] = {"name": "github", "repo": repo, "branch": branch}
    if auth_url:
        backend_config.update(oauth_endpoints(auth_url))
    backend_config.update(
        squash_merges=True,
        commit_messages={
            "create": "新建{{collection}}：{{slug}}",
            "update": "修改{{collection}}：{{slug}}",
            "delete": "删除{{collection}}：{{slug}}",
            "uploadMedia": "上传文件：{{path}}",
            "deleteMedia": "删除文件：{{path}}",
        },
    )
    if backend == "local" and not repo:
        # Without a repository the GitHub backend cannot start; locally the proxy backend is all there is.
        backend_config = {"name": "proxy", "proxy_url": local_url, "branch": branch}
    config: dict[str, Any] = {
        "locale": "zh_Hans",
        "backend": backend_config,
        "publish_mode": "editorial_workflow",
    }
    if backend == "local":
        config["local_backend"] = {"url": local_url}
    if site_url:
        config.update(site_url=site_url, display_url=site_url)
    config.update(
        # The site's own emblem on the login page, relative to /admin/ so that any host path works.
        logo={"src": "../theme/img/logo.svg", "show_in_header": False},
        media_folder="content/images/uploads",
        public_folder="/images/uploads",
        slug={"encoding": "ascii", "clean_accents": True},
        show_preview_links=False,
        collections=article_collections(site, registries) + other_collections(registries),
    )
    return config


HEADER = "# 由内容模型生成，请勿手改（make cms-config）。Generated from the content model: do not edit.\n"


class _Dumper(yaml.CSafeDumper):  # LibYAML's emitter: the same text, in half the time
    """Writes shared option lists out in full: anchors and aliases would puzzle anyone reading the file."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(config: dict[str, Any]) -> str:
    return HEADER + yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def repo_from_git(root: Path) -> str:
    """owner/name of the `origin` remote when it is on GitHub, else empty."""
    try:
        url = subprocess.run(
            ["git", "-C", str(root), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""
    for prefix in ("https://github.com/", "git@github.com:", "ssh://git@github.com/"):
        if url.startswith(prefix):
            return url[len(prefix) :].removesuffix(".git").strip("/")
    return ""


def load(root: Path) -> Site:
    """The content as the build reads it; content errors don't stop the form, the checker reports them."""
    return load_site(root / "content", root, Options(strict=False, now=site_now()))


def config_from_settings(settings: dict[str, Any], site: Site, *, backend: str, root: Path) -> dict[str, Any]:
    """The configuration a build with these Pelican settings publishes: CMS_REPO, CMS_BRANCH, CMS_AUTH_URL, …"""

    def setting(name: str, default: str = "") -> str:
        # `make cms` passes the local backend's address to the dev server's builds through the environment.
        return str(settings.get(name) or os.environ.get(name) or default)

    return build_config(
        site,
        backend=backend,
        repo=setting("CMS_REPO") or repo_from_git(root),
        branch=setting("CMS_BRANCH", DEFAULT_BRANCH),
        auth_url=setting("CMS_AUTH_URL"),
        local_url=setting("CMS_LOCAL_BACKEND_URL", DEFAULT_LOCAL_URL),
        site_url=str(settings.get("SITE_ABSOLUTE_URL") or ""),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成网页编辑器配置 Generate the Decap CMS configuration")
    parser.add_argument("--root", default=".")
    parser.add_argument("--backend", choices=("github", "local"), default="github")
    parser.add_argument(
        "--settings",
        default="",
        help="Pelican settings with CMS_*; default: publishconf.py, or pelicanconf.py for local",
    )
    parser.add_argument("--out", default="-", help="a file, or - for standard output")
    args = parser.parse_args(argv)
    root = Path(args.root)
    settings_file = Path(args.settings) if args.settings else root / f"{PUBLISH_SETTINGS[args.backend]}.py"
    settings: dict[str, Any] = {}
    if settings_file.is_file():
        from pelican.settings import read_settings

        settings = read_settings(str(settings_file))
    text = dump(config_from_settings(settings, load(root), backend=args.backend, root=root))
    if args.out == "-":
        sys.stdout.write(text)
    else:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"已生成 Written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
