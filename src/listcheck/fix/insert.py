"""Where and how a new paper link goes into an entry that has none
(``entry/suggest-link``), in the way its section already writes paper links.

The style is learnt from the section's other entries: the paper link of each (its arXiv
link, else a link labelled or hosted as the paper) is written

- as the entry's title (``[Title](URL)``, bold or not): the new entry's title becomes
  the link;
- in a table column: the new row's cell in that column, when empty, gets the link;
- after the text, with its label and brackets (`` [[Paper](URL)]``, `` ([PDF](URL))``,
  `` |[`[pdf]`](URL)``), on the same line of the entry (the third line of a three-line
  entry, before its hard line break): the new link goes there, labelled alike.

The most common way wins, and arXiv's URL is written in the section's form (abs, or pdf
with or without ``.pdf``). With no paper link to learn from, the link is appended as
`` [[arXiv](URL)]``. The planner then re-parses the fixed text and offers the edit only
if the entry reads back as itself with the new link.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from listcheck.models import Document, Entry, EntryShape, Link, LinkSyntax
from listcheck.rules.identity import link_identity
from listcheck.titles.normalize import normalize_title

__all__ = ["Insertion", "NoPlace", "insertion"]

_ARXIV_FORMS = re.compile(r"(https://arxiv\.org/(?:abs|pdf)/)(\S+?)(v\d+)?(\.pdf)?")
"""The URL forms copied from a section: canonical abs and pdf, with or without ``.pdf``
(legacy forms are ``arxiv/url-form`` findings, not a style)."""
_BEFORE_LINK = re.compile(r"[ \t]*(?:[|·•,;][ \t]*)?[\[(]*$")
"""What stands between an entry's text and its paper link: a space, a separator, the
opening brackets (`` [``, `` (``, `` |``)."""
_CLOSERS = {"[": "]", "(": ")"}
_HARD_BREAK = re.compile(r"(?:[ \t]*\\|[ \t]*)$")


class NoPlace(Exception):
    """No verified place for the link in this entry; the message says why."""


@dataclass(frozen=True, slots=True)
class Insertion:
    line: int
    column: int
    old: str
    new: str
    url: str
    """The URL as written, what the re-parsed entry must link."""


@dataclass(frozen=True, slots=True)
class _Style:
    kind: Literal["append", "title", "cell"]
    prefix: str = ""
    label: str = ""
    suffix: str = ""
    place: int = -1
    """append: the entry's line (0 = its first, -1 = its last); cell: the column."""


_FALLBACK = _Style("append", " [", "arXiv", "]")


def insertion(doc: Document, entry_index: int, abs_url: str) -> Insertion:
    """The edit that gives ``doc.entries[entry_index]`` the arXiv link ``abs_url``."""
    entry = doc.entries[entry_index]
    if entry.shape in (EntryShape.HTML_LIST_ITEM, EntryShape.HTML_TABLE_ROW):
        raise NoPlace("an HTML entry: its markup is not written here")
    siblings = [
        other
        for other in doc.entries
        if other.section_key == entry.section_key and other is not entry
        if other.in_table == entry.in_table
    ]
    styles: Counter[_Style] = Counter()
    forms: Counter[tuple[str, str]] = Counter()
    for other in siblings:
        link = _paper_link(doc, other)
        if link is None:
            continue
        style = _style_of(doc, other, link)
        if style is not None:
            styles[style] += 1
        form = _ARXIV_FORMS.fullmatch(link.url) if link.arxiv is not None else None
        if form is not None:
            forms[form[1], form[4] or ""] += 1
    url = _in_form(abs_url, forms.most_common(1)[0][0] if forms else None)
    if styles:
        style = styles.most_common(1)[0][0]
    elif entry.in_table:
        raise NoPlace("no row of this table links its paper, so no column to write it in")
    else:
        style = _FALLBACK
    return _place(doc, entry, style, url)


def _paper_link(doc: Document, entry: Entry) -> Link | None:
    links = [doc.links[i] for i in entry.links]
    for link in links:
        if link.arxiv is not None and link.arxiv.valid:
            return link
    for link in links:
        found = link_identity(link)
        if found is not None and found.paper:
            return link
    return None


def _style_of(doc: Document, entry: Entry, link: Link) -> _Style | None:
    line = doc.lines[link.text_line - 1]
    if entry.title and normalize_title(link.text) == normalize_title(entry.title):
        return _Style("title")
    if entry.in_table:
        cells = _cells(line)
        for number, (start, end) in enumerate(cells):
            if start <= link.text_column - 1 < end:
                if line[start : link.text_column - 1].strip():
                    return None  # the paper link follows other text in its cell
                return _Style("cell", label=_label(line, link), place=number)
        return None
    before = _BEFORE_LINK.search(line[: link.text_column - 1])
    prefix = before.group(0) if before else ""
    suffix = "".join(_CLOSERS[c] for c in reversed(prefix) if c in _CLOSERS)
    offset = link.text_line - entry.line
    place = -1 if link.text_line == entry.end_line else offset
    return _Style("append", prefix, _label(line, link), suffix, place)


def _label(line: str, link: Link) -> str:
    """The link's text as written (`` `[pdf]` `` keeps its code span), when it is an
    inline link on one line; else its text."""
    start, end = link.text_column, link.column - 3
    if (
        link.syntax is LinkSyntax.INLINE
        and link.line == link.text_line
        and start <= end
        and line[end : end + 2] == "]("
    ):
        return line[start:end]
    return link.text


def _in_form(abs_url: str, form: tuple[str, str] | None) -> str:
    if form is None:
        return abs_url
    start, suffix = form
    return start + abs_url.rsplit("/abs/", 1)[1] + suffix


def _place(doc: Document, entry: Entry, style: _Style, url: str) -> Insertion:
    if style.kind == "title":
        title = entry.title
        if not title or entry.title_line is None or entry.title_column is None:
            raise NoPlace("the section links its titles, and this entry's title is not known")
        line = doc.lines[entry.title_line - 1]
        start = entry.title_column - 1
        if line[start : start + len(title)] != title:
            raise NoPlace("the title is not written verbatim on one line")
        if any(c in title for c in "[]"):
            raise NoPlace("the title holds brackets, which a link text would have to escape")
        if line[start + len(title) : start + len(title) + 1] == ".":
            title += "."  # the title's own full stop goes inside the link, as in "[Title.](…)"
        return Insertion(entry.title_line, entry.title_column, title, f"[{title}]({url})", url)
    if style.kind == "cell":
        line = doc.lines[entry.line - 1]
        cells = _cells(line)
        if style.place >= len(cells):
            raise NoPlace("the row has no cell in the column where the section links papers")
        start, end = cells[style.place]
        if line[start:end].strip():
            raise NoPlace("the row's link cell already holds text")
        return Insertion(entry.line, start + 1, line[start:end], f" [{style.label}]({url}) ", url)
    number = entry.end_line if style.place < 0 else entry.line + style.place
    if number > entry.end_line:
        number = entry.end_line
    line = doc.lines[number - 1]
    tail = _HARD_BREAK.search(line)
    end = len(line) - (len(tail.group(0)) if tail else 0)
    new = f"{style.prefix}[{style.label}]({url}){style.suffix}"
    if not line[:end].strip():
        raise NoPlace("the entry's line for the link is empty")
    return Insertion(number, end + 1, "", new, url)


def _cells(line: str) -> list[tuple[int, int]]:
    """The cells of a table row as (start, end) offsets between unescaped pipes."""
    pipes = [i for i, c in enumerate(line) if c == "|" and (i == 0 or line[i - 1] != "\\")]
    return [(start + 1, end) for start, end in pairwise(pipes)]
