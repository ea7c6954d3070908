"""``anchor/shadowed``: table-of-contents entries that land on the wrong same-named heading.

A table of contents that points at the first of two same-named headings is valid to a
browser but wrong to a reader; the rule infers the heading meant from the entry's list
depth and position, which is why it only looks at lists of anchor links. That inference
shares nothing with finding dead anchors beyond the anchor index, so it has its own module.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from listcheck.models import Document, Finding, Link
from listcheck.rules.anchor_index import AnchorIndex, fragment_of, with_fragment
from listcheck.rules.base import LintContext, finding, offline_rule
from listcheck.rules.self_page import SelfPage

_MIN_TOC_LINKS = 2
_OFFSET_SHARE = 0.6
"""How much of a table of contents must agree on ``level - depth`` before its depth is
trusted to name a heading level."""


@dataclass(frozen=True)
class _TocEntry:
    link: Link
    depth: int
    heading: int | None
    """The heading the fragment reaches, if it reaches one."""
    unambiguous: bool
    """Reaches a heading whose text no other heading shares."""


def _tables_of_contents(doc: Document, index: AnchorIndex, page: SelfPage) -> list[list[_TocEntry]]:
    """Lists of in-page links, each a run in one top-level block, in source order."""
    runs: defaultdict[int, list[_TocEntry]] = defaultdict(list)
    for link in doc.links:
        fragment = None if link.list_depth is None else page.fragment(link)
        if fragment is None or link.list_depth is None:
            continue
        target = index.resolve(fragment)
        heading = target if isinstance(target, int) else None
        unambiguous = heading is not None and len(index.group_of(heading)) == 1
        runs[link.block].append(_TocEntry(link, link.list_depth, heading, unambiguous))
    tocs = []
    for entries in runs.values():
        if len(entries) >= _MIN_TOC_LINKS:
            tocs.append(sorted(entries, key=lambda entry: (entry.link.line, entry.link.column)))
    return tocs


def _level_offset(entries: Sequence[_TocEntry], index: AnchorIndex) -> int | None:
    """The ``heading level - list depth`` most sure entries agree on, if they agree."""
    offsets = Counter(
        index.headings[entry.heading].level - entry.depth
        for entry in entries
        if entry.unambiguous and entry.heading is not None
    )
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    if count < _MIN_TOC_LINKS or count < _OFFSET_SHARE * offsets.total():
        return None
    return offset


def _sure_neighbours(entries: Sequence[_TocEntry]) -> list[tuple[int, int | None]]:
    """For each entry, the headings of the nearest sure entries before and after it."""
    before: list[int] = []
    last = -1
    for entry in entries:
        before.append(last)
        if entry.unambiguous and entry.heading is not None:
            last = entry.heading
    after: list[int | None] = []
    following: int | None = None
    for entry in reversed(entries):
        after.append(following)
        if entry.unambiguous and entry.heading is not None:
            following = entry.heading
    return list(zip(before, reversed(after), strict=True))


def _meant_heading(
    entry: _TocEntry, window: tuple[int, int | None], offset: int | None, index: AnchorIndex
) -> int | None:
    """The one heading of the entry's same-text group its depth and place point at.

    Entries follow document order, so the heading meant lies between the headings of
    the nearest sure entries before and after it; the depth names its level.
    """
    if entry.heading is None:
        return None
    low, high = window
    by_level = index.group_at_level(entry.heading, None if offset is None else entry.depth + offset)
    start = bisect_left(by_level, low + 1)
    end = len(by_level) if high is None else bisect_left(by_level, high, lo=start)
    landed = bisect_left(by_level, entry.heading)
    fits_level = landed < len(by_level) and by_level[landed] == entry.heading
    if fits_level and (start <= landed < end or start == end):
        return None
    if end - start == 1:
        return by_level[start]
    if start == end and len(by_level) == 1:
        return by_level[0]
    return None


@offline_rule("anchor/shadowed")
def anchor_shadowed(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """A table-of-contents entry that works but lands on the wrong same-named heading:
    browsers cannot see the mistake, so only the TOC's own shape can reveal it."""
    index = AnchorIndex.of(doc)
    page = SelfPage.of(doc, ctx)
    for entries in _tables_of_contents(doc, index, page):
        offset = _level_offset(entries, index)
        linked = {entry.heading for entry in entries}
        for entry, window in zip(entries, _sure_neighbours(entries), strict=True):
            if entry.heading is None or entry.unambiguous:
                continue
            meant = _meant_heading(entry, window, offset, index)
            if meant is None or meant in linked:
                continue  # a heading another entry already links is not the one missed
            landed = index.headings[entry.heading]
            target = index.headings[meant]
            yield finding(
                doc,
                "anchor/shadowed",
                entry.link.line,
                entry.link.column,
                f"#{fragment_of(entry.link.url)} lands on the {'#' * landed.level} "
                f"{landed.text.strip()!r} heading at line {landed.line}, but this "
                f"table-of-contents entry means the {'#' * target.level} "
                f"{target.text.strip()!r} heading at line {target.line}, "
                f"whose anchor is #{target.slug}",
                url=entry.link.url,
                suggestion=with_fragment(entry.link.url, target.slug),
            )
