"""Every output that is not HTML reads as what it is: stylesheets parse, JSON and XML parse, nothing escaped twice."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cssselect2
import tinycss2

from tests.sites import PROJECT

# Decap CMS is copied from its npm package as it is: not made by this build.
THIRD_PARTY = re.compile(r"^admin/decap-cms-[^/]+/")
ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
# An entity whose & was escaped again: a reader would see "&gt;" or "&amp;".
TWICE = re.compile(r"&amp;(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
# JSON fields that hold HTML; every other string of our JSON is plain text.
HTML_FIELDS = {"content_html"}
ATOM = "{http://www.w3.org/2005/Atom}"


def outputs(site: Path, *suffixes: str) -> list[Path]:
    found = [
        p
        for p in site.rglob("*")
        if p.is_file() and p.suffix in suffixes and not THIRD_PARTY.match(p.relative_to(site).as_posix())
    ]
    assert found, f"no {suffixes} in the output"
    return sorted(found)


def css_problems(rules: list[Any]) -> Iterator[str]:
    """Syntax errors, declarations that don't parse, and selectors that are no selectors (Chromium drops the rule)."""
    for rule in rules:
        if rule.type == "error":
            yield rule.message
        elif rule.type == "qualified-rule":
            try:
                # cssselect2 matches elements and knows few pseudo-elements: ::backdrop is valid CSS it can't match.
                cssselect2.compile_selector_list(without_pseudo_elements(rule.prelude))
            except cssselect2.SelectorError as error:
                yield f"{tinycss2.serialize(rule.prelude).strip()}: {error}"
            for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if item.type == "error":
                    yield f"{tinycss2.serialize(rule.prelude).strip()}: {item.message}"
        elif rule.type == "at-rule" and rule.content is not None and rule.lower_at_keyword != "font-face":
            yield from css_problems(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))


def without_pseudo_elements(tokens: list[Any]) -> list[Any]:
    kept: list[Any] = []
    for token in tokens:
        if token.type == "ident" and len(kept) >= 2 and kept[-1] == ":" and kept[-2] == ":":
            del kept[-2:]
        else:
            kept.append(token)
    return kept


def test_every_stylesheet_parses_and_holds_no_html_entity(sample_site: Path) -> None:
    sheets = outputs(sample_site, ".css")
    assert sample_site / "stats/charts.css" in sheets
    for path in sheets:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(sample_site).as_posix()
        assert not ENTITY.search(text), (name, ENTITY.findall(text)[:5])
        rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
        assert list(css_problems(rules)) == [], name
    # The charts' backgrounds are white: the rule that says so is one the browser keeps.
    charts = (sample_site / "stats/charts.css").read_text(encoding="utf-8")
    assert re.search(r"\.graph > \.background\s*\{\s*fill:\s*#fff", charts)


def strings(value: Any, field: str = "") -> Iterator[tuple[str, str]]:
    """(field, text) of every string in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item, field)
    elif isinstance(value, str):
        yield field, value


def json_documents(site: Path) -> Iterator[tuple[str, Any]]:
    for path in outputs(site, ".json"):
        yield path.relative_to(site).as_posix(), json.loads(path.read_text(encoding="utf-8"))
    # The search index's shards: a u32 length, then a JSON header of their terms (plugins/search/index.py).
    for path in outputs(site, ".bin"):
        data = path.read_bytes()
        size = int.from_bytes(data[:4], "little")
        yield path.relative_to(site).as_posix(), json.loads(data[4 : 4 + size].decode("utf-8"))


def test_every_json_document_parses_and_its_plain_text_is_plain(sample_site: Path) -> None:
    names = []
    for name, document in json_documents(sample_site):
        names.append(name)
        for field, text in strings(document):
            pattern = TWICE if field in HTML_FIELDS else ENTITY
            assert not pattern.search(text), (name, field, text[:200])
    assert {"api/index.json", "feed.json", "stats/2020.json", "search/index/meta.json"} <= set(names)


def test_every_xml_document_parses_and_nothing_in_it_is_escaped_twice(sample_site: Path) -> None:
    documents = outputs(sample_site, ".xml", ".atom", ".svg")
    assert sample_site / "sitemap.xml" in documents and sample_site / "feed.atom" in documents
    for path in documents:
        name = path.relative_to(sample_site).as_posix()
        root = ET.parse(path).getroot()
        for element in root.iter():
            text = element.text or ""
            # Atom's type="html" holds HTML, escaped once more for XML: decoded, its entities are HTML's own.
            pattern = TWICE if element.get("type") == "html" else ENTITY
            assert not pattern.search(text), (name, element.tag, text[:200])
        if path.suffix == ".atom":
            for summary in root.iter(f"{ATOM}summary"):
                assert summary.get("type") == "html" and not ENTITY.search(summary.text or ""), name


def test_text_files_hold_no_html_entity(sample_site: Path) -> None:
    files = outputs(sample_site, ".txt", ".ics", ".csv", ".yml")
    assert {sample_site / "robots.txt", sample_site / "events/events.ics", sample_site / "admin/config.yml"} <= set(
        files
    )
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not ENTITY.search(text), (path.relative_to(sample_site).as_posix(), ENTITY.findall(text)[:5])
    robots = (sample_site / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://www.hnast.example/sitemap.xml" in robots


def test_no_page_shows_an_entity_escaped_twice(sample_site: Path) -> None:
    for path in outputs(sample_site, ".html"):
        text = path.read_text(encoding="utf-8")
        assert not TWICE.search(text), (path.relative_to(sample_site).as_posix(), TWICE.findall(text)[:5])


def test_scripts_are_copied_as_they_are(sample_site: Path) -> None:
    # Scripts go out as the files they are in the project: never through a template.
    scripts = [p for folder in ("theme/static", "plugins") for p in (PROJECT / folder).rglob("*.js")]
    sources = {p.read_bytes() for p in scripts}
    for path in outputs(sample_site, ".js"):
        assert path.read_bytes() in sources, path.relative_to(sample_site).as_posix()
