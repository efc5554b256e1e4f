"""Related articles: scored by shared topics, people and tags, newest first among equals, within a window."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from relations import RELATED_COUNT, RELATED_WINDOW, _related


def article(name: str, day: int, *, topics=(), people=(), tags=()) -> SimpleNamespace:
    values = {"topics": list(topics), "people": list(people)}
    return SimpleNamespace(
        name=name,
        date=datetime.datetime(2020, 1, 1) + datetime.timedelta(days=day),
        item=SimpleNamespace(values=values),
        tags=[SimpleNamespace(slug=t) for t in tags],
    )


def names(related: dict[int, list[SimpleNamespace]], a: SimpleNamespace) -> list[str]:
    return [r.name for r in related.get(id(a), [])]


def test_topics_and_people_outweigh_tags_and_newer_wins_a_tie() -> None:
    base = article("base", 10, topics=["t"], tags=["x", "y"])
    same_topic = article("same-topic", 1, topics=["t"])
    two_tags = article("two-tags", 2, tags=["x", "y"])
    one_tag_old = article("one-tag-old", 3, tags=["x"])
    one_tag_new = article("one-tag-new", 4, tags=["y"])
    alone = article("alone", 5, tags=["z"])
    everyone = [base, same_topic, two_tags, one_tag_old, one_tag_new, alone]
    related = _related(sorted(everyone, key=lambda a: a.date, reverse=True))
    # topic 3 > two tags 2 > one tag 1, and of the two with one tag the newer comes first
    assert names(related, base) == ["same-topic", "two-tags", "one-tag-new", "one-tag-old"]
    assert names(related, alone) == []
    assert names(related, one_tag_old) == ["base", "two-tags"]


def test_at_most_the_count_and_only_neighbours_within_the_window() -> None:
    crowd = [article(f"a{i}", -i, tags=["common"]) for i in range(RELATED_WINDOW * 3)]
    related = _related(crowd)
    first = crowd[0]
    assert names(related, first) == [f"a{i}" for i in range(1, RELATED_COUNT + 1)]
    # the last article's candidates are only the RELATED_WINDOW before it
    last = crowd[-1]
    window = {f"a{i}" for i in range(len(crowd) - 1 - RELATED_WINDOW, len(crowd) - 1)}
    assert set(names(related, last)) <= window
    assert len(names(related, last)) == RELATED_COUNT
