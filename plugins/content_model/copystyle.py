"""Chinese copy style, checked and fixed alike: full-width punctuation and Latin spacing in text fields and bodies."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import autocorrect_py
import yaml

from . import punctuation
from .cache import TextCache, fingerprint
from .frontmatter import fences, parse_yaml
from .problems import Problems
from .yaml_lines import FIELD_NAMES

# Chinese style puts no space around brackets or links: autocorrect's rule for them would write 小麦 (郑麦369).
autocorrect_py.load_config('{"rules": {"space-bracket": 0}}')

# The front-matter fields whose copy style is checked, and fixed by `make fix`, like the body: the text of
# articles and pages, and of columns, topics, people and galleries (a name is not copy).
STYLED_FIELDS = (
    "title",
    "summary",
    "description",
    "cover_alt",
    "banner_alt",
    "photo_alt",
    "withdrawn_reason",
    "milestone",
    "unit",
    "position",
)

# Official Chinese style writes 2020年7月15日 and 80%以下 without spaces, and "专家+合作社" as one term;
# autocorrect would space them, so only its other changes are kept: CJK–Latin spacing and full-width punctuation.
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_TIGHT = re.compile(r"[0-9%‰+＋]")
_TOKEN_AFTER = re.compile(r"[0-9A-Za-z.%]+")
_TOKEN_BEFORE = re.compile(r"[0-9A-Za-z.%]+$")
_FENCE = re.compile(r"^\s*(```|~~~)")
# `editor：王芳`: a field of the content model typed with a full-width colon, which YAML reads as no field at all.
_FULLWIDTH_COLON_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t\u3000]*：[ \t\u3000]*(?P<rest>.*)$")


def prose_lines(body: str, first_line: int) -> list[tuple[int, str]]:
    """(line number, text) of a body's prose; code blocks are examples, not copy."""
    out, fenced = [], False
    for offset, line in enumerate(body.split("\n")):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and line.strip():
            out.append((first_line + offset, line))
    return out


def _kept_change(old: str, i1: int, i2: int, new: str, j1: int, j2: int) -> bool:
    """Whether one of autocorrect's edits is ours to keep: not a space it put next to a digit, % or +."""
    if i1 == i2 and new[j1:j2] == " ":
        before = old[i1 - 1] if i1 > 0 else ""
        after = old[i1] if i1 < len(old) else ""
        pair = (before, after)
        tight = any(_TIGHT.match(c or "") for c in pair) and any(
            _CJK.match(c or "") or _TIGHT.match(c or "") for c in pair
        )
        # A token such as 5G or 3D is Latin as a whole and keeps its spaces.
        token = _TOKEN_AFTER.match(old, i1) if _TIGHT.match(after or "") else _TOKEN_BEFORE.search(old[:i1])
        if tight and not (token and re.search(r"[A-Za-z]", token.group(0))):
            return False
    return True


def _opcodes(old: str, new: str) -> list[tuple[str, int, int, int, int]]:
    """Edits from old to new. autocorrect only adds or drops spaces and swaps punctuation one for one, so a
    linear walk finds them; anything else falls back to difflib, which is quadratic on long lines."""
    ops: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    while i < len(old) and j < len(new):
        if old[i] == new[j]:
            ops.append(("equal", i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
        elif new[j] == " ":
            ops.append(("insert", i, i, j, j + 1))
            j += 1
        elif old[i] == " ":
            ops.append(("delete", i, i + 1, j, j))
            i += 1
        elif not old[i].isalnum() and not new[j].isalnum():
            ops.append(("replace", i, i + 1, j, j + 1))
            i, j = i + 1, j + 1
        else:
            break
    if i == len(old) and j == len(new):
        return ops
    return difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


def style_cache(folder: Path | None, *, preload: bool = True) -> TextCache:
    """The cache of `styled`: its results change with autocorrect's version and with the rules' code."""
    rules = (Path(__file__).read_bytes(), Path(punctuation.__file__).read_bytes())
    depends_on = fingerprint(metadata.version("autocorrect-py"), *rules)
    return TextCache(folder, "styled", depends_on, preload=preload)


def styles(text: str) -> bool:
    """Whether the copy-style rules apply to a line: tables and raw HTML are left as written."""
    return not text.lstrip().startswith(("|", "<"))


def styled(line: str) -> str:
    """The line as the copy-style rules would have it (the safe fixes `make fix` applies).

    Our full-width punctuation rules first, then autocorrect's spacing and punctuation. A full-width space
    separating the halves of a headline (科技战疫　创新强国) is house style: kept as is.
    """
    line = punctuation.fullwidth(line)
    parts = []
    for part in line.split("\u3000"):
        new = autocorrect_py.format(part)
        if new == part:
            parts.append(part)
            continue
        out = []
        for tag, i1, i2, j1, j2 in _opcodes(part, new):
            if tag == "equal" or not _kept_change(part, i1, i2, new, j1, j2):
                out.append(part[i1:i2])
            else:
                out.append(new[j1:j2])
        parts.append("".join(out))
    return "\u3000".join(parts)


def first_difference(old: str, new: str, context: int = 12) -> tuple[int, str, str]:
    """Column (1-based) of the first change, and a short excerpt of the old and new text around it."""
    index = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
    start = max(0, index - context)
    grown = len(new) - len(old)
    return index + 1, old[start : index + context], new[start : index + context + max(grown, 0)]


def yaml_scalar(name: str, value: str) -> str:
    """How to write a value in front matter: plain when YAML reads it back as it is, else quoted.

    A title whose ASCII quotes became Chinese ones (“最美”李明) needs no YAML quotes any more.
    """
    for candidate in (value, "'" + value.replace("'", "''") + "'", json.dumps(value, ensure_ascii=False)):
        problems = Problems()
        result = parse_yaml(f"{name}: {candidate}", "", problems)
        if result is not None and not problems.items and result[0] == {name: value}:
            return candidate
    return json.dumps(value, ensure_ascii=False)


def _fix_field_colons(lines: list[str], start: int, end: int) -> None:
    """`title：…` becomes `title: …`, for the content model's own field names only: nothing else is sure to be a key."""
    for index in range(start + 1, end):
        line = lines[index]
        cr = "\r" if line.endswith("\r") else ""
        match = _FULLWIDTH_COLON_KEY.match(line.removesuffix("\r"))
        if match and match["key"] in FIELD_NAMES:
            rest = match["rest"]
            lines[index] = f"{match['key']}: {rest}{cr}" if rest else f"{match['key']}:{cr}"


def _fix_front_matter(lines: list[str], start: int, end: int) -> bool:
    """Fix the styled fields' values in place, each on its own line; False (nothing changed) if YAML has errors."""
    plain = [line.rstrip("\r") for line in lines[start + 1 : end]]
    problems = Problems()
    result = parse_yaml("\n".join(plain), "", problems)
    if result is None or problems.errors or not isinstance(result[0], dict):
        return False
    value, where = result
    for name in STYLED_FIELDS:
        child = where.child(name)
        old = value.get(name)
        node = child.node if child else None
        if not isinstance(node, yaml.ScalarNode) or not isinstance(old, str) or not styles(old):
            continue
        if node.style not in (None, "", "'", '"') or node.start_mark.line != node.end_mark.line:
            continue  # a block or multi-line value is left as written
        new = styled(old)
        if new == old:
            continue
        index = start + 1 + node.start_mark.line
        line = lines[index]
        lines[index] = line[: node.start_mark.column] + yaml_scalar(name, new) + line[node.end_mark.column :]
    return True


@dataclass(frozen=True)
class Fixed:
    """A file's text before and after `make fix`, and whether its front matter could not be read."""

    before: str
    after: str
    front_matter_unread: bool


def fix_text(text: str) -> Fixed:
    """The copy-style fixes of the styled fields and the body's prose; every other byte stays as it is."""
    lines = text.split("\n")  # a CRLF file keeps its \r at the end of each line
    plain = [line.rstrip("\r") for line in lines]
    if plain:
        plain[0] = plain[0].removeprefix("\ufeff")
    start, end = fences(plain)
    if end is None:
        return Fixed(text, text, front_matter_unread=True)  # without a front matter, nothing is sure to be body
    _fix_field_colons(lines, start, end)
    unread = not _fix_front_matter(lines, start, end)
    fenced = False
    for index in range(end + 1, len(lines)):
        line = plain[index]
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced and line.strip() and styles(line):
            new = styled(line)
            if new != line:
                lines[index] = new + lines[index][len(line) :]
    return Fixed(text, "\n".join(lines), unread)


def fix_file(path: Path) -> Fixed:
    """`fix_text` of a UTF-8 file (a BOM is kept)."""
    return fix_text(path.read_bytes().decode("utf-8"))
