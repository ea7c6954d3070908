"""Keeping a numbered section numbered its own way when an entry is added: in sequence
(1, 2, 3 …) or "1." throughout."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from listcheck.fix.apply import LINE_BREAK
from listcheck.models import Entry

_NUMBER = re.compile(r"(?P<indent>[ \t]*)(?P<number>\d{1,9})(?=[.)][ \t])")
"""An ordered list item's number (CommonMark allows nine digits)."""


def numbered(
    lines: Sequence[str], entries: Sequence[Entry], at: int, insert: list[str]
) -> tuple[list[str], list[int]]:
    """In a section numbered 1, 2, 3 …, the new entry takes the number of its place and
    the entries after it move up by one, as a maintainer would renumber them: the new
    lines, and the lines (before the insertion) whose number goes up. A section numbered
    "1." throughout (Markdown counts for it) or not numbered is left as it is, and so is
    one where a number would gain a digit (the item's continuation lines are indented
    to the number's width)."""
    block = next((i for i, line in enumerate(insert) if line), None)
    found = [_NUMBER.match(lines[entry.line - 1]) for entry in entries]
    own = _NUMBER.match(insert[block]) if block is not None else None
    if own is None or len(found) < 2 or any(match is None for match in found):
        return insert, []
    numbers = [int(match["number"]) for match in found if match is not None]
    if any(later != earlier + 1 for earlier, later in itertools.pairwise(numbers)):
        return insert, []
    earlier = [n for entry, n in zip(entries, numbers, strict=True) if entry.line < at]
    number = earlier[-1] + 1 if earlier else numbers[0]
    following = [entry.line for entry in entries if entry.line >= at]
    widths_kept = len(str(number)) == len(own["number"]) and all(
        len(str(n)) == len(str(n + 1))
        for entry, n in zip(entries, numbers, strict=True)
        if entry.line >= at
    )
    if not widths_kept:
        return insert, []
    assert block is not None
    renumbered = [*insert]
    renumbered[block] = f"{own['indent']}{number}{insert[block][own.end() :]}"
    return renumbered, following


def move_numbers_up(text: str, lines: Sequence[int]) -> str:
    """``text`` with the list number at the start of each of ``lines`` raised by one
    (lines counted the way the parser counts them)."""
    starts = [0, *(match.end() for match in LINE_BREAK.finditer(text))]
    for line in sorted(lines, reverse=True):  # from the end, so offsets stay true
        offset = starts[line - 1]
        match = _NUMBER.match(text, offset)
        if match is not None:
            raised = f"{match['indent']}{int(match['number']) + 1}"
            text = text[:offset] + raised + text[match.end() :]
    return text
