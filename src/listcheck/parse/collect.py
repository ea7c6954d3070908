"""What the walk over a list has found so far, and its turning into models.

The walk (:mod:`listcheck.parse.document`) finds links in every leaf block and makes
entries that point at them by index; a link or an entry is final only once the walk has
gone past the block after it. Keeping that bookkeeping here (the growing windows, the
settling into pydantic models a batch at a time, the values of each model) leaves the
walk to the question of what the Markdown means.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter

from listcheck.classify import classify_url
from listcheck.models import Comment, Entry, EntryShape, HtmlAnchor, Link, LinkKind
from listcheck.parse.entries import EntryHead
from listcheck.parse.inline import InlineLocator, RawLink
from listcheck.parse.sourcemap import LEAF_KEY, Leaf, Token


@dataclass(slots=True)
class PendingEntry:
    """An entry as the walk makes it: its links may still grow (a list of details after
    a heading) until the walk is past the next block."""

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


_Item = TypeVar("_Item")


class Window(Generic[_Item]):
    """A list whose items keep their index from the start of the document while the
    oldest of them are taken away (see :meth:`Collector.settle`)."""

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
class Collector:
    """The links, anchors, comments and entries found so far. The walk inherits it
    rather than holding one, so that reading ``self.links`` in its loops costs no more
    than before the two were apart."""

    links: Window[tuple[RawLink, int, int | None]] = field(default_factory=Window)
    entries: Window[PendingEntry] = field(default_factory=Window)
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

    # -- settling -------------------------------------------------------------------
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


def _entry(pending: PendingEntry, numbers: dict[int, int]) -> dict[str, Any]:
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
