"""Markdown text -> :class:`~listcheck.models.Document`: sections, entries and links.

mistune does the Markdown (CommonMark plus GitHub tables and bare URLs); the
source-map in :mod:`listcheck.parse.sourcemap` gives every token its place in the file;
this module walks the tree once and builds the typed document.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import mistune
from mistune.plugins.url import url as bare_urls

from listcheck.classify import classify_url
from listcheck.models import (
    Comment,
    Document,
    HtmlAnchor,
    LinkKind,
)
from listcheck.parse.entries import EntryHead, pick_title_cell, read_entry_head
from listcheck.parse.inline import InlineLocator, RawLink, plain_text
from listcheck.parse.sourcemap import (
    LEAF_KEY,
    Leaf,
    Token,
    TrackedBlockParser,
    TrackedState,
    init_root,
    locate_leaves,
    release,
)
from listcheck.parse.tables import gfm_tables
from listcheck.slugs import assign_slugs

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@lru_cache(maxsize=1)
def _markdown() -> mistune.Markdown:
    md = mistune.Markdown(
        renderer=None,
        block=TrackedBlockParser(),
        plugins=[gfm_tables, bare_urls],
    )
    md.before_parse_hooks.append(lambda _md, state: init_root(state))
    md.before_render_hooks.append(lambda _md, state: locate_leaves(state))
    return md


def split_lines(text: str) -> tuple[str, ...]:
    """The file's lines as an editor shows them (CRLF, CR and LF all end a line)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return tuple(lines) if text else ()


@dataclass
class _PendingEntry:
    section: tuple[str, ...]
    section_index: int | None
    line: int
    column: int
    end_line: int
    text: str
    head: EntryHead
    links: list[int]
    in_table: bool


@dataclass
class _Builder:
    path: str
    headings: list[tuple[int, str, int, int]] = field(default_factory=list)
    section_stack: list[tuple[int, str]] = field(default_factory=list)
    links: list[tuple[RawLink, int, int | None]] = field(default_factory=list)
    link_entry: dict[int, int] = field(default_factory=dict)
    entries: list[_PendingEntry] = field(default_factory=list)
    anchors: list[HtmlAnchor] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

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

    # -- blocks ---------------------------------------------------------------------
    def walk(self, tokens: list[Token]) -> None:
        for block, token in enumerate(tokens):
            self.block(token, block, None)

    def block(self, token: Token, block: int, depth: int | None) -> None:
        kind = token.get("type")
        if kind == "heading":
            self.heading(token, block)
        elif kind == "list":
            for item in token.get("children") or []:
                self.list_item(item, block, 0 if depth is None else depth + 1)
        elif kind == "block_quote":
            for child in token.get("children") or []:
                self.block(child, block, depth)
        elif kind == "table":
            self.table(token, block, depth)
        else:
            self.scan_leaf(token, block, depth)

    def heading(self, token: Token, block: int) -> None:
        level = int((token.get("attrs") or {}).get("level", 1))
        text = plain_text(token.get("children") or []).strip()
        leaf: Leaf | None = token.get(LEAF_KEY)
        line, column = leaf.position(0) if leaf else (1, 1)
        self.scan_leaf(token, block, None)
        self.headings.append((level, text, line, column))
        while self.section_stack and self.section_stack[-1][0] >= level:
            self.section_stack.pop()
        self.section_stack.append((level, text))

    def _section(self) -> tuple[tuple[str, ...], int | None]:
        names = tuple(text for _, text in self.section_stack)
        return names, (len(self.headings) - 1 if self.headings else None)

    def list_item(self, item: Token, block: int, depth: int) -> None:
        own: list[Token] = []
        nested: list[Token] = []
        for child in item.get("children") or []:
            (nested if child.get("type") in ("list", "table") else own).append(child)
        link_ids: list[int] = []
        for leaf_token in own:
            link_ids.extend(self.scan_leaf(leaf_token, block, depth))
        first = next((t for t in own if isinstance(t.get(LEAF_KEY), Leaf)), None)
        if first is not None:
            self.add_entry(first, own, link_ids, in_table=False)
        for child in nested:
            if child.get("type") == "list":
                for sub in child.get("children") or []:
                    self.list_item(sub, block, depth + 1)
            else:
                self.table(child, block, depth)

    def add_entry(
        self, first: Token, own: list[Token], link_ids: list[int], *, in_table: bool
    ) -> None:
        text = " ".join(plain_text(t.get("children") or []).strip() for t in own).strip()
        if not text and not link_ids:
            return
        if link_ids and all(self.links[i][0].url.startswith("#") for i in link_ids):
            return  # a table-of-contents item, not a paper
        leaf: Leaf = first[LEAF_KEY]
        line, column = leaf.position(0)
        last_leaf: Leaf | None = own[-1].get(LEAF_KEY) if own else None
        end_line = last_leaf.position(len(last_leaf.text))[0] if last_leaf else line
        head = read_entry_head(first.get("children") or [], leaf)
        section, section_index = self._section()
        self.entries.append(
            _PendingEntry(
                section, section_index, line, column, end_line, text, head, link_ids, in_table
            )
        )

    def table(self, token: Token, block: int, depth: int | None) -> None:
        header: list[str] = []
        for part in token.get("children") or []:
            if part.get("type") == "table_head":
                for cell in part.get("children") or []:
                    self.scan_leaf(cell, block, depth)
                    header.append(plain_text(cell.get("children") or []).strip())
            elif part.get("type") == "table_body":
                for row in part.get("children") or []:
                    self.table_row(row, header, block, depth)

    def table_row(self, row: Token, header: list[str], block: int, depth: int | None) -> None:
        cells: list[Token] = list(row.get("children") or [])
        link_ids: list[int] = []
        for cell in cells:
            link_ids.extend(self.scan_leaf(cell, block, depth))
        located = [c for c in cells if isinstance(c.get(LEAF_KEY), Leaf)]
        if not located:
            return
        index = pick_title_cell(header, [c.get("children") or [] for c in cells])
        first = cells[index] if index is not None and cells[index] in located else located[0]
        text = " | ".join(plain_text(c.get("children") or []).strip() for c in cells).strip(" |")
        if not text and not link_ids:
            return
        leaf: Leaf = located[0][LEAF_KEY]
        line, column = leaf.position(0)
        head = read_entry_head(first.get("children") or [], first.get(LEAF_KEY))
        section, section_index = self._section()
        self.entries.append(
            _PendingEntry(section, section_index, line, column, line, text, head, link_ids, True)
        )

    # -- result ---------------------------------------------------------------------
    def document(self, text: str) -> Document:
        slugs = assign_slugs([heading[1] for heading in self.headings])
        headings = tuple(
            {"level": level, "text": name, "slug": slug, "line": line, "column": column}
            for (level, name, line, column), slug in zip(self.headings, slugs, strict=True)
        )
        entries: list[dict[str, Any]] = []
        owner: dict[int, int] = {}
        for index, pending in enumerate(self.entries):
            for link_id in pending.links:
                owner[link_id] = index
            title_line, title_column = pending.head.title_position or (None, None)
            entries.append(
                {
                    "section": pending.section,
                    "section_index": pending.section_index,
                    "line": pending.line,
                    "column": pending.column,
                    "end_line": pending.end_line,
                    "text": pending.text,
                    "title": pending.head.title,
                    "title_line": title_line,
                    "title_column": title_column,
                    "name": pending.head.name,
                    "tags": pending.head.tags,
                    "links": tuple(pending.links),
                    "in_table": pending.in_table,
                }
            )
        links = tuple(
            _link(raw, block, depth, owner.get(index))
            for index, (raw, block, depth) in enumerate(self.links)
        )
        # One validation pass in pydantic-core is much faster than a Python-level
        # constructor call per entry and link, and it keeps the invariants checked.
        return Document.model_validate(
            {
                "path": self.path,
                "text": text,
                "lines": split_lines(text),
                "headings": headings,
                "html_anchors": self.anchors,
                "entries": entries,
                "links": links,
                "comments": self.comments,
            }
        )


def _link(raw: RawLink, block: int, depth: int | None, entry: int | None) -> dict[str, Any]:
    classified = classify_url(raw.url)
    values: dict[str, Any] = {
        "url": raw.url,
        "text": raw.text,
        "line": raw.line,
        "column": raw.column,
        "text_line": raw.text_line,
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
        md = _markdown()
        tokens, state = md.parse(text, state=TrackedState())
        release(state)
        builder = _Builder(path)
        builder.walk(tokens if isinstance(tokens, list) else [])
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
