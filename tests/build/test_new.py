"""`make new`, run as a contributor runs it: a folder with index.md that passes the check, photos vetted and copied."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image

from tests.sites import PROJECT, build, check, write_site
from tests.unit.conftest import png_claiming

NOW = "2020-07-25 12:00"
COLUMN = "---\ntitle: 最美科技工作者\ndescription: 人物专栏\n---\n介绍。\n"


def make_new(site: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """`make new` with these variables on the command line, on the fixture site, at NOW."""
    env = {**os.environ, "SITE_NOW": NOW}
    env.pop("TITLE", None)
    env.pop("PHOTOS", None)
    arguments = [f"{name}={value}" for name, value in variables.items()]
    return subprocess.run(
        ["make", "-s", "--no-print-directory", "new", f"SITE_ROOT={site}", *arguments],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", {"content/columns/zuimei-2020.md": COLUMN})


def drafts(site: Path) -> list[Path]:
    return sorted((site / "content/articles").rglob("*.md"))


def problems_of(site: Path, rel: str) -> list[dict]:
    run = check(site, "--format", "json", "--files", rel, site_now=NOW)
    assert run.returncode in (0, 1), run.text
    return json.loads(run.stdout)


def photo(path: Path, kind: str = "JPEG", size: tuple[int, int] = (80, 60)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "HEIF":
        pillow_heif.from_pillow(Image.new("RGB", size, (30, 90, 200))).save(path, quality=80)
    else:
        Image.new("RGB", size, (200, 30, 30)).save(path, kind)
    return path


def test_a_fresh_draft_is_a_folder_that_passes_the_check(site: Path) -> None:
    done = make_new(site, TITLE="全省科协系统宣传工作推进会在郑州召开", DEPARTMENT="dyxcb")
    assert done.returncode == 0, done.stdout + done.stderr
    [index] = drafts(site)
    rel = index.relative_to(site).as_posix()
    assert rel == "content/articles/news/2020-07-25-quansheng-kexie-xitong-xuanchuan-gongzuo-tuijin-hui-zai/index.md"
    assert rel in done.stdout
    url = "http://localhost:8000/articles/2020/07/quansheng-kexie-xitong-xuanchuan-gongzuo-tuijin-hui-zai/"
    assert url in done.stdout
    text = index.read_text(encoding="utf-8")
    assert "title: 全省科协系统宣传工作推进会在郑州召开\n" in text and "status: draft" in text
    assert "<!--" in text and "PHOTOS=" in text  # how to add a photo, as a comment
    assert problems_of(site, rel) == []
    assert check(site, site_now=NOW).returncode == 0


def test_photos_are_copied_with_web_names_and_their_alt_text_is_asked_for(site: Path, tmp_path: Path) -> None:
    camera = tmp_path / "相机 导出"
    first = photo(camera / "会场 照片.JPG")
    second = photo(camera / "IMG_1234.HEIC", "HEIF")
    third = photo(camera / "合影.png", "PNG")
    done = make_new(
        site,
        TITLE='省科协举办"科技小院"活动',
        DEPARTMENT="调研宣传部",  # the department's name is taken for its id
        PHOTOS=f'{first} "{second}" {third}',
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [index] = drafts(site)
    folder = index.parent
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["heying.png", "huichang-zhaopian.jpg", "img-1234.heic", "index.md"]
    assert (folder / "huichang-zhaopian.jpg").read_bytes() == first.read_bytes()
    text = index.read_text(encoding="utf-8")
    assert "department: dyxcb" in text
    assert 'title: 省科协举办"科技小院"活动\n' in text  # read back exactly as typed
    lines = text.splitlines()
    for name in ("huichang-zhaopian.jpg", "img-1234.heic", "heying.png"):
        assert f"![请填写图片说明]({name})" in lines
    rel = index.relative_to(site).as_posix()
    found = [(p["code"], p["line"], p["level"]) for p in problems_of(site, rel)]
    placeholders = [line for line, text in enumerate(lines, 1) if "请填写图片说明" in text]
    assert [(c, line, level) for c, line, level in found if c == "image-alt-placeholder"] == [
        ("image-alt-placeholder", line, "warning") for line in placeholders
    ]
    assert all(level == "warning" for _, _, level in found)

    # Once it is to be published, a placeholder is an error; a real description clears it.
    published = text.replace("status: draft", "status: published").replace(
        "# review:", "review: {first: 陈静, second: 赵磊, final: 孙敏}\n# was:"
    )
    index.write_text(published, encoding="utf-8")
    assert any(p["code"] == "image-alt-placeholder" and p["level"] == "error" for p in problems_of(site, rel))
    described = published.replace("请填写图片说明", "会场主席台上方红色横幅写着会议名称")
    index.write_text(described, encoding="utf-8")
    assert not any(p["code"] == "image-alt-placeholder" for p in problems_of(site, rel))

    # The preview builds the draft at the address make new printed, its photos with it.
    index.write_text(text, encoding="utf-8")
    url = re.search(r"http://localhost:8000/(\S+)", done.stdout)
    assert url, done.stdout
    run = build(site, publish=False, site_now=NOW)
    assert run.returncode == 0, run.text
    page = (run.output / url.group(1) / "index.html").read_text(encoding="utf-8")
    assert "科技小院" in page and page.count("<img") >= 3


def test_a_bad_photo_is_refused_before_anything_is_written(site: Path, tmp_path: Path) -> None:
    good = photo(tmp_path / "good.jpg")
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 truncated")
    scan = tmp_path / "scan.bmp"
    Image.new("RGB", (8, 8)).save(scan, "BMP")
    huge = tmp_path / "quanjing.png"
    huge.write_bytes(png_claiming(20000, 20000))
    missing = tmp_path / "not-here.jpg"
    done = make_new(site, TITLE="有坏照片的稿件", DEPARTMENT="dyxcb", PHOTOS=f"{good} {broken} {scan} {huge} {missing}")
    assert done.returncode != 0
    message = done.stderr
    assert "未新建稿件" in message
    assert "broken.jpg" in message and "已损坏" in message
    assert "scan.bmp" in message and "不受支持" in message
    assert "quanjing.png" in message and "400 百万像素" in message
    assert "not-here.jpg" in message and "找不到照片" in message
    assert drafts(site) == [] and not (site / "content/articles").exists()


def test_every_refusal_says_what_to_write(site: Path) -> None:
    no_title = make_new(site, DEPARTMENT="dyxcb")
    assert no_title.returncode != 0 and "make new TITLE=" in no_title.stderr
    no_department = make_new(site, TITLE="标题")
    assert no_department.returncode != 0 and "DEPARTMENT=" in no_department.stderr
    section = make_new(site, TITLE="标题", DEPARTMENT="dyxcb", SECTION="xinwen")
    assert section.returncode != 0
    assert "栏目“xinwen”不存在" in section.stderr and "news（科协要闻）" in section.stderr
    department = make_new(site, TITLE="标题", DEPARTMENT="郑州")
    assert department.returncode != 0 and "最接近的：zzskx（郑州市科协）" in department.stderr
    column = make_new(site, TITLE="标题", DEPARTMENT="dyxcb", COLUMN="zuimei")
    assert column.returncode != 0 and "zuimei-2020（最美科技工作者）" in column.stderr
    assert drafts(site) == []


def test_a_draft_is_never_overwritten_and_a_taken_slug_gets_a_number(site: Path) -> None:
    assert make_new(site, TITLE="科普讲座", DEPARTMENT="dyxcb", COLUMN="zuimei-2020").returncode == 0
    [first] = drafts(site)
    assert first.parent.parent.name == "zuimei-2020" and "columns: [zuimei-2020]" in first.read_text(encoding="utf-8")
    first.write_text(first.read_text(encoding="utf-8") + "已经写好的正文。\n", encoding="utf-8")
    again = make_new(site, TITLE="科普讲座", DEPARTMENT="dyxcb", COLUMN="zuimei-2020")
    assert again.returncode != 0 and "未覆盖" in again.stderr
    assert "已经写好的正文。" in first.read_text(encoding="utf-8")
    other = make_new(site, TITLE="科普讲座", DEPARTMENT="dyxcb")  # another folder, the same slug
    assert other.returncode == 0, other.stderr
    assert "kepu-jiangzuo-2" in other.stdout
    assert check(site, site_now=NOW).returncode == 0


def test_photo_names_with_spaces_are_found_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from content_model.scaffold import split_photos

    photo(tmp_path / "IMG 0001.jpg")
    photo(tmp_path / "b.jpg")
    monkeypatch.chdir(tmp_path)
    assert split_photos("IMG 0001.jpg b.jpg") == [Path("IMG 0001.jpg"), Path("b.jpg")]
    assert split_photos("IMG\\ 0001.jpg 'b.jpg'") == [Path("IMG 0001.jpg"), Path("b.jpg")]
    assert split_photos("c.jpg b.jpg") == [Path("c.jpg"), Path("b.jpg")]


@pytest.mark.parametrize("title", ["全省科协", '"最美"李明', "2020", "yes", "科技: 创新", "a #b", "[x]", "a\\b", "- x"])
def test_a_title_is_read_back_as_typed(title: str) -> None:
    import yaml

    from content_model.scaffold import yaml_title

    assert yaml.safe_load(f"title: {yaml_title(title)}") == {"title": title}
