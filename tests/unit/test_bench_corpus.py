"""The bench corpus generator: deterministic, passes our checker, and its Pelican twin reads with stock Pelican."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bench import corpus

from tests.sites import check


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def pool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One image pool for the module: images are the slow part, and they are keyed by number only."""
    return tmp_path_factory.mktemp("pool")


def test_same_seed_same_bytes(tmp_path: Path, pool: Path) -> None:
    for name in ("a", "b"):
        corpus.write_corpus(corpus.generate(30, seed=7), tmp_path / name, pool)
    first, second = tree_digest(tmp_path / "a"), tree_digest(tmp_path / "b")
    assert first == second
    assert any(name.endswith("photo.jpg") for name in first), "some articles carry an image"
    corpus.write_corpus(corpus.generate(30, seed=8), tmp_path / "c", pool)
    assert tree_digest(tmp_path / "c") != first, "another seed gives another corpus"


def test_images_are_deterministic_and_distinct() -> None:
    from bench import images

    assert images.photo(3) == images.photo(3)
    assert images.photo(3) != images.photo(4)


def test_shape_of_the_corpus() -> None:
    generated = corpus.generate(400)
    counts = generated.counts()
    assert counts["tags"] == 200 and counts["authors"] == 30
    assert 2000 <= counts["body_chars_mean"] <= 2600
    assert 0.14 <= counts["with_image"] / 400 <= 0.26
    for article in generated.articles:
        assert 12 <= len(article.title) <= 25
        assert len(set(article.review)) == 3
        assert article.date < corpus.dt.datetime(2021, 1, 1)


def test_corpus_passes_the_checker(tmp_path: Path, pool: Path) -> None:
    corpus.write_corpus(corpus.generate(50), tmp_path, pool)
    run = check(tmp_path / "ours", site_now=corpus.SITE_NOW, timeout=120)
    assert run.returncode == 0, run.text
    assert " 0 error(s)" in run.text


def test_pelican_twin_reads_with_stock_pelican(tmp_path: Path, pool: Path) -> None:
    generated = corpus.generate(20)
    corpus.write_corpus(generated, tmp_path, pool)
    stock = tmp_path / "stock"
    # Pelican's own reader, with the twin's own settings: every field comes through as written.
    code = (
        "import json, sys\n"
        "from pelican.readers import Readers\n"
        "from pelican.settings import read_settings\n"
        "settings = read_settings('pelicanconf.py')\n"
        "readers = Readers(settings)\n"
        "out = {}\n"
        "for name in sys.argv[1:]:\n"
        "    page = readers.read_file('content', name)\n"
        "    out[page.slug] = [page.title, str(page.date)[:16], page.category.name, [t.name for t in page.tags],\n"
        "                      page.status]\n"
        "print(json.dumps(out, ensure_ascii=False))\n"
    )
    names = [f"articles/{a.slug}.md" for a in generated.articles]
    result = subprocess.run(
        [sys.executable, "-c", code, *names], cwd=stock, capture_output=True, text=True, timeout=120, check=True
    )
    read = json.loads(result.stdout.strip().splitlines()[-1])
    for article in generated.articles:
        title, date, category, tags, status = read[article.slug]
        assert title == article.title
        assert date == f"{article.date:%Y-%m-%d %H:%M}"
        assert category == dict(corpus.SECTIONS)[article.section]
        assert tags == article.tags
        assert status == (article.status if article.status in ("draft", "hidden") else "published")
    # And the whole twin builds with stock Pelican and its default theme.
    built = subprocess.run(
        [sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", str(tmp_path / "out")],
        cwd=stock,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    published = sum(a.status in ("published", "withdrawn") for a in generated.articles)
    assert f"Processed {published} article" in " ".join(built.stdout.split())
    assert (tmp_path / "out" / "index.html").is_file()
