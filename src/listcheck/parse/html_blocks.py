"""What raw HTML in a list means to a reader: sections and rows.

Lists use HTML where Markdown falls short: ``<h2 id=…>`` headings, ``<details><summary>``
fold-out groups, and ``<table>``/``<ul>`` blocks of papers. GitHub renders them, so the
reader sees sections and entries in them; this module finds them in the text of one HTML
block, each with its offset, and leaves the links to the inline locator.

Regular expressions, not an HTML parser: the blocks are fragments (a ``<details>`` opens
in one block and closes many blocks later), and only the few tags above matter.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_SECTION_TAG = re.compile(r"<(/?)(details|summary|h[1-6])\b[^<>]*>", re.IGNORECASE)
"""One opening or closing tag that matters for sections. ``[^<>]*`` stops at the next
tag, so a block full of unclosed tags (a hostile pull request) is still read in linear
time; the text between an opening and its closing tag is cut from the block after."""
# Tags end at the next "<" as well as at ">": a block of "<tr <tr <tr…" without a ">"
# would otherwise be read to its end once per tag.
_ROW = re.compile(r"<tr\b[^<>]*>(?P<body>.*?)(?:</tr\s*>|(?=<tr\b)|$)", re.I | re.DOTALL)
_CELL = re.compile(
    r"<t(?P<kind>[dh])\b[^<>]*>(?P<body>.*?)(?:</t[dh]\s*>|(?=<t[dh]\b)|$)",
    re.IGNORECASE | re.DOTALL,
)
_ITEM = re.compile(r"<li\b[^<>]*>(?P<body>(?:(?!<li\b|</li\s*>|<[uo]l\b).)*)", re.I | re.DOTALL)
_TAG = re.compile(r"<[^<>]*>")
_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"


def comment_spans(text: str) -> list[tuple[int, int]]:
    """Where each ``<!-- … -->`` of ``text`` starts and ends, in order.

    A ``<!--`` with no ``-->`` after it is not closed, and neither is any later one, so
    the search stops there: a lazy ``<!--.*?-->`` would read a block of a thousand
    unclosed comments to its end once per comment."""
    spans: list[tuple[int, int]] = []
    start = text.find(_COMMENT_OPEN)
    while start >= 0:
        close = text.find(_COMMENT_CLOSE, start + len(_COMMENT_OPEN))
        if close < 0:
            break
        end = close + len(_COMMENT_CLOSE)
        spans.append((start, end))
        start = text.find(_COMMENT_OPEN, end)
    return spans


def _without_comments(text: str, *, keep_offsets: bool) -> str:
    """``text`` without its comments, or with each turned into as many spaces when the
    offsets of what follows must stay true."""
    pieces: list[str] = []
    last = 0
    for start, end in comment_spans(text):
        pieces += (text[last:start], " " * (end - start) if keep_offsets else "")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def html_text(fragment: str) -> str:
    """The text a reader sees of an HTML fragment: tags and comments dropped, entities
    decoded, whitespace collapsed."""
    text = _TAG.sub(" ", _without_comments(fragment, keep_offsets=False))
    return " ".join(html.unescape(text).split())


@dataclass(frozen=True)
class SectionEvent:
    """``open`` (a ``<details>``), ``close`` (``</details>``), ``summary`` (the title of
    the innermost open group) or ``heading`` (an HTML heading of ``level``)."""

    kind: str
    offset: int
    title: str = ""
    level: int = 0


def section_events(text: str) -> list[SectionEvent]:
    events: list[SectionEvent] = []
    clean = _without_comments(text, keep_offsets=True)
    open_tag: tuple[str, int, int] | None = None
    """The ``<summary>`` or ``<hN>`` waiting for its closing tag: name, start, text start."""
    for m in _SECTION_TAG.finditer(clean):
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name == "details":
            events.append(SectionEvent("close" if closing else "open", m.start()))
            continue
        if not closing:
            open_tag = (name, m.start(), m.end())
            continue
        if open_tag is None or open_tag[0] != name:
            continue
        _, start, body = open_tag
        title = html_text(clean[body : m.start()])
        if name == "summary":
            events.append(SectionEvent("summary", start, title))
        else:
            events.append(SectionEvent("heading", start, title, int(name[1])))
        open_tag = None
    events.sort(key=lambda event: event.offset)
    return events


@dataclass(frozen=True)
class HtmlRow:
    """One ``<tr>`` or ``<li>``: its span in the block and the text of each cell."""

    kind: str
    """``tr`` or ``li``."""
    start: int
    end: int
    cells: tuple[str, ...]
    header: bool
    """Every cell is a ``<th>``."""


def html_rows(text: str) -> list[HtmlRow]:
    """Table rows and innermost list items of one HTML block, in order."""
    clean = _without_comments(text, keep_offsets=True)
    rows: list[HtmlRow] = []
    for m in _ROW.finditer(clean):
        cells = list(_CELL.finditer(m.group("body")))
        if not cells:
            continue
        rows.append(
            HtmlRow(
                "tr",
                m.start(),
                m.end(),
                tuple(html_text(c.group("body")) for c in cells),
                all(c.group("kind").lower() == "h" for c in cells),
            )
        )
    for m in _ITEM.finditer(clean):
        rows.append(HtmlRow("li", m.start(), m.end(), (html_text(m.group("body")),), False))
    rows.sort(key=lambda row: row.start)
    return rows
