"""Slugs and ids: the id pattern, and pinyin slugs for Chinese names, word by word (重庆市 → chongqingshi)."""

from __future__ import annotations

import re
from functools import lru_cache

import rjieba
from pypinyin import lazy_pinyin

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_LEADING_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[-_ ]*")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def is_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value))


def _ascii_words(text: str) -> list[str]:
    return [w for w in _NOT_ALNUM.split(text.lower()) if w]


@lru_cache(maxsize=65536)  # the same tag or name is slugged once per article that carries it
def slugify(text: str) -> str:
    """A URL slug: Chinese words become toneless pinyin (重庆 → chongqing), words joined by hyphens.

    rjieba segments the words; pypinyin reads each word as a whole, which is what decides polyphones.
    """
    if not _HAN.search(text):
        return "-".join(_ascii_words(text))
    words: list[str] = []
    for segment in rjieba.cut(text):
        if _HAN.search(segment):
            # pinyin of a whole word keeps the context that decides polyphones
            han = "".join(ch for ch in segment if _HAN.match(ch))
            rest = _HAN.sub(" ", segment)
            words.append("".join(lazy_pinyin(han)).lower())
            words.extend(_ascii_words(rest))
        else:
            words.extend(_ascii_words(segment))
    return "-".join(w for w in ("".join(_ascii_words(w)) for w in words) if w)


def slug_from_filename(stem: str) -> str:
    """The default slug of a file or bundle name, with any leading date dropped."""
    return slugify(_LEADING_DATE.sub("", stem)) or slugify(stem)


def needs_pinyin(stem: str) -> bool:
    return bool(_HAN.search(stem))
