"""The rendering plugin's parts: digests, the page manifest, the stale-file sweep; and linear period archives."""

from __future__ import annotations

import datetime
import os
import sqlite3
import time
from array import array
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from content_model.cache import TextCache
from listings import period_archives
from publishing import home
from rendering.digest import DIGEST_SIZE, Volatile, digest
from rendering.manifest import Manifest
from rendering.outputs import Sweep


def test_digests_follow_values_and_keep_order() -> None:
    when = datetime.datetime(2020, 7, 1, 8, 0)
    assert digest({"a": [1, "二", when]}) == digest({"a": [1, "二", when]})
    assert digest([1, 2]) != digest([2, 1])
    assert digest("1") != digest(1)
    assert digest(Markup("<b>x</b>")) == digest("<b>x</b>")
    assert digest({"a": 1, "b": 2}) != digest({"b": 2, "a": 1})  # templates iterate dicts in order


def test_exact_types_and_their_subclasses_digest_alike() -> None:
    """Exact str, list, tuple and dict take a shortcut; their subclasses go the general way to the same bytes."""

    class Text(str): ...

    class Items(list): ...

    class Fields(dict): ...

    value = {"a": [1, "二", (2.5, None, True)], "b": {"c": []}}
    subclassed = Fields(a=Items([1, Text("二"), (2.5, None, True)]), b=Fields(c=Items()))
    assert digest(subclassed) == digest(value)
    assert digest(Text("二")) == digest("二")
    deep: list = []
    for _ in range(20):
        deep = [deep]
    with pytest.raises(Volatile):
        digest(deep)


def test_an_unknown_object_cannot_be_digested_unless_lenient() -> None:
    class Thing:
        pass

    with pytest.raises(Volatile):
        digest([Thing()])
    assert digest([Thing()], lenient=True) == digest([Thing()], lenient=True)


def test_manifest_round_trip_and_fingerprint(tmp_path: Path) -> None:
    path = tmp_path / "m.marshal"
    manifest = Manifest.load(path, b"one")
    deps = (("a", "c:/x.md", "title"), ("n", "SITENAME"))
    title = b"t" * DIGEST_SIZE
    manifest.add("a/index.html", deps, title, b"digest", 10, 20)
    manifest.save()
    again = Manifest.load(path, b"one")
    record = again.previous["a/index.html"]
    assert again.dependencies_of(record) == list(deps)
    assert (record.digest, record.size, record.mtime_ns) == (b"digest", 10, 20)
    assert [again.values[i] for i in array("I", record.shared)] == [title]
    assert [again.table[i] for i in array("I", record.own)] == [("n", "SITENAME")]
    assert Manifest.load(path, b"two").previous == {}  # other settings or code: nothing is trusted


@pytest.mark.parametrize("damage", [b"", b"not a manifest", "truncated"])
def test_a_damaged_manifest_is_ignored_and_every_page_rendered(
    tmp_path: Path, damage: bytes | str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "m.marshal"
    manifest = Manifest.load(path, b"one")
    manifest.add("a.html", (("a", "c:/x.md", "title"),), b"t" * DIGEST_SIZE, b"digest", 1, 1)
    manifest.save()
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 5] if damage == "truncated" else damage)  # type: ignore[arg-type]
    again = Manifest.load(path, b"one")
    assert (again.previous, again.table, again.values) == ({}, [], [])
    assert "ignoring the unreadable page manifest" in caplog.text


def test_manifest_trusts_no_value_two_pages_saw_differ(tmp_path: Path) -> None:
    manifest = Manifest.load(tmp_path / "m.marshal", b"one")
    title, date = ("a", "c:/x.md", "title"), ("a", "c:/x.md", "date")
    t, d, other = (letter * DIGEST_SIZE for letter in (b"t", b"d", b"o"))
    manifest.add("a.html", (date, title), d + t, b"", 1, 1)
    manifest.add("b.html", (title,), t, b"", 1, 1)
    manifest.add("c.html", (date,), other, b"", 1, 1)
    manifest.save()
    again = Manifest.load(tmp_path / "m.marshal", b"one")
    values = dict(zip(again.table, again.values, strict=True))
    assert values == {title: t, date: None}


def test_manifest_keeps_values_beside_their_dependencies_when_it_drops_unused_ones(tmp_path: Path) -> None:
    path = tmp_path / "m.marshal"
    manifest = Manifest.load(path, b"one")
    for i in range(6):
        manifest.add(f"{i}.html", (("a", f"c:/{i}.md", "title"),), b"%d" % i * DIGEST_SIZE, b"", 1, 1)
    manifest.save()
    later = Manifest.load(path, b"one")
    later.keep("5.html", later.previous["5.html"])  # the other pages are gone
    later.save()
    last = Manifest.load(path, b"one")
    assert last.table == [("a", "c:/5.md", "title")] and last.values == [b"5" * DIGEST_SIZE]
    assert last.dependencies_of(last.previous["5.html"]) == [("a", "c:/5.md", "title")]


def test_sweep_removes_only_files_older_than_the_build(tmp_path: Path) -> None:
    output = tmp_path / "output"
    (output / "old").mkdir(parents=True)
    (output / "old/index.html").write_text("old")
    (output / "kept.html").write_text("kept")
    time.sleep(0.02)
    sweep = Sweep(output, tmp_path / "cache/start")
    time.sleep(0.02)
    (output / "new.html").write_text("new")
    sweep.keep("kept.html")
    assert sweep.remove_stale() == ["old/index.html"]
    assert sorted(os.listdir(output)) == ["kept.html", "new.html"]


def test_sweep_removes_folders_it_empties_and_leaves_linked_folders_alone(tmp_path: Path) -> None:
    output = tmp_path / "output"
    (output / "articles/2019/gone").mkdir(parents=True)
    (output / "articles/2019/gone/index.html").write_text("old")
    (output / "articles/2020/kept").mkdir(parents=True)
    (output / "articles/2020/kept/index.html").write_text("kept")
    (output / "empty-before").mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "file.txt").write_text("not ours")
    (output / "linked").symlink_to(elsewhere, target_is_directory=True)
    time.sleep(0.02)
    sweep = Sweep(output, tmp_path / "start")
    sweep.keep("articles/2020/kept/index.html")
    assert sweep.remove_stale() == ["articles/2019/gone/index.html"]
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*")) == [
        "articles",
        "articles/2020",
        "articles/2020/kept",
        "articles/2020/kept/index.html",
        "linked",
    ]
    assert (elsewhere / "file.txt").read_text() == "not ours"


def test_sweep_judges_hard_links_before_deleting(tmp_path: Path) -> None:
    output = tmp_path / "output"
    output.mkdir()
    (output / "a.jpg").write_bytes(b"x")
    os.link(output / "a.jpg", output / "b.jpg")
    time.sleep(0.02)
    (output / "c.jpg").write_bytes(b"y")
    os.link(output / "c.jpg", output / "d.jpg")
    sweep = Sweep(output, tmp_path / "start")
    # Replacing a.jpg changes b.jpg's change time too: only being kept counts for a shared file.
    (output / "a.jpg").unlink()
    (output / "a.jpg").write_bytes(b"new")
    sweep.keep("a.jpg")
    sweep.keep("c.jpg")
    assert sorted(sweep.remove_stale()) == ["b.jpg", "d.jpg"]


def test_text_cache_computes_once_across_runs(tmp_path: Path) -> None:
    calls: list[str] = []

    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    first = TextCache(tmp_path, "upper", "v1")
    assert first.get("abc", upper) == "ABC"
    first.save()
    second = TextCache(tmp_path, "upper", "v1", preload=True)
    assert second.get("abc", upper) == "ABC"
    assert calls == ["abc"]
    other = TextCache(tmp_path, "upper", "v2")  # another version of the function starts empty
    assert other.get("abc", upper) == "ABC" and calls == ["abc", "abc"]
    other.save()
    db = sqlite3.connect(tmp_path / "text.sqlite")
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["upper_v2"]  # the old version's results are gone


def test_a_text_cache_stores_its_results_as_they_pile_up(tmp_path: Path) -> None:
    cache = TextCache(tmp_path, "upper", "v1", save_every=2)
    cache.get("one", str.upper)
    assert TextCache(tmp_path, "upper", "v1").get("one", str.lower) == "one"  # not stored yet
    cache.get("two", str.upper)
    later = TextCache(tmp_path, "upper", "v1")
    assert (later.get("one", str.lower), later.get("two", str.lower)) == ("ONE", "TWO")


def test_a_forked_process_stores_the_results_it_computes_with_its_own_connection(tmp_path: Path) -> None:
    cache = TextCache(tmp_path, "upper", "v1")
    assert cache.get("made before the fork", str.upper) == "MADE BEFORE THE FORK"
    pid = os.fork()
    if pid == 0:  # a render worker: its parent's connection and unsaved results are not its own
        code = 1
        try:
            cache.get("made in the worker", str.upper)
            cache.save()
            code = 0
        finally:
            os._exit(code)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    cache.save()

    def not_again(text: str) -> str:
        raise AssertionError(f"computed again: {text}")

    later = TextCache(tmp_path, "upper", "v1")
    assert later.get("made in the worker", not_again) == "MADE IN THE WORKER"
    assert later.get("made before the fork", not_again) == "MADE BEFORE THE FORK"


def _article(day: datetime.datetime, name: str) -> SimpleNamespace:
    return SimpleNamespace(date=day, name=name)


def test_period_archives_group_each_article_once_in_order() -> None:
    days = [datetime.datetime(2020, m, d) for m, d in ((7, 2), (7, 1), (6, 30), (6, 2), (1, 5))]
    articles = [_article(day, f"a{i}") for i, day in enumerate(days)]
    dates = sorted(articles, key=lambda a: a.date, reverse=True)
    settings = {
        "PERIOD_ARCHIVES_SAVE_AS": {"year": "archives/{date:%Y}/index.html", "month": "archives/{date:%Y}/{date:%m}/"},
        "YEAR_ARCHIVE_URL": "archives/{date:%Y}/",
        "MONTH_ARCHIVE_URL": "archives/{date:%Y}/{date:%m}/",
    }
    archives = period_archives(dates, articles, settings)
    assert [a["period_num"] for a in archives["year"]] == [(2020,)]
    months = archives["month"]
    assert [m["period_num"] for m in months] == [(2020, 7), (2020, 6), (2020, 1)]
    assert [a.name for a in months[0]["articles"]] == ["a0", "a1"]
    assert months[1]["url"] == "archives/2020/06/" and months[1]["period"] == (2020, "June")
    assert sum(len(m["articles"]) for m in months) == len(articles)


def test_articles_of_the_same_minute_are_ordered_by_slug_whatever_the_read_order() -> None:
    """Pelican keeps the file system's order among equal dates; pages listing them must not change with it."""
    minute, earlier = datetime.datetime(2020, 7, 1, 9, 0), datetime.datetime(2020, 6, 30, 9, 0)
    made = [SimpleNamespace(slug=s, date=d) for s, d in [("b", minute), ("c", earlier), ("a", minute), ("d", minute)]]
    orders = []
    for shuffled in (made, made[::-1], made[1:] + made[:1]):
        generator = SimpleNamespace(articles=list(shuffled), hidden_articles=list(shuffled), drafts=[])
        home.settle_order(generator)
        orders.append([a.slug for a in generator.articles])
        assert [a.slug for a in generator.hidden_articles] == orders[-1]
    assert orders == [["a", "b", "d", "c"]] * 3


def test_sweep_remembers_shared_files_for_the_next_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next build takes the shared files from the last sweep's list instead of walking output/ at its start."""
    output = tmp_path / "output"
    output.mkdir()
    (output / "a.jpg").write_bytes(b"x")
    os.link(output / "a.jpg", output / "b.jpg")
    first = Sweep(output, tmp_path / "start")
    first.keep("a.jpg")
    first.keep("b.jpg")
    assert first.remove_stale() == []
    walks: list[object] = []
    real_walk = os.walk
    monkeypatch.setattr(os, "walk", lambda *a, **k: walks.append(a) or real_walk(*a, **k))
    second = Sweep(output, tmp_path / "start")
    assert walks == []
    (output / "a.jpg").unlink()
    (output / "a.jpg").write_bytes(b"new")
    second.keep("a.jpg")
    assert second.remove_stale() == ["b.jpg"]
    # A build that stops before its sweep leaves no list: the one after it walks output/ again.
    Sweep(output, tmp_path / "start")
    walks.clear()
    Sweep(output, tmp_path / "start")
    assert walks


def test_every_worker_hands_back_its_state_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jinja2 import Environment

    from rendering import renderer
    from rendering.writer import PageJob

    seen: list[tuple[int, int]] = []
    rendered_here: list[int] = []
    monkeypatch.setattr(renderer, "_worker_state", {})
    renderer.share_worker_state("pid", lambda: (os.getpid(), len(rendered_here)), seen.append)
    template = Environment().from_string("{{ n }}{{ note() }}")

    def note() -> str:
        rendered_here.append(1)
        return ""

    jobs = [PageJob(f"p{n}.html", template, {"note": note}, {"n": n}, False) for n in range(8 * renderer.CHUNK)]
    # Handed back as tasks of the pool, one worker took both about once in six pools: twenty pools would all
    # pass by chance about once in forty runs. Each worker hands back its state as it ends; this process renders
    # its share of the pages itself and has its own state already.
    for _ in range(20):
        seen.clear()
        rendered_here.clear()
        renderer.settle_all(jobs, str(tmp_path), None, None, workers=3)
        assert sorted(pid != os.getpid() for pid, _count in seen) == [True, True]
        assert len({pid for pid, _count in seen}) == 2
        assert sum(count for _pid, count in seen) + len(rendered_here) == len(jobs)
    assert (tmp_path / "p7.html").read_text(encoding="utf-8") == "7"


def test_this_process_renders_its_share_beside_one_worker(tmp_path: Path) -> None:
    from jinja2 import Environment

    from rendering import renderer
    from rendering.writer import PageJob

    template = Environment().from_string("{{ n }}{{ pid() }}")
    jobs = [PageJob(f"p{n}.html", template, {"pid": os.getpid}, {"n": n}, False) for n in range(40 * renderer.CHUNK)]
    results = renderer.settle_all(jobs, str(tmp_path), None, None, workers=2)
    assert [r.path for r in results] == [job.name for job in jobs]
    writers = {(tmp_path / job.name).read_text(encoding="utf-8").removeprefix(str(n)) for n, job in enumerate(jobs)}
    assert len(writers) == 2 and str(os.getpid()) in writers


def _titles(items: list[object]) -> str:
    return ",".join(item.values["title"] for item in items)  # type: ignore[attr-defined]


def test_a_produced_file_is_kept_until_an_object_it_is_handed_changes(tmp_path: Path) -> None:
    from functools import partial

    from content_model.site import Item
    from rendering.renderer import Inputs, flush
    from rendering.writer import PageJob

    item = Item(kind="article", id="a", rel="content/articles/a.md", path=tmp_path / "a.md", parsed=None)  # type: ignore[arg-type]
    item.values = {"title": "甲"}
    out, path = tmp_path / "output", tmp_path / "pages.marshal"

    def build() -> bool:
        manifest = Manifest.load(path, b"settings")
        job = PageJob("feed.json", None, {}, {}, False, announce=False, produce=partial(_titles, [item]))
        [result] = flush([job], str(out), manifest, Inputs({}, {"i:content/articles/a.md": item}), workers=1)
        manifest.save()
        return result.kept

    assert build() is False and (out / "feed.json").read_text(encoding="utf-8") == "甲"
    assert build() is True
    item.values = {"title": "乙"}
    assert build() is False and (out / "feed.json").read_text(encoding="utf-8") == "乙"
