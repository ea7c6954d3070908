"""``--fix``: one fixable finding turned into one candidate edit, or refused with a reason.

Each kind of fix (a URL replaced, a title replaced, a link inserted) reads the document
as it is now before it proposes anything: the finding must still describe it (a link
with that URL starts at that place; the entry's title is written there verbatim) and
the characters at the place must be exactly the ones the edit replaces. A finding
that fails is :class:`Refused`, never guessed at. Whether the candidates clash with one
another or re-parse as intended is :mod:`~listcheck.fix.verify`'s question.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Literal

from listcheck.classify.split import split_http_url
from listcheck.fix.apply import LINE_BREAK, Edit
from listcheck.fix.insert import NoPlace, insertion
from listcheck.models import Document, Finding, Link, LinkSyntax
from listcheck.rules.arxiv import canonical_arxiv_url

__all__ = [
    "Candidate",
    "Index",
    "Refused",
    "SkippedFix",
    "insert_fix",
    "link_fix",
    "title_fix",
]

_HTML_UNQUOTED_VALUE = re.compile(r"[^\s\"'=<>`]+")
_NOT_IN_HTML_VALUE = frozenset("\"'<>`")
_TRAILING_VENUE = re.compile(r"\s*[(\[（【][^()\[\]（）【】]*\d{4}[^()\[\]（）【】]*[)\]）】]$")
"""A venue or year tag at the end of a listed title, "(ICLR 2024)": the list's own
annotation, which arXiv's title never carries and a title fix must not drop."""


@dataclass(frozen=True, slots=True)
class SkippedFix:
    """A fixable finding that was not fixed, and why (stale, ambiguous, unsafe...)."""

    finding: Finding
    reason: str


class Refused(Exception):
    """A fix that is not safe to make; the message is the reason shown to the user."""


@dataclass
class Candidate:
    """An edit being planned, with what the re-parsed text must show at its place."""

    line: int
    column: int
    old: str
    new: str
    kind: Literal["link", "title", "insert"]
    expect: str
    """The link's URL (as the parser reports it, in the same syntax) or the entry's
    title after the fix."""
    targets: tuple[int, ...]
    """Indexes of the links (or the one entry) the edit changes."""
    order: int
    findings: list[Finding] = field(default_factory=list)

    def edit(self) -> Edit:
        return Edit(self.line, self.column, self.old, self.new, tuple(self.findings))

    def overlaps(self, other: Candidate) -> bool:
        return self.edit().overlaps(other.edit())

    def same_change(self, other: Candidate) -> bool:
        return (self.line, self.column, self.old, self.new) == (
            other.line,
            other.column,
            other.old,
            other.new,
        )


@dataclass(frozen=True)
class Index:
    """Where links and entry titles start, by (line, column)."""

    links: dict[tuple[int, int], list[int]]
    titles: dict[tuple[int, int], int]

    @classmethod
    def of(cls, doc: Document) -> Index:
        links: dict[tuple[int, int], list[int]] = {}
        for i, link in enumerate(doc.links):
            links.setdefault((link.line, link.column), []).append(i)
        titles: dict[tuple[int, int], int] = {}
        for i, entry in enumerate(doc.entries):
            if entry.title and entry.title_line is not None and entry.title_column is not None:
                titles.setdefault((entry.title_line, entry.title_column), i)
        return cls(links, titles)


def link_fix(doc: Document, index: Index, found: Finding, order: int) -> Candidate:
    if found.url is None or not found.suggestion:
        raise Refused("the finding has no suggestion to apply")
    place = f"{found.line}:{found.column}"
    at = index.links.get((found.line, found.column), [])
    if not at:
        raise Refused(f"no link starts at {place} any more (the finding is stale)")
    targets = tuple(i for i in at if doc.links[i].url == found.url)
    if not targets:
        raise Refused(f"the link at {place} is now {doc.links[at[0]].url!r} (the finding is stale)")
    link = doc.links[targets[0]]
    target = _target_url(found, link)
    text = _line_text(doc, found.line)
    start = found.column - 1
    if link.syntax is LinkSyntax.HTML:
        written, new = _html_value(text, start), _html_escaped(target, text, start)
        if written is None or html.unescape(written) != found.url:
            raise Refused(f"the attribute value at {place} is not the finding's URL as written")
        if new is None:
            raise Refused("the new URL cannot be written inside this HTML attribute as it is")
    else:
        written, new = text[start : start + len(found.url)], target
        if written != found.url:
            raise Refused(f"the text at {place} is {written!r}, not the finding's URL")
    if new == written:
        raise Refused("the URL already reads as suggested")
    return Candidate(
        found.line, found.column, written, new, "link", target, targets, order, [found]
    )


def _target_url(found: Finding, link: Link) -> str:
    """The URL to write in place of the finding's."""
    suggestion = found.suggestion or ""
    if any(c.isspace() or not c.isprintable() for c in suggestion):
        raise Refused("the suggestion contains blanks or control characters")
    new = split_http_url(suggestion)
    if new is None:
        raise Refused("the suggestion is not an absolute http(s) URL")
    old = split_http_url(found.url or "")
    if found.rule == "arxiv/url-form":
        if link.arxiv is None or canonical_arxiv_url(link.arxiv) != suggestion:
            raise Refused("the suggestion is not the canonical form of the link as written")
        if old is not None and old.query is not None and new.query is None:
            suggestion += "?" + old.query
        if old is not None and old.fragment is not None and new.fragment is None:
            suggestion += "#" + old.fragment
    elif found.rule == "link/moved" and old is not None:
        if old.scheme == "https" and new.scheme == "http":
            raise Refused("the redirect leads from https to plain http")
        if old.fragment is not None and new.fragment is None:
            suggestion += "#" + old.fragment
    return suggestion


def _html_value(text: str, start: int) -> str | None:
    """The attribute value starting at ``start``: up to its closing quote, or to the
    first character an unquoted value cannot hold. None when it runs past the line."""
    if start > 0 and text[start - 1] in "\"'":
        end = text.find(text[start - 1], start)
        return text[start:end] if end >= 0 else None
    match = _HTML_UNQUOTED_VALUE.match(text, start)
    return match.group(0) if match else None


def _html_escaped(url: str, text: str, start: int) -> str | None:
    """``url`` as an attribute value in the style of the one it replaces: ``&`` as
    ``&amp;`` when the old value used entities or the URL would read as one."""
    if any(c in _NOT_IN_HTML_VALUE for c in url):
        return None
    old = _html_value(text, start) or ""
    if html.unescape(old) != old or html.unescape(url) != url:
        return url.replace("&", "&amp;")
    return url


def title_fix(doc: Document, index: Index, found: Finding, order: int) -> Candidate:
    if not found.suggestion:
        raise Refused("the finding has no suggestion to apply")
    place = f"{found.line}:{found.column}"
    at = index.titles.get((found.line, found.column))
    if at is None:
        raise Refused(f"no entry title starts at {place} any more (the finding is stale)")
    title = doc.entries[at].title
    assert title is not None
    start = found.column - 1
    if _line_text(doc, found.line)[start : start + len(title)] != title:
        raise Refused(
            f"the title at {place} is not written verbatim on one line (markup or a break)"
        )
    new = _keep_venue(title, found.suggestion)
    if LINE_BREAK.search(new) or not new.strip():
        raise Refused("the suggested title is empty or spans lines")
    if new == title:
        raise Refused("the title already reads as suggested")
    return Candidate(found.line, found.column, title, new, "title", new, (at,), order, [found])


def insert_fix(doc: Document, index: Index, found: Finding, order: int) -> Candidate:
    if not found.suggestion:
        raise Refused("the finding has no suggestion to apply")
    at = [i for i, e in enumerate(doc.entries) if (e.line, e.column) == (found.line, found.column)]
    if not at:
        raise Refused(f"no entry starts at {found.line}:{found.column} any more (stale)")
    if doc.entries[at[0]].links:
        raise Refused("the entry has a link now (the finding is stale)")
    try:
        place = insertion(doc, at[0], found.suggestion)
    except NoPlace as refused:
        raise Refused(str(refused)) from None
    return Candidate(
        place.line,
        place.column,
        place.old,
        place.new,
        "insert",
        place.url,
        (at[0],),
        order,
        [found],
    )


def _keep_venue(listed: str, arxiv_title: str) -> str:
    tag = _TRAILING_VENUE.search(listed)
    if tag is None or _TRAILING_VENUE.search(arxiv_title):
        return arxiv_title
    return arxiv_title + listed[tag.start() :]


def _line_text(doc: Document, line: int) -> str:
    return doc.lines[line - 1] if 1 <= line <= len(doc.lines) else ""
