"""Which section an entry stands in: the stack of open sections as the walk goes.

A reader places a paper under the nearest heading above it, and also under a
``<details>`` group or a list item that only names the items nested under it; rules
such as misplaced entries and the order within a section depend on that placement. The
stack lives here, apart from the walk (:mod:`listcheck.parse.document`) that decides
what each block is, so that every kind of section opens and closes by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from listcheck.models import EntryShape, SectionKind
from listcheck.parse.collect import Collector, PendingEntry
from listcheck.parse.entries import EntryHead
from listcheck.parse.html_blocks import SectionEvent
from listcheck.parse.inline import plain_text
from listcheck.parse.sourcemap import LEAF_KEY, Leaf, Token
from listcheck.parse.title_text import clean_title
from listcheck.slugs import heading_text


@dataclass
class OpenSection:
    level: float
    """Markdown and HTML headings have their level; a ``<details>`` group sits half a
    level below what encloses it, so the next heading of that level closes it too."""
    index: int
    details: bool


@dataclass
class SectionTracker(Collector):
    """The sections and headings read so far, and the entries placed in them."""

    headings: list[tuple[int, str, int, int]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    section_stack: list[OpenSection] = field(default_factory=list)

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
            OpenSection(level, len(self.sections) - 1, kind is SectionKind.DETAILS)
        )

    def close_details(self) -> None:
        for depth in range(len(self.section_stack) - 1, -1, -1):
            if self.section_stack[depth].details:
                del self.section_stack[depth:]
                return

    def heading(self, token: Token, block: int) -> list[int]:
        """Opens the section of a Markdown heading; returns the indexes of its links."""
        level = int((token.get("attrs") or {}).get("level", 1))
        text = heading_text(token.get("children") or [])
        leaf: Leaf | None = token.get(LEAF_KEY)
        line, column = leaf.position(0) if leaf else (1, 1)
        ids = self.scan_leaf(token, block, None)
        self.headings.append((level, text, line, column))
        self.open_section(" ".join(text.split()), SectionKind.HEADING, level, line, column)
        return ids

    def html_section(self, event: SectionEvent, leaf: Leaf) -> None:
        """An HTML heading, or a ``<details>`` group opening, closing or being named."""
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
        self.section_stack.append(OpenSection(level + 0.25, len(self.sections) - 1, False))

    def _section(self) -> tuple[tuple[str, ...], int | None, int | None]:
        names = tuple(self.sections[s.index]["title"] for s in self.section_stack)
        key = self.section_stack[-1].index if self.section_stack else None
        return names, (len(self.headings) - 1 if self.headings else None), key

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
    ) -> PendingEntry:
        """A new entry, placed in the innermost open section."""
        section, section_index, key = self._section()
        entry = PendingEntry(
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
