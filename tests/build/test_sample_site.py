"""The sample site as published: valid HTML (Nu Html Checker), no broken internal link, light pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from publishing.linkcheck import broken_links
from tests.sites import PROJECT

VNU = PROJECT / "node_modules/vnu-jar/build/dist/vnu.jar"


def test_every_page_passes_the_nu_html_checker(sample_site: Path) -> None:
    # No skip: a machine without Java or the checker must fail here (make test installs it with npm ci).
    assert shutil.which("java"), "java is missing: .ci/run installs it"
    assert VNU.exists(), "vnu.jar is missing: run `npm ci` (make test does)"
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--skip-non-html", "--errors-only", str(sample_site)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-5000:]
    pages = list(sample_site.rglob("*.html"))
    assert len(pages) > 100


def test_no_internal_link_is_broken(sample_site: Path) -> None:
    assert broken_links(sample_site) == []


def test_home_and_article_pages_stay_under_60_kb(sample_site: Path) -> None:
    css = sum(p.stat().st_size for p in (sample_site / "theme/css").glob("site.css"))
    js = (
        sum(p.stat().st_size for p in (sample_site / "theme/js").glob("site.js"))
        if (sample_site / "theme/js").exists()
        else 0
    )
    for page in [
        "index.html",
        *sorted(p.relative_to(sample_site).as_posix() for p in (sample_site / "articles").rglob("index.html"))[:10],
    ]:
        size = (sample_site / page).stat().st_size + css + js
        assert size < 60 * 1024, f"{page}: {size} bytes of HTML, CSS and JS"
