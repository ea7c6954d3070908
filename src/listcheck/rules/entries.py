"""Entry rules: a paper listed without a link, and a paper listed twice in one section.

Both rules reason per section (entries sharing ``section_key``: a heading, an HTML
heading, a ``<details>`` group or a list item heading a nested list), because that is how
these lists are curated: the same paper is deliberately repeated under "Safety
Alignment" and "Privacy Compliance", and only a repeat inside one section is a
copy-paste slip.

What counts as a *paper section* is learnt from the section itself rather than from
its heading: a section whose entries mostly carry links is a list of papers, so an
entry there without one is a link someone forgot. A table of contents (whose items
the parser already drops), a "Contributing" section or a run of prose bullets has few
or no linked entries and is left alone. Headings that name such housekeeping sections
are excluded as well, since a "News" section can be link-heavy without being papers.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from listcheck.models import Document, Entry, Finding, Link, LinkKind, LinkSyntax
from listcheck.rules.base import LintContext, finding, offline_rule

_TITLE_WIDTH = 60
_MIN_LINKED = 2
"""A section needs at least this many linked entries before its linkless ones count:
one linked bullet among prose is not evidence of a list of papers."""

_HOUSEKEEPING = re.compile(
    r"(?:how to )?contribut\w*|licen[cs]e|citations?|cite(?: us| this(?: work)?)?"
    r"|acknowledge?ments?|contacts?(?: us)?|(?:latest )?(?:news|updates)|changelog"
    r"|star history|(?:table of )?contents|toc"
)
"""Whole headings (lowercased, letters only) of sections that are about the list
itself; matched whole so that a "Knowledge Updates" section of papers still counts."""
_NOT_LETTERS = re.compile(r"[^a-z]+")

_WITHHELD = re.compile(
    r"\b(?:cannot|can\s*not|can't|could\s*not|couldn't|will\s*not|won't|must\s*not|may\s*not)"
    r"\s+be\s+(?:publicly\s+)?(?:disclosed|released|shared|published|made\s+public|linked)\b"
    r"|\b(?:is|are)\s+not\s+(?:yet\s+)?(?:publicly\s+)?(?:disclosed|released)\b",
    re.IGNORECASE,
)
"""An entry that says why it has no link was left without one on purpose (the
``**Harry Potter** Copyright issue, cannot be disclosed.`` dataset): warning about it
would only teach maintainers to ignore the rule."""

_NOT_IDENTITY = frozenset(
    {
        LinkKind.ANCHOR,
        LinkKind.EMPTY,
        LinkKind.MALFORMED,
        LinkKind.MAILTO,
        LinkKind.OTHER_SCHEME,
    }
)
"""Links that say nothing about which paper an entry is: a ``#top`` back-link or a
contact address is shared by every entry that has one."""

_GITHUB_REPO_PATHS = frozenset({None, "tree", "blob"})


def short_title(entry: Entry) -> str:
    """The name a reader would recognise the entry by, cut to fit one message line."""
    text = entry.title or entry.name or entry.text
    text = " ".join(text.split())
    if len(text) > _TITLE_WIDTH:
        text = text[: _TITLE_WIDTH - 1].rstrip() + "…"
    return text


def _entry_links(doc: Document, entry: Entry) -> list[Link]:
    return [doc.links[i] for i in entry.links if 0 <= i < len(doc.links)]


def _has_own_links(doc: Document, entry: Entry) -> bool:
    return any(link.kind is not LinkKind.ANCHOR for link in _entry_links(doc, entry))


def _children(entries: Sequence[Entry], index: int) -> range:
    """Indexes of the entries nested under ``entries[index]`` (list items indented
    deeper, directly following it in the same section)."""
    parent = entries[index]
    end = index + 1
    while (
        not parent.in_table
        and end < len(entries)
        and not entries[end].in_table
        and entries[end].section_key == parent.section_key
        and entries[end].column > parent.column
    ):
        end += 1
    return range(index + 1, end)


@dataclass(frozen=True)
class _Candidate:
    entry: Entry
    linked: bool
    """The entry or one of its nested items carries a link."""
    detail: bool
    """A nested item under a linked entry: "Authors: …", "Venue: …", not a paper."""
    withheld: bool
    """The entry says why it has no link."""


def _candidates(doc: Document) -> dict[int | None, list[_Candidate]]:
    entries = doc.entries
    own = [_has_own_links(doc, e) for e in entries]
    linked = list(own)
    detail = [False] * len(entries)
    for index in range(len(entries)):
        nested = _children(entries, index)
        if any(own[i] for i in nested):
            linked[index] = True
        if own[index]:
            for i in nested:
                detail[i] = True
    by_section: dict[int | None, list[_Candidate]] = defaultdict(list)
    for index, entry in enumerate(entries):
        withheld = not linked[index] and bool(_WITHHELD.search(entry.text))
        by_section[entry.section_key].append(
            _Candidate(entry, linked[index], detail[index], withheld)
        )
    return by_section


def _is_housekeeping(heading: str) -> bool:
    words = _NOT_LETTERS.sub(" ", heading.lower()).strip()
    return _HOUSEKEEPING.fullmatch(words) is not None


def _is_paper_section(doc: Document, section_key: int | None, group: list[_Candidate]) -> bool:
    if section_key is not None and any(
        _is_housekeeping(title) for title in _section_titles(doc, section_key)
    ):
        return False
    papers = [c for c in group if not (c.detail or c.withheld)]
    with_links = sum(c.linked for c in papers)
    return with_links >= _MIN_LINKED and with_links > len(papers) - with_links


def _section_titles(doc: Document, section_key: int) -> Iterator[str]:
    """The titles of a section and of the sections that enclose it: a "Contributing"
    heading is housekeeping down to its last ``<details>`` group."""
    key: int | None = section_key
    while key is not None and 0 <= key < len(doc.sections):
        yield doc.sections[key].title
        key = doc.sections[key].parent


@offline_rule("entry/no-link")
def no_link(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """Entries without a link in sections whose other entries have them."""
    for section_key, group in _candidates(doc).items():
        if not _is_paper_section(doc, section_key, group):
            continue
        for candidate in group:
            entry = candidate.entry
            if candidate.linked or candidate.detail or candidate.withheld:
                continue
            yield finding(
                doc,
                "entry/no-link",
                entry.line,
                entry.column,
                f'entry has no link: "{short_title(entry)}"',
            )


# -- entry/duplicate ---------------------------------------------------------------------


def normalise_url(url: str) -> str:
    """The part of a URL that names the resource: no scheme, no ``www.``, no trailing
    slash, no ``.pdf`` (a page and its PDF are one paper). A fragment is dropped unless
    it is a client-side route (``#/…``, ``#!…``), which names a different page."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path
    if not host:
        path = posixpath.normpath(path) if path else path
    path = path.rstrip("/")
    if path.lower().endswith(".pdf"):
        path = path[: -len(".pdf")]
    result = host + path
    if parts.query:
        result += "?" + parts.query
    if parts.fragment.startswith(("/", "!")):
        result += "#" + parts.fragment
    return result


def _identity(doc: Document, entry: Entry) -> dict[str, str]:
    """Keys naming the paper an entry lists, each with how a message should show it.

    An entry with an arXiv link (or an ``[arxiv 2310.12773]`` tag, as dataset entries
    cite their paper) is that arXiv paper and nothing else: two papers from one group
    often share a code repository or a project page. Only entries without an arXiv id
    are recognised by their GitHub repository or their other URLs.
    """
    links = [
        link
        for link in _entry_links(doc, entry)
        if link.syntax is not LinkSyntax.IMAGE and link.kind not in _NOT_IDENTITY
    ]
    ids = [link.arxiv.id for link in links if link.arxiv is not None and link.arxiv.valid]
    ids += [tag.arxiv_id for tag in entry.tags if tag.arxiv_id is not None]
    arxiv = {f"arxiv:{arxiv_id.lower()}": f"arXiv {arxiv_id}" for arxiv_id in ids}
    if arxiv:
        return arxiv
    keys: dict[str, str] = {}
    for link in links:
        github = link.github
        if github is not None and github.path_kind in _GITHUB_REPO_PATHS:
            repo = github.slug + (f"/{github.path.strip('/')}" if github.path else "")
            keys[f"github:{repo.lower()}"] = f"GitHub {repo}"
        else:
            url = normalise_url(link.url)
            if url:
                keys[f"url:{url}"] = link.url
    return keys


@offline_rule("entry/duplicate")
def duplicate(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """The later of two entries in one section that list the same paper."""
    seen: dict[tuple[int | None, str], Entry] = {}
    for entry in doc.entries:
        keys = _identity(doc, entry)
        earlier = next(
            (
                (seen[(entry.section_index, k)], label)
                for k, label in keys.items()
                if (entry.section_index, k) in seen
            ),
            None,
        )
        if earlier is not None:
            first, label = earlier
            yield finding(
                doc,
                "entry/duplicate",
                entry.line,
                entry.column,
                f"same paper as line {first.line} ({label})",
            )
        for key in keys:
            seen.setdefault((entry.section_index, key), entry)
