"""Source positions for mistune, which has none of its own.

mistune parses nested blocks (list items, block quotes) by building a *new* source
string for each container, with the markers and indentation stripped. Every line of
such a child source is therefore a suffix of one line of its parent's source, and so,
transitively, of one line of the file. :class:`TrackedState` records that mapping when
mistune creates a child state, and :func:`locate_leaves` then finds every leaf block's
text (paragraph, heading, table cell, HTML) inside the source of the state that
produced it. Together they turn "offset in some leaf's text" into the exact line and
column in the file as written, without re-implementing any Markdown grammar.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, cast

from mistune import BlockParser, BlockState
from mistune.helpers import PRE_TAGS
from mistune.util import unikey

Token = dict[str, Any]

STATES_KEY = "_lc_states"
REFDEFS_KEY = "_lc_refdefs"
LEAF_KEY = "_lc_leaf"
OPEN_KEY = "_lc_open"
"""Set on a fenced code block or an HTML block of kinds 1 to 5 whose end never came:
it runs to the end of what was parsed, and would go on past it."""


_ATX_LINE = re.compile(r"^ {0,3}#.*", re.M)
_CONTAINER_PREFIX = re.compile(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]*(?:[ \t>]*)?)*")


# The destination of a reference definition after "[label]:", as written.
_REF_DESTINATION = re.compile(r"[ \t]*\n?[ \t]*(?:<([^<>\n]*)>|(\S+))")


def _starts_child(candidate: str, line: str) -> bool:
    """Whether a child's first ``line`` was cut from the parent line ``candidate``: it is
    a suffix preceded only by container markers."""
    return candidate.endswith(line) and bool(
        _CONTAINER_PREFIX.fullmatch(candidate[: len(candidate) - len(line)])
    )


def _line_starts(src: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", src))
    return starts


@dataclass(frozen=True)
class SourceMap:
    """Where each line of one state's source came from. Leaves keep this, not the state:
    a state holds its tokens, and a token holding its state would make every parse a
    reference cycle that only the cyclic collector could free."""

    line_starts: list[int]
    origin: list[tuple[int, int]]

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, 1-based column) in the file of ``src[offset]``."""
        index = bisect_right(self.line_starts, offset) - 1
        column = offset - self.line_starts[index]
        if index < len(self.origin):
            line, base = self.origin[index]
        else:  # only past the end of a trailing newline mistune added
            line, base = (self.origin[-1][0] if self.origin else index), 0
        return line + 1, base + column + 1


class TrackedState(BlockState):
    """A mistune block state that knows where each of its lines came from."""

    origin: list[tuple[int, int]]
    """Per line of ``src``: (0-based line in the file, column offset of the line's start)."""
    line_starts: list[int]
    lines: list[str]
    parent_lines: tuple[int, int]
    """The parent's line indexes (first, last) this state's source was cut from."""

    first_line: int
    """The 0-based line in the file of the root source's first line (a piece of a list
    is parsed on its own, see :mod:`listcheck.parse.chunks`)."""

    def __init__(self, parent: TrackedState | None = None, *, first_line: int = 0) -> None:
        super().__init__(parent)
        self.first_line = first_line
        self.origin = []
        self.line_starts = [0]
        self.lines = [""]
        self.parent_lines = (0, 0)
        self._next_parent_line = 0
        self._claimed: list[tuple[int, int]] = []

    def process(self, src: str) -> None:
        super().process(src)
        self.line_starts = _line_starts(src)
        self.lines = src.split("\n")

    def child_state(self, src: str, lazy_line_starts: set[int] | None = None) -> TrackedState:
        child = cast("TrackedState", super().child_state(src, lazy_line_starts))
        self._align(child)
        self.env[STATES_KEY].append(child)
        return child

    def _align(self, child: TrackedState) -> None:
        """Maps each child line to the parent line it is a suffix of.

        Children are cut in document order from lines the parent has already consumed
        (mistune moves the parent's cursor past a container before parsing it), so the
        first line is searched between the end of the previous child and the cursor,
        and must be preceded only by container markers (indent, ``>``, a bullet).

        One exception: a block quote that ends a list item (``- B`` then ``> quote``) is
        parsed while mistune still collects the item's lines, so the quote's state is
        cut before the item's. An item not found after the previous child is therefore
        looked for in the nearest lines before it that no child has claimed.
        """
        parent_lines = self.lines
        upper = bisect_right(self.line_starts, max(self.cursor - 1, 0)) - 1
        p = self._next_parent_line
        lines = child.src.split("\n")
        trailing = lines[-1] == "" and len(lines) > 1
        if trailing:
            lines.pop()  # the piece after the final newline is not a line
        first = p
        origin: list[tuple[int, int]] = []
        for i, line in enumerate(lines):
            q = p
            if i == 0:
                found = self._find_first_line(parent_lines, line, p, upper)
                if found is None:
                    found = self._find_unclaimed_line_before(parent_lines, line, p)
                q = p if found is None else found
            while q < len(parent_lines) and not parent_lines[q].endswith(line):
                q += 1
            if q >= len(parent_lines):
                # Not a verbatim suffix (tab expansion): keep the line order, guess the column.
                q = min(p, len(parent_lines) - 1)
            if i == 0:
                first = q
            base_line, base_col = self.origin[q] if q < len(self.origin) else (q, 0)
            origin.append((base_line, base_col + max(0, len(parent_lines[q]) - len(line))))
            p = q + 1
        if trailing and origin:
            origin.append((origin[-1][0] + 1, 0))
        child.origin = origin
        child.parent_lines = (first, max(first, p - 1))
        self._claimed.append(child.parent_lines)
        self._next_parent_line = max(self._next_parent_line, p)

    @staticmethod
    def _find_first_line(parent_lines: list[str], line: str, low: int, high: int) -> int | None:
        for q in range(low, min(high, len(parent_lines) - 1) + 1):
            if _starts_child(parent_lines[q], line):
                return q
        return None

    def _find_unclaimed_line_before(
        self, parent_lines: list[str], line: str, high: int
    ) -> int | None:
        for q in range(min(high, len(parent_lines)) - 1, -1, -1):
            claimed = any(first <= q <= last for first, last in self._claimed)
            if not claimed and _starts_child(parent_lines[q], line):
                return q
        return None

    @property
    def source_map(self) -> SourceMap:
        return SourceMap(self.line_starts, self.origin)

    def position(self, offset: int) -> tuple[int, int]:
        return self.source_map.position(offset)


class TrackedBlockParser(BlockParser):
    """Uses tracked states and remembers where reference definitions sit."""

    state_cls = TrackedState

    def parse_ref_link(self, m: re.Match[str], state: BlockState) -> int | None:
        end = super().parse_ref_link(m, state)
        if end is None or m.lastgroup is None:
            return end
        label = m.group("reflink_1")
        # The URL is the first non-blank text after "]:"; an optional <...> wraps it.
        written = _REF_DESTINATION.match(state.src, m.end())
        if written is not None:
            group = 1 if written.group(1) is not None else 2
            assert isinstance(state, TrackedState)
            definition = (state.source_map, written.start(group), written.group(group))
            state.env[REFDEFS_KEY].setdefault(unikey(label), definition)
        return end

    def parse_fenced_code(self, m: re.Match[str], state: BlockState) -> int | None:
        end = super().parse_fenced_code(m, state)
        if end is not None and end >= state.cursor_max and state.tokens:
            marker = m.group("fenced_2")
            closing = re.compile(
                rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*(?:\n|$)", re.M
            )
            if closing.search(state.src, m.end() + 1) is None:
                state.tokens[-1][OPEN_KEY] = True
        return end

    def parse_raw_html(self, m: re.Match[str], state: BlockState) -> int | None:
        end = super().parse_raw_html(m, state)
        if end is not None and end >= state.cursor_max and state.tokens:
            closing = _html_block_end(m.group(0).strip())
            if closing is not None and state.src.find(closing, m.end()) < 0:
                state.tokens[-1][OPEN_KEY] = True
        return end


def _html_block_end(marker: str) -> str | None:
    """What ends an HTML block of kinds 1 to 5 opened by ``marker``, as mistune looks for
    it; None for kinds 6 and 7, which a blank line ends."""
    for opener, closing in (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>")):
        if marker == opener:
            return closing
    if marker.startswith("<!"):
        return ">"
    tag = marker[1:].lower()
    return f"</{tag}>" if not marker.startswith("</") and tag in PRE_TAGS else None


def release(state: BlockState) -> None:
    """Drops the registry of states once parsing is done, so what is left of the parse
    is freed by reference counting alone."""
    state.env.clear()


def init_root(state: BlockState) -> None:
    """Prepares the root state: lines map to themselves; every state is registered."""
    assert isinstance(state, TrackedState)
    first = state.first_line
    state.origin = [(first + i, 0) for i in range(len(state.line_starts))]
    state.env[STATES_KEY] = [state]
    state.env.setdefault(REFDEFS_KEY, {})


@dataclass(frozen=True)
class Leaf:
    """Where one leaf block's text lies in the file."""

    source: SourceMap
    offset: int
    text: str
    refdefs: dict[str, tuple[SourceMap, int, str]]
    """The document's reference definitions: label -> (where, offset, URL as written)."""

    def position(self, index: int) -> tuple[int, int]:
        last = len(self.text) - 1
        return self.source.position(self.offset + (index if index <= last else max(last, 0)))


def locate_leaves(root: BlockState) -> None:
    """Attaches a :class:`Leaf` to every token that carries text or raw HTML/code."""
    states: list[TrackedState] = root.env[STATES_KEY]
    owner = {id(state.tokens): state for state in states}
    refdefs = root.env[REFDEFS_KEY]
    for state in states:
        _locate_in(state, state.source_map, refdefs, state.tokens, 0, owner)


def _locate_in(
    state: TrackedState,
    source: SourceMap,
    refdefs: dict[str, tuple[SourceMap, int, str]],
    tokens: list[Token],
    cursor: int,
    owner: dict[int, TrackedState],
) -> int:
    for token in tokens:
        for key in ("text", "raw"):
            body = token.get(key)
            if isinstance(body, str) and token.get("type") != "text":
                line = None
                if not body and token.get("type") == "heading":
                    # An empty heading (``##``) has no text to find: it is the next
                    # line of hashes, not where the block before it ended.
                    line = _ATX_LINE.search(state.src, cursor)
                found = line.start() if line is not None else state.src.find(body, cursor)
                if found < 0:
                    stripped = body.strip()
                    found = state.src.find(stripped, cursor) if stripped else -1
                    if found >= 0:
                        body = stripped
                if found < 0:
                    found = min(cursor, len(state.src))
                token[LEAF_KEY] = Leaf(source, found, body, refdefs)
                cursor = line.end() if line is not None else found + len(body)
                break
        children = token.get("children")
        if not isinstance(children, list):
            continue
        child_state = owner.get(id(children))
        if child_state is None:
            cursor = _locate_in(state, source, refdefs, children, cursor, owner)
        else:
            # Another state parsed this container; skip its lines in ours.
            last = child_state.parent_lines[1]
            if last + 1 < len(state.line_starts):
                cursor = max(cursor, state.line_starts[last + 1])
            else:
                cursor = len(state.src)
    return cursor
