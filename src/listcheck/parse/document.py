"""Markdown text -> :class:`~listcheck.models.Document`: sections, entries and links.

mistune does the Markdown (CommonMark plus GitHub tables and bare URLs), a piece of the
list at a time (:mod:`listcheck.parse.chunks`); the source-map in
:mod:`listcheck.parse.sourcemap` gives every token its place in the file; the walk
(:mod:`listcheck.parse.walk`) goes over the tree once. This module is the one way in:
it runs them in order, with the cyclic collector off, and builds the typed document.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager

from listcheck.models import Document
from listcheck.parse.chunks import top_level_tokens
from listcheck.parse.walk import BlockWalker
from listcheck.slugs import assign_slugs

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> tuple[str, ...]:
    """The file's lines as an editor shows them (CRLF, CR and LF all end a line)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "" and len(lines) > 1:
        lines.pop()
    return tuple(lines) if text else ()


def parse_document(text: str, path: str) -> Document:
    """Parses a list. Never raises on any text: malformed Markdown is still Markdown."""
    with _no_cyclic_gc():
        walker = BlockWalker()
        walker.walk(top_level_tokens(text))
        return _document(walker, text, path)


def _document(walker: BlockWalker, text: str, path: str) -> Document:
    slugs = assign_slugs([heading[1] for heading in walker.headings])
    headings = tuple(
        {"level": level, "text": name, "slug": slug, "line": line, "column": column}
        for (level, name, line, column), slug in zip(walker.headings, slugs, strict=True)
    )
    return Document.model_validate(
        {
            "path": path,
            "text": text,
            "lines": split_lines(text),
            "headings": headings,
            "sections": walker.sections,
            "html_anchors": walker.anchors,
            "entries": walker.done_entries,
            "links": walker.done_links,
            "comments": walker.comments,
        }
    )


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
