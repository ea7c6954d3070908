"""``--fix``: which candidate edits may be offered together, checked by parsing again.

Candidates are planned one finding at a time (:mod:`~listcheck.fix.candidates`), so two
may claim the same characters, and an edit that looks right at its place may still
change how Markdown reads the rest of the list. Here overlapping candidates are
resolved (the first in the document wins) and the survivors are applied and parsed
again: the fixed text must hold the same entries and links, with only the fixed URLs
and titles changed. A candidate that fails is skipped with a reason, never kept on
a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from listcheck.fix.apply import apply_edits
from listcheck.fix.candidates import Candidate, Index, SkippedFix
from listcheck.models import Document, Entry
from listcheck.parse import parse_document

__all__ = ["verified", "without_overlaps"]


def without_overlaps(candidates: list[Candidate], skipped: list[SkippedFix]) -> list[Candidate]:
    """The candidates that overlap no earlier one, in one pass over them in document order.

    The kept candidates of a line never overlap one another and none starts after the
    one being placed, so only the last kept one can reach it: an earlier one ends
    before the last one starts. One comparison per candidate replaces a scan of every
    kept edit, which made thousands of fixes take minutes."""
    kept: list[Candidate] = []
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


def verified(
    doc: Document, candidates: list[Candidate], skipped: list[SkippedFix]
) -> list[Candidate]:
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


def _blamed(doc: Document, candidates: list[Candidate]) -> list[Candidate]:
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


def _reparse_failures(doc: Document, candidates: Sequence[Candidate]) -> dict[int, str] | None:
    """Parses the text with ``candidates`` applied. None when it reads exactly as
    intended; else the failing candidates by ``id`` with a reason (empty when each
    reads right at its place but the document as a whole changed)."""
    after = parse_document(apply_edits(doc.text, [c.edit() for c in candidates]), doc.path)
    index = Index.of(after)
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
    doc: Document, after: Document, entries: dict[tuple[int, int], int], cand: Candidate
) -> int | None:
    """The index of the link an insert added, read back in ``after``: the entry still
    starts where it did, with its title, and links the new URL (None when not)."""
    before = doc.entries[cand.targets[0]]
    at = entries.get((before.line, before.column))
    if at is None or after.entries[at].title != before.title:
        return None
    new = [i for i in after.entries[at].links if after.links[i].url == cand.expect]
    return new[0] if len(new) == 1 and len(after.entries[at].links) == 1 else None


def _shifts(candidates: Iterable[Candidate]) -> dict[int, int]:
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


def _expected(doc: Document, candidates: Iterable[Candidate]) -> tuple[list[str], list[str | None]]:
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
