"""How much of a list listcheck could read: entries by shape, titles, and the links it
could not place in any entry.

A checker that silently misreads a list is worse than none: the entry rules (no-link,
duplicate, date tags, titles) only see entries, so a list written in a shape the parser
does not know looks clean. This module counts what was read, so the report can say it,
and finds the blind spot when most of a list's external links sit outside any entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from listcheck.models import Document, FileReading, LinkKind, LinkSyntax

BLIND_SHARE = 0.5
"""Above this share of a list's external links outside any entry, the entry checks are
blind to most of the list."""
BLIND_MIN_LINKS = 10
"""...and only when at least this many links are affected: a list of five links and a
badge row is no blind spot."""

_EXTERNAL = frozenset(
    {
        LinkKind.ARXIV,
        LinkKind.GITHUB,
        LinkKind.HUGGINGFACE,
        LinkKind.DOI,
        LinkKind.ACL_ANTHOLOGY,
        LinkKind.OPENREVIEW,
        LinkKind.KAGGLE,
        LinkKind.WEB,
    }
)
_SHIELD = re.compile(r"img\.shields\.io|badge|\.svg(?:\?|$)", re.IGNORECASE)
_SHAPE_WORD = re.compile(r"[^\W\d_]+")
_SHAPE_NUMBER = re.compile(r"\d+")
_SHAPE_URL = re.compile(r"\((?:https?://|www\.)[^)\s]*\)?|https?://\S+")
_SHAPE_SPACE = re.compile(r"\s+")
_SHAPE_RUN = re.compile(r"a(?:[\s,:;.'’&/+-]+[a9])+")
"""Words with the spaces and punctuation between them: a title, an author list."""


def file_reading(doc: Document) -> FileReading:
    """The counts the report shows for one file."""
    shapes = Counter(entry.shape.value for entry in doc.entries)
    external = _external_links(doc)
    outside = [index for index in external if doc.links[index].entry is None]
    return FileReading(
        entries=len(doc.entries),
        titled=sum(1 for entry in doc.entries if entry.title),
        shapes=dict(sorted(shapes.items())),
        external_links=len(external),
        links_outside_entries=len(outside),
    )


def _external_links(doc: Document) -> list[int]:
    """Links to papers, code and pages elsewhere: what entries are made of. Images and
    badges are decoration, anchors and files belong to the list itself."""
    return [
        index
        for index, link in enumerate(doc.links)
        if link.kind in _EXTERNAL
        and link.syntax is not LinkSyntax.IMAGE
        and not _SHIELD.search(link.url)
    ]


@dataclass(frozen=True)
class BlindSpot:
    """Most of a file's external links are in no entry."""

    outside: int
    external: int
    example_line: int
    example: str
    """The commonest shape of line those links sit on, as one of them is written."""


def blind_spot(doc: Document) -> BlindSpot | None:
    external = _external_links(doc)
    outside = [doc.links[i] for i in external if doc.links[i].entry is None]
    if len(outside) < BLIND_MIN_LINKS or len(outside) <= BLIND_SHARE * len(external):
        return None
    links_per_line = Counter(link.text_line for link in outside)
    shapes: Counter[str] = Counter()
    first_line: dict[str, int] = {}
    for number, count in links_per_line.items():  # one shape per line, not per link
        shape = line_shape(doc.lines[number - 1] if number <= len(doc.lines) else "")
        shapes[shape] += count
        first_line.setdefault(shape, number)
    common = shapes.most_common(1)[0][0]
    line_number = first_line[common]
    return BlindSpot(len(outside), len(external), line_number, doc.lines[line_number - 1])


def line_shape(line: str) -> str:
    """A line with its words, numbers and URLs blanked out: lines written in one shape
    (``**Title** \\``, ``Title by X (https://…)``) get one shape."""
    shape = _SHAPE_URL.sub("(URL)", line.strip())
    shape = _SHAPE_WORD.sub("a", shape)
    shape = _SHAPE_NUMBER.sub("9", shape)
    shape = _SHAPE_SPACE.sub(" ", shape)
    return _SHAPE_RUN.sub("a", shape)[:40]
