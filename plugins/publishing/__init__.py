"""Publishing rules in the build: the model's reader, embargo and status, the pinned headline, sections, aliases."""

from __future__ import annotations

from pelican import signals

from . import home, model_state, redirects, templating
from .context import SITE
from .reader import add_reader, save_markdown_caches


def load_model(settings: dict) -> None:
    """The build's content model, and the template filters and globals made from it."""
    model_state.load(settings)
    templating.install(settings)


def _initialized(pelican) -> None:
    load_model(pelican.settings)


def _share_site(generator) -> None:
    """The content model reaches every generator, and every page job, through the shared context."""
    generator.context[SITE] = model_state.current()


def register() -> None:
    signals.initialized.connect(_initialized)
    signals.generator_init.connect(_share_site)
    signals.readers_init.connect(add_reader)
    signals.all_generators_finalized.connect(save_markdown_caches)
    signals.article_generator_pretaxonomy.connect(home.settle_order)
    signals.article_generator_finalized.connect(home.link_articles)
    signals.page_generator_finalized.connect(home.link_pages)
    signals.all_generators_finalized.connect(home.link_portal)
    signals.article_writer_finalized.connect(redirects.write_aliases)
