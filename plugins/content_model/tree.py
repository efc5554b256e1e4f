"""One walk of content/: the Markdown files to read, and every other file, each read, used, or reported by name."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import schema as S
from .editorial import LEXICON_FILE, NOTICE_FILE, SENSITIVE_FILE
from .problems import Problems
from .registries import REVIEWERS_FILE

# Left by operating systems and editors: never read, never published, not worth a message. The build's settings
# hand Pelican the same list (IGNORE_FILES), so that neither reads a file the other skips.
IGNORED_FILES = (
    ".#*",  # an editor's lock file
    "*.part",  # a download or upload not finished
    "*~",
    ".*.sw?",
    "~$*",  # Office's lock file
    ".DS_Store",
    "._*",  # macOS's resource forks
    "Thumbs.db",
    "ehthumbs.db",
    "desktop.ini",
)
_IGNORED = re.compile("|".join(fnmatch.translate(pattern) for pattern in IGNORED_FILES))

CONTENT_SUFFIX = ".md"
# Every other way of naming a Markdown file, in any case: the site reads `.md` only, and says so.
MARKDOWN_SUFFIXES = frozenset([".md", ".markdown", ".mkd", ".mkdn", ".mdown", ".mdwn", ".mdtxt", ".mdtext"])
# The files of content/data/ the content model reads: registries, word lists and the urgent notice.
DATA_FOLDER = "data/"
DATA_FILES = frozenset(
    [
        *(file for file, _fields in S.REGISTRY_FILES.values()),
        REVIEWERS_FILE,
        LEXICON_FILE,
        SENSITIVE_FILE,
        NOTICE_FILE,
    ]
)
# Images shared by the whole site: bodies name them as /images/…, the settings and the editor's uploads too.
SHARED_FOLDER = "images/"


@dataclass
class Tree:
    """What one walk of content/ found."""

    prefix: str  # content/'s place in the repository, with a slash: how files are named in messages
    markdown: list[Path] = field(default_factory=list)  # the content files, sorted
    others: dict[str, str] = field(default_factory=dict)  # every other file: resolved path → place under content/


def walk(content_root: Path, content_rel: str, problems: Problems) -> Tree:
    """List content/ once, without following links; a link, or Markdown not named .md, is an error naming it."""
    tree = Tree(prefix="" if content_rel == "." else content_rel.rstrip("/") + "/")
    real_root = os.path.realpath(content_root)
    folders = [""] if os.path.isdir(content_root) else []  # no content/: the missing registries say so
    while folders:
        inside = folders.pop()
        with os.scandir(os.path.join(content_root, inside)) as entries:
            for entry in entries:
                name = entry.name
                if _IGNORED.match(name):
                    continue
                place = inside + name
                if entry.is_symlink():
                    # Whatever it points at: a link inside content/ duplicates a file, one outside it publishes
                    # what the repository does not hold.
                    problems.add("symlink", tree.prefix + place, 0, value=name, target=os.readlink(entry.path))
                elif entry.is_dir():
                    folders.append(place + "/")
                else:
                    stem, suffix = os.path.splitext(name)
                    if suffix == CONTENT_SUFFIX:
                        tree.markdown.append(Path(entry.path))
                    elif suffix.lower() in MARKDOWN_SUFFIXES:
                        problems.add("markdown-suffix", tree.prefix + place, 0, value=name, name=stem + CONTENT_SUFFIX)
                    else:
                        tree.others[f"{real_root}/{place}"] = place
    tree.markdown.sort()
    return tree


def report_unused(tree: Tree, used: set[str], problems: Problems) -> None:
    """Every file that is not content is one an item uses, a file the model reads, or a shared image; else a warning."""
    for real, place in tree.others.items():
        if real in used or place.startswith(SHARED_FOLDER) or place in DATA_FILES:
            continue
        name = place.rsplit("/", 1)[-1]
        if place.startswith(DATA_FOLDER):
            known = " ".join(sorted(file.removeprefix(DATA_FOLDER) for file in DATA_FILES))
            problems.add("data-file-unknown", tree.prefix + place, 0, value=name, known=known)
        else:
            problems.add("file-unused", tree.prefix + place, 0, value=name)
