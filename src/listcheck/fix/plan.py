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
replaces (:mod:`~listcheck.fix.candidates`), and the fixed text, parsed again, must
read as intended — the same entries and links, with only the fixed URLs and titles
changed (:mod:`~listcheck.fix.verify`). A fix that fails any of these is skipped with
a reason (:class:`SkippedFix`); nothing is ever guessed. This module only chooses which
findings to fix and gathers the outcome into one :class:`FixPlan`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from listcheck.fix.apply import Edit, Reorder
from listcheck.fix.candidates import (
    Candidate,
    Index,
    Refused,
    SkippedFix,
    insert_fix,
    link_fix,
    title_fix,
)
from listcheck.fix.moves import plan_moves
from listcheck.fix.verify import verified, without_overlaps
from listcheck.models import Document, Finding

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
    index = Index.of(doc)
    candidates: list[Candidate] = []
    skipped: list[SkippedFix] = []
    for order, found in enumerate(findings):
        if found.path != doc.path or found.rule not in rules:
            continue
        fix = title_fix if found.rule in TITLE_RULES else link_fix
        fix = insert_fix if found.rule in INSERT_RULES else fix
        try:
            candidates.append(fix(doc, index, found, order))
        except Refused as refused:
            skipped.append(SkippedFix(found, str(refused)))
    kept = without_overlaps(candidates, skipped)
    kept = verified(doc, kept, skipped)
    _settle_no_link(kept, findings)
    edits = tuple(c.edit() for c in sorted(kept, key=lambda c: (c.line, c.column)))
    moves, unmoved = plan_moves(doc, findings, busy={edit.line for edit in edits})
    skipped.extend(SkippedFix(skip.finding, skip.reason) for skip in unmoved)
    ordered = {id(f): i for i, f in enumerate(findings)}
    return FixPlan(
        edits, tuple(sorted(skipped, key=lambda s: ordered[id(s.finding)])), tuple(moves)
    )


def _settle_no_link(kept: Sequence[Candidate], findings: Sequence[Finding]) -> None:
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
