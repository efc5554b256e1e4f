"""files.vet_image and files.resolve: sound images pass; broken, hostile or huge ones are clear errors, fast."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image

from content_model.files import BadImage, OutsideContent, relative_inside, resolve, resolved, vet_image

from .conftest import article_text, assert_well_formed, jpeg_bytes, one, png_bytes, png_claiming


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_good_jpeg(tmp_path):
    facts = vet_image(write(tmp_path, "a.jpg", jpeg_bytes((64, 48))))
    assert (facts.width, facts.height, facts.format) == (64, 48, "JPEG")


def test_good_png(tmp_path):
    facts = vet_image(write(tmp_path, "a.png", png_bytes((30, 20))))
    assert (facts.width, facts.height, facts.format) == (30, 20, "PNG")


def test_upper_case_extension_is_fine(tmp_path):
    assert vet_image(write(tmp_path, "A.JPG", jpeg_bytes())).format == "JPEG"


def test_truncated_jpeg(tmp_path):
    data = jpeg_bytes((256, 256), noise=True)
    path = write(tmp_path, "broken.jpg", data[: len(data) // 2])
    with pytest.raises(BadImage) as caught:
        vet_image(path)
    assert caught.value.code == "image-unreadable"


def test_truncated_png(tmp_path):
    out = io.BytesIO()
    Image.effect_noise((256, 256), 64).convert("RGB").save(out, "PNG")
    data = out.getvalue()
    with pytest.raises(BadImage) as caught:
        vet_image(write(tmp_path, "broken.png", data[: len(data) // 2]))
    assert caught.value.code == "image-unreadable"


@pytest.mark.parametrize("data", [b"this is a text file, not a photo\n", b"", b"%PDF-1.4\n%%EOF\n", b"\xff\xd8\xff"])
def test_not_an_image_with_a_jpg_extension(tmp_path, data):
    with pytest.raises(BadImage) as caught:
        vet_image(write(tmp_path, "photo.jpg", data))
    assert caught.value.code == "image-unreadable"


def test_unsupported_format(tmp_path):
    path = tmp_path / "a.jpg"
    Image.new("RGB", (4, 4)).save(path, "BMP")
    with pytest.raises(BadImage) as caught:
        vet_image(path)
    assert caught.value.code == "image-format"
    assert "BMP" in caught.value.detail


def test_decompression_bomb_is_refused_from_its_header_quickly(tmp_path):
    path = write(tmp_path, "bomb.png", png_claiming(20000, 20000))  # 400 megapixels
    start = time.perf_counter()
    with pytest.raises(BadImage) as caught:
        vet_image(path)
    assert time.perf_counter() - start < 1.0
    assert caught.value.code == "image-too-large"
    assert caught.value.megapixels == 400


def test_huge_bomb_reports_its_real_size(tmp_path):
    path = write(tmp_path, "bomb.png", png_claiming(30000, 30000))  # 900 megapixels
    start = time.perf_counter()
    with pytest.raises(BadImage) as caught:
        vet_image(path)
    assert time.perf_counter() - start < 1.0
    assert caught.value.code == "image-too-large"
    assert caught.value.megapixels == 900


def test_phone_size_photos_up_to_250_megapixels_pass_the_header_check(tmp_path):
    # 15000 x 16000 = 240 MP: over Pillow's default guard, under the site's 250 MP limit
    facts = vet_image(write(tmp_path, "big.png", png_claiming(15000, 16000)))
    assert (facts.width, facts.height) == (15000, 16000)


# resolve


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    (root / "articles" / "news").mkdir(parents=True)
    (root / "images").mkdir()
    return root


@pytest.mark.parametrize(
    "reference", ["../../etc/passwd", "/../x", "/../../etc/passwd", "../../../../../../../etc/passwd", "../../../x"]
)
def test_resolve_rejects_paths_outside_content(content, reference):
    source = content / "articles" / "a.md"
    with pytest.raises(OutsideContent):
        resolve(reference, source, content)


def test_resolve_rejects_a_symlink_leading_outside(content, tmp_path):
    (tmp_path / "secret.jpg").write_bytes(b"x")
    (content / "articles" / "news" / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    with pytest.raises(OutsideContent):
        resolve("link.jpg", content / "articles" / "news" / "a.md", content)


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("photo.jpg", "articles/news/photo.jpg"),
        ("./photo.jpg", "articles/news/photo.jpg"),
        ("../photo.jpg", "articles/photo.jpg"),
        ("/images/covers/a.jpg", "images/covers/a.jpg"),
        ("../../images/a.jpg", "images/a.jpg"),
    ],
)
def test_resolve_inside_content(content, reference, expected):
    path = resolve(reference, content / "articles" / "news" / "a.md", content)
    assert path == (content / expected).resolve()


# Through load_site: every image a file names is vetted, and problems name the file and the field


def test_bad_cover_is_a_problem_not_a_crash(site):
    data = jpeg_bytes((256, 256), noise=True)
    site.write("content/articles/cover.jpg", data[: len(data) // 2])
    site.article("a", cover="cover.jpg", cover_alt="封面")
    problem = one(site.load(), "image-unreadable")
    assert problem.field == "cover"
    assert problem.line == 6
    assert "cover.jpg" in problem.message_zh and "cover.jpg" in problem.message_en
    assert_well_formed(problem, "content/articles/a.md")


def test_bomb_in_a_gallery_is_a_problem_not_a_crash(site):
    site.gallery("kepu-2020", photos="\n  - {file: 001.png, alt: 照片}")
    site.write("content/galleries/kepu-2020/001.png", png_claiming(20000, 20000))
    start = time.perf_counter()
    loaded = site.load()
    assert time.perf_counter() - start < 2.0
    problem = one(loaded, "image-too-large")
    assert problem.field == "photos[0].file"
    assert "001.png" in problem.message_zh
    assert "400" in problem.message_zh and "250" in problem.message_zh
    assert_well_formed(problem, "content/galleries/kepu-2020/index.md")


def test_body_image_outside_content(site):
    site.article("a", body="![图](../../../etc/passwd)\n")
    problem = one(site.load(), "path-outside-content")
    assert problem.field == "body"
    assert problem.line == 7


def test_body_image_missing(site):
    site.article("a", body="正文\n\n![图](lost.jpg)\n")
    problem = one(site.load(), "file-missing")
    assert problem.line == 9
    assert "content/articles/lost.jpg" in problem.message_en
    assert_well_formed(problem, "content/articles/a.md")


def test_shared_image_from_content_images(site):
    site.write("content/images/covers/a.png", png_bytes())
    site.article("a", cover="/images/covers/a.png", cover_alt="封面", body="![图](/images/covers/a.png)\n")
    assert site.load().problems.items == []


def test_bundle_images_beside_the_article(site):
    site.write("content/articles/news/kejiguan/cover.jpg", jpeg_bytes())
    site.write("content/articles/news/kejiguan/shigong.png", png_bytes())
    site.write(
        "content/articles/news/kejiguan/index.md",
        article_text(body="![施工现场](shigong.png)\n", cover="cover.jpg", cover_alt="封顶仪式"),
    )
    loaded = site.load()
    assert loaded.problems.items == []
    assert [i.src for i in loaded.articles["kejiguan"].images] == ["shigong.png"]


def test_attachment_type_and_existence(site):
    site.write("content/articles/tongzhi.exe", b"MZ")
    site.article(
        "a",
        type="notice",
        attachments="\n  - {file: tongzhi.exe, title: 通知}\n  - {file: lost.pdf, title: 附件}",
    )
    loaded = site.load()
    bad_type = one(loaded, "attachment-type")
    assert (bad_type.field, bad_type.line) == ("attachments[0].file", 8)
    missing = one(loaded, "file-missing")
    assert (missing.field, missing.line) == ("attachments[1].file", 9)


def test_attachment_outside_content(site):
    site.article("a", attachments="\n  - {file: ../../../secret.pdf, title: 通知}")
    problem = one(site.load(), "path-outside-content")
    assert problem.field == "attachments[0].file"


def test_resolved_matches_pathlib_resolve(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders are resolved once and remembered; links, `..` and relative paths still come out as resolve() has them."""
    (tmp_path / "content/articles").mkdir(parents=True)
    (tmp_path / "content/articles/a.jpg").write_bytes(b"x")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/b.jpg").write_bytes(b"x")
    (tmp_path / "content/linked").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "content/articles/c.jpg").symlink_to(tmp_path / "elsewhere/b.jpg")
    monkeypatch.chdir(tmp_path)
    for text in (
        "content/articles/a.jpg",
        "content/linked/b.jpg",
        "content/articles/c.jpg",
        "content/articles/../linked/b.jpg",
        "content/articles/..",
        "content/missing/d.jpg",
        str(tmp_path / "content/linked/../articles/a.jpg"),
    ):
        assert resolved(text) == str(Path(text).resolve()), text


def test_relative_inside_compares_resolved_paths(tmp_path: Path) -> None:
    """A path's place under a folder is read after both are resolved: a link out of the folder is outside it."""
    (tmp_path / "content/articles").mkdir(parents=True)
    (tmp_path / "contentious").mkdir()
    (tmp_path / "content/out").symlink_to(tmp_path / "contentious")
    content = tmp_path / "content"
    assert relative_inside(content / "articles/a.md", content) == "articles/a.md"
    assert relative_inside(content / "articles/../articles", content) == "articles"
    assert relative_inside(content, content) == "."
    # A sibling whose name starts with the folder's is not inside it, nor is a link that leads there.
    assert relative_inside(tmp_path / "contentious/a.md", content) is None
    assert relative_inside(content / "out/a.md", content) is None
    with pytest.raises(OutsideContent):
        resolve("../out/a.jpg", content / "articles/a.md", content)
    assert resolve("/articles/b.jpg", content / "articles/a.md", content) == content.resolve() / "articles/b.jpg"
