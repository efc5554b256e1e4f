"""专题: /topics/ and each topic's landing page in one of three layouts: sections, timeline or grid."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from pelican import signals

from feeds import write_feeds
from publishing import SITE
from publishing.derived import DerivedGenerator

FILTER_KEYS = ("type", "section", "column", "tag", "person")


def matches(article: Any, block: dict[str, Any]) -> bool:
    """Whether an article passes every filter key a topic section sets."""
    values = article.item.values
    checks = {
        "type": lambda v: values.get("type") == v,
        "section": lambda v: values.get("section") == v,
        "column": lambda v: v in values.get("columns", []),
        "tag": lambda v: v in values.get("tags", []),
        "person": lambda v: v in values.get("people", []),
    }
    return all(checks[key](block[key]) for key in FILTER_KEYS if key in block)


def topic_page(item: Any, articles: list[Any], relations: Any, galleries: dict[str, Any]) -> dict[str, Any]:
    """Everything a topic's page shows, from its own articles only (newest first).

    A featured article is shown once: in 重点推荐, so the blocks and the list of all articles leave it out (a block
    only featured articles would fill is not shown); the
    timeline keeps every step and marks the featured ones instead (its page has no 重点推荐 block).
    """
    listed = {id(a) for a in articles}
    featured = [
        relations.by_slug[slug]
        for slug in item.get("featured", [])
        if slug in relations.by_slug and id(relations.by_slug[slug]) in listed
    ]
    featured_ids = {id(a) for a in featured}
    others = [a for a in articles if id(a) not in featured_ids]
    used_galleries = []
    for article in articles:
        gallery_id = article.item.values.get("gallery")
        if gallery_id in galleries and galleries[gallery_id] not in used_galleries:
            used_galleries.append(galleries[gallery_id])
    blocks = []
    for block in item.get("sections", []):
        matched = [a for a in articles if matches(a, block)]
        chosen = [a for a in matched if id(a) not in featured_ids]
        if "limit" in block:
            chosen = chosen[: block["limit"]]
        if matched and not chosen and not block.get("galleries"):
            continue  # only featured articles: shown above already, and an empty block would say 暂无稿件
        blocks.append({**block, "articles": chosen, "gallery_items": used_galleries if block.get("galleries") else []})
    return {
        "item": item,
        "url": item.url,
        "title": item.get("title"),
        "layout": item.get("layout", "sections"),
        "articles": articles,
        "featured": featured,
        "others": others,
        "blocks": blocks,
        "timeline": sorted(articles, key=attrgetter("date")),
        "galleries": used_galleries,
    }


class TopicsGenerator(DerivedGenerator):
    """Writes the topic pages; the filters run over each topic's own articles, never the whole site."""

    def generate_context(self) -> None:
        site = self.context[SITE]
        visibility = site.visibility
        relations = self.context["relations"]
        topics = sorted(
            (t for t in site.items["topic"].values() if visibility.has_page(t)),
            key=lambda t: (t.get("order", 999), t.id),
        )
        # A topic's gallery block is a list: galleries that are listed, as on /galleries/.
        galleries = {g.id: g for g in site.items["gallery"].values() if visibility.is_listed(g)}
        self.topics = [topic_page(t, relations.by_topic.get(t.id, []), relations, galleries) for t in topics]
        self.listed = [topic for topic in self.topics if visibility.is_listed(topic["item"])]
        self.context["site_topics"] = self.listed

    def generate_output(self, writer: Any) -> None:
        self.write_page(writer, "topics/index.html", "topics", "topics/", topics=self.listed)
        for topic in self.topics:
            item = topic["item"]
            self.write_page(
                writer, item.url + "index.html", "topic", item.url, item, topic=topic, intro=self.body_html(item)
            )
            write_feeds(
                writer, self.context, topic["articles"], item.url, f"{self.settings['SITENAME']} - {topic['title']}"
            )


def get_generators(_pelican: Any) -> type:
    return TopicsGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)
