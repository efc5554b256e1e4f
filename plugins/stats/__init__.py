"""稿件报送与媒体采纳: the /stats/ pages, charts and downloads, counted from the content model."""

from __future__ import annotations

from pelican import signals


def _generators(_pelican: object) -> type:
    # Imported here, so that `python -m stats.report` does not load Pelican's generators or pygal.
    from .generator import StatsGenerator

    return StatsGenerator


def register() -> None:
    signals.get_generators.connect(_generators)
