"""``--fix`` for ``entry/order``: move entries to their place, as whole lines.

An entry moves with everything that belongs to it: its continuation lines and detail
sub-items (the lines the parser gave it), the comment lines directly above it (a
``listcheck-disable-next-line`` keeps pointing at it) and comments on its own lines.
What lies *between* two entries (blank lines, in a list of paragraphs the separator)
stays where it is, so a section rewritten this way keeps its rhythm; the markers of a
numbered list stay at their places too, so ``1. 2. 3.`` still counts up after a move.

The entries out of place in one section are the fewest whose moves sort it
(:mod:`listcheck.rules.order`); they are all moved in one rewrite of the section's
lines, each right after the kept neighbour it belongs after (before the first kept
entry when it belongs at the top), several at one place in the section's order. An
entry that cannot be moved safely stays, with a reason, and the others still move:

* an entry that is not whole lines (two paragraph entries sharing a line, an HTML row,
  a heading entry, a list item whose marker line holds more than a marker);
* a move across anything but blank lines between entries (a table's header, a note,
  a comment not attached to an entry) would carry that text to another entry;
* a numbered list whose numbers differ in width (``9.`` and ``10.``);
* lines another fix edits in the same run (the move waits for the next run).

The fixed text is parsed again: every section must hold the same entries with the same
links, only reordered, and none of the moved entries may be out of order any more;
otherwise the section's moves are all skipped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from listcheck.fix.apply import Reorder, apply_reorders
from listcheck.models import Document, Entry, EntryShape, Finding
from listcheck.parse import parse_document
from listcheck.rules.order import Misplaced, SectionOrder, move_text, section_orders

RULE = "entry/order"

_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]*")
_ROW_START = re.compile(r"[ \t]*\|?[ \t]*")
_MOVABLE = frozenset({EntryShape.LIST_ITEM, EntryShape.TABLE_ROW, EntryShape.PARAGRAPH})
_COMMENT_LINE = re.compile(r"[ \t]*<!--.*-->[ \t]*")


@dataclass(frozen=True, slots=True)
class MoveSkip:
    finding: Finding
    reason: str


@dataclass(frozen=True, slots=True)
class _Unit:
    """An entry's lines (1-based, inclusive) and the marker before its text."""

    entry: int
    first: int
    last: int
    marker: str | None
    """The text before the entry on its first line; None when that is more than a list
    marker or a table pipe (the entry is not whole lines)."""


def plan_moves(
    doc: Document, findings: Sequence[Finding], busy: Collection[int] = ()
) -> tuple[list[Reorder], list[MoveSkip]]:
    """One :class:`Reorder` per section with movable ``entry/order`` findings, and the
    findings left unfixed with a reason. ``busy`` are the lines other fixes edit."""
    wanted = [f for f in findings if f.rule == RULE and f.path == doc.path]
    if not wanted:
        return [], []
    located: dict[tuple[int, int], tuple[SectionOrder, Misplaced]] = {}
    for order in section_orders(doc):
        for item in order.misplaced:
            entry = doc.entries[item.dated.entry]
            located[(entry.line, entry.column)] = (order, item)
    skips: list[MoveSkip] = []
    by_section: dict[int | None, list[tuple[Finding, Misplaced]]] = defaultdict(list)
    orders: dict[int | None, SectionOrder] = {}
    for found in wanted:
        at = located.get((found.line, found.column))
        if at is None or move_text(doc, at[1]) != found.suggestion:
            skips.append(MoveSkip(found, "the entry is no longer out of order there (stale)"))
            continue
        orders[at[0].section] = at[0]
        by_section[at[0].section].append((found, at[1]))
    moves: list[Reorder] = []
    for section, movers in by_section.items():
        move = _section_move(doc, orders[section], movers, busy, skips)
        if move is not None:
            moves.append(move)
    if moves and not _verified(doc, moves):
        reason = "after the move the list would not read as the same entries reordered"
        skips.extend(MoveSkip(f, reason) for move in moves for f in move.findings)
        moves = []
    return moves, skips


def _section_move(
    doc: Document,
    order: SectionOrder,
    movers: list[tuple[Finding, Misplaced]],
    busy: Collection[int],
    skips: list[MoveSkip],
) -> Reorder | None:
    units = _units(doc, order.siblings)
    by_entry = {unit.entry: unit for unit in units}
    ready: list[tuple[Finding, Misplaced]] = []
    for found, item in movers:
        reason = _unmovable(doc, by_entry[item.dated.entry])
        if reason is not None:
            skips.append(MoveSkip(found, reason))
        else:
            ready.append((found, item))
    while ready:
        new_order = _new_order(order, [item for _, item in ready])
        blocked = _blocked_gaps(doc, units, new_order)
        if blocked is None:
            break
        reason = f"the move would carry the text on line {blocked} to another entry"
        alone = [
            pair
            for pair in ready
            if _blocked_gaps(doc, units, _new_order(order, [pair[1]])) is not None
        ]
        for pair in alone or ready:
            skips.append(MoveSkip(pair[0], reason))
        ready = [pair for pair in ready if pair not in (alone or ready)]
    if not ready:
        return None
    return _rewrite(doc, units, _new_order(order, [item for _, item in ready]), ready, busy, skips)


def _units(doc: Document, siblings: Sequence[int]) -> list[_Unit]:
    units = []
    previous_end = 0
    for at, index in enumerate(siblings):
        entry = doc.entries[index]
        next_line = (
            doc.entries[siblings[at + 1]].line if at + 1 < len(siblings) else len(doc.lines) + 1
        )
        first = entry.line
        while first - 1 > previous_end and _COMMENT_LINE.fullmatch(doc.lines[first - 2]):
            first -= 1
        marker = _marker(doc, entry)
        whole = previous_end < entry.line and entry.end_line < next_line
        units.append(_Unit(index, first, entry.end_line, marker if whole else None))
        previous_end = entry.end_line
    return units


def _marker(doc: Document, entry: Entry) -> str | None:
    if entry.shape not in _MOVABLE or entry.end_line > len(doc.lines):
        return None
    before = doc.lines[entry.line - 1][: entry.column - 1]
    pattern = {EntryShape.LIST_ITEM: _LIST_MARKER, EntryShape.TABLE_ROW: _ROW_START}.get(
        entry.shape
    )
    if pattern is None:
        return before if not before.strip() else None
    return before if pattern.fullmatch(before) else None


def _unmovable(doc: Document, unit: _Unit) -> str | None:
    entry = doc.entries[unit.entry]
    if entry.shape not in _MOVABLE:
        return f"a {entry.shape.value} entry is not whole lines of Markdown to move"
    if unit.marker is None:
        return "the entry shares its lines with other text"
    return None


def _new_order(order: SectionOrder, items: Sequence[Misplaced]) -> list[int]:
    """The section's entries after the moves: each mover right after its kept
    neighbour, or right before the first kept entry; movers of one place in order."""
    moving = {item.dated.entry for item in items}
    sign = -1 if order.newest_first else 1
    after: dict[int, list[Misplaced]] = defaultdict(list)
    top: list[Misplaced] = []
    for item in items:
        if item.after is not None:
            after[item.after.entry].append(item)
        else:
            top.append(item)

    def ranked(group: list[Misplaced]) -> list[int]:
        group.sort(key=lambda m: (sign * m.dated.month, m.dated.entry))
        return [m.dated.entry for m in group]

    first_kept = min((i.before.entry for i in top if i.before is not None), default=None)
    result: list[int] = []
    for index in order.siblings:
        if index in moving:
            continue
        if index == first_kept:
            result.extend(ranked(top))
        result.append(index)
        result.extend(ranked(after.get(index, [])))
    return result


def _blocked_gaps(doc: Document, units: list[_Unit], new_order: list[int]) -> int | None:
    """The first line of non-blank text between entries that the new order would move
    past, or None when only blank lines are crossed."""
    seen_old: set[int] = set()
    seen_new: set[int] = set()
    for at in range(len(units) - 1):
        seen_old.add(units[at].entry)
        seen_new.add(new_order[at])
        if seen_old == seen_new:
            continue
        for number in range(units[at].last + 1, units[at + 1].first):
            if doc.lines[number - 1].strip():
                return number
    return None


def _rewrite(
    doc: Document,
    units: list[_Unit],
    new_order: list[int],
    ready: list[tuple[Finding, Misplaced]],
    busy: Collection[int],
    skips: list[MoveSkip],
) -> Reorder | None:
    old = [unit.entry for unit in units]
    start = next(at for at in range(len(old)) if old[at] != new_order[at])
    end = max(at for at in range(len(old)) if old[at] != new_order[at])
    first, last = units[start].first, units[end].last
    by_entry = {unit.entry: unit for unit in units}
    markers = {units[at].marker for at in range(start, end + 1)}
    shape = doc.entries[old[start]].shape
    reason = None
    if None in markers:
        reason = "an entry it would move past is not whole lines"
    elif any(number in busy for number in range(first, last + 1)):
        reason = "another fix edits these lines in this run; run --fix again to move it"
    elif len({len(m or "") for m in markers}) > 1 and shape is EntryShape.LIST_ITEM:
        reason = "the list's numbers differ in width; moving would break its numbering"
    if reason is not None:
        skips.extend(MoveSkip(found, reason) for found, _ in ready)
        return None
    lines: list[str] = []
    for at in range(start, end + 1):
        unit = by_entry[new_order[at]]
        block = list(doc.lines[unit.first - 1 : unit.last])
        head = doc.entries[unit.entry].line - unit.first
        if shape is EntryShape.LIST_ITEM and unit.marker is not None:
            place = units[at].marker or ""
            block[head] = place + block[head][len(unit.marker) :]
        lines.extend(block)
        if at < end:
            lines.extend(doc.lines[units[at].last : units[at + 1].first - 1])
    old_lines = tuple(doc.lines[first - 1 : last])
    return Reorder(first, old_lines, tuple(lines), tuple(found for found, _ in ready))


def _signature(doc: Document, entry: Entry) -> tuple[str | None, str, tuple[str, ...]]:
    return entry.title, entry.text, tuple(doc.links[i].url for i in entry.links)


def _by_section(doc: Document) -> dict[tuple[str, ...], Counter[object]]:
    found: dict[tuple[str, ...], Counter[object]] = defaultdict(Counter)
    for entry in doc.entries:
        found[entry.section][_signature(doc, entry)] += 1
    return found


def _verified(doc: Document, moves: list[Reorder]) -> bool:
    """Whether the moved text reads as the same sections holding the same entries and
    links, and none of the moved entries is reported out of order any more."""
    after = parse_document(apply_reorders(doc.text, moves), doc.path)
    if [s.title for s in after.sections] != [s.title for s in doc.sections]:
        return False
    if _by_section(after) != _by_section(doc):
        return False
    if Counter(link.url for link in after.links) != Counter(link.url for link in doc.links):
        return False
    moved = {
        _signature(doc, doc.entries[entry])
        for move in moves
        for found in move.findings
        for entry in _entries_at(doc, found)
    }
    still = {
        _signature(after, after.entries[item.dated.entry])
        for order in section_orders(after)
        for item in order.misplaced
    }
    return not moved & still


def _entries_at(doc: Document, found: Finding) -> list[int]:
    return [
        i for i, e in enumerate(doc.entries) if (e.line, e.column) == (found.line, found.column)
    ]
