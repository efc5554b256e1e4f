"""The devserver's builder: builds the site once, keeps it in memory, and applies each change in a forked copy of it.

This process stays as the first build left it. For each change it forks: the copy reads again every file edited
since the build, writes the new bodies onto the built objects and renders the pages that read them, then ends.
What a copy cannot apply (a new, deleted or renamed file, changed front matter, a body with images, anything but
Markdown) it says so, and the devserver starts a new builder, whose first build renders what changed.

Talks to the devserver over two pipes: a line `apply` on stdin asks for a change; each answer is one line on the
reply pipe: `built <status>`, `applied <pages>`, `refused <why>` (a full build is needed), or `failed`.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pelican import LOG_HANDLERS, get_config, parse_arguments
from pelican.log import init as init_logging
from pelican.settings import read_settings

from content_model.problems import Problems, format_text
from content_model.records import Signature
from content_model.site import read_again

from . import edits
from .digest import object_key

log = logging.getLogger(__name__)

# An exit status of the forked copy: the edits need a full build (its reason is on the reply pipe).
REFUSED = 3


@dataclass
class Built:
    """What the first build left in memory, and the files it was built from."""

    pelican: Any
    jobs: list[Any]
    generators: list[Any]
    manifest: Any
    sources: dict[str, Signature]
    full_builds_only: str


def build(argv: list[str]) -> Built | int:
    """The first build, in this process, as the `pelican` command runs it; its exit status when it fails."""
    from . import build_in_memory, full_builds_only_reason, last_build

    args = parse_arguments(argv)
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican", handler=LOG_HANDLERS[args.log_handler])
    build_in_memory()
    try:
        settings = read_settings(args.settings, override=get_config(args))
        # Each page's reads are recorded: they say which pages an edit changes.
        settings.update(INCREMENTAL_BUILD=True, DELETE_OUTPUT_DIRECTORY=False)
        sources = edits.sources_of(settings)  # before reading: a file changed meanwhile is applied later
        pelican_class = settings["PELICAN_CLASS"]
        if isinstance(pelican_class, str):
            module, name = pelican_class.rsplit(".", 1)
            pelican_class = getattr(importlib.import_module(module), name)
        pelican = pelican_class(settings)
        pelican.run()
    except SystemExit as stop:  # the content model's list of errors has been printed
        return stop.code if isinstance(stop.code, int) else 1
    except Exception as error:
        log.critical("%s: %s", type(error).__name__, error, exc_info=True)
        return 1
    run = last_build()
    manifest = run.manifest
    # What the pages read as this build recorded it: each edit is judged against it.
    manifest.previous, manifest.pages = manifest.pages, {}
    return Built(pelican, run.jobs, run.generators, manifest, sources, full_builds_only_reason())


class Refused(Exception):
    """These edits need a full build."""


class ContentErrors(Exception):
    """An edited file has errors: they are listed, and nothing is written until they are fixed."""


def apply_edits(built: Built, workers: int) -> int:
    """In a forked copy: apply every edit made since the build, render the pages that show them; pages rendered."""
    from publishing import model_state
    from publishing.reader import save_markdown_caches

    from . import pages_rendered, registry
    from .renderer import Inputs, settle_all
    from .writer import site_context

    if built.full_builds_only:
        raise Refused(built.full_builds_only)
    pelican, manifest = built.pelican, built.manifest
    now = edits.sources_of(pelican.settings)
    if now.keys() != built.sources.keys():
        raise Refused("files were added or removed")
    changed = sorted(path for path, was in built.sources.items() if now[path] != was)
    site = model_state.current()
    found = Problems()
    for path in changed:
        if not path.endswith(".md"):
            raise Refused(f"{path} is not Markdown")
        before = site.item_for(path)
        item, problems = read_again(site, Path(path))
        why = edits.body_edit_refused(item, before)
        if why:
            raise Refused(f"{site.rel(Path(path))}: {why}")
        found.items.extend(problems.items)
        edits.patch_item(before, item)
    if found.items:
        print(format_text(found), file=sys.stderr)
    if found.errors:
        raise ContentErrors()
    context = site_context(built.jobs)
    context["localsiteurl"] = pelican.settings["SITEURL"]  # as before any page was rendered
    objects = registry(context)
    readers = {type(g).__name__: g for g in built.generators}
    patched = []
    for path in changed:
        item = site.item_for(path)
        generator = readers["ArticlesGenerator" if item.kind == "article" else "PagesGenerator"]
        fresh = generator.readers.read_file(
            base_path=generator.path,
            path=os.path.relpath(path, os.path.realpath(generator.path)),
            content_class=edits.content_class(item.kind),
            context=context,
        )
        built_object = objects.get(object_key(fresh) or "")
        why = "it has no page" if built_object is None else edits.patch_content(built_object, fresh)
        if why:
            raise Refused(f"{site.rel(Path(path))}: {why}")
        patched.append(built_object)
    edits.forget_rendered_bodies()
    save_markdown_caches()
    keys = edits.keys_of(patched) | edits.keys_of([site.item_for(path) for path in changed])
    inputs = Inputs(context, objects)
    env = next(g.env for g in built.generators if hasattr(g, "env"))
    names = edits.pages_reading(manifest, keys, lambda numbers: inputs.changed_among(
        numbers, manifest.table, manifest.values, env
    ))  # fmt: skip
    names |= edits.rewritten_pages(manifest, pelican.output_path)
    selected = [job for job in built.jobs if job.name in names or job.name not in manifest.previous]
    results = settle_all(selected, pelican.output_path, None, inputs, workers) if selected else []
    pages_rendered.send(pelican, count=len(results))
    return len(results)


def fork_and_apply(built: Built, reply: Any) -> None:
    """Apply the edits in a forked copy, so that this process stays as the build left it; answer on `reply`."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: it never returns into the caller's loop
        os.close(read_end)
        status, answer = 1, "failed"
        try:
            started = time.perf_counter()
            workers = int(built.pelican.settings.get("RENDER_WORKERS") or os.cpu_count() or 1)
            rendered = apply_edits(built, workers)
            print(f"已更新 applied: {rendered} 个页面 pages in {time.perf_counter() - started:.2f} s", flush=True)
            status, answer = 0, f"applied {rendered}"
        except ContentErrors:
            pass
        except Refused as why:
            status, answer = REFUSED, f"refused {why}"
        except BaseException:
            traceback.print_exc()
        finally:
            os.write(write_end, answer.encode("utf-8", "replace").replace(b"\n", b" ") + b"\n")
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)  # a copy of a build: nothing of it is this process's to tear down
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        answer = pipe.read().decode("utf-8", "replace").strip() or "failed"
    os.waitpid(pid, 0)
    reply.write(answer + "\n")
    reply.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reply-fd", type=int, required=True)
    args, pelican_args = parser.parse_known_args(argv)
    reply = os.fdopen(args.reply_fd, "w", encoding="utf-8")
    built = build(pelican_args)
    if not isinstance(built, Built):
        reply.write(f"built {built}\n")
        reply.flush()
        return built
    reply.write("built 0\n")
    reply.flush()
    for line in sys.stdin:
        if line.strip() == "apply":
            fork_and_apply(built, reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
