"""A Pelican writer that collects pages instead of rendering them, so that they can be rendered together later."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

log = logging.getLogger(__name__)


@dataclass
class PageJob:
    """One output file, from a template (what Pelican's writer would render at once) or a `produce` function."""

    name: str
    template: Any
    context: dict[str, Any]
    kwargs: dict[str, Any]
    relative_urls: bool
    # Pages written with `announce=False` (tool pages) are not sent to `content_written`: no sitemap entry.
    announce: bool = True
    # Work done where the page is rendered (in a worker): it returns more template variables. It may read
    # anything of the objects in `reads`, and nothing else that changes between builds.
    prepare: Callable[[], dict[str, Any]] | None = None
    reads: tuple[Any, ...] = ()
    # A file that is not a template's page (a feed, a calendar, an API document): a `functools.partial` that
    # returns its text or bytes. It may read anything of the content objects among its arguments, nothing else.
    produce: Callable[[], str | bytes] | None = None

    def local_context(self) -> dict[str, Any]:
        """The page's template context, as Pelican's writer builds it."""
        local = self.context.copy()
        local["localsiteurl"] = local.get("localsiteurl", None)
        if self.relative_urls:
            relative_url = path_to_url(get_relative_path(self.name))
            local["SITEURL"] = relative_url
            local["localsiteurl"] = relative_url
        local["output_file"] = self.name
        local.update(self.kwargs)
        return local


def site_context(jobs: list[PageJob]) -> dict[str, Any]:
    """The context the generators share (a produced file has none of its own)."""
    return next((job.context for job in jobs if job.template is not None), {})


class CollectingWriter(Writer):
    """Pelican's writer for feeds; pages are collected as jobs (with their pagination) for the renderer."""

    def __init__(self, output_path: str, settings: dict[str, Any] | None = None) -> None:
        super().__init__(output_path, settings=settings)
        self.jobs: dict[str, PageJob] = {}

    def write_file(  # type: ignore[override]
        self,
        name: str,
        template: Any,
        context: dict[str, Any],
        relative_urls: bool = False,
        paginated: dict[str, Any] | None = None,
        template_name: str | None = None,
        override_output: bool = False,
        url: str | None = None,
        announce: bool = True,
        prepare: Callable[[], dict[str, Any]] | None = None,
        reads: tuple[Any, ...] = (),
        **kwargs: Any,
    ) -> None:
        if not name:
            return
        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            self._add(
                PageJob(name, template, context, kwargs, relative_urls, announce, prepare, reads), override_output
            )
            return
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {key: Paginator(name, url, val, self.settings, per_page) for key, val in paginated.items()}
        for number in range(next(iter(paginators.values())).num_pages):
            page_kwargs = kwargs.copy()
            for key, paginator in paginators.items():
                page = paginator.page(number + 1)
                page_kwargs.update(
                    {
                        f"{key}_paginator": paginator,
                        f"{key}_page": page,
                        f"{key}_previous_page": paginator.page(number) if number > 0 else None,
                        f"{key}_next_page": paginator.page(number + 2) if number + 1 < paginator.num_pages else None,
                    }
                )
            job = PageJob(page.save_as, template, context, page_kwargs, relative_urls, announce, prepare, reads)
            self._add(job, override_output)

    def write_data(self, name: str, produce: Callable[[], str | bytes]) -> None:
        """A file `produce` makes (a `functools.partial`), rendered and kept like a page; not in the sitemap."""
        self._add(PageJob(name, None, {}, {}, False, announce=False, produce=produce), False)

    def _add(self, job: PageJob, override: bool) -> None:
        """Pelican's rule for two pages with one name: an error, unless one (and only one) of them overrides."""
        path = sanitised_join(self.output_path, job.name)
        if path in self._overridden_files:
            if override:
                raise RuntimeError(f'Failed to overwrite "{path}" a second time (was previously overwritten)')
            log.info('Skipping "%s", not overwriting', path)
            return
        if path in self._written_files and not override:
            raise RuntimeError(
                f'Failed to overwrite "{path}" as Pelican has already written to it previously '
                "(set `override=True` if intended)"
            )
        if override:
            self._overridden_files.add(path)
        self._written_files.add(path)
        self.jobs[path] = job
