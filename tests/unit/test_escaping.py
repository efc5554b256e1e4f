"""HTML escaping belongs to HTML only: text templates (robots.txt) and JSON never carry `&amp;` or `&gt;`."""

from __future__ import annotations

import json

import pytest
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pelican.settings import read_settings

from publishing.templating import json_ld
from tests.sites import PROJECT

TEMPLATES = PROJECT / "theme" / "templates"


@pytest.fixture(scope="module")
def settings() -> dict:
    return read_settings(str(PROJECT / "pelicanconf.py"))


@pytest.fixture(scope="module")
def env(settings: dict) -> Environment:
    # As Pelican's generators make it: the theme's templates, and the settings' JINJA_ENVIRONMENT.
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), **settings["JINJA_ENVIRONMENT"])


def test_robots_txt_says_the_sitemap_url_as_it_is(env: Environment, settings: dict) -> None:
    # Pelican finds a direct template by its name and one of TEMPLATE_EXTENSIONS.
    (found,) = [ext for ext in settings["TEMPLATE_EXTENSIONS"] if (TEMPLATES / f"robots{ext}").is_file()]
    text = env.get_template(f"robots{found}").render(SITE_ABSOLUTE_URL="https://example.org/o&m's")
    assert "Sitemap: https://example.org/o&m's/sitemap.xml" in text
    assert "&amp;" not in text and "&#39;" not in text


def test_every_template_escapes_exactly_when_it_makes_html(env: Environment) -> None:
    names = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file())
    assert "article.html" in names and "robots.txt" in names
    for name in names:
        html = name.endswith(".html")
        assert env.autoescape(name) is html, name
    assert env.from_string("{{ v }}").render(v="a&b") == "a&amp;b"  # a template made in code is HTML


@pytest.mark.parametrize("suffix", ["txt", "css", "js", "json", "csv", "ics", "yml"])
def test_a_text_template_of_any_kind_prints_its_values_as_they_are(env: Environment, suffix: str) -> None:
    assert env.autoescape(f"anything.{suffix}") is False


def test_json_ld_holds_the_characters_of_an_escaped_title() -> None:
    title = Markup.escape('科技 & 创新 <新> "论坛"')
    data = {"headline": title, "keywords": [Markup.escape("A&B")], "publisher": {"name": Markup.escape("X&Y")}}
    text = str(json_ld(data))
    assert "&amp;" not in text and "&lt;" not in text and "&#34;" not in text
    assert "<" not in text and ">" not in text  # still unable to end the <script>
    parsed = json.loads(text)
    assert parsed == {"headline": '科技 & 创新 <新> "论坛"', "keywords": ["A&B"], "publisher": {"name": "X&Y"}}
