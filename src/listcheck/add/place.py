"""Where a new entry goes: the section's own order, when it has one.

Each entry's date is the truest one it has: the month of its arXiv id (arXiv vouches
for it), else its arXiv tag's id, else its month tag. A section is newest first when
at least :data:`HOLDS` of the steps between dated neighbours go back in time, oldest
first when as many go forward, alphabetical when its titles are in that order as
often; otherwise it has no convention and the entry goes after the last one. Within a
month the new paper goes first (newest first) or last (oldest first): it is the one
that came in last.

The threshold is set on the genai-unlearning list: its LLM section is newest first
with a few entries dated a month off their neighbours (a venue tag above a month tag,
【202406】 on a 2404 id), and its application sections are in no order at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from listcheck.arxiv_ids import id_year_month
from listcheck.models import Document, Entry, TagKind
from listcheck.rules.order import section_orders
from listcheck.titles.normalize import normalize_title

HOLDS = 0.8
MIN_ENTRIES = 3
MIN_ALPHABETICAL = 5
"""Four titles fall in alphabetical order by chance one time in 24 (the four datasets
under *Safety Alignment* on the genai-unlearning list do, sorted by nothing)."""


class Order(Enum):
    NEWEST_FIRST = "newest first"
    OLDEST_FIRST = "oldest first"
    ALPHABETICAL = "alphabetical"
    NONE = "no order"


@dataclass(frozen=True)
class Placement:
    line: int
    """The new entry's lines go in before this line (1-based; one past the end = append)."""
    order: Order
    before: Entry | None
    after: Entry | None


def entry_month(doc: Document, entry: Entry) -> tuple[int, int] | None:
    for index in entry.links:
        link = doc.links[index]
        if link.arxiv is not None and link.arxiv.valid:
            return id_year_month(link.arxiv.id)
    for tag in entry.tags:
        if tag.arxiv_id is not None:
            return id_year_month(tag.arxiv_id)
    for tag in entry.tags:
        if tag.kind is TagKind.MONTH and tag.year is not None and tag.month is not None:
            return tag.year, tag.month
    return None


def convention(doc: Document, entries: Sequence[Entry]) -> Order:
    months = [m for entry in entries if (m := entry_month(doc, entry)) is not None]
    if len(months) >= MIN_ENTRIES:
        back = sum(1 for a, b in itertools.pairwise(months) if a > b)
        forth = sum(1 for a, b in itertools.pairwise(months) if a < b)
        steps = back + forth
        if steps and back >= HOLDS * steps:
            return Order.NEWEST_FIRST
        if steps and forth >= HOLDS * steps:
            return Order.OLDEST_FIRST
    titles = [normalize_title(entry.title) for entry in entries if entry.title]
    if len(titles) >= MIN_ALPHABETICAL:
        pairs = list(itertools.pairwise(titles))
        if sum(1 for a, b in pairs if a <= b) >= HOLDS * len(pairs):
            return Order.ALPHABETICAL
    return Order.NONE


def _checked_order(doc: Document, entries: Sequence[Entry]) -> tuple[Order | None, set[int]]:
    """The order ``entry/order`` finds in the section, and the lines of the entries it
    calls out of place: the new entry goes among the others, so that the check that
    follows an add finds nothing to say about it."""
    if not entries:
        return None, set()
    for found in section_orders(doc):
        if found.section == entries[0].section_key:
            order = Order.NEWEST_FIRST if found.newest_first else Order.OLDEST_FIRST
            return order, {doc.entries[m.dated.entry].line for m in found.misplaced}
    return None, set()


def place(
    doc: Document, entries: Sequence[Entry], month: tuple[int, int], title: str
) -> Placement | None:
    """Where the paper goes among ``entries``; None when the section has none."""
    if not entries:
        return None
    order, out_of_place = _checked_order(doc, entries)
    if order is None:
        order = convention(doc, entries)
    last = entries[-1]
    key = normalize_title(title)
    for index, entry in enumerate(entries):
        if entry.line in out_of_place:
            continue
        if order is Order.ALPHABETICAL:
            goes_before = entry.title is not None and normalize_title(entry.title) > key
        else:
            theirs = entry_month(doc, entry)
            if theirs is None or order is Order.NONE:
                goes_before = False
            elif order is Order.NEWEST_FIRST:
                goes_before = theirs <= month
            else:
                goes_before = theirs > month
        if goes_before:
            previous = entries[index - 1] if index else None
            return Placement(entry.line, order, entry, previous)
    return Placement(last.end_line + 1, order, None, last)
