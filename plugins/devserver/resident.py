"""The devserver's builder: builds the site once, keeps it in memory, and applies each change in a forked copy of it.

This process stays as the first build left it. For each change it forks: the copy reads again every file edited
since the build, writes the new bodies onto the built objects and renders the pages that read them, then ends.
What a copy cannot apply (a new, deleted or renamed file, changed front matter, a body with images, anything but
Markdown) it says so, and the devserver starts a new builder, whose first build renders what changed.

Talks to the devserver over two pipes: a line `apply <paths>` on stdin (a JSON list of every file noticed since the
builder started) asks for a change; each answer is one line on the reply pipe: `built <status>`, `applied <pages>`,
`refused <why>` (a full build is needed), or `failed`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import logging
import os
import select
import sys
import time
import traceback
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from pelican import LOG_HANDLERS, get_config, parse_arguments
from pelican.log import init as init_logging
from pelican.settings import read_settings

from content_model.problems import Problems, format_text
from content_model.records import Signature, signature
from content_model.site import known_urls, read_again
from rendering.digest import object_key

from . import edits

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
    # Every content object and model item by its key, and the page records' dependencies on each: made once.
    objects: dict[str, Any] = field(default_factory=dict)
    numbers: dict[str, list[int]] = field(default_factory=dict)
    known_urls: set[str] = field(default_factory=set)
    # Pages the copies have written since the build: each copy writes them again, as its own edits make them.
    rewritten: set[str] = field(default_factory=set)


def build(argv: list[str]) -> Built | int:
    """The first build, in this process, as the `pelican` command runs it; its exit status when it fails."""
    from publishing.context import SITE
    from rendering import full_builds_only_reason, last_build, registry
    from rendering.writer import site_context

    args = parse_arguments(argv)
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican", handler=LOG_HANDLERS[args.log_handler])
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
    context = site_context(run.jobs)
    built = Built(pelican, run.jobs, run.generators, manifest, sources, full_builds_only_reason())
    built.objects, built.numbers = registry(context), edits.numbers_by_object(manifest)
    built.known_urls = known_urls(context[SITE])
    return built


def templates_to_compile(jobs: list[Any], manifest: Any) -> deque[tuple[Any, str]]:
    """The templates the pages read, in each environment that renders pages, the busiest first.

    The first build compiled them in its workers' processes; compiled here once, while the builder waits, they are
    compiled already in every copy (each would compile those it needs again: about a quarter of a second).
    """
    names = sorted({dep[1] for dep in manifest.table if dep[0] == "t"})
    uses = Counter(id(job.template.environment) for job in jobs if job.template is not None)
    environments = {id(job.template.environment): job.template.environment for job in jobs if job.template}
    busiest = sorted(environments, key=lambda key: -uses[key])
    return deque((environments[key], name) for key in busiest for name in names)


def serve(built: Built, reply: Any) -> None:
    """Answer the devserver's requests; between them, compile the templates."""
    to_compile = templates_to_compile(built.jobs, built.manifest)
    while True:
        if to_compile and not select.select([sys.stdin], [], [], 0)[0]:
            environment, name = to_compile.popleft()
            with contextlib.suppress(TemplateError):
                environment.get_template(name)
            continue
        line = sys.stdin.readline()
        if not line:
            return
        command, _, noticed = line.partition(" ")
        if command == "apply":
            fork_and_apply(built, json.loads(noticed), reply)


def changed_files(built: Built, noticed: list[str]) -> list[str]:
    """Which of the files noticed since the build differ from what it read; refused when one is new or gone."""
    changed = []
    for path in sorted({os.path.realpath(p) for p in noticed}):
        was, now = built.sources.get(path), signature(path)
        if was is None and now is None:
            inside = path + os.sep
            if any(source.startswith(inside) for source in built.sources):
                raise Refused("a folder was removed or renamed")
            continue  # made and removed again since the build
        if was is None or now is None:
            raise Refused("files or folders were added, removed or renamed")
        if now != was:
            changed.append(path)
    return changed


class Refused(Exception):
    """These edits need a full build."""


class ContentErrors(Exception):
    """An edited file has errors: they are listed, and nothing is written until they are fixed."""


def apply_edits(built: Built, noticed: list[str], workers: int) -> list[str]:
    """In a forked copy: apply every edit made since the build (among the files `noticed`), render the pages that
    show them, and those an earlier copy wrote; the pages rendered."""
    from publishing.context import SITE
    from publishing.reader import save_markdown_caches
    from rendering import pages_rendered
    from rendering.renderer import Inputs, settle_all
    from rendering.writer import site_context

    if built.full_builds_only:
        raise Refused(built.full_builds_only)
    pelican, manifest = built.pelican, built.manifest
    changed = changed_files(built, noticed)
    context = site_context(built.jobs)
    site = context[SITE]
    found = Problems()
    for path in changed:
        if not path.endswith(".md"):
            raise Refused(f"{path} is not Markdown")
        before = site.item_for(path)
        item, problems = read_again(site, Path(path), built.known_urls)
        why = edits.body_edit_refused(item, before)
        if why:
            raise Refused(f"{site.rel(Path(path))}: {why}")
        found.items.extend(problems.items)
        edits.patch_item(before, item)
    if found.items:
        print(format_text(found), file=sys.stderr)
    if found.errors:
        raise ContentErrors()
    context["localsiteurl"] = pelican.settings["SITEURL"]  # as before any page was rendered
    objects = built.objects
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
    numbers = [number for key in keys for number in built.numbers.get(key, ())]
    names = edits.pages_reading(manifest, numbers, lambda shared: inputs.changed_among(
        shared, manifest.table, manifest.values, env
    ))  # fmt: skip
    names |= built.rewritten
    selected = [job for job in built.jobs if job.name in names or job.name not in manifest.previous]
    # Nothing is recorded: the next copy starts from the build's records again.
    results = settle_all(selected, pelican.output_path, None, None, workers) if selected else []
    pages_rendered.send(pelican, count=len(results))
    return [result.path for result in results]


def fork_and_apply(built: Built, noticed: list[str], reply: Any) -> None:
    """Apply the edits in a forked copy, so that this process stays as the build left it; answer on `reply`."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: it never returns into the caller's loop
        os.close(read_end)
        status, answer, written = 1, "failed", []
        try:
            started = time.perf_counter()
            workers = int(built.pelican.settings.get("RENDER_WORKERS") or os.cpu_count() or 1)
            written = apply_edits(built, noticed, workers)
            seconds = time.perf_counter() - started
            print(f"已更新 applied: {len(written)} 个页面 pages in {seconds:.2f} s", flush=True)
            status, answer = 0, f"applied {len(written)}"
        except ContentErrors:
            pass
        except Refused as why:
            status, answer = REFUSED, f"refused {why}"
        except BaseException:
            traceback.print_exc()
        finally:
            lines = [answer.replace("\n", " "), *written]
            os.write(write_end, json.dumps(lines).encode())
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)  # a copy of a build: nothing of it is this process's to tear down
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    answer, *written = json.loads(data) if data else ["failed"]
    built.rewritten.update(written)
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
    serve(built, reply)
    return 0


if __name__ == "__main__":
    sys.exit(main())
