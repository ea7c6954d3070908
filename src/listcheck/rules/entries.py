"""Which sections list papers, and ``entry/no-link``: a paper listed without a link.

The rule reasons per section (entries sharing ``section_key``: a heading, an HTML
heading, a ``<details>`` group or a list item heading a nested list), because that is
how these lists are curated.

What counts as a *paper section* is learnt from the section itself rather than from
its heading: a section whose entries mostly carry links is a list of papers, so an
entry there without one is a link someone forgot. A table of contents (whose items
the parser already drops), a "Contributing" section or a run of prose bullets has few
or no linked entries and is left alone. Headings that name such housekeeping sections
are excluded as well, since a "News" section can be link-heavy without being papers.
The same judgement serves ``entry/duplicate`` (housekeeping sections repeat links by
design), ``entry/misplaced`` (where papers belong) and ``entry/suggest-link`` (which
linkless entries to look up on arXiv), so it lives here once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from listcheck.models import Document, Entry, Finding, Link, LinkKind
from listcheck.rules.base import LintContext, finding, offline_rule

_TITLE_WIDTH = 60
_MIN_LINKED = 2
"""A section needs at least this many linked entries before its linkless ones count:
one linked bullet among prose is not evidence of a list of papers."""

_HOUSEKEEPING = re.compile(
    r"(?:how to )?contribut\w*|licen[cs]e|citations?|cite(?: us| this(?: work)?)?"
    r"|acknowledge?ments?|contacts?(?: us)?|(?:latest )?(?:news|updates)|changelog"
    r"|star history|(?:table of )?contents|toc"
)
"""Whole headings (lowercased, letters only) of sections that are about the list
itself; matched whole so that a "Knowledge Updates" section of papers still counts."""
_NOT_LETTERS = re.compile(r"[^a-z]+")

_WITHHELD = re.compile(
    r"\b(?:cannot|can\s*not|can't|could\s*not|couldn't|will\s*not|won't|must\s*not|may\s*not)"
    r"\s+be\s+(?:publicly\s+)?(?:disclosed|released|shared|published|made\s+public|linked)\b"
    r"|\b(?:is|are)\s+not\s+(?:yet\s+)?(?:publicly\s+)?(?:disclosed|released)\b",
    re.IGNORECASE,
)
"""An entry that says why it has no link was left without one on purpose (the
``**Harry Potter** Copyright issue, cannot be disclosed.`` dataset): warning about it
would only teach maintainers to ignore the rule."""


def short_title(entry: Entry) -> str:
    """The name a reader would recognise the entry by, cut to fit one message line."""
    text = entry.title or entry.name or entry.text
    text = " ".join(text.split())
    if len(text) > _TITLE_WIDTH:
        text = text[: _TITLE_WIDTH - 1].rstrip() + "…"
    return text


def entry_links(doc: Document, entry: Entry) -> list[Link]:
    """The links an entry carries; an index past the document's links (an entry built
    by hand) is skipped rather than trusted."""
    return [doc.links[i] for i in entry.links if 0 <= i < len(doc.links)]


def _has_own_links(doc: Document, entry: Entry) -> bool:
    return any(link.kind is not LinkKind.ANCHOR for link in entry_links(doc, entry))


def _children(entries: Sequence[Entry], index: int) -> range:
    """Indexes of the entries nested under ``entries[index]`` (list items indented
    deeper, directly following it in the same section)."""
    parent = entries[index]
    end = index + 1
    while (
        not parent.in_table
        and end < len(entries)
        and not entries[end].in_table
        and entries[end].section_key == parent.section_key
        and entries[end].column > parent.column
    ):
        end += 1
    return range(index + 1, end)


@dataclass(frozen=True)
class _Candidate:
    entry: Entry
    linked: bool
    """The entry or one of its nested items carries a link."""
    detail: bool
    """A nested item under a linked entry: "Authors: …", "Venue: …", not a paper."""
    withheld: bool
    """The entry says why it has no link."""


def _candidates(doc: Document) -> dict[int | None, list[_Candidate]]:
    entries = doc.entries
    own = [_has_own_links(doc, e) for e in entries]
    linked = list(own)
    detail = [False] * len(entries)
    for index in range(len(entries)):
        nested = _children(entries, index)
        if any(own[i] for i in nested):
            linked[index] = True
        if own[index]:
            for i in nested:
                detail[i] = True
    by_section: dict[int | None, list[_Candidate]] = defaultdict(list)
    for index, entry in enumerate(entries):
        withheld = not linked[index] and bool(_WITHHELD.search(entry.text))
        by_section[entry.section_key].append(
            _Candidate(entry, linked[index], detail[index], withheld)
        )
    return by_section


def _is_housekeeping(heading: str) -> bool:
    words = _NOT_LETTERS.sub(" ", heading.lower()).strip()
    return _HOUSEKEEPING.fullmatch(words) is not None


def _is_paper_section(
    section_key: int | None, group: list[_Candidate], housekeeping: frozenset[int]
) -> bool:
    if section_key in housekeeping:
        return False
    papers = [c for c in group if not (c.detail or c.withheld)]
    with_links = sum(c.linked for c in papers)
    return with_links >= _MIN_LINKED and with_links > len(papers) - with_links


def housekeeping_sections(doc: Document) -> frozenset[int]:
    """Sections (by ``section_key``) that a table of contents or a contributing guide
    fills, with the groups inside them: a "Contributing" heading is housekeeping down to
    its last ``<details>`` group, and such sections repeat links by design.

    One pass in document order (a parent always comes before its sections), so a
    thousand nested groups cost a thousand steps, not a million."""
    found: set[int] = set()
    for key, section in enumerate(doc.sections):
        if section.parent in found or _is_housekeeping(section.title):
            found.add(key)
    return frozenset(found)


def paper_sections(doc: Document) -> frozenset[int | None]:
    """The sections (by ``section_key``) that list papers: their entries mostly carry
    links, and their heading is not about the list itself."""
    housekeeping = housekeeping_sections(doc)
    return frozenset(
        key
        for key, group in _candidates(doc).items()
        if _is_paper_section(key, group, housekeeping)
    )


def unlinked_paper_entries(doc: Document) -> Iterator[Entry]:
    """Entries without a link in sections whose other entries have them (what
    ``entry/no-link`` reports, and ``entry/suggest-link`` looks for on arXiv)."""
    housekeeping = housekeeping_sections(doc)
    for section_key, group in _candidates(doc).items():
        if not _is_paper_section(section_key, group, housekeeping):
            continue
        for candidate in group:
            if not (candidate.linked or candidate.detail or candidate.withheld):
                yield candidate.entry


@offline_rule("entry/no-link")
def no_link(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """Entries without a link in sections whose other entries have them."""
    for entry in unlinked_paper_entries(doc):
        yield finding(
            doc,
            "entry/no-link",
            entry.line,
            entry.column,
            f'entry has no link: "{short_title(entry)}"',
        )
