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

_EVENT = re.compile(
    r"<details\b[^>]*>|</details\s*>"
    r"|<summary\b[^>]*>(?P<summary>.*?)</summary\s*>"
    r"|<h(?P<level>[1-6])\b[^>]*>(?P<heading>.*?)</h(?P=level)\s*>",
    re.IGNORECASE | re.DOTALL,
)
_ROW = re.compile(r"<tr\b[^>]*>(?P<body>.*?)(?:</tr\s*>|(?=<tr\b)|$)", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(
    r"<t(?P<kind>[dh])\b[^>]*>(?P<body>.*?)(?:</t[dh]\s*>|(?=<t[dh]\b)|$)",
    re.IGNORECASE | re.DOTALL,
)
_ITEM = re.compile(r"<li\b[^>]*>(?P<body>(?:(?!<li\b|</li\s*>|<[uo]l\b).)*)", re.I | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def html_text(fragment: str) -> str:
    """The text a reader sees of an HTML fragment: tags and comments dropped, entities
    decoded, whitespace collapsed."""
    text = _TAG.sub(" ", _COMMENT.sub("", fragment))
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
    clean = _COMMENT.sub(lambda m: " " * len(m.group(0)), text)
    for m in _EVENT.finditer(clean):
        token = m.group(0).lower()
        if m.group("summary") is not None:
            events.append(SectionEvent("summary", m.start(), html_text(m.group("summary"))))
        elif m.group("level") is not None:
            level = int(m.group("level"))
            events.append(SectionEvent("heading", m.start(), html_text(m.group("heading")), level))
        elif token.startswith("</"):
            events.append(SectionEvent("close", m.start()))
        else:
            events.append(SectionEvent("open", m.start()))
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
    clean = _COMMENT.sub(lambda m: " " * len(m.group(0)), text)
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
