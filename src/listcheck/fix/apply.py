"""Edits on a list's text as written, and the diff that previews them.

An :class:`Edit` names a span the way every other stage does (1-based line and column
in Unicode code points, in the file as written) and carries the text it expects to
find there. :func:`apply_edits` replaces exactly those spans and nothing else: line
endings (LF, CRLF, a lone CR, any mix), trailing blanks and every other byte stay as
they were, so the diff of a fix is the fix and only the fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from listcheck.models import Finding

LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""What ends a line: CommonMark's three endings, the same split as
:func:`listcheck.parse.document.split_lines` (never ``str.splitlines``, which also
breaks at form feeds and U+2028 and would put every later position off by a line)."""


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``old_text`` at ``line``/``column`` with ``new_text``.

    ``old_text`` is what the planner saw there; applying refuses a text where it does
    not stand, so an edit can never land on the wrong characters. ``findings`` are the
    findings the edit settles (several when one reference definition is cited from
    several places, or two rules suggested the same text).
    """

    line: int
    column: int
    old_text: str
    new_text: str
    findings: tuple[Finding, ...] = field(default=(), compare=False)

    @property
    def end_column(self) -> int:
        """The column just past the replaced span (exclusive)."""
        return self.column + len(self.old_text)

    def overlaps(self, other: Edit) -> bool:
        """Whether the two spans share a character (or both insert at one point)."""
        if self.line != other.line:
            return False
        if self.column == other.column:
            return True
        return self.column < other.end_column and other.column < self.end_column


def apply_edits(original: str, edits: Sequence[Edit]) -> str:
    """``original`` with every edit applied; raises :class:`ValueError` when an edit's
    ``old_text`` is not at its place, runs past its line, or two edits overlap — the
    caller planned against another text, and guessing would corrupt the file."""
    starts, ends = _line_bounds(original)
    located: list[tuple[int, Edit]] = []
    for edit in edits:
        if not 1 <= edit.line <= len(starts) or edit.column < 1:
            raise ValueError(f"edit at {edit.line}:{edit.column} is outside the text")
        if LINE_BREAK.search(edit.old_text) or LINE_BREAK.search(edit.new_text):
            raise ValueError(f"edit at {edit.line}:{edit.column} spans a line ending")
        offset = starts[edit.line - 1] + edit.column - 1
        line_end = ends[edit.line - 1]
        if offset + len(edit.old_text) > line_end or not original.startswith(edit.old_text, offset):
            found = original[offset : min(offset + len(edit.old_text), line_end)]
            raise ValueError(
                f"edit at {edit.line}:{edit.column} expects {edit.old_text!r} but the text "
                f"has {found!r}"
            )
        located.append((offset, edit))
    located.sort(key=lambda item: item[0])
    for (_, before), (_, after) in pairwise(located):
        if before.overlaps(after):
            raise ValueError(
                f"edits at {before.line}:{before.column} and {after.line}:{after.column} overlap"
            )
    parts: list[str] = []
    cursor = 0
    for offset, edit in located:
        parts.append(original[cursor:offset])
        parts.append(edit.new_text)
        cursor = offset + len(edit.old_text)
    parts.append(original[cursor:])
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class Reorder:
    """Rewrite the ``len(old_lines)`` whole lines from ``line`` on as ``new_lines``:
    the same lines in another order, entries moved within their section.

    Only the lines' text moves; each line ending stays where it was, so a file whose
    last line has no ending keeps it that way, and a mixed-ending file keeps its endings
    at their places. ``old_lines`` is what the planner saw, and applying refuses any
    other text, as :class:`Edit` does.
    """

    line: int
    old_lines: tuple[str, ...]
    new_lines: tuple[str, ...]
    findings: tuple[Finding, ...] = field(default=(), compare=False)

    @property
    def end_line(self) -> int:
        return self.line + len(self.old_lines) - 1


def apply_reorders(original: str, reorders: Sequence[Reorder]) -> str:
    """``original`` with each block of lines rewritten; raises :class:`ValueError` when a
    block is not where it was planned, the blocks overlap, or a block would change the
    number of lines (a move never adds or drops one)."""
    if not reorders:
        return original
    pieces = LINE_BREAK.split(original)
    endings = [m.group(0) for m in LINE_BREAK.finditer(original)] + [""]
    blocks = sorted(reorders, key=lambda r: r.line)
    for before, after in pairwise(blocks):
        if after.line <= before.end_line:
            raise ValueError(f"moves at lines {before.line} and {after.line} overlap")
    for block in blocks:
        first = block.line - 1
        if len(block.new_lines) != len(block.old_lines) or any(
            LINE_BREAK.search(line) for line in block.new_lines
        ):
            raise ValueError(f"the move at line {block.line} does not keep its lines whole")
        if block.line < 1 or tuple(pieces[first : first + len(block.old_lines)]) != (
            block.old_lines
        ):
            raise ValueError(f"the lines from {block.line} on are not the ones the move expects")
        pieces[first : first + len(block.new_lines)] = block.new_lines
    return "".join(text + ending for text, ending in zip(pieces, endings, strict=True))


def _line_bounds(text: str) -> tuple[list[int], list[int]]:
    """Where every line starts and where its ending (or the text) begins, found in one
    pass: looking for a line's end at each edit cost a scan of the line per edit, which
    thousands of fixes on one long line (a table, a minified list) made quadratic."""
    starts, ends = [0], []
    for match in LINE_BREAK.finditer(text):
        ends.append(match.start())
        starts.append(match.end())
    ends.append(len(text))
    return starts, ends


def unified_diff(path: str, before: str, after: str, context: int = 3) -> str:
    """A unified diff of the two texts for a person to read before ``--fix`` writes.

    Lines are compared without their endings, so a CRLF file's preview shows no
    ``^M`` noise; the fix itself never changes an ending. Empty when nothing changed.
    """
    if before == after:
        return ""
    lines = difflib.unified_diff(
        _lines(before), _lines(after), fromfile=path, tofile=path, n=context, lineterm=""
    )
    return "\n".join(lines) + "\n"


def _lines(text: str) -> list[str]:
    pieces = LINE_BREAK.split(text)
    if len(pieces) > 1 and pieces[-1] == "":
        pieces.pop()
    return pieces if text else []
