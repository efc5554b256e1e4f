"""Corrections (更正): a withdrawn item names the item that corrects it; the rules, the pairs and what links them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .problems import Problems

if TYPE_CHECKING:
    from .site import Item, Site


def _withdrawn(item: Item) -> bool:
    # The status as written, not the state: a withdrawal dated after "now" is still a withdrawal.
    return item.get("status") == "withdrawn"


def _holds(item: Item, articles: dict[str, Item], problems: Problems) -> bool:
    """Whether the item's `corrected_by` names a correction; what is wrong goes to `problems`."""
    target_id = item.get("corrected_by")
    line = item.parsed.line_of("corrected_by")
    if not _withdrawn(item):
        problems.add("corrected-by-not-withdrawn", item.rel, line, "corrected_by")
        return False
    if target_id == item.id:
        problems.add("corrected-by-self", item.rel, line, "corrected_by", value=target_id)
        return False
    target = articles.get(target_id)
    if target is None:
        return False  # the generic reference rule reports it, with a did-you-mean
    if _withdrawn(target):
        after = target.get("corrected_by")
        standing = after in articles and after != item.id and not _withdrawn(articles[after])
        problems.add(
            "correction-withdrawn",
            item.rel,
            line,
            "corrected_by",
            value=target_id,
            suggestion_zh=f"（即 {after}）" if standing else "",
            suggestion_en=f" (`{after}`)" if standing else "",
        )
        return False
    return True


def _claims(site: Site, problems: Problems) -> dict[str, list[Item]]:
    """The withdrawn items that name each correction, by the correction's slug."""
    claims: dict[str, list[Item]] = {}
    for item in site.articles.values():
        if item.get("corrected_by") and _holds(item, site.articles, problems):
            claims.setdefault(item.get("corrected_by"), []).append(item)
    return claims


def originals(site: Site) -> dict[str, Item]:
    """The withdrawn item each correction corrects, by the correction's slug: only the pairs the rules accept."""
    claims = _claims(site, Problems())  # the checker has reported what is wrong
    return {target_id: items[0] for target_id, items in claims.items() if len(items) == 1}


def check(site: Site) -> None:
    """The rules of `corrected_by`, and of an alias that would take a withdrawn item's notice."""
    problems = site.problems
    claims = _claims(site, problems)
    for target_id, items in claims.items():
        for item in items:
            line = item.parsed.line_of("corrected_by")
            if len(items) > 1:
                others = "、".join(other.rel for other in items if other is not item)
                problems.add("correction-shared", item.rel, line, "corrected_by", value=target_id, other=others)
            elif site.articles[target_id].get("status") == "draft":
                problems.add("correction-draft", item.rel, line, "corrected_by", value=target_id)
    notices = {"/" + item.url: item for item in site.articles.values() if _withdrawn(item)}
    for item in site.articles.values():
        for alias in item.get("aliases", []):
            original = notices.get(alias.removesuffix("index.html"))
            if original is not None and original is not item:
                line = item.parsed.line_of("aliases")
                problems.add(
                    "alias-of-withdrawn", item.rel, line, "aliases", value=alias, other=original.rel, slug=item.id
                )
