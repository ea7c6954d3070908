"""``--fix``: turn the findings whose fix is mechanical into edits of the list as written.

Only fixes that need no judgement are planned:

- ``github/renamed`` and ``link/moved``: the URL becomes the one the service answered
  with (a ``#fragment`` the old URL carried is kept on a redirect target without one,
  as a browser keeps it; a redirect from https to plain http is not followed);
- ``arxiv/url-form``: the URL becomes the canonical URL of the same kind (abs, pdf,
  html), keeping the query and fragment the list wrote;
- ``arxiv/title-typo``, only with ``titles=True``: the listed title becomes arXiv's,
  keeping a trailing "(ICLR 2024)"-style venue tag the listed title carried;
- ``entry/order``: the entry moves to its place, whole lines (:mod:`~listcheck.fix.moves`).
- ``entry/suggest-link``: the paper link goes into the entry in its section's own style
  (:mod:`~listcheck.fix.insert`); the entry's ``entry/no-link`` finding is settled with it.

Never planned: ``arxiv/version-not-found`` (which version the author meant is a
question), ``arxiv/title-mismatch`` (the id may be the wrong part, not the title) and
``arxiv/title-outdated`` (the listed title was once the paper's real title, often the
one it was published under; renaming it is an editorial choice, not a repair).

Every edit is checked three ways before it is offered: the finding must still describe
the document (a link with that URL starts at that place; the entry's title is written
there verbatim), the characters at the place must be exactly the ones the edit
replaces, and the fixed text, parsed again, must read as intended — the same entries
and links, with only the fixed URLs and titles changed. A fix that fails any of these
is skipped with a reason (:class:`SkippedFix`); nothing is ever guessed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from listcheck.classify import split_http_url
from listcheck.fix.apply import LINE_BREAK, Edit, Reorder, apply_edits
from listcheck.fix.insert import NoPlace, insertion
from listcheck.fix.moves import plan_moves
from listcheck.models import Document, Entry, Finding, Link, LinkSyntax
from listcheck.parse import parse_document
from listcheck.rules.arxiv import canonical_arxiv_url

__all__ = [
    "INSERT_RULES",
    "LINK_RULES",
    "TITLE_RULES",
    "Edit",
    "FixPlan",
    "SkippedFix",
    "plan_fixes",
]

LINK_RULES = frozenset({"github/renamed", "link/moved", "arxiv/url-form"})
"""Rules whose suggestion replaces the URL as written."""

TITLE_RULES = frozenset({"arxiv/title-typo"})
"""Rules whose suggestion replaces the listed title (only with ``titles=True``)."""

INSERT_RULES = frozenset({"entry/suggest-link"})
"""Rules whose suggestion is a link to add to an entry that has none."""

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


@dataclass(frozen=True, slots=True)
class FixPlan:
    """The edits for one document, in document order, and the fixes refused."""

    edits: tuple[Edit, ...]
    skipped: tuple[SkippedFix, ...]
    moves: tuple[Reorder, ...] = ()
    """Entries moved to their place (``entry/order``), one rewrite of lines per section."""

    @property
    def fixed(self) -> tuple[Finding, ...]:
        """Every finding one of the edits or moves settles."""
        edited = (f for edit in self.edits for f in edit.findings)
        return (*edited, *(f for move in self.moves for f in move.findings))


def plan_fixes(doc: Document, findings: Sequence[Finding], *, titles: bool = False) -> FixPlan:
    """Plans one edit per place for every fixable finding of ``doc``.

    Findings of other files and of rules without a mechanical fix are ignored (they are
    neither edits nor skips). Where two fixes overlap, the one that starts first in
    the document (then: the one listed first) is kept and the other skipped; the same
    edit asked for twice (one reference definition cited from several places) is one
    edit settling all of those findings.
    """
    rules = (LINK_RULES | TITLE_RULES if titles else LINK_RULES) | INSERT_RULES
    index = _Index.of(doc)
    candidates: list[_Candidate] = []
    skipped: list[SkippedFix] = []
    for order, found in enumerate(findings):
        if found.path != doc.path or found.rule not in rules:
            continue
        fix = _title_fix if found.rule in TITLE_RULES else _link_fix
        fix = _insert_fix if found.rule in INSERT_RULES else fix
        try:
            candidates.append(fix(doc, index, found, order))
        except _Refused as refused:
            skipped.append(SkippedFix(found, str(refused)))
    kept = _without_overlaps(candidates, skipped)
    kept = _verified(doc, kept, skipped)
    _settle_no_link(kept, findings)
    edits = tuple(c.edit() for c in sorted(kept, key=lambda c: (c.line, c.column)))
    moves, unmoved = plan_moves(doc, findings, busy={edit.line for edit in edits})
    skipped.extend(SkippedFix(skip.finding, skip.reason) for skip in unmoved)
    ordered = {id(f): i for i, f in enumerate(findings)}
    return FixPlan(
        edits, tuple(sorted(skipped, key=lambda s: ordered[id(s.finding)])), tuple(moves)
    )


# --- candidates ------------------------------------------------------------------------


class _Refused(Exception):
    """A fix that is not safe to make; the message is the reason shown to the user."""


@dataclass
class _Candidate:
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

    def overlaps(self, other: _Candidate) -> bool:
        return self.edit().overlaps(other.edit())

    def same_change(self, other: _Candidate) -> bool:
        return (self.line, self.column, self.old, self.new) == (
            other.line,
            other.column,
            other.old,
            other.new,
        )


@dataclass(frozen=True)
class _Index:
    """Where links and entry titles start, by (line, column)."""

    links: dict[tuple[int, int], list[int]]
    titles: dict[tuple[int, int], int]

    @classmethod
    def of(cls, doc: Document) -> _Index:
        links: dict[tuple[int, int], list[int]] = {}
        for i, link in enumerate(doc.links):
            links.setdefault((link.line, link.column), []).append(i)
        titles: dict[tuple[int, int], int] = {}
        for i, entry in enumerate(doc.entries):
            if entry.title and entry.title_line is not None and entry.title_column is not None:
                titles.setdefault((entry.title_line, entry.title_column), i)
        return cls(links, titles)


def _link_fix(doc: Document, index: _Index, found: Finding, order: int) -> _Candidate:
    if found.url is None or not found.suggestion:
        raise _Refused("the finding has no suggestion to apply")
    place = f"{found.line}:{found.column}"
    at = index.links.get((found.line, found.column), [])
    if not at:
        raise _Refused(f"no link starts at {place} any more (the finding is stale)")
    targets = tuple(i for i in at if doc.links[i].url == found.url)
    if not targets:
        raise _Refused(
            f"the link at {place} is now {doc.links[at[0]].url!r} (the finding is stale)"
        )
    link = doc.links[targets[0]]
    target = _target_url(found, link)
    text = _line_text(doc, found.line)
    start = found.column - 1
    if link.syntax is LinkSyntax.HTML:
        written, new = _html_value(text, start), _html_escaped(target, text, start)
        if written is None or html.unescape(written) != found.url:
            raise _Refused(f"the attribute value at {place} is not the finding's URL as written")
        if new is None:
            raise _Refused("the new URL cannot be written inside this HTML attribute as it is")
    else:
        written, new = text[start : start + len(found.url)], target
        if written != found.url:
            raise _Refused(f"the text at {place} is {written!r}, not the finding's URL")
    if new == written:
        raise _Refused("the URL already reads as suggested")
    return _Candidate(
        found.line, found.column, written, new, "link", target, targets, order, [found]
    )


def _target_url(found: Finding, link: Link) -> str:
    """The URL to write in place of the finding's."""
    suggestion = found.suggestion or ""
    if any(c.isspace() or not c.isprintable() for c in suggestion):
        raise _Refused("the suggestion contains blanks or control characters")
    new = split_http_url(suggestion)
    if new is None:
        raise _Refused("the suggestion is not an absolute http(s) URL")
    old = split_http_url(found.url or "")
    if found.rule == "arxiv/url-form":
        if link.arxiv is None or canonical_arxiv_url(link.arxiv) != suggestion:
            raise _Refused("the suggestion is not the canonical form of the link as written")
        if old is not None and old.query is not None and new.query is None:
            suggestion += "?" + old.query
        if old is not None and old.fragment is not None and new.fragment is None:
            suggestion += "#" + old.fragment
    elif found.rule == "link/moved" and old is not None:
        if old.scheme == "https" and new.scheme == "http":
            raise _Refused("the redirect leads from https to plain http")
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


def _title_fix(doc: Document, index: _Index, found: Finding, order: int) -> _Candidate:
    if not found.suggestion:
        raise _Refused("the finding has no suggestion to apply")
    place = f"{found.line}:{found.column}"
    at = index.titles.get((found.line, found.column))
    if at is None:
        raise _Refused(f"no entry title starts at {place} any more (the finding is stale)")
    title = doc.entries[at].title
    assert title is not None
    start = found.column - 1
    if _line_text(doc, found.line)[start : start + len(title)] != title:
        raise _Refused(
            f"the title at {place} is not written verbatim on one line (markup or a break)"
        )
    new = _keep_venue(title, found.suggestion)
    if LINE_BREAK.search(new) or not new.strip():
        raise _Refused("the suggested title is empty or spans lines")
    if new == title:
        raise _Refused("the title already reads as suggested")
    return _Candidate(found.line, found.column, title, new, "title", new, (at,), order, [found])


def _insert_fix(doc: Document, index: _Index, found: Finding, order: int) -> _Candidate:
    if not found.suggestion:
        raise _Refused("the finding has no suggestion to apply")
    at = [i for i, e in enumerate(doc.entries) if (e.line, e.column) == (found.line, found.column)]
    if not at:
        raise _Refused(f"no entry starts at {found.line}:{found.column} any more (stale)")
    if doc.entries[at[0]].links:
        raise _Refused("the entry has a link now (the finding is stale)")
    try:
        place = insertion(doc, at[0], found.suggestion)
    except NoPlace as refused:
        raise _Refused(str(refused)) from None
    return _Candidate(
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


def _settle_no_link(kept: Sequence[_Candidate], findings: Sequence[Finding]) -> None:
    """A link added to an entry also settles its ``entry/no-link`` finding."""
    inserted = {
        (f.path, f.line, f.column): cand
        for cand in kept
        if cand.kind == "insert"
        for f in cand.findings
    }
    for found in findings:
        cand = inserted.get((found.path, found.line, found.column))
        if found.rule == "entry/no-link" and cand is not None:
            cand.findings.append(found)


def _keep_venue(listed: str, arxiv_title: str) -> str:
    tag = _TRAILING_VENUE.search(listed)
    if tag is None or _TRAILING_VENUE.search(arxiv_title):
        return arxiv_title
    return arxiv_title + listed[tag.start() :]


def _line_text(doc: Document, line: int) -> str:
    return doc.lines[line - 1] if 1 <= line <= len(doc.lines) else ""


# --- overlaps and re-parsing -----------------------------------------------------------


def _without_overlaps(candidates: list[_Candidate], skipped: list[SkippedFix]) -> list[_Candidate]:
    """The candidates that overlap no earlier one, in one pass over them in document order.

    The kept candidates of a line never overlap one another and none starts after the
    one being placed, so only the last kept one can reach it: an earlier one ends
    before the last one starts. One comparison per candidate replaces a scan of every
    kept edit, which made thousands of fixes take minutes."""
    kept: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.line, c.column, c.order)):
        clash = kept[-1] if kept and kept[-1].overlaps(cand) else None
        if clash is None:
            kept.append(cand)
        elif clash.same_change(cand):
            clash.findings.extend(cand.findings)
        else:
            rule = clash.findings[0].rule
            reason = f"overlaps the {rule} fix at {clash.line}:{clash.column}"
            skipped.extend(SkippedFix(f, reason) for f in cand.findings)
    return kept


def _verified(
    doc: Document, candidates: list[_Candidate], skipped: list[SkippedFix]
) -> list[_Candidate]:
    """The candidates whose fixed text parses as intended.

    A fix that reads wrong at its own place is dropped; when every fix reads right but
    the document as a whole changed, the ones that change it alone are found by
    halving (:func:`_blamed`). The blame is conservative: a sound fix disturbed by
    another is dropped too, never kept on a guess. Each round drops at least one
    candidate or ends, and the usual case, every fix sound, costs one parse."""
    pending = list(candidates)
    while pending:
        failed = _reparse_failures(doc, pending)
        if failed is None:
            break
        if not failed:
            half = len(pending) // 2
            alone = _blamed(doc, pending[:half]) + _blamed(doc, pending[half:])
            failed = {
                id(c): "the fixed text would change how the rest of the list parses"
                for c in (alone or pending)
            }
        for cand in pending:
            if id(cand) in failed:
                skipped.extend(SkippedFix(f, failed[id(cand)]) for f in cand.findings)
        pending = [c for c in pending if id(c) not in failed]
    return pending


def _blamed(doc: Document, candidates: list[_Candidate]) -> list[_Candidate]:
    """The candidates that, applied alone, do not parse as intended.

    A group that parses as intended is cleared in one parse (fixes that each break
    the list and undo each other's damage are beyond any real suggestion; what is kept
    is verified together anyway) and a failing one is halved, so one culprit among
    thousands of fixes costs a few dozen parses of the list where trying every fix
    alone cost a parse per fix."""
    if not candidates or _reparse_failures(doc, candidates) is None:
        return []
    if len(candidates) == 1:
        return candidates
    half = len(candidates) // 2
    return _blamed(doc, candidates[:half]) + _blamed(doc, candidates[half:])


def _reparse_failures(doc: Document, candidates: Sequence[_Candidate]) -> dict[int, str] | None:
    """Parses the text with ``candidates`` applied. None when it reads exactly as
    intended; else the failing candidates by ``id`` with a reason (empty when each
    reads right at its place but the document as a whole changed)."""
    after = parse_document(apply_edits(doc.text, [c.edit() for c in candidates]), doc.path)
    index = _Index.of(after)
    shifts = _shifts(candidates)
    failures: dict[int, str] = {}
    added: set[int] = set()
    entries = {(e.line, e.column): i for i, e in enumerate(after.entries)}
    for cand in candidates:
        place = (cand.line, cand.column + shifts[id(cand)])
        if cand.kind == "insert":
            new = _added_link(doc, after, entries, cand)
            if new is None:
                failures[id(cand)] = (
                    "after the fix the entry would not read as itself with the link"
                )
            else:
                added.add(new)
        elif cand.kind == "link":
            syntax = doc.links[cand.targets[0]].syntax
            found = {
                (after.links[i].url, after.links[i].syntax) for i in index.links.get(place, [])
            }
            if (cand.expect, syntax) not in found:
                failures[id(cand)] = "after the fix Markdown would not read the new URL as a link"
        else:
            entry = index.titles.get(place)
            if entry is None or after.entries[entry].title != cand.expect:
                failures[id(cand)] = "after the fix Markdown would not read the new title as is"
    if failures:
        return failures
    urls, titles = _expected(doc, candidates)
    kept = [link.url for i, link in enumerate(after.links) if i not in added]
    same = kept == urls and _titles(after.entries) == titles
    return None if same else {}


def _added_link(
    doc: Document, after: Document, entries: dict[tuple[int, int], int], cand: _Candidate
) -> int | None:
    """The index of the link an insert added, read back in ``after``: the entry still
    starts where it did, with its title, and links the new URL (None when not)."""
    before = doc.entries[cand.targets[0]]
    at = entries.get((before.line, before.column))
    if at is None or after.entries[at].title != before.title:
        return None
    new = [i for i in after.entries[at].links if after.links[i].url == cand.expect]
    return new[0] if len(new) == 1 and len(after.entries[at].links) == 1 else None


def _shifts(candidates: Iterable[_Candidate]) -> dict[int, int]:
    """How far the edits left of it on its line move each candidate's column, by
    ``id``: running sums along each line, sorted once (a sum per candidate over every
    other one was quadratic in the number of fixes)."""
    shifts: dict[int, int] = {}
    line = column = before = here = 0
    for cand in sorted(candidates, key=lambda c: (c.line, c.column)):
        if cand.line != line:
            line, column, before, here = cand.line, cand.column, 0, 0
        elif cand.column != column:
            column, before, here = cand.column, before + here, 0
        shifts[id(cand)] = before
        here += len(cand.new) - len(cand.old)
    return shifts


def _expected(
    doc: Document, candidates: Iterable[_Candidate]
) -> tuple[list[str], list[str | None]]:
    urls = [link.url for link in doc.links]
    titles = _titles(doc.entries)
    for cand in candidates:
        for target in cand.targets:
            if cand.kind == "link":
                urls[target] = cand.expect
            elif cand.kind == "title":
                titles[target] = cand.expect
    return urls, titles


def _titles(entries: Iterable[Entry]) -> list[str | None]:
    return [entry.title for entry in entries]
