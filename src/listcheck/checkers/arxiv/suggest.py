"""``entry/suggest-link``: an entry with no link whose title arXiv has gets the paper's
abs URL as its suggestion (``--fix`` writes it in the section's own link style).

Which entries are looked for: those ``entry/no-link`` reports (a section whose other
entries carry links: a list of papers), with a title of at least three words and no
arXiv id in a tag. A name or a label ("LLaVA Bench") is not a title to search, and a
prose bullet in a section of prose is no paper.

What counts as found (:func:`~listcheck.titles.match.same_paper_by_title`): a paper
whose title is the listed one, or the listed one with words added at its end when the
listed title is long enough that no other paper starts with it. Never a near miss: a
title one word off, or one that holds the listed words among others, is another paper
as often as not, and a wrong link is worse than none. When two papers qualify (two
papers under one title, a paper and its journal version) nothing is suggested: which
one the entry means is the maintainer's call; an exact title is preferred over a
longer one, since the longer one is the other paper.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from listcheck.checkers.base import ArxivHit, ArxivSearch, ArxivTitleTarget, CheckResult
from listcheck.config import Config
from listcheck.models import Document, Entry, Finding, Verdict
from listcheck.rules.base import finding
from listcheck.rules.entries import unlinked_paper_entries
from listcheck.titles.match import TitleVerdict, same_paper_by_title

RULE = "entry/suggest-link"

_CUT_SHORT = (
    "arXiv had more results than it sent, so another paper of the same title may be "
    "among those not sent"
)

_last: list[tuple[Document, frozenset[int]]] = []
"""The last document asked about and its link-less paper entries (by ``id``): the plan
asks entry by entry, and working the sections out once per entry would be quadratic."""


def _unlinked(doc: Document) -> frozenset[int]:
    if not _last or _last[0][0] is not doc:
        _last[:] = [(doc, frozenset(id(entry) for entry in unlinked_paper_entries(doc)))]
    return _last[0][1]


def title_target(doc: Document, entry: Entry, config: Config) -> ArxivTitleTarget | None:
    """The title search an entry asks for, if it is one to look for."""
    from listcheck.checkers.arxiv.search import title_phrase

    if not config.is_enabled(RULE) or not entry.title:
        return None
    if any(tag.arxiv_id is not None for tag in entry.tags):
        return None  # the tag names the paper; ``arxiv/not-found`` asks about it
    phrase = title_phrase(entry.title)
    if phrase is None or id(entry) not in _unlinked(doc):
        return None
    return ArxivTitleTarget(phrase=phrase)


def the_paper(title: str, search: ArxivSearch) -> ArxivHit | str | None:
    """The one paper ``search`` found that is the listed title's; None when there is
    none or more than one; a reason when the answer cannot tell."""
    judged = [(hit, same_paper_by_title(title, hit.title)) for hit in search.hits]
    same = [hit for hit, verdict in judged if verdict is TitleVerdict.SAME]
    longer = [hit for hit, verdict in judged if verdict is not None and hit not in same]
    chosen = same or longer
    if chosen and not search.complete:
        return _CUT_SHORT
    return chosen[0] if len(chosen) == 1 else None


def abs_url(hit: ArxivHit) -> str:
    return f"https://arxiv.org/abs/{hit.id}"


def suggest_findings(
    documents: Sequence[Document],
    searched: Mapping[tuple[int, int], str],
    results: Mapping[str, CheckResult],
) -> list[Finding]:
    """The suggestions, and one notice per reason some titles were not looked for."""
    out: list[Finding] = []
    unsettled: dict[str, list[tuple[Document, Entry]]] = {}
    for (doc_index, entry_index), key in searched.items():
        doc = documents[doc_index]
        entry = doc.entries[entry_index]
        result = results.get(key)
        if result is None or result.verdict is not Verdict.OK or result.arxiv_search is None:
            detail = result.detail if result is not None else "not searched"
            unsettled.setdefault(detail, []).append((doc, entry))
            continue
        hit = the_paper(entry.title or "", result.arxiv_search)
        if isinstance(hit, str):
            unsettled.setdefault(hit, []).append((doc, entry))
        elif hit is not None:
            out.append(
                finding(
                    doc,
                    RULE,
                    entry.line,
                    entry.column,
                    f'entry has no link, and arXiv has this paper: {hit.id}, "{hit.title}"',
                    suggestion=abs_url(hit),
                )
            )
    for detail, places in unsettled.items():
        doc, entry = places[0]
        count = len(places)
        out.append(
            finding(
                doc,
                "check/skipped",
                entry.line,
                entry.column,
                f"{count} link-less entr{'ies' if count != 1 else 'y'} not looked for on "
                f"arXiv ({RULE}): {detail}",
            )
        )
    return out
