"""entry/order: an entry out of its section's date order (newest first or oldest first).

Many lists keep each section sorted by date, and a pull request that pastes a paper at
the end of the section (or at the top of an oldest-first one) breaks it. The order is
learnt per section, never assumed.

Each entry is dated by the truest month it has. With a valid arXiv id, that is the id's
month (arXiv numbers a paper when it announces it), or the entry's own date where the
two agree as ``arxiv/tag-month`` judges agreement: diff-usion sorts by submission day,
and ``29 Sep 2023`` beside 2310.00031 is September there. An entry whose own date
contradicts its id is ``arxiv/tag-month``'s finding: it anchors nothing, and it is
reported here only when it is out of order by both months, so a wrong tag beside an id
in order is never an order finding. Without an id, the entry's first date with a month
(:func:`listcheck.rules.arxiv.entry_dates`: a ``【202406】`` tag, a date column...)
dates it. An entry headed by a venue tag instead of a month (``【ICLR 2025】``, placed
by its conference) and one without a month are undated. Only a section's top-level
entries take part; detail sub-items move with their parent.

The entries that follow the order are a longest run of the section's dated entries in
it (a longest monotone subsequence; equal months are never out of order). The others
are the fewest entries whose moves sort the section; each is reported with the two kept
neighbours it belongs between.

A convention holds when, measured on the lists of ``../shared/corpus``:

* at least :data:`MIN_DATED` entries are dated, and at least :data:`SHARE` of them
  follow it. hoya012's year sections follow their venues, not arXiv months: "2015" has
  4 of 5 dated entries in arXiv order (0.80), "2017" 8 of 11 (0.73), so a share of 0.80
  would invent an order there, while the sorted sections of other lists with a slip
  keep 0.88 or more (diff-usion "Imputation" 7 of 8, atfortes "2025" 8 of 9). hoya012's
  "2014" is 3 of 3 in order, hence a minimum of five;
* at least :data:`DATED_SHARE` of the section's entries are dated. awesome-NeRF orders
  by venue year and cites arXiv for a part of its papers: "Generalization" has 11 of
  its 12 arXiv-dated entries in order but 17 undated ones between them, where a move
  would be a guess;
* the kept entries span at least :data:`MIN_MONTHS` months. The weeks of dair-ai's
  digest mostly share one month, and one paper from the month before leaves 9 of 10
  "sorted" in one direction by chance;
* the other direction does not hold as well (a section of one month holds both).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from listcheck.models import Document, Entry, EntryShape, Finding, TagKind
from listcheck.rules.arxiv import date_agrees, entry_dates, entry_ids, owned_lines
from listcheck.rules.base import LintContext, finding, offline_rule
from listcheck.rules.entries import short_title

MIN_DATED = 5
SHARE = 0.85
MIN_MONTHS = 3
DATED_SHARE = 2 / 3


@dataclass(frozen=True, slots=True)
class Dated:
    """An entry with the month it is sorted by."""

    entry: int
    """Index into ``Document.entries``."""
    month: int
    """``year * 12 + month - 1``: months compare as numbers."""
    source: str
    """Where the month comes from: ``arXiv 2305.01234`` or the date as written."""
    stated: int | None = None
    """The month the entry's own date says, where it differs from its arXiv id's."""

    @property
    def label(self) -> str:
        year, month = divmod(self.month, 12)
        return f"{year}-{month + 1:02d}"


@dataclass(frozen=True, slots=True)
class Misplaced:
    """A dated entry outside the kept order, and the kept neighbours of its place."""

    dated: Dated
    after: Dated | None
    """The kept entry it belongs right after (None: before the first kept entry)."""
    before: Dated | None
    """The kept entry that follows its place (None: after the last kept entry)."""


@dataclass(frozen=True, slots=True)
class SectionOrder:
    """A section with a date convention: its top-level entries and what is out of it."""

    section: int | None
    newest_first: bool
    siblings: tuple[int, ...]
    """The section's top-level entries in file order (indexes into ``Document.entries``)."""
    misplaced: tuple[Misplaced, ...]

    @property
    def name(self) -> str:
        return "newest-first" if self.newest_first else "oldest-first"


def top_level(doc: Document) -> dict[int | None, list[int]]:
    """Per section, the entries not nested in another list item of that section."""
    found: dict[int | None, list[int]] = defaultdict(list)
    for index, entry in enumerate(doc.entries):
        siblings = found[entry.section_key]
        if siblings and _nested(doc.entries[siblings[-1]], entry):
            continue
        siblings.append(index)
    return found


def _nested(parent: Entry, entry: Entry) -> bool:
    return (
        parent.shape is EntryShape.LIST_ITEM
        and entry.shape is EntryShape.LIST_ITEM
        and parent.line < entry.line <= parent.end_line
    )


def entry_month(doc: Document, entry: Entry, lines: list[int], index: int) -> Dated | None:
    """The month the entry is sorted by (see the module's docstring), or None."""
    kinds = {tag.kind for tag in entry.tags}
    if TagKind.VENUE in kinds and TagKind.MONTH not in kinds:
        return None
    said = next((d.date for d in entry_dates(doc, entry, lines) if d.date.month is not None), None)
    stated = None if said is None or said.month is None else said.year * 12 + said.month - 1
    ids = entry_ids(doc, entry)
    if not ids:
        return None if said is None or stated is None else Dated(index, stated, said.raw)
    arxiv_id, (year, month) = next(iter(ids.items()))
    source = f"arXiv {arxiv_id}"
    if said is None or stated is None:
        return Dated(index, year * 12 + month - 1, source)
    if date_agrees(said, year, month):
        return Dated(index, stated, source)
    return Dated(index, year * 12 + month - 1, source, stated)


def section_orders(doc: Document) -> list[SectionOrder]:
    """Every section that keeps a date order, with its entries out of place."""
    owned = owned_lines(doc)
    orders = []
    for section, siblings in top_level(doc).items():
        dated = [
            found
            for index in siblings
            if (found := entry_month(doc, doc.entries[index], owned[index], index)) is not None
        ]
        order = _convention(section, siblings, dated)
        if order is not None:
            orders.append(order)
    return orders


def _convention(
    section: int | None, siblings: list[int], dated: list[Dated]
) -> SectionOrder | None:
    anchors = [item for item in dated if item.stated is None]
    if len(anchors) < MIN_DATED or len(dated) < DATED_SHARE * len(siblings):
        return None
    holding: list[tuple[bool, list[Dated]]] = []
    for newest_first in (True, False):
        kept = [anchors[i] for i in _kept(anchors, newest_first)]
        months = {item.month for item in kept}
        if len(kept) >= SHARE * len(anchors) and len(months) >= MIN_MONTHS:
            holding.append((newest_first, kept))
    if len(holding) != 1:
        return None
    newest_first, in_order = holding[0]
    return SectionOrder(
        section, newest_first, tuple(siblings), _misplaced(dated, in_order, newest_first)
    )


def _key(month: int, newest_first: bool) -> int:
    return -month if newest_first else month


def _kept(dated: Sequence[Dated], newest_first: bool) -> list[int]:
    """Positions of a longest run of ``dated`` in order (equal months allowed): patience
    sorting with back-pointers, O(n log n) for the 682 entries of one diff-usion section.
    Of two entries swapped with each other, the later one is kept."""
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(dated)
    for at, item in enumerate(dated):
        key = _key(item.month, newest_first)
        slot = bisect_right(tails, key)
        back[at] = tail_at[slot - 1] if slot else -1
        if slot == len(tails):
            tails.append(key)
            tail_at.append(at)
        else:
            tails[slot] = key
            tail_at[slot] = at
    kept = []
    at = tail_at[-1] if tail_at else -1
    while at >= 0:
        kept.append(at)
        at = back[at]
    return kept[::-1]


def _misplaced(dated: list[Dated], kept: list[Dated], newest_first: bool) -> tuple[Misplaced, ...]:
    """Each dated entry out of order among the ``kept`` ones, with its place: of the
    places its month allows (equal months on either side), the nearest to where it
    stands. An entry whose own date contradicts its arXiv id is reported only when it is
    out of order by both (else ``arxiv/tag-month`` says what is wrong with it)."""
    keys = [_key(item.month, newest_first) for item in kept]
    kept_entries = [item.entry for item in kept]
    kept_set = set(kept_entries)
    found = []
    for item in dated:
        if item.entry in kept_set:
            continue
        standing = bisect_left(kept_entries, item.entry)
        places = [item.month] if item.stated is None else [item.month, item.stated]
        if any(_fits(keys, _key(m, newest_first), standing) for m in places):
            continue
        key = _key(item.month, newest_first)
        first, last = bisect_left(keys, key), bisect_right(keys, key)
        slot = first if standing < first else last
        after = kept[slot - 1] if slot > 0 else None
        before = kept[slot] if slot < len(kept) else None
        found.append(Misplaced(item, after, before))
    return tuple(found)


def _fits(keys: list[int], key: int, standing: int) -> bool:
    """Whether an entry of ``key`` with ``standing`` kept entries before it is in order."""
    return bisect_left(keys, key) <= standing <= bisect_right(keys, key)


def describe(doc: Document, dated: Dated) -> str:
    entry = doc.entries[dated.entry]
    return f'line {entry.line} "{short_title(entry)}" ({dated.label})'


def place_text(doc: Document, item: Misplaced) -> str:
    """Where the entry belongs, named by its kept neighbours."""
    if item.after is not None and item.before is not None:
        return f"between {describe(doc, item.after)} and {describe(doc, item.before)}"
    if item.after is not None:
        return f"after {describe(doc, item.after)}, the last in order"
    assert item.before is not None
    return f"before {describe(doc, item.before)}, the first in order"


def move_text(doc: Document, item: Misplaced) -> str:
    """Where ``--fix`` puts the entry: right after its earlier neighbour, else right
    before its later one."""
    if item.after is not None:
        return f"move it to just after line {doc.entries[item.after.entry].line}"
    assert item.before is not None
    return f"move it to just before line {doc.entries[item.before.entry].line}"


@offline_rule("entry/order")
def entry_order(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """Entries out of the date order their section keeps."""
    for order in section_orders(doc):
        for item in order.misplaced:
            entry = doc.entries[item.dated.entry]
            message = (
                f'"{short_title(entry)}" ({item.dated.label}, {item.dated.source}) is out of '
                f"this {order.name} section's order: it belongs {place_text(doc, item)}"
            )
            yield finding(
                doc,
                "entry/order",
                entry.line,
                entry.column,
                message,
                suggestion=move_text(doc, item),
            )
