"""What a template reads while it renders: context names, fields of content objects, templates, function inputs."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Environment
from jinja2.runtime import Context

from .digest import PAGE_RELATIVE, object_key

# A dependency is a tuple: ("n", name) a context name, ("a", key, field) a field of a content object,
# ("d", key) a whole content object, ("t", name) a template's source.
Dependency = tuple[str, ...]

_reads: set[Dependency] | None = None
PURE_MODULES = frozenset({"jinja2", "builtins", "markupsafe"})


def start() -> None:
    global _reads
    _reads = set()


def stop() -> set[Dependency]:
    global _reads
    reads, _reads = _reads or set(), None
    return reads


class TrackingContext(Context):
    """A Jinja context that notes each name a template takes from the page's context or the globals."""

    def resolve_or_missing(self, key: str) -> Any:
        if _reads is not None and key not in self.vars:
            _reads.add(("n", key))
        return super().resolve_or_missing(key)


def _note_field(obj: Any, name: Any) -> None:
    if _reads is not None and isinstance(name, str):
        key = object_key(obj)
        if key is not None:
            _reads.add(("a", key, name))


def _note_whole(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        key = object_key(value)
        if key is None:
            # Views and dicts that stand for an item (a column, a person) hand over the item itself.
            try:
                inner = value.get("item") if isinstance(value, Mapping) else getattr(value, "item", None)
            except Exception:
                inner = None
            key = object_key(inner)
        if key is not None:
            _reads.add(("d", key))  # type: ignore[union-attr]


def _watched(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter or global that may read anything of a content object it is given: the page depends on all of it."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        if _reads is not None:
            _note_whole(args, kwargs)
        return function(*args, **kwargs)

    return call


def install(env: Environment) -> None:
    """Make an environment's templates report their reads; the rendered text stays the same."""
    if getattr(env, "_tracking", False):
        return
    env._tracking = True  # type: ignore[attr-defined]
    env.context_class = TrackingContext
    plain_getattr, plain_getitem, plain_get_template = env.getattr, env.getitem, env.get_template

    def getattr_(obj: Any, attribute: str) -> Any:
        _note_field(obj, attribute)
        return plain_getattr(obj, attribute)

    def getitem(obj: Any, argument: Any) -> Any:
        _note_field(obj, argument)
        return plain_getitem(obj, argument)

    def get_template(name: Any, *args: Any, **kwargs: Any) -> Any:
        template = plain_get_template(name, *args, **kwargs)
        if _reads is not None:
            _reads.add(("t", template.name))
        return template

    env.getattr = getattr_  # type: ignore[method-assign]
    env.getitem = getitem  # type: ignore[method-assign]
    env.get_template = get_template  # type: ignore[method-assign]
    for table in (env.filters, env.globals):
        for name, value in list(table.items()):
            if _ours(value):
                table[name] = _watched(value)


def _ours(value: Any) -> bool:
    """Functions of plugins and settings (Jinja's and Python's own read nothing of content objects)."""
    module = getattr(value, "__module__", None) or ""
    return callable(value) and not isinstance(value, type) and module.split(".")[0] not in PURE_MODULES


def page_relative(dependency: Dependency) -> bool:
    """Whether a dependency's value differs between pages at different depths (relative links in a body)."""
    # A whole object ("d") is digested from its stored fields, which no page changes.
    return dependency[0] == "a" and dependency[2] in PAGE_RELATIVE


def same_on_every_page(dependency: Dependency) -> bool:
    """A field of a content object (unless links in it are made relative to the page), or a whole object."""
    return dependency[0] == "d" or (dependency[0] == "a" and not page_relative(dependency))
