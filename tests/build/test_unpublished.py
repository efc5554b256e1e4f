"""Nothing unpublished leaves a publish build: an item of every kind, then every output file scanned for it."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from tests.sites import Run, article, build, check, write_site

NOW = "2020-07-25 12:00"


def _image(fmt: str, colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, fmt)
    return out.getvalue()


def _pdf(title: str) -> bytes:
    from pypdf import PdfWriter

    out = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_metadata({"/Title": title})
    writer.write(out)
    return out.getvalue()


JPEG, PNG = _image("JPEG", (200, 40, 40)), _image("PNG", (40, 40, 200))


def _front(fields: dict[str, str], body: str) -> str:
    return "---\n" + "".join(f"{key}: {value}\n" for key, value in fields.items()) + "---\n" + body + "\n"


def bundle(folder: str, mark: str, title: str, date: str, more_body: str = "", **fields: str) -> dict[str, str | bytes]:
    """An article bundle whose every word and file name carries `mark`: a photo in its body, a cover, an attachment."""
    body = f"{mark}body 正文。\n\n![{mark}photoalt]({mark}photo.png){more_body}"
    files: dict[str, str | bytes] = {
        f"{folder}/{mark}photo.png": PNG,
        f"{folder}/{mark}cover.jpg": JPEG,
        f"{folder}/{mark}file.pdf": _pdf(f"{mark}pdftitle"),
    }
    fields.update(cover=f"{mark}cover.jpg", cover_alt=f"{mark}coveralt", tags=f"[{mark}tag]")
    fields["attachments"] = f"[{{file: {mark}file.pdf, title: {mark}attach}}]"
    return {f"{folder}/index.md": article(f"{title} {mark}title", date, body, **fields), **files}


# Every unpublished item, each with its own marker words (ASCII, so that no escaping or segmentation hides them)
# in its title, slug and body, and in the names of the files beside it.
UNPUBLISHED = {
    # A draft release with everything an article can carry, and a file its body links to.
    **bundle(
        "content/articles/news/qz-draft-release",
        "qzdr",
        "发布稿",
        "2020-07-10 09:00",
        "\n\n[附件](qzdrlinked.pdf)",
        slug="qz-draft-release",
        status="draft",
        type="release",
        topics="[open-topic]",
        gallery="qz-draft-gallery",
        summary="qzdrsummary",
    ),
    "content/articles/news/qz-draft-release/qzdrlinked.pdf": _pdf("qzdrlinkedtitle"),
    # An embargoed event, in a section of its own, with an old address.
    **bundle(
        "content/articles/jiceng/qz-later-event",
        "qzle",
        "活动",
        "2020-07-28 10:00",
        slug="qz-later-event",
        section="jiceng",
        type="event",
        event="{start: 2020-08-01, end: 2020-08-02, location: qzleplace}",
        topics="[open-topic]",
        people="[li-ming]",
        gallery="qz-later-gallery",
        aliases="[/old/qzlealias.html]",
        adopted_by="[{media: henan-daily, date: 2020-07-29}]",
    ),
    # A withdrawn article: its title may stay on its notice page; nothing else of it may.
    **bundle(
        "content/articles/news/qz-gone",
        "qzwd",
        "撤稿",
        "2020-07-05 09:00",
        slug="qz-gone",
        status="withdrawn",
        withdrawn_reason="数据有误",
    ),
    "content/pages/qz-draft-page.md": _front(
        {"title": "页面 qzpgtitle", "summary": "qzpgsummary", "status": "draft"}, "qzpgbody 正文。"
    ),
    "content/galleries/qz-draft-gallery/index.md": _front(
        {
            "title": "图集 qzdgtitle",
            "date": "2020-07-01",
            "status": "draft",
            "photographers": "[qzdgphotographer]",
            "photos": "[{file: qzdgphoto.jpg, caption: qzdgcaption, alt: qzdgalt}]",
        },
        "qzdgbody 说明。",
    ),
    "content/galleries/qz-draft-gallery/qzdgphoto.jpg": JPEG,
    "content/galleries/qz-later-gallery/index.md": _front(
        {
            "title": "图集 qzlgtitle",
            "date": "2020-08-20",
            "photos": "[{file: qzlgphoto.jpg, caption: qzlgcaption, alt: qzlgalt}]",
        },
        "qzlgbody 说明。",
    ),
    "content/galleries/qz-later-gallery/qzlgphoto.jpg": JPEG,
    "content/columns/qz-draft-column.md": _front(
        {
            "title": "专栏 qzdctitle",
            "description": "qzdcdescription",
            "status": "draft",
            "banner": "/images/banners/qzdcbanner.jpg",
            "banner_alt": "qzdcbanneralt",
        },
        "qzdcbody 介绍。",
    ),
    "content/images/banners/qzdcbanner.jpg": JPEG,
    # A column launches on its start day.
    "content/columns/qz-later-column.md": _front(
        {"title": "专栏 qzlctitle", "description": "qzlcdescription", "start": "2020-08-01"}, "qzlcbody 介绍。"
    ),
    "content/topics/qz-draft-topic.md": _front(
        {"title": "专题 qzdttitle", "description": "qzdtdescription", "status": "draft"}, "qzdtbody 介绍。"
    ),
    "content/people/qz-draft-person/index.md": _front(
        {
            "name": "人物 qzpename",
            "photo": "qzpephoto.jpg",
            "photo_alt": "qzpephotoalt",
            "unit": "qzpeunit",
            "honors": "[{award: qzpeaward, year: 2020}]",
            "status": "draft",
        },
        "qzpebody 简介。",
    ),
    "content/people/qz-draft-person/qzpephoto.jpg": JPEG,
}

# Published items that name the unpublished ones: their links must not show, and the checker warns.
PUBLISHED = {
    "content/articles/news/public.md": article(
        "公开稿件",
        "2020-07-20 09:30",
        # Links in the text to what is not published yet keep their words, not their address.
        "公开正文，见[即将发布的发布稿](qz-draft-release/index.md)和[即将开办的专栏](/columns/qz-later-column/)。",
        columns="[qz-draft-column, qz-later-column, open-column]",
        topics="[qz-draft-topic, open-topic]",
        people="[qz-draft-person, li-ming]",
        gallery="qz-draft-gallery",
        tags="[科普]",
    ),
    # Its only column is a draft: the public article next to it in that column shows no 专栏上一篇 for it.
    "content/articles/news/in-draft-column.md": article(
        "草稿专栏里的公开稿件", "2020-07-19 09:30", "正文。", columns="[qz-draft-column]"
    ),
    "content/articles/news/jiedu.md": article(
        "解读稿件", "2020-07-21 09:30", "解读正文。", type="interpretation", interprets="qz-draft-release"
    ),
    "content/articles/news/with-gallery.md": article(
        "图集稿件", "2020-07-22 09:30", "图集正文。", gallery="qz-later-gallery", topics="[open-topic]"
    ),
    "content/topics/open-topic.md": _front(
        {
            "title": "开放专题",
            "featured": "[qz-draft-release, qz-later-event, public]",
            "sections": "[{title: 人物, person: qz-draft-person}, {title: 专栏, column: qz-draft-column}, "
            "{title: 图集, galleries: true}]",
        },
        "专题介绍。",
    ),
    "content/columns/open-column.md": _front({"title": "开放专栏"}, "专栏介绍。"),
    "content/people/li-ming.md": _front(
        {"name": "李明", "unit": "郑州大学", "honors": "[{award: 最美科技工作者, year: 2020}]"}, "简介。"
    ),
    "content/galleries/open-gallery/index.md": _front(
        {"title": "公开图集", "date": "2020-07-01", "photos": "[{file: open.jpg, alt: 公开图片}]"}, "说明。"
    ),
    "content/galleries/open-gallery/open.jpg": JPEG,
}

# Marker → the only output files it may appear in (a withdrawn item keeps its notice page, at its own address).
NOTICE = "articles/2020/07/qz-gone/index.html"
ALLOWED = {"qzwdtitle": {NOTICE}, "qz-gone": {NOTICE}}
MARKERS = sorted(
    {word for text in UNPUBLISHED.values() if isinstance(text, str) for word in re.findall(r"qz[a-z-]*[a-z]", text)}
    # and every item's id, which its file or folder name gives
    | {re.findall(r"qz[a-z-]*[a-z]", name)[0] for name in UNPUBLISHED if name.endswith(".md")}
)
# Where each unpublished item's page and files would be published.
FOLDERS = (
    "articles/2020/07/qz-draft-release",
    "articles/2020/07/qz-later-event",
    "qz-draft-page",
    "galleries/qz-draft-gallery",
    "galleries/qz-later-gallery",
    "columns/qz-draft-column",
    "columns/qz-later-column",
    "topics/qz-draft-topic",
    "people/qz-draft-person",
    "honours/qzpeaward",
    "old",
)
FILE_STEMS = sorted({Path(name).stem for name in UNPUBLISHED if not name.endswith(".md")})


def _search_shard_terms(data: bytes) -> str:
    """The terms of a search index shard (plugins/search/index.py `_shard`): a u32 length, then a JSON header."""
    length = int.from_bytes(data[:4], "little")
    return " ".join(json.loads(data[4 : 4 + length].decode("utf-8")))


def readable(name: str, data: bytes) -> list[str]:
    """Every text a file holds, however it is stored: compressed files opened, archives and shards read."""
    suffix = Path(name).suffix.lower()
    texts = [data.decode("utf-8", errors="replace"), data.decode("latin-1")]
    if suffix in (".gz", ".br", ".bz2", ".xz", ".zst"):
        opener = {".gz": gzip.decompress, ".bz2": bz2.decompress, ".xz": lzma.decompress}.get(suffix)
        if opener is None:
            import brotli  # pragma: no cover - no build writes these today

            opener = brotli.decompress
        inner = opener(data)
        texts += readable(name[: -len(suffix)], inner)
    if data[:4] == b"PK\x03\x04":  # zip, docx, xlsx
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                texts.append(member)
                texts += readable(member, archive.read(member))
    if suffix == ".bin" and "/search/" in f"/{name}":
        texts.append(_search_shard_terms(data))
    if suffix == ".json":
        # Non-ASCII text may be written as \\u escapes; read the document and write it back plainly.
        texts.append(json.dumps(json.loads(data), ensure_ascii=False))
    if suffix == ".ics":
        texts.append(re.sub(r"\r?\n[ \t]", "", data.decode("utf-8")))  # lines are folded at 75 octets
    if suffix == ".pdf":
        from pypdf import PdfReader

        texts.append(json.dumps({k: str(v) for k, v in (PdfReader(io.BytesIO(data)).metadata or {}).items()}))
    return texts


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("unpublished"), {**UNPUBLISHED, **PUBLISHED})


@pytest.fixture(scope="module")
def published(fixture_site: Path) -> Run:
    run = build(fixture_site, publish=True, site_now=NOW, timeout=300)
    assert run.returncode == 0, run.text
    return run


def test_the_fixture_has_a_marker_for_every_item_and_file() -> None:
    for word in ("qzdrtitle", "qzletitle", "qzwdbody", "qzpgtitle", "qzdgtitle", "qzlgtitle", "qzdctitle"):
        assert word in MARKERS
    for word in ("qzlctitle", "qzdttitle", "qzpename", "qzpeaward", "qz-draft-person", "qzdcbanner"):
        assert word in MARKERS
    assert len(FILE_STEMS) == 14


def test_no_output_file_holds_anything_of_an_unpublished_item(published: Run) -> None:
    files = [p for p in published.output.rglob("*") if p.is_file()]
    names = {p.relative_to(published.output).as_posix() for p in files}
    # The scan covers what is most at risk: pages, feeds, calendars, the API, search, stats and the editor's form.
    for needed in ("index.html", "feed.atom", "feed.json", "events/events.ics", "api/index.json", "sitemap.xml"):
        assert needed in names
    assert "admin/config.yml" in names and "stats/2020.csv" in names
    assert any(n.startswith("search/index/shards/") for n in names)
    leaks: dict[str, list[str]] = {}
    for path in files:
        name = path.relative_to(published.output).as_posix()
        text = "\n".join(readable(name, path.read_bytes())).lower()
        for marker in MARKERS:
            if marker in text and name not in ALLOWED.get(marker, ()):
                leaks.setdefault(marker, []).append(name)
    assert leaks == {}
    # The scan finds what is there: the withdrawn item's title on its notice, as the contract allows.
    assert "qzwdtitle" in "\n".join(readable(NOTICE, (published.output / NOTICE).read_bytes()))


def test_no_file_of_an_unpublished_item_is_published(published: Run) -> None:
    names = [p.relative_to(published.output).as_posix() for p in published.output.rglob("*")]
    for folder in FOLDERS:
        assert not (published.output / folder).exists(), folder
    for stem in FILE_STEMS:
        assert not [n for n in names if stem in n], stem
    withdrawn = sorted(p.name for p in (published.output / "articles/2020/07/qz-gone").iterdir())
    assert withdrawn == ["index.html"]


def test_published_items_do_not_link_to_unpublished_ones(published: Run) -> None:
    page = BeautifulSoup((published.output / "articles/2020/07/public/index.html").read_text("utf-8"), "html.parser")
    links = {a["href"] for a in page.select("a[href]")}
    assert any(href.endswith("columns/open-column/") for href in links)
    assert any(href.endswith("people/li-ming/") for href in links)
    assert any(href.endswith("topics/open-topic/") for href in links)
    assert not page.select(".gallery-strip")
    assert "专栏上一篇" not in str(page) and "专栏下一篇" not in str(page)
    body = page.select_one(".article__body")
    assert "即将发布的发布稿" in body.get_text() and "即将开办的专栏" in body.get_text()
    assert [a.get("href") for a in body.select("a")] == [None, None]
    topic = (published.output / "topics/open-topic/index.html").read_text("utf-8")
    assert "公开稿件" in topic and "开放专题" in topic


def test_the_checker_warns_of_each_link_not_shown_yet(fixture_site: Path) -> None:
    run = check(fixture_site, "--format", "json", site_now=NOW)
    assert run.returncode == 0, run.text
    found = [p for p in json.loads(run.stdout) if p["code"] == "ref-not-published"]
    where = sorted((p["file"], p["field"]) for p in found)
    assert where == [
        ("content/articles/news/in-draft-column.md", "columns"),
        ("content/articles/news/jiedu.md", "interprets"),
        ("content/articles/news/public.md", "body"),
        ("content/articles/news/public.md", "body"),
        ("content/articles/news/public.md", "columns"),
        ("content/articles/news/public.md", "columns"),
        ("content/articles/news/public.md", "gallery"),
        ("content/articles/news/public.md", "people"),
        ("content/articles/news/public.md", "topics"),
        ("content/articles/news/with-gallery.md", "gallery"),
        ("content/topics/open-topic.md", "featured"),
        ("content/topics/open-topic.md", "featured"),
        ("content/topics/open-topic.md", "sections[0].person"),
        ("content/topics/open-topic.md", "sections[1].column"),
    ]
    assert all(p["level"] == "warning" and p["line"] > 1 for p in found)
    later = next(p for p in found if "qz-later-column" in p["message_en"])
    assert "2020-08-01" in later["message_zh"] and "2020-08-01" in later["message_en"]


def test_a_preview_shows_every_unpublished_item_with_its_banner(fixture_site: Path, tmp_path: Path) -> None:
    shutil.copytree(fixture_site / "content", tmp_path / "content")
    run = build(tmp_path, publish=False, site_now=NOW, timeout=300)
    assert run.returncode == 0, run.text
    for folder, banner in (
        ("articles/2020/07/qz-draft-release", "草稿"),
        ("articles/2020/07/qz-later-event", "定时发布"),
        ("qz-draft-page", "草稿"),
        ("galleries/qz-draft-gallery", "草稿"),
        ("galleries/qz-later-gallery", "定时发布"),
        ("columns/qz-draft-column", "草稿"),
        ("columns/qz-later-column", "定时发布"),
        ("topics/qz-draft-topic", "草稿"),
        ("people/qz-draft-person", "草稿"),
    ):
        page = BeautifulSoup((run.output / folder / "index.html").read_text("utf-8"), "html.parser")
        assert banner in page.select_one(".preview-banner").get_text(), folder
        assert page.select_one('meta[name="robots"][content^="noindex"]'), folder
    assert any((run.output / "galleries/qz-draft-gallery").glob("qzdgphoto*"))
    assert any((run.output / "people/qz-draft-person").glob("qzpephoto*"))
    sitemap = (run.output / "sitemap.xml").read_text("utf-8")
    assert "qz-draft-gallery" not in sitemap and "qz-draft-column" not in sitemap
