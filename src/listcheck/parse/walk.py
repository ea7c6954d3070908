"""Which blocks of a list are entries, and of what shape.

A paper is written as a list item, a table row, a paragraph, a heading with a list of
details under it, or a row of raw HTML; the walk here looks at each block, and at the one
before it, to tell which of these a reader sees. It goes over the tokens once, in order,
on top of the stack of open sections (:mod:`listcheck.parse.sections`) and the record of
what has been found (:mod:`listcheck.parse.collect`), which it inherits rather than
holds so that its loops pay for no extra lookups.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from listcheck.models import EntryShape, LinkSyntax
from listcheck.parse.collect import PendingEntry
from listcheck.parse.entries import EntryHead, pick_title_cell, read_entry_head
from listcheck.parse.html_blocks import HtmlRow, html_rows, section_events
from listcheck.parse.inline import plain_text
from listcheck.parse.labels import detail_label, is_generic_label
from listcheck.parse.sections import SectionTracker
from listcheck.parse.shapes import (
    all_details,
    carries_real_link,
    detail_paragraph,
    first_leaf,
    in_page,
    is_detail,
    is_real_link,
    is_titled_link,
    links_in,
    title_paragraph,
)
from listcheck.parse.sourcemap import LEAF_KEY, Leaf, Token
from listcheck.parse.title_text import clean_title


@dataclass
class _Heading:
    """A Markdown heading just read, which a following list of details may make an entry."""

    token: Token
    links: list[int]


class BlockWalker(SectionTracker):
    """The walk over the blocks of a list: which of them are entries, and of what shape."""

    def walk(self, tokens: Iterable[Token]) -> None:
        self.blocks(tokens, None, None)
        self.settle(len(self.entries), len(self.links), force=True)

    def blocks(self, tokens: Iterable[Token], block: int | None, depth: int | None) -> None:
        """A run of sibling blocks. A heading or a title paragraph followed by a list of
        details is one entry with them, so each block looks back at the one before."""
        previous: _Heading | PendingEntry | None = None
        pending_paragraph: tuple[Token, list[int], int] | None = None
        final = (0, 0)  # (entries, links) when the block before this one started
        for position, token in enumerate(tokens):
            at = position if block is None else block
            kind = token.get("type")
            if kind == "blank_line":
                continue
            if block is None:
                self.settle(*final)
                final = (len(self.entries), len(self.links))
            if kind == "list" and previous is not None and all_details(token):
                self.attach_details(previous, token, at, depth)
                previous = None
                pending_paragraph = None
                continue
            if pending_paragraph is not None:
                paragraph, ids, _ = pending_paragraph
                pending_paragraph = None
                if carries_real_link(paragraph.get("children") or []) or detail_paragraph(
                    paragraph
                ):
                    self.paragraph_entry(paragraph, ids)
            previous = None
            if kind == "heading":
                previous = _Heading(token, self.heading(token, at))
            elif kind == "paragraph" and title_paragraph(token, alone=True):
                ids = self.scan_leaf(token, at, depth)
                if title_paragraph(token):
                    pending_paragraph = (token, ids, at)
                previous = _Heading(token, ids)
            elif kind == "paragraph" and previous is None and detail_paragraph(token):
                self.scan_leaf(token, at, depth)
            else:
                self.block(token, at, depth)
        if pending_paragraph is not None:
            paragraph, ids, _ = pending_paragraph
            if carries_real_link(paragraph.get("children") or []):
                self.paragraph_entry(paragraph, ids)

    def block(self, token: Token, block: int, depth: int | None) -> None:
        kind = token.get("type")
        if kind == "heading":
            self.heading(token, block)
        elif kind == "list":
            for item in token.get("children") or []:
                self.list_item(item, block, 0 if depth is None else depth + 1)
        elif kind == "block_quote":
            self.blocks(token.get("children") or [], block, depth)
        elif kind == "table":
            self.table(token, block, depth)
        elif kind == "block_html":
            self.html_block(token, block, depth)
        else:
            self.scan_leaf(token, block, depth)

    def html_block(self, token: Token, block: int, depth: int | None) -> None:
        """Sections (``<hN>``, ``<details>``) and rows (``<tr>``, ``<li>``) of raw HTML."""
        leaf: Leaf | None = token.get(LEAF_KEY)
        ids = self.scan_leaf(token, block, depth)
        if leaf is None:
            return
        rows = html_rows(leaf.text)
        events = section_events(leaf.text)
        ids = sorted(ids, key=lambda i: (self.links[i][0].text_line, self.links[i][0].text_column))
        places = [(self.links[i][0].text_line, self.links[i][0].text_column) for i in ids]
        row_at = 0
        for event in [*events, None]:
            limit = event.offset if event is not None else len(leaf.text) + 1
            while row_at < len(rows) and rows[row_at].start < limit:
                self.html_row(rows[row_at], leaf, ids, places)
                row_at += 1
            if event is None:
                break
            self.html_section(event, leaf)

    def html_row(
        self, row: HtmlRow, leaf: Leaf, ids: list[int], places: list[tuple[int, int]]
    ) -> None:
        """One ``<tr>`` or ``<li>`` as an entry, with the links (``ids``, in the order of
        their ``places``) that start inside it."""
        start = leaf.position(row.start)
        end = leaf.position(max(row.end - 1, row.start))
        mine = ids[bisect_left(places, start) : bisect_right(places, end)]
        real = [
            i
            for i in mine
            if not in_page(self.links[i][0].url)
            and self.links[i][0].syntax is not LinkSyntax.IMAGE
            and not _IMAGE_URL.search(self.links[i][0].url)
        ]
        if row.header or not real:
            return
        title = None
        for cell in row.cells:
            title = clean_title(_cut_title(cell)) if cell else None
            if title and not is_generic_label(title):
                break
            title = None
        position = None
        if title is not None:
            at = leaf.text.find(title, row.start)
            if 0 <= at < row.end:
                position = leaf.position(at)
        head = EntryHead(None, (), title, position)
        shape = EntryShape.HTML_TABLE_ROW if row.kind == "tr" else EntryShape.HTML_LIST_ITEM
        text = " | ".join(cell for cell in row.cells if cell)
        self.add(shape, start, end[0], text, head, mine, in_table=row.kind == "tr")

    def paragraph_entry(self, token: Token, ids: list[int]) -> PendingEntry:
        leaf: Leaf = token[LEAF_KEY]
        text = plain_text(token.get("children") or []).strip()
        head = read_entry_head(token.get("children") or [], leaf)
        return self.add(EntryShape.PARAGRAPH, leaf.position(0), _end_line(leaf), text, head, ids)

    def attach_details(
        self, owner: _Heading | PendingEntry, details: Token, block: int, depth: int | None
    ) -> None:
        """A list of details under a heading or a title paragraph: one entry of both."""
        ids = self.scan_all(details, block, depth)
        last = _last_leaf(details)
        end_line = _end_line(last) if last is not None else 1
        if isinstance(owner, PendingEntry):
            owner.links.extend(ids)
            owner.end_line = max(owner.end_line, end_line)
            return
        token = owner.token
        leaf: Leaf = token[LEAF_KEY]
        own = read_entry_head(token.get("children") or [], leaf)
        paper = _paper_detail_head(details)
        head = own
        if token.get("type") == "heading" and paper is not None and paper.title:
            head = EntryHead(own.title, own.tags, paper.title, paper.title_position)
        text = plain_text(token.get("children") or []).strip()
        shape = EntryShape.HEADING if token.get("type") == "heading" else EntryShape.PARAGRAPH
        self.add(
            shape, leaf.position(0), max(end_line, _end_line(leaf)), text, head, owner.links + ids
        )

    def list_item(self, item: Token, block: int, depth: int) -> None:
        own: list[Token] = []
        nested: list[Token] = []
        quotes: list[Token] = []
        for child in item.get("children") or []:
            kind = child.get("type")
            if kind in ("list", "table"):
                nested.append(child)
            elif kind == "block_quote":
                quotes.append(child)
            else:
                own.append(child)
        link_ids: list[int] = []
        for leaf_token in own:
            link_ids.extend(self.scan_leaf(leaf_token, block, depth))
        for quote in quotes:
            link_ids.extend(self.scan_all(quote, block, depth))
        linked = any(not in_page(self.links[i][0].url) for i in link_ids)
        details = {
            id(sub): is_detail(sub, linked)
            for child in nested
            if child.get("type") == "list"
            for sub in child.get("children") or []
        }
        first = next((t for t in own if isinstance(t.get(LEAF_KEY), Leaf)), None)
        entry: PendingEntry | None = None
        is_group = not linked and bool(details) and not any(details.values())
        open_sections = len(self.section_stack)
        if first is not None and is_group:
            self.open_group(first)
        elif first is not None:
            entry = self.item_entry(first, own, link_ids)
        for child in nested:
            if child.get("type") == "table":
                self.table(child, block, depth)
                continue
            for sub in child.get("children") or []:
                if details[id(sub)] and entry is not None:
                    entry.links.extend(self.scan_all(sub, block, depth + 1))
                    last = _last_leaf(sub)
                    if last is not None:
                        entry.end_line = max(entry.end_line, _end_line(last))
                else:
                    self.list_item(sub, block, depth + 1)
        del self.section_stack[open_sections:]

    def item_entry(
        self, first: Token, own: list[Token], link_ids: list[int]
    ) -> PendingEntry | None:
        text = " ".join(plain_text(t.get("children") or []).strip() for t in own).strip()
        if not text and not link_ids:
            return None
        if link_ids and all(in_page(self.links[i][0].url) for i in link_ids):
            return None  # a table-of-contents item, not a paper
        leaf: Leaf = first[LEAF_KEY]
        last_leaf: Leaf | None = own[-1].get(LEAF_KEY) if own else None
        end_line = _end_line(last_leaf) if last_leaf else leaf.position(0)[0]
        head = read_entry_head(first.get("children") or [], leaf)
        return self.add(EntryShape.LIST_ITEM, leaf.position(0), end_line, text, head, link_ids)

    def table(self, token: Token, block: int, depth: int | None) -> None:
        """Rows of a table that links somewhere are entries; a table without a single
        link is data about papers (results, statistics), not a list of them."""
        header: list[str] = []
        papers = any(is_real_link(t) for t in links_in([token]))
        for part in token.get("children") or []:
            if part.get("type") == "table_head":
                for cell in part.get("children") or []:
                    self.scan_leaf(cell, block, depth)
                    header.append(plain_text(cell.get("children") or []).strip())
            elif part.get("type") == "table_body":
                for row in part.get("children") or []:
                    if papers:
                        self.table_row(row, header, block, depth)
                    else:
                        for cell in row.get("children") or []:
                            self.scan_leaf(cell, block, depth)

    def table_row(self, row: Token, header: list[str], block: int, depth: int | None) -> None:
        cells: list[Token] = list(row.get("children") or [])
        link_ids: list[int] = []
        for cell in cells:
            link_ids.extend(self.scan_leaf(cell, block, depth))
        # Cells past the table's width are not shown (their links are still checked).
        cells = [c for c in cells if not (c.get("attrs") or {}).get("hidden")]
        located = [c for c in cells if isinstance(c.get(LEAF_KEY), Leaf)]
        if not located:
            return
        if link_ids and all(in_page(self.links[i][0].url) for i in link_ids):
            return  # a table of contents laid out as a table
        index = pick_title_cell(header, [c.get("children") or [] for c in cells])
        first = cells[index] if index is not None and cells[index] in located else located[0]
        text = " | ".join(plain_text(c.get("children") or []).strip() for c in cells).strip(" |")
        if not text and not link_ids:
            return
        leaf: Leaf = located[0][LEAF_KEY]
        head = read_entry_head(first.get("children") or [], first.get(LEAF_KEY))
        line = leaf.position(0)
        self.add(EntryShape.TABLE_ROW, line, line[0], text, head, link_ids, in_table=True)


_IMAGE_URL = re.compile(r"\.(?:svg|png|jpe?g|gif|webp)(?:\?|$)|img\.shields\.io", re.I)


def _end_line(leaf: Leaf) -> int:
    return leaf.position(max(len(leaf.text.rstrip()) - 1, 0))[0]


def _last_leaf(token: Token) -> Leaf | None:
    """The last located leaf inside a block, for where an entry ends."""
    found: Leaf | None = token.get(LEAF_KEY)
    for child in token.get("children") or []:
        if isinstance(child, dict):
            inner = _last_leaf(child)
            if inner is not None:
                found = inner
    return found


def _paper_detail_head(details: Token) -> EntryHead | None:
    """The head of the ``paper: [Title](…)`` line in a list of details: its link's label
    names the paper (``paper: N/A`` names nothing)."""
    for item in details.get("children") or []:
        leaf_token = first_leaf(item)
        if leaf_token is None:
            continue
        tokens = leaf_token.get("children") or []
        label = detail_label(plain_text(tokens).strip())
        if label in _PAPER_LABELS and any(is_titled_link(t) for t in tokens):
            return read_entry_head(tokens, leaf_token.get(LEAF_KEY))
    return None


_PAPER_LABELS = frozenset({"paper", "papers", "论文", "arxiv", "pdf"})


def _cut_title(cell: str) -> str:
    head = read_entry_head([{"type": "text", "raw": cell}], None)
    return head.title or ""
