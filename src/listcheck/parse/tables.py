"""Pipe tables read the way GitHub renders them, as a mistune block plugin.

mistune's own table plugin drops a whole table when one row has more or fewer cells
than the header, and ends a table at the first row that lacks its leading or closing
pipe. GitHub (cmark-gfm, GFM spec "Tables (extension)") renders both: the delimiter row
fixes the column count, a short row is padded with empty cells, extra cells are not
shown, every pipe at a row's edge is optional, and the table runs until a blank line
or the start of another block. Paper lists are edited by many hands, so ragged rows are
common, and a dropped table hides every entry and link in it.

The tokens keep mistune's shape (``table`` > ``table_head``/``table_body`` >
``table_row`` > ``table_cell`` with ``attrs`` ``align`` and ``head``; a cell beyond the
table's width also has ``hidden``), and each cell's ``text`` is the cell exactly as
written, trimmed: the source map finds every leaf's text inside its state's source, in
order.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mistune.helpers import BLOCK_TAGS, HTML_ATTRIBUTES, HTML_TAGNAME, PRE_TAGS

if TYPE_CHECKING:
    from mistune import BlockParser, BlockState, Markdown

Token = dict[str, Any]

__all__ = ["gfm_tables", "split_row"]

_DELIMITER_CELL = r"[ \t]*:?-+:?[ \t]*"
_DELIMITER_ROW = rf"\|?{_DELIMITER_CELL}(?:\|{_DELIMITER_CELL})*\|?[ \t]*"
_HTML_BLOCK_TAG = "|".join(BLOCK_TAGS + PRE_TAGS)

# A header line followed by a delimiter row. The header may not be indented as code or
# open an HTML block (GitHub gives those lines to the other block). The delimiter row must
# hold a pipe or a colon (a bare run of dashes under text is a setext heading) and must not
# open a list item ("- | -").
TABLE_PATTERN = (
    r"^(?! {0,3}<(?i:!|\?|/?(?:" + _HTML_BLOCK_TAG + r")(?:[ \t/>]|$)))"
    r" {0,3}\S[^\n]*\n"
    r"(?= {0,3}\|?[ \t]*:?-)(?! {0,3}-[ \t])(?=[^\n]*[|:])"
    r" {0,3}" + _DELIMITER_ROW + r"(?:\n|$)"
)

# A line that starts another block, and so ends a table (cmark-gfm tries these block
# starts before it reads a line as the table's next row).
_BLOCK_START = re.compile(
    r"(?: {4}| {0,3}\t)"  # indented code
    r"| {0,3}(?:"
    r">"  # block quote
    r"|#{1,6}(?:[ \t]|$)"  # ATX heading
    r"|`{3,}[^`]*$|~{3,}"  # code fence
    r"|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)"  # list item
    r"|(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$"  # thematic break
    r"|<(?:!|\?|/?(?:" + _HTML_BLOCK_TAG + r")(?:[ \t/>]|$))"  # HTML block, kinds 1-6
    r"|(?:<" + HTML_TAGNAME + HTML_ATTRIBUTES + r"[ \t]*/?>"  # HTML block, kind 7:
    r"|</" + HTML_TAGNAME + r"[ \t]*>)[ \t]*$"  # a lone open or close tag
    r")",
    re.IGNORECASE,
)

# One cell's content: anything up to an unescaped pipe. cmark-gfm treats every pipe
# after a backslash as part of the cell, however many backslashes precede it.
_CELL = re.compile(r"(?:\\\||[^|])+")
_PIPE = re.compile(r"\|[ \t\v\f]*")
_CELL_SPACE = " \t\v\f\r"
_ROW_LEAD = re.compile(r"[ \t]*\|?[ \t\v\f]*")


def split_row(line: str) -> list[str]:
    """A row's cells as GitHub splits them: an optional pipe at either edge, escaped
    pipes kept in the cell, each cell trimmed. Empty list for a line with no cell."""
    text = line.strip(_CELL_SPACE + "\n")
    cells: list[str] = []
    pos = 0
    edge = _PIPE.match(text, pos)
    if edge is not None:
        pos = edge.end()
    while pos < len(text):
        cell = _CELL.match(text, pos)
        end = cell.end() if cell is not None else pos
        pipe = _PIPE.match(text, end)
        if cell is None and pipe is None:
            break
        cells.append(text[pos:end].strip(_CELL_SPACE))
        pos = pipe.end() if pipe is not None else end
    return cells


def _alignment(cell: str) -> str | None:
    """The column alignment one delimiter cell asks for."""
    left, right = cell.startswith(":"), cell.endswith(":")
    if left and right:
        return "center"
    if left:
        return "left"
    return "right" if right else None


def _cell(text: str, align: str | None, head: bool) -> Token:
    return {"type": "table_cell", "text": text, "attrs": {"align": align, "head": head}}


def _row(line: str, cells: list[str], aligns: list[str | None]) -> Token:
    """A body row padded to the table's width, as GitHub renders it.

    Cells beyond the width follow, marked ``hidden``: GitHub does not show them, but
    their links are still in the file (generic checkers such as lychee report them), and
    a link nobody can see is worth checking too.

    The row's ``raw`` is the line break before it and the row's lead (indent, pipe):
    the source map searches each cell's text after the previous leaf, so without this
    anchor an empty first cell would be placed at the end of the row above.
    """
    width = len(aligns)
    padded = cells[:width] + [""] * (width - len(cells))
    children = [_cell(text, align, False) for text, align in zip(padded, aligns, strict=True)]
    for text in cells[width:]:
        hidden = _cell(text, None, False)
        hidden["attrs"]["hidden"] = True
        children.append(hidden)
    lead = _ROW_LEAD.match(line)
    return {
        "type": "table_row",
        "raw": "\n" + (lead.group(0) if lead is not None else ""),
        "children": children,
    }


def _body_rows(state: BlockState, pos: int, aligns: list[str | None]) -> tuple[list[Token], int]:
    """Reads body rows from ``pos`` until a blank line, a line that starts another
    block, or a line with no cell; returns the rows and where the table ends."""
    rows: list[Token] = []
    while pos < state.cursor_max:
        line = state.get_line(pos)
        if not line.strip(_CELL_SPACE + "\n") or _BLOCK_START.match(line):
            break
        cells = split_row(line)
        if not cells:
            break
        rows.append(_row(line, cells, aligns))
        pos += len(line)
    return rows, pos


def parse_table(block: BlockParser, m: re.Match[str], state: BlockState) -> int | None:
    """Builds one table token from a header and delimiter row; ``None`` when the header's
    cell count differs from the delimiter row's (then GitHub shows plain text)."""
    header_line, delimiter_line = m.group(0).split("\n", 2)[:2]
    header = split_row(header_line)
    delimiters = split_row(delimiter_line)
    if len(header) != len(delimiters):
        return None
    aligns = [_alignment(cell) for cell in delimiters]
    rows, end = _body_rows(state, m.end(), aligns)
    head = {
        "type": "table_head",
        "children": [_cell(text, align, True) for text, align in zip(header, aligns, strict=True)],
    }
    # The delimiter row rides along as the body's raw text: the source map then searches
    # the cells below only after it, so a first cell "-" is not placed among its dashes.
    body = {"type": "table_body", "raw": delimiter_line.strip(), "children": rows}
    state.append_token({"type": "table", "children": [head, body]})
    return end


def gfm_tables(md: Markdown) -> None:
    """Registers GitHub's tables at the top level, in list items and in block quotes.

    The rule goes before raw HTML: a header such as ``<b>Name</b> | Year`` is a table on
    GitHub, while mistune's HTML rule would take the line and leave it a paragraph.
    """
    md.block.register("table", TABLE_PATTERN, parse_table, before="raw_html")
    for rules in (md.block.list_rules, md.block.block_quote_rules):
        if "table" not in rules:
            md.block.insert_rule(rules, "table", before="raw_html")
