"""Markdown text -> :class:`~listcheck.models.Document`: sections, entries and links.

mistune does the Markdown (CommonMark plus GitHub tables and bare URLs), a piece of the
list at a time (:mod:`listcheck.parse.chunks`); the source-map in
:mod:`listcheck.parse.sourcemap` gives every token its place in the file; this module
walks the tree once and builds the typed document.
"""

from __future__ import annotations

import gc
import re
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from listcheck.classify import classify_url
from listcheck.models import (
    Comment,
    Document,
    Entry,
    EntryShape,
    HtmlAnchor,
    Link,
    LinkKind,
    LinkSyntax,
    SectionKind,
)
from listcheck.parse.chunks import top_level_tokens
from listcheck.parse.entries import (
    EntryHead,
    clean_title,
    detail_label,
    is_generic_label,
    pick_title_cell,
    read_entry_head,
)
from listcheck.parse.html_blocks import HtmlRow, html_rows, section_events
from listcheck.parse.inline import InlineLocator, RawLink, plain_text
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
from listcheck.slugs import assign_slugs, heading_text

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> tuple[str, ...]:
    """The file's lines as an editor shows them (CRLF, CR and LF all end a line)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return tuple(lines) if text else ()


@dataclass(slots=True)
class _PendingEntry:
    section: tuple[str, ...]
    section_index: int | None
    section_key: int | None
    shape: EntryShape
    line: int
    column: int
    end_line: int
    text: str
    head: EntryHead
    links: list[int]
    in_table: bool


@dataclass
class _OpenSection:
    level: float
    """Markdown and HTML headings have their level; a ``<details>`` group sits half a
    level below what encloses it, so the next heading of that level closes it too."""
    index: int
    details: bool


@dataclass
class _Heading:
    """A Markdown heading just read, which a following list of details may make an entry."""

    token: Token
    links: list[int]


_Item = TypeVar("_Item")


class _Window(Generic[_Item]):
    """A list whose items keep their index from the start of the document while the
    oldest of them are taken away (see :meth:`_Builder.settle`)."""

    __slots__ = ("base", "items")

    def __init__(self) -> None:
        self.base = 0
        self.items: list[_Item] = []

    def __len__(self) -> int:
        return self.base + len(self.items)

    def __getitem__(self, index: int) -> _Item:
        return self.items[index - self.base]

    def append(self, item: _Item) -> None:
        self.items.append(item)

    def extend(self, items: Iterable[_Item]) -> None:
        self.items.extend(items)

    def take(self, upto: int) -> list[_Item]:
        """Removes and returns the items before index ``upto``."""
        taken = self.items[: upto - self.base]
        del self.items[: upto - self.base]
        self.base = max(self.base, upto)
        return taken


@dataclass
class _Builder:
    path: str
    headings: list[tuple[int, str, int, int]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    section_stack: list[_OpenSection] = field(default_factory=list)
    links: _Window[tuple[RawLink, int, int | None]] = field(default_factory=_Window)
    entries: _Window[_PendingEntry] = field(default_factory=_Window)
    anchors: list[HtmlAnchor] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    done_entries: list[Entry] = field(default_factory=list)
    done_links: list[Link] = field(default_factory=list)
    owner: dict[int, int] = field(default_factory=dict)
    """Link index -> index of the settled entry holding it, until the link is settled."""
    numbers: dict[int, int] = field(default_factory=dict)
    """One int object per line number (a line number is a 32-byte object of its own)."""

    # -- leaves ---------------------------------------------------------------------
    def scan_leaf(self, token: Token, block: int, depth: int | None) -> list[int]:
        """Records the links of one leaf block; returns their indexes."""
        leaf: Leaf | None = token.get(LEAF_KEY)
        if leaf is None:
            return []
        locator = InlineLocator(leaf)
        kind = token.get("type")
        if kind in ("block_html",):
            locator.html(leaf.text, search=False)
        elif isinstance(token.get("children"), list):
            locator.scan(token["children"])
        for anchor in locator.anchors:
            self.anchors.append(
                HtmlAnchor(name=anchor.name, line=anchor.line, column=anchor.column)
            )
        for comment in locator.comments:
            self.comments.append(
                Comment(
                    text=comment.text,
                    line=comment.line,
                    column=comment.column,
                    end_line=comment.end_line,
                )
            )
        start = len(self.links)
        self.links.extend((raw, block, depth) for raw in locator.links)
        return list(range(start, len(self.links)))

    def scan_all(self, token: Token, block: int, depth: int | None) -> list[int]:
        """Records the links of a block and everything nested in it, making no entries:
        the block is a detail of an entry that owns these links."""
        if token.get("type") == "list":
            found: list[int] = []
            for item in token.get("children") or []:
                found.extend(self.scan_all(item, block, depth if depth is None else depth + 1))
            return found
        if token.get("type") in (
            "list_item",
            "block_quote",
            "table",
            "table_head",
            "table_body",
            "table_row",
        ):
            found = []
            for child in token.get("children") or []:
                found.extend(self.scan_all(child, block, depth))
            return found
        return self.scan_leaf(token, block, depth)

    # -- blocks ---------------------------------------------------------------------
    def walk(self, tokens: Iterable[Token]) -> None:
        self.blocks(tokens, None, None)
        self.settle(len(self.entries), len(self.links), force=True)

    def settle(self, entries: int, links: int, *, force: bool = False) -> None:
        """Turns the pending entries before index ``entries`` and the raw links before
        ``links`` into their final models, once a batch of them is ready, and lets go of
        the pending ones: a large list never holds both forms of all its entries.

        The top-level walk calls it as each block starts, with the counts from when the
        block before it started: a block only ever adds links to entries of the block
        before it (a heading or a title paragraph followed by its details), so all that
        is older is final. An entry of that block may hold an older link, so the entries
        still pending are looked through for the owners of the links settled."""
        ready_entries = entries - self.entries.base
        ready_links = links - self.links.base
        if not force and max(ready_entries, ready_links) < _BATCH:
            return
        settled = self.entries.take(entries)
        for index, pending in enumerate(settled, start=entries - len(settled)):
            for link_id in pending.links:
                self.owner[link_id] = index
        self.done_entries.extend(
            _in_batches(_ENTRIES, (_entry(pending, self.numbers) for pending in settled))
        )
        del settled
        waiting = {
            link_id: index
            for index, pending in enumerate(self.entries.items, start=self.entries.base)
            for link_id in pending.links
            if link_id < links
        }
        raw_links = self.links.take(links)
        self.done_links.extend(
            _in_batches(
                _LINKS,
                (
                    _link(raw, block, depth, self._owner(index, waiting), self.numbers)
                    for index, (raw, block, depth) in enumerate(
                        raw_links, start=links - len(raw_links)
                    )
                ),
            )
        )

    def _owner(self, link: int, waiting: dict[int, int]) -> int | None:
        """The entry holding a link: the last to claim it, as entries are in order."""
        settled = self.owner.pop(link, None)
        return waiting.get(link, settled)

    def blocks(self, tokens: Iterable[Token], block: int | None, depth: int | None) -> None:
        """A run of sibling blocks. A heading or a title paragraph followed by a list of
        details is one entry with them, so each block looks back at the one before."""
        previous: _Heading | _PendingEntry | None = None
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
                previous = self.heading(token, at)
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

    # -- sections -------------------------------------------------------------------
    def open_section(
        self, title: str, kind: SectionKind, level: float, line: int, column: int
    ) -> None:
        while self.section_stack and self.section_stack[-1].level >= level:
            self.section_stack.pop()
        parent = self.section_stack[-1].index if self.section_stack else None
        self.sections.append(
            {
                "title": title,
                "kind": kind,
                "level": int(level),
                "line": line,
                "column": column,
                "parent": parent,
            }
        )
        self.section_stack.append(
            _OpenSection(level, len(self.sections) - 1, kind is SectionKind.DETAILS)
        )

    def close_details(self) -> None:
        for depth in range(len(self.section_stack) - 1, -1, -1):
            if self.section_stack[depth].details:
                del self.section_stack[depth:]
                return

    def heading(self, token: Token, block: int) -> _Heading:
        level = int((token.get("attrs") or {}).get("level", 1))
        text = heading_text(token.get("children") or [])
        leaf: Leaf | None = token.get(LEAF_KEY)
        line, column = leaf.position(0) if leaf else (1, 1)
        ids = self.scan_leaf(token, block, None)
        self.headings.append((level, text, line, column))
        self.open_section(" ".join(text.split()), SectionKind.HEADING, level, line, column)
        return _Heading(token, ids)

    def _section(self) -> tuple[tuple[str, ...], int | None, int | None]:
        names = tuple(self.sections[s.index]["title"] for s in self.section_stack)
        key = self.section_stack[-1].index if self.section_stack else None
        return names, (len(self.headings) - 1 if self.headings else None), key

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
            line, column = leaf.position(event.offset)
            if event.kind == "open":
                level = self.section_stack[-1].level + 0.5 if self.section_stack else 0.5
                self.open_section("", SectionKind.DETAILS, level, line, column)
            elif event.kind == "close":
                self.close_details()
            elif event.kind == "summary":
                self.summary(event.title, line, column)
            else:
                self.open_section(event.title, SectionKind.HTML_HEADING, event.level, line, column)

    def summary(self, title: str, line: int, column: int) -> None:
        """Names the innermost open ``<details>`` group (a summary outside one opens a
        group of its own, as browsers render it)."""
        if self.section_stack and self.section_stack[-1].details:
            section = self.sections[self.section_stack[-1].index]
            if not section["title"]:
                section["title"] = title
                return
        level = self.section_stack[-1].level + 0.5 if self.section_stack else 0.5
        self.open_section(title, SectionKind.DETAILS, level, line, column)

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

    # -- entries --------------------------------------------------------------------
    def add(
        self,
        shape: EntryShape,
        at: tuple[int, int],
        end_line: int,
        text: str,
        head: EntryHead,
        links: list[int],
        *,
        in_table: bool = False,
    ) -> _PendingEntry:
        section, section_index, key = self._section()
        entry = _PendingEntry(
            section,
            section_index,
            key,
            shape,
            at[0],
            at[1],
            end_line,
            text,
            head,
            links,
            in_table,
        )
        self.entries.append(entry)
        return entry

    def paragraph_entry(self, token: Token, ids: list[int]) -> _PendingEntry:
        leaf: Leaf = token[LEAF_KEY]
        text = plain_text(token.get("children") or []).strip()
        head = read_entry_head(token.get("children") or [], leaf)
        return self.add(EntryShape.PARAGRAPH, leaf.position(0), _end_line(leaf), text, head, ids)

    def attach_details(
        self, owner: _Heading | _PendingEntry, details: Token, block: int, depth: int | None
    ) -> None:
        """A list of details under a heading or a title paragraph: one entry of both."""
        ids = self.scan_all(details, block, depth)
        last = _last_leaf(details)
        end_line = _end_line(last) if last is not None else 1
        if isinstance(owner, _PendingEntry):
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
        entry: _PendingEntry | None = None
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

    def open_group(self, first: Token) -> None:
        """A list item that only heads the items nested under it ("- Papers" over a list
        of papers) groups them the way a heading would, for as long as the item lasts."""
        leaf: Leaf = first[LEAF_KEY]
        title = clean_title(plain_text(first.get("children") or [])) or ""
        line, column = leaf.position(0)
        level = self.section_stack[-1].level if self.section_stack else 0
        parent = self.section_stack[-1].index if self.section_stack else None
        self.sections.append(
            {
                "title": title,
                "kind": SectionKind.LIST_GROUP,
                "level": int(level),
                "line": line,
                "column": column,
                "parent": parent,
            }
        )
        self.section_stack.append(_OpenSection(level + 0.25, len(self.sections) - 1, False))

    def item_entry(
        self, first: Token, own: list[Token], link_ids: list[int]
    ) -> _PendingEntry | None:
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

    # -- result ---------------------------------------------------------------------
    def document(self, text: str) -> Document:
        slugs = assign_slugs([heading[1] for heading in self.headings])
        headings = tuple(
            {"level": level, "text": name, "slug": slug, "line": line, "column": column}
            for (level, name, line, column), slug in zip(self.headings, slugs, strict=True)
        )
        return Document.model_validate(
            {
                "path": self.path,
                "text": text,
                "lines": split_lines(text),
                "headings": headings,
                "sections": self.sections,
                "html_anchors": self.anchors,
                "entries": self.done_entries,
                "links": self.done_links,
                "comments": self.comments,
            }
        )


_ENTRIES: TypeAdapter[tuple[Entry, ...]] = TypeAdapter(tuple[Entry, ...])
_LINKS: TypeAdapter[tuple[Link, ...]] = TypeAdapter(tuple[Link, ...])
_BATCH = 1024
_Part = TypeVar("_Part")


def _in_batches(
    adapter: TypeAdapter[tuple[_Part, ...]], values: Iterable[dict[str, Any]]
) -> tuple[_Part, ...]:
    """Validates entries or links a batch at a time: one call into pydantic-core per
    batch is much faster than a constructor call per item, and only one batch of their
    values is alive at a time."""
    built: list[_Part] = []
    values = iter(values)
    while batch := list(islice(values, _BATCH)):
        built.extend(adapter.validate_python(batch))
    return tuple(built)


def _entry(pending: _PendingEntry, numbers: dict[int, int]) -> dict[str, Any]:
    """An entry's values, with one int object per line number (``numbers``)."""
    title_line, title_column = pending.head.title_position or (None, None)
    index = pending.section_index
    return {
        "section": pending.section,
        "section_index": numbers.setdefault(index, index) if index is not None else None,
        "section_key": pending.section_key,
        "shape": pending.shape,
        "line": numbers.setdefault(pending.line, pending.line),
        "column": pending.column,
        "end_line": numbers.setdefault(pending.end_line, pending.end_line),
        "text": pending.text,
        "title": pending.head.title,
        "title_line": numbers.setdefault(title_line, title_line) if title_line else None,
        "title_column": title_column,
        "name": pending.head.name,
        "tags": pending.head.tags,
        "links": tuple(pending.links),
        "in_table": pending.in_table,
    }


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


def _link(
    raw: RawLink, block: int, depth: int | None, entry: int | None, numbers: dict[int, int]
) -> dict[str, Any]:
    classified = classify_url(raw.url)
    values: dict[str, Any] = {
        "url": raw.url,
        "text": sys.intern(raw.text),  # "PDF", "code": a few texts, thousands of links
        "line": numbers.setdefault(raw.line, raw.line),
        "column": raw.column,
        "text_line": numbers.setdefault(raw.text_line, raw.text_line),
        "text_column": raw.text_column,
        "syntax": raw.syntax,
        "kind": classified.kind,
        "arxiv": classified.arxiv,
        "github": classified.github,
        "hf": classified.hf,
        "reference": raw.reference,
        "entry": entry,
        "block": block,
        "list_depth": depth,
    }
    if classified.kind is LinkKind.EMPTY:
        values["url"] = ""
    return values


def parse_document(text: str, path: str) -> Document:
    """Parses a list. Never raises on any text: malformed Markdown is still Markdown."""
    with _no_cyclic_gc():
        builder = _Builder(path)
        builder.walk(top_level_tokens(text))
        return builder.document(text)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Parsing allocates hundreds of thousands of small dicts and lists and frees none of
    them until it ends; the cyclic collector would rescan them all again and again (about
    a third of the parse time of a 10,000-entry list). Reference counting still frees
    everything; cycles, if any, are collected once the collector is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
