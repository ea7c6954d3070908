"""The top-level blocks of a list, parsed a piece at a time.

mistune's tree of a whole 16 MiB list, with the source maps of its hundreds of
thousands of nested states, took some 40 times the size of the file. The builder walks
the top-level blocks in order and keeps only what it reads from them, so the list is
cut into pieces of about :data:`CHUNK_CHARS` characters at seams where no Markdown
block can go on, and each piece's tree is dropped as soon as its blocks are walked.

A seam is a line that starts at column 0 after a blank line and is no list item: there,
every list, block quote, paragraph, table, indented code and HTML block of kinds 6 and
7 has ended (their lines would need an indent, a ``>`` or no blank line before them).
Only a fenced code block or an HTML block of kinds 1 to 5 (a comment, ``<pre>``,
``<script>``...) goes on across a blank line, and only at the top level, as a column-0
line closes every container. So a piece whose last top-level block is such a block left
open is parsed again together with the next piece. Reference definitions belong to the
whole document: when the text may hold one, a first pass reads the block structure of
every piece (no inline parsing, nothing kept but the definitions), and the second pass
sees all of them from its first piece on. Positions stay exact: each piece's lines are
numbered from the line it starts on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import mistune
from mistune.plugins.url import url as bare_urls

from listcheck.parse.sourcemap import (
    OPEN_KEY,
    REFDEFS_KEY,
    Token,
    TrackedBlockParser,
    TrackedState,
    init_root,
    locate_leaves,
    release,
)
from listcheck.parse.tables import gfm_tables

CHUNK_CHARS = 1 << 14
"""About this many characters are parsed at a time: big enough that the pieces' own
cost is nothing, small enough that one piece's tree is a small part of the memory."""

_LINE_END = re.compile(r"\r\n|\r|\n")
_COLUMN_ZERO = re.compile(r"(?:\r\n|\r|\n)(?=[^ \t\r\n])")
"""A line break followed by a line that starts at column 0."""
_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t\r\n]|$)")


@lru_cache(maxsize=1)
def markdown() -> mistune.Markdown:
    md = mistune.Markdown(
        renderer=None,
        block=TrackedBlockParser(),
        plugins=[gfm_tables, bare_urls],
    )
    md.before_parse_hooks.append(lambda _md, state: init_root(state))
    md.before_render_hooks.append(lambda _md, state: locate_leaves(state))
    return md


@dataclass
class _References:
    """The document's reference definitions, shared by the states of every piece."""

    links: dict[str, Any] = field(default_factory=dict)
    """mistune's own ``ref_links``: label -> destination, read by its inline parser."""
    places: dict[str, Any] = field(default_factory=dict)
    """Where each definition's URL is written (see :data:`REFDEFS_KEY`)."""


def top_level_tokens(text: str) -> Iterator[Token]:
    """The top-level tokens of ``text``, as parsing it whole would give them, with every
    leaf located in the file."""
    chunk_chars = CHUNK_CHARS
    references = _References()
    if "]:" in text and len(text) > chunk_chars:
        pieces = [piece for piece, _ in _pieces(text, chunk_chars, references, inline=False)]
        for start, end, first_line in pieces:
            yield from _parse(text[start:end], first_line, references, inline=True)
        return
    for _, tokens in _pieces(text, chunk_chars, references, inline=True):
        yield from tokens


def _pieces(
    text: str, chunk_chars: int, references: _References, *, inline: bool
) -> Iterator[tuple[tuple[int, int, int], list[Token]]]:
    """(start, end, first line) of each piece, with its tokens. A piece that ends in an
    open fence or HTML block grows to the next seam, twice as far each time, so even a
    list that is one unclosed fence is parsed a bounded number of times over."""
    start, first_line, want = 0, 0, chunk_chars
    while start < len(text):
        end = _seam(text, start + want)
        tokens = _parse(text[start:end], first_line, references, inline=inline)
        if end < len(text) and _left_open(tokens):
            want *= 2
            continue
        yield (start, end, first_line), tokens
        first_line += _line_breaks(text, start, end)
        start, want = end, chunk_chars


def _seam(text: str, at: int) -> int:
    """The start of the first seam line at or after ``at`` (the end of the text if none)."""
    for match in _COLUMN_ZERO.finditer(text, max(at - 1, 0)):
        line = match.end()
        if _LIST_MARKER.match(text, line):
            continue
        if _previous_line_blank(text, match.start()):
            return line
    return len(text)


def _previous_line_blank(text: str, line_end: int) -> bool:
    """Whether the line ending at ``line_end`` (where its line break starts) is blank
    and is not the first line of the text."""
    if line_end == 0:
        return False
    if text[line_end] == "\n" and text[line_end - 1] == "\r":
        line_end -= 1  # inside a CRLF: the line ends at its CR
    before = max(text.rfind("\n", 0, line_end), text.rfind("\r", 0, line_end))
    if before < 0:
        return False  # the first line: nothing before it to have ended
    return not text[before + 1 : line_end].strip(" \t")


def _line_breaks(text: str, start: int, end: int) -> int:
    return sum(1 for _ in _LINE_END.finditer(text, start, end))


def _parse(piece: str, first_line: int, references: _References, *, inline: bool) -> list[Token]:
    md = markdown()
    state = TrackedState(first_line=first_line)
    state.env["ref_links"] = references.links
    state.env[REFDEFS_KEY] = references.places
    if inline:
        tokens, _ = md.parse(piece, state=state)
    else:  # only the block structure (and the reference definitions)
        source = piece.replace("\r\n", "\n").replace("\r", "\n")
        state.process(source if source.endswith("\n") else source + "\n")
        init_root(state)
        md.block.parse(state)
        tokens = state.tokens
    release(state)
    return tokens if isinstance(tokens, list) else []


def _left_open(tokens: list[Token]) -> bool:
    """Whether the last top-level block is a fence or an HTML block still open at the
    end of the piece (only those go on past a seam)."""
    for token in reversed(tokens):
        if token.get("type") != "blank_line":
            return bool(token.get(OPEN_KEY))
    return False
