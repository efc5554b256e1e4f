"""人物: /people/ grouped by honour and year, each profile with its articles, and honour rolls by award and year."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pelican import signals

from content_model.slugs import slugify
from publishing import SITE
from publishing.derived import DerivedGenerator


def honour_rolls(people: list[Any]) -> list[dict[str, Any]]:
    """One roll per (award, year), newest year first, people in registry order within it."""
    rolls: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for person in people:
        for honour in person.get("honors", []):
            if "award" in honour and "year" in honour:
                rolls[(honour["award"], honour["year"])].append(person)
    ordered = sorted(rolls.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
    return [
        {
            "award": award,
            "year": year,
            "title": f"{year}年{award}",
            "url": f"honours/{slugify(award) or 'award'}/{year}/",
            "people": members,
        }
        for (award, year), members in ordered
    ]


class PeopleGenerator(DerivedGenerator):
    """Writes people's profiles and the honour rolls, from the content model and the linked articles."""

    def generate_context(self) -> None:
        site = self.context[SITE]
        visibility = site.visibility
        relations = self.context["relations"]
        people = sorted((p for p in site.items["person"].values() if visibility.has_page(p)), key=lambda p: p.id)
        # Honour rolls are lists: a hidden person has a page, but is on no roll.
        self.rolls = honour_rolls([p for p in people if visibility.is_listed(p)])
        self.people = [
            {
                "item": p,
                "url": p.url,
                "name": p.get("name"),
                "articles": relations.by_person.get(p.id, []),
                "rolls": [r for r in self.rolls if any(member is p for member in r["people"])],
                "listed": visibility.is_listed(p),
            }
            for p in people
        ]
        self.context["site_people"] = {p["item"].id: p for p in self.people if p["listed"]}
        self.context["honour_rolls"] = self.rolls

    def generate_output(self, writer: Any) -> None:
        unhonoured = [p for p in self.people if p["listed"] and not p["rolls"]]
        self.write_page(writer, "people/index.html", "people", "people/", rolls=self.rolls, unhonoured=unhonoured)
        for person in self.people:
            item = person["item"]
            self.write_page(
                writer, item.url + "index.html", "person", item.url, item, person=person, biography=self.body_html(item)
            )
        for roll in self.rolls:
            self.write_page(writer, roll["url"] + "index.html", "honour_roll", roll["url"], roll=roll)


def get_generators(_pelican: Any) -> type:
    return PeopleGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
