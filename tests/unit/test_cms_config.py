"""The web editor's form and `make check` read one content model: every field, flag, choice and registry agree."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from cms import DEFAULT_DECAP, decap_files, write_admin
from cms import config as cms_config
from content_model import schema as S
from content_model.site import Site
from content_model.slugs import ID_PATTERN
from content_model.times import parse_time
from tests.unit.conftest import SiteBuilder

# Which schema each collection edits; article collections are one per section and per column folder.
COLLECTION_SCHEMAS = {
    "columns": "COLUMN",
    "topics": "TOPIC",
    "people": "PERSON",
    "galleries": "GALLERY",
    "pages": "PAGE",
    "notice": "NOTICE",
}


# The collection that edits the items each item registry names: the relation widget reads its entries.
ITEM_COLLECTIONS = {"columns": "columns", "topics": "topics", "people": "people", "galleries": "galleries"}


def registry_ids(site: Site, field: S.Field) -> list[str]:
    """The ids the checker accepts for a registry field (for articles: the ones the field can sensibly name)."""
    if field.name == "corrected_by":
        return []  # any article may correct another: the form takes the slug as typed, make check judges it
    if field.registry == "articles":
        wanted = (lambda a: a.get("type") == "release") if field.name == "interprets" else (lambda a: a.get("topics"))
        return sorted(a.id for a in site.articles.values() if wanted(a))
    return sorted(site.registries[field.registry])


def registry_problems(widget: dict[str, Any], spec: S.Field, site: Site, where: str, public: bool) -> list[str]:
    """How a registry field's widget differs from what the checker accepts for it."""
    if spec.registry in ITEM_COLLECTIONS:
        # Picked from the collection itself: the form holds no list of items.
        wanted = ("item-relation", ITEM_COLLECTIONS[spec.registry], "{{slug}}", spec.kind == S.IDS)
        found = (widget["widget"], widget.get("collection"), widget.get("value_field"), widget.get("multiple"))
        return [] if found == wanted and "options" not in widget else [f"{where}: {found} != {wanted}"]
    if spec.registry == "articles" and public:
        # A public form names no article: the slug is typed, and the checker judges it.
        text = "list" if spec.kind == S.IDS else "string"
        return [] if widget["widget"] == text and "options" not in widget else [f"{where}: lists articles"]
    offered = sorted(o["value"] for o in widget.get("options", []))
    problems = [] if offered == registry_ids(site, spec) else [f"{where}: options {offered} != registry"]
    if (spec.kind == S.IDS) != bool(widget.get("multiple")) and widget["widget"] == "select":
        problems.append(f"{where}: multiple does not match the kind {spec.kind}")
    return problems


def compare(
    form: list[dict[str, Any]],
    fields: dict[str, S.Field],
    site: Site,
    where: str,
    optional_parent: bool = False,
    public: bool = True,
) -> list[str]:
    """Every difference between a form's fields and the schema's, as readable strings."""
    problems = []
    by_name = {f["name"]: f for f in form}
    for name in by_name:
        if name != "body" and name not in fields:
            problems.append(f"{where}.{name}: in the form, unknown to the checker")
    for name, spec in fields.items():
        widget = by_name.get(name)
        if widget is None:
            problems.append(f"{where}.{name}: missing from the form")
            continue
        # Decap validates an empty optional object's inner fields: there the form can only mark them optional.
        required = spec.required and not optional_parent
        if widget.get("required", True) != required:
            problems.append(f"{where}.{name}: required {widget.get('required')} in the form, {required} in the schema")
        if spec.registry:
            problems += registry_problems(widget, spec, site, f"{where}.{name}", public)
        elif spec.kind == S.CHOICE:
            offered = [o["value"] for o in widget["options"]]
            if offered != list(spec.choices):
                problems.append(f"{where}.{name}: choices {offered} != {list(spec.choices)}")
        if spec.kind == S.TIME and (
            widget["widget"] != "datetime" or widget["format"] not in ("YYYY-MM-DD HH:mm", "YYYY-MM-DD")
        ):
            problems.append(f"{where}.{name}: not a date picker in the content model's format")
        if spec.subfields:
            problems += compare(
                widget["fields"],
                {f.name: f for f in spec.subfields},
                site,
                f"{where}.{name}",
                optional_parent=spec.kind == S.MAPPING and not spec.required,
                public=public,
            )
    return problems


def drift(config: dict[str, Any], site: Site) -> list[str]:
    problems = []
    public = config["backend"]["name"] == "github" and "local_backend" not in config
    for collection in config["collections"]:
        name = collection["name"]
        schema_name = "ARTICLE" if name.startswith(("section-", "column-")) else COLLECTION_SCHEMAS[name]
        form = collection["files"][0]["fields"] if "files" in collection else collection["fields"]
        problems += compare(form, getattr(S, schema_name), site, name, public=public)
    return problems


@pytest.fixture
def small_site(site: SiteBuilder) -> Site:
    site.column("zuimei-2020", title="最美科技工作者")
    site.topic("kepu-ri-2020", title="全国科普日")
    site.person("li-ming", name="李明", unit="郑州大学")
    site.gallery("dabaoche")
    site.article("fabu/tiaoli-fabuhui", type="release", title="条例发布")
    site.article("news/kepu", topics="[kepu-ri-2020]", title="科普日")
    site.article("zuimei-2020/li-ming", columns="[zuimei-2020]", people="[li-ming]")
    loaded = site.load(strict=False)
    assert not loaded.problems.errors, [p.message_en for p in loaded.problems.errors]
    return loaded


@pytest.fixture
def config(small_site: Site) -> dict[str, Any]:
    return cms_config.build_config(small_site, backend="github", repo="hnast/site")


def test_the_form_and_the_schema_agree(config: dict[str, Any], small_site: Site) -> None:
    assert drift(config, small_site) == []


def test_the_local_form_and_the_schema_agree(small_site: Site) -> None:
    local = cms_config.build_config(small_site, backend="local", repo="hnast/site")
    assert drift(local, small_site) == []
    news = next(c for c in local["collections"] if c["name"] == "section-news")
    interprets = next(f for f in news["fields"] if f["name"] == "interprets")
    assert [o["value"] for o in interprets["options"]] == ["tiaoli-fabuhui"]


def test_items_are_picked_from_their_collection_not_from_a_list(config: dict[str, Any]) -> None:
    news = next(c for c in config["collections"] if c["name"] == "section-news")
    fields = {f["name"]: f for f in news["fields"]}
    collections = {c["name"] for c in config["collections"]}
    for name in ("columns", "topics", "people", "gallery"):
        assert fields[name]["widget"] == "item-relation" and fields[name]["collection"] in collections
    assert fields["people"]["display_fields"] == ["name", "unit"]
    # The public form takes a slug where it would otherwise list articles.
    assert fields["interprets"]["widget"] == "string" and fields["interprets"]["pattern"][0] == ID_PATTERN.pattern
    topics = next(c for c in config["collections"] if c["name"] == "topics")
    assert next(f for f in topics["fields"] if f["name"] == "featured")["widget"] == "list"


def test_the_public_form_names_no_unpublished_item(site: SiteBuilder) -> None:
    site.column("open-column", title="公开专栏")
    site.column("qz-draft-column", title="草稿专栏QZDC", status="draft")
    site.column("qz-later-column", title="将开专栏QZLC", start="2020-08-01")
    site.topic("qz-draft-topic", title="草稿专题QZDT", status="draft")
    site.person("qz-draft-person", name="草稿人物QZPE", status="draft")
    site.gallery("qz-draft-gallery", title="草稿图集QZDG", status="draft")
    site.article("fabu/qz-later-release", type="release", title="定时发布稿QZLR", date="2020-08-01 10:00")
    site.article("fabu/qz-draft-release", type="release", title="草稿发布稿QZDR", status="draft")
    site.article("news/qz-member", title="专题稿件QZME", topics="[qz-draft-topic]", status="draft")
    loaded = site.load(strict=False)
    assert not loaded.problems.errors, [p.message_en for p in loaded.problems.errors]
    public = cms_config.dump(cms_config.build_config(loaded, backend="github", repo="hnast/site"))
    assert "content/articles/open-column" in public
    assert not re.findall(r"qz[-a-z]*|QZ[A-Z]+", public)
    # A preview's form, on the contributor's own machine, offers every item, as the preview shows every item.
    local = cms_config.dump(cms_config.build_config(loaded, backend="local"))
    for word in ("qz-draft-column", "qz-later-column", "QZLR", "QZDR", "QZME"):
        assert word in local


def test_a_schema_change_shows_as_drift_until_the_form_is_made_again(
    config: dict[str, Any], small_site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = S.Field("reporter_phone", S.TEXT, "联系电话", "reporter_phone: 0371-1234", required=True)
    monkeypatch.setattr(S, "ARTICLE", {**S.ARTICLE, new.name: new})
    assert "section-news.reporter_phone: missing from the form" in drift(config, small_site)
    # A changed flag is drift as well.
    department = dataclasses.replace(S.ARTICLE["department"], required=False)
    monkeypatch.setattr(S, "ARTICLE", {**S.ARTICLE, "department": department})
    assert any("section-news.department: required True" in p for p in drift(config, small_site))
    # The generator reads the schema, so a form made again follows it.
    assert drift(cms_config.build_config(small_site, backend="github", repo="hnast/site"), small_site) == []


def test_a_registry_entry_added_or_removed_is_drift(config: dict[str, Any], small_site: Site) -> None:
    small_site.registries["departments"]["kxpjb"] = {"id": "kxpjb", "name": "科学普及部", "kind": "机关部室"}
    assert any(".department: options" in p for p in drift(config, small_site))


def test_one_collection_per_section_and_column_folder_each_a_bundle(config: dict[str, Any]) -> None:
    articles = {c["name"]: c for c in config["collections"] if "folder" in c and c["folder"].startswith("content/art")}
    assert set(articles) == {"section-news", "section-notices", "column-zuimei-2020"}
    news, notices, column = articles["section-news"], articles["section-notices"], articles["column-zuimei-2020"]
    assert column["folder"] == "content/articles/zuimei-2020"
    for collection in articles.values():
        assert collection["path"] == "{{slug}}/index"
        assert collection["media_folder"] == "" and collection["public_folder"] == ""
        assert collection["slug"] == "{{year}}-{{month}}-{{day}}-{{fields.slug}}"
        assert collection["create"] and not collection["delete"]
    defaults = {c: {f["name"]: f.get("default") for f in articles[c]["fields"]} for c in articles}
    assert defaults["section-news"] | {"date": None} == defaults["section-news"] | {
        "section": "news",
        "type": "news",
        "status": "draft",
        "date": None,
    }
    assert defaults["section-notices"]["type"] == "notice" and defaults["section-notices"]["section"] == "notices"
    assert defaults["column-zuimei-2020"]["columns"] == ["zuimei-2020"]
    assert all(d["status"] == "draft" and d["date"] == "{{now}}" for d in defaults.values())
    assert news["fields"][0]["name"] == "title" and notices["label"] == "通知公告"


def test_the_correcting_item_is_typed_as_a_slug(config: dict[str, Any]) -> None:
    form = next(c for c in config["collections"] if c["name"] == "section-news")["fields"]
    field = next(f for f in form if f["name"] == "corrected_by")
    assert field["widget"] == "string" and "options" not in field
    assert re.fullmatch(field["pattern"][0], "xuehui-zuotanhui-gengzheng")
    assert not re.fullmatch(field["pattern"][0], "学会座谈会")


def test_the_slug_made_from_a_valid_slug_field_is_a_valid_id(config: dict[str, Any]) -> None:
    news = next(c for c in config["collections"] if c["name"] == "section-news")
    slug = next(f for f in news["fields"] if f["name"] == "slug")
    pattern, message = slug["pattern"]
    assert pattern == ID_PATTERN.pattern and "小写字母" in message
    # Decap fills {{year}}-{{month}}-{{day}}-{{fields.slug}}; the checker drops the leading date again.
    from content_model.slugs import slug_from_filename

    assert slug_from_filename("2026-11-28-wangye-bianji-peixun") == "wangye-bianji-peixun"
    assert re.fullmatch(pattern, "wangye-bianji-peixun") and not re.fullmatch(pattern, "网页编辑")


def test_times_use_the_content_model_format(config: dict[str, Any]) -> None:
    news = next(c for c in config["collections"] if c["name"] == "section-news")
    fields = {f["name"]: f for f in news["fields"]}
    assert fields["date"]["format"] == "YYYY-MM-DD HH:mm" and fields["date"]["picker_utc"] is False
    assert fields["pin_until"]["format"] == "YYYY-MM-DD" and fields["pin_until"]["time_format"] is False
    # What the pickers write, the checker reads.
    assert parse_time("2026-11-28 09:30").hour == 9 and parse_time("2026-11-28").day == 28


def test_people_and_galleries_are_named_by_their_folder_not_by_a_field(config: dict[str, Any]) -> None:
    for name in ("people", "galleries"):
        collection = next(c for c in config["collections"] if c["name"] == name)
        assert collection["meta"]["path"]["index_file"] == "index"
        assert collection["meta"]["path"]["pattern"][0] == ID_PATTERN.pattern
        assert "id" not in {f["name"] for f in collection["fields"]}
    fixed = {c["name"]: c for c in config["collections"]}
    assert not fixed["columns"]["create"] and not fixed["topics"]["create"] and not fixed["pages"]["create"]


def test_backends(small_site: Site) -> None:
    github = cms_config.build_config(
        small_site, backend="github", repo="hnast/site", branch="main", auth_url="https://auth.example/"
    )
    assert github["backend"]["name"] == "github" and github["backend"]["repo"] == "hnast/site"
    assert github["backend"]["base_url"] == "https://auth.example" and github["backend"]["auth_endpoint"] == "auth"
    assert github["publish_mode"] == "editorial_workflow" and "local_backend" not in github
    assert github["locale"] == "zh_Hans"
    local = cms_config.build_config(
        small_site, backend="local", repo="hnast/site", local_url="http://127.0.0.1:9/api/v1"
    )
    assert local["backend"]["name"] == "github" and local["local_backend"] == {"url": "http://127.0.0.1:9/api/v1"}
    alone = cms_config.build_config(small_site, backend="local", local_url="http://127.0.0.1:9/api/v1")
    assert alone["backend"] == {"name": "proxy", "proxy_url": "http://127.0.0.1:9/api/v1", "branch": "main"}


def test_the_oauth_proxy_address_splits_into_origin_and_endpoint() -> None:
    assert cms_config.oauth_endpoints("https://cms-auth.hnast.example") == {
        "base_url": "https://cms-auth.hnast.example",
        "auth_endpoint": "auth",
    }
    # Decap matches the sign-in window's messages against base_url: it must be the origin alone.
    assert cms_config.oauth_endpoints("https://www.hnast.example/cms-auth/") == {
        "base_url": "https://www.hnast.example",
        "auth_endpoint": "cms-auth/auth",
    }
    with pytest.raises(ValueError):
        cms_config.oauth_endpoints("cms-auth.hnast.example")


def test_the_yaml_reads_back_unchanged_and_has_no_aliases(config: dict[str, Any]) -> None:
    text = cms_config.dump(config)
    assert text.startswith("# ") and "&id" not in text and "*id" not in text
    assert yaml.safe_load(text) == config


def test_the_command_writes_the_config(tmp_path: Path, site: SiteBuilder) -> None:
    out = tmp_path / "admin" / "config.yml"
    assert cms_config.main(["--root", str(site.root), "--backend", "local", "--out", str(out)]) == 0
    written = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert written["local_backend"]["url"] == cms_config.DEFAULT_LOCAL_URL
    assert [c["name"] for c in written["collections"]][:2] == ["section-news", "section-notices"]


@pytest.mark.parametrize("publish", [True, False])
def test_the_plugin_writes_admin(tmp_path: Path, small_site: Site, publish: bool) -> None:
    # No skip: without node_modules this fails, as the build would be missing /admin/ (make test runs npm ci).
    assert (DEFAULT_DECAP / "dist" / "decap-cms.js").is_file(), "decap-cms is missing: run npm ci"
    settings = {"PUBLISH_BUILD": publish, "SITENAME": "河南省科学技术协会", "CMS_REPO": "hnast/site"}
    admin = write_admin(settings, small_site, tmp_path)
    assert admin == tmp_path / "admin"
    version = json.loads((DEFAULT_DECAP / "package.json").read_text())["version"]
    copied = sorted(p.name for p in (admin / f"decap-cms-{version}").iterdir())
    assert copied == sorted(p.name for p in decap_files(DEFAULT_DECAP / "dist"))
    assert "decap-cms.js" in copied and not any(n.endswith(".map") for n in copied)
    assert len([n for n in copied if n.endswith(".decap-cms.js")]) > 50
    assert len([n for n in copied if n.endswith(".wasm")]) == 2
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page and "<title>网页编辑 - 河南省科学技术协会" in page
    assert f'src="decap-cms-{version}/decap-cms.js"' in page and 'src="cms-init.js?v=' in page
    assert "http" not in page  # nothing from another host
    assert "registerPreviewStyle" in (admin / "cms-init.js").read_text(encoding="utf-8")
    written = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert written["backend"]["name"] == "github" and written["backend"]["repo"] == "hnast/site"
    assert ("local_backend" in written) is not publish
