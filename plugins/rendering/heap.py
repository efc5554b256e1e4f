"""The cycle collector during a build: paused while the site's objects are made, then kept off them until the end."""

from __future__ import annotations

import gc


def pause() -> None:
    """From the start: reading the content model and Pelican's reading and linking make
    millions of long-lived objects and almost no cyclic garbage; the collector would only scan the growing heap
    again and again."""
    gc.disable()


def keep_off_built_objects() -> None:
    """Once the site's objects exist: they live until the build ends, so the collector leaves them alone (about a
    second at 20,000 articles), and forked render workers share their memory instead of copying it."""
    gc.freeze()
    gc.enable()


def release() -> None:
    """At the end of a build: a process that goes on (the devserver's builder, tests) may collect them again."""
    gc.unfreeze()
    gc.enable()
