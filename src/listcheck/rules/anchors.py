"""``#fragment`` links checked against the anchors GitHub gives the same file.

Fragments are matched the way a reader on github.com experiences them:

* percent-escapes are decoded first (``#%E4%BD%A0`` is ``#你``);
* ``#`` alone and ``#top`` (any case) scroll to the top of the page in every browser;
* GitHub renders each anchor as ``id="user-content-<slug>"`` and its page script maps a
  fragment onto that prefix, so ``#user-content-foo`` works as well as ``#foo``;
* matching is case-sensitive first and then, as GitHub's script retries with the
  fragment lowercased, on the lowercased fragment. Heading anchors are always lowercase,
  so ``#Installation`` works on github.com and is not reported: the rule's severity is
  "error", and a link that works where the list is read is not one. An HTML anchor
  ``<a name="Foo">`` matches ``#Foo`` but not ``#foo``.

A table of contents that points at the first of two same-named headings is valid to a
browser but wrong to a reader; ``anchor/shadowed`` infers the heading meant from the
entry's list depth and position, which is why it only looks at lists of anchor links.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote

from rapidfuzz import fuzz, process

from listcheck.models import Document, Finding, Heading, Link, LinkKind
from listcheck.rules.base import LintContext, finding, offline_rule
from listcheck.slugs import base_slugs

_GITHUB_PREFIX = "user-content-"
_NUMBERED = re.compile(r"(.*)-(\d+)")
_FUZZY_CUTOFF = 85.0
_FUZZY_MARGIN = 5.0
_MIN_TOC_LINKS = 2
_OFFSET_SHARE = 0.6
"""How much of a table of contents must agree on ``level - depth`` before its depth is
trusted to name a heading level."""


def fragment_of(url: str) -> str:
    """The decoded fragment of a ``#...`` link (without the ``#``)."""
    _, _, raw = url.partition("#")
    return unquote(raw, errors="replace")


def _goes_to_top(fragment: str) -> bool:
    return fragment == "" or fragment.lower() == "top"


@dataclass(frozen=True)
class AnchorIndex:
    """Every target a fragment can reach in one document."""

    headings: Sequence[Heading]
    by_slug: dict[str, int]
    """Final anchor -> index into ``headings``."""
    html_names: frozenset[str]
    groups: dict[str, tuple[int, ...]]
    """Anchor before numbering -> the headings sharing it, in document order."""
    bases: Sequence[str]
    """Each heading's anchor before numbering."""
    _by_level: dict[tuple[str, int | None], list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document) -> AnchorIndex:
        groups: defaultdict[str, list[int]] = defaultdict(list)
        by_slug: dict[str, int] = {}
        bases = base_slugs(heading.text for heading in doc.headings)
        for index, (heading, base) in enumerate(zip(doc.headings, bases, strict=True)):
            groups[base].append(index)
            by_slug.setdefault(heading.slug, index)  # a browser stops at the first
        return cls(
            headings=doc.headings,
            by_slug=by_slug,
            html_names=frozenset(anchor.name for anchor in doc.html_anchors),
            groups={base: tuple(members) for base, members in groups.items()},
            bases=bases,
        )

    def resolve(self, fragment: str) -> int | str | None:
        """The heading index or HTML anchor name the fragment reaches on GitHub, or None.

        A document-top fragment resolves to ``""``.
        """
        if _goes_to_top(fragment):
            return ""
        names = [fragment]
        if fragment.startswith(_GITHUB_PREFIX):
            names.append(fragment[len(_GITHUB_PREFIX) :])
        for name in names:
            for candidate in dict.fromkeys((name, name.lower())):
                if candidate in self.by_slug:
                    return self.by_slug[candidate]
                if candidate in self.html_names:
                    return candidate
        return None

    def group_of(self, heading: int) -> tuple[int, ...]:
        return self.groups[self.bases[heading]]

    def group_at_level(self, heading: int, level: int | None) -> list[int]:
        """The heading's same-text group, narrowed to one level unless ``level`` is None;
        remembered, as a long table of contents asks for the same few groups again."""
        key = (self.bases[heading], level)
        if key not in self._by_level:
            self._by_level[key] = [
                member
                for member in self.group_of(heading)
                if level is None or self.headings[member].level == level
            ]
        return self._by_level[key]

    def suggest(self, fragment: str) -> str | None:
        """The anchor a missing fragment most likely meant, if one stands out."""
        wanted = fragment.lower()
        numbered = _NUMBERED.fullmatch(wanted)
        group = self.groups.get(numbered[1], ()) if numbered else ()
        if len(group) == 1:
            return self.headings[group[0]].slug
        choices = list(self.by_slug) + sorted(self.html_names)
        best = process.extract(wanted, choices, scorer=fuzz.ratio, limit=2)
        if not best or best[0][1] < _FUZZY_CUTOFF:
            return None
        if len(best) > 1 and best[0][1] - best[1][1] < _FUZZY_MARGIN:
            return None
        return str(best[0][0])


@offline_rule("anchor/not-found")
def anchor_not_found(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """A dead in-page link: the reader clicks and the page does not move. The likely
    anchor is offered only when one stands out, so a fix is never a guess."""
    index = AnchorIndex.of(doc)
    for link in doc.links:
        if link.kind is not LinkKind.ANCHOR:
            continue
        fragment = fragment_of(link.url)
        if index.resolve(fragment) is not None:
            continue
        suggestion = index.suggest(fragment)
        hint = f"; did you mean #{suggestion}?" if suggestion is not None else ""
        yield finding(
            doc,
            "anchor/not-found",
            link.line,
            link.column,
            f"no heading or HTML anchor in this file has the anchor #{fragment}{hint}",
            url=link.url,
            suggestion=None if suggestion is None else f"#{suggestion}",
        )


@dataclass(frozen=True)
class _TocEntry:
    link: Link
    depth: int
    heading: int | None
    """The heading the fragment reaches, if it reaches one."""
    unambiguous: bool
    """Reaches a heading whose text no other heading shares."""


def _tables_of_contents(doc: Document, index: AnchorIndex) -> list[list[_TocEntry]]:
    """Lists of anchor links, each a run in one top-level block, in source order."""
    runs: defaultdict[int, list[_TocEntry]] = defaultdict(list)
    for link in doc.links:
        if link.kind is not LinkKind.ANCHOR or link.list_depth is None:
            continue
        target = index.resolve(fragment_of(link.url))
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
    for entries in _tables_of_contents(doc, index):
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
                suggestion=f"#{target.slug}",
            )
