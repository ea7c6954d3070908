"""Is the title a list gives for an arXiv link the title of that paper?

Three rules rest on this judgement (DESIGN.md): ``arxiv/title-mismatch`` (error: the
id names a different paper), ``arxiv/title-typo`` (warning: the same paper,
misspelled; suggest arXiv's title) and ``arxiv/title-outdated`` (notice: the title of
an earlier arXiv version; suggest the current one). Everything here is pure: the
arXiv titles come from the caller, who fetched them.

This module gives the verdict for a title, consulting earlier versions
(:func:`judge_title`), and for an entry citing several papers
(:func:`judge_entry_titles`); how one title relates to another, and the evidence for
every threshold, is :mod:`~listcheck.titles.match`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from listcheck.models import Frozen
from listcheck.titles.match import (
    EXACT_SAME,
    MIN_TOKENS,
    Match,
    TitleVerdict,
    compare_titles,
    title_words,
)

__all__ = [
    "EntryTitleJudgement",
    "TitleJudgement",
    "collapse_whitespace",
    "judge_entry_titles",
    "judge_title",
]


class TitleJudgement(Frozen):
    """What the listed title is, compared with arXiv's; enough to word a finding."""

    verdict: TitleVerdict
    score: float
    """Similarity (0-100) with the title matched: the current one, or the earlier
    version's for ``outdated``."""
    listed: str
    """The listed title, whitespace collapsed."""
    arxiv_title: str
    """arXiv's current title, wrapped whitespace collapsed."""
    suggestion: str | None = None
    """The text to put in the list: arXiv's current title (typo, shortened, outdated)."""
    matched_version: int | None = None
    """For ``outdated``: the earlier version whose title the list carries."""
    provisional: TitleVerdict | None = None
    """For ``needs-versions``: typo or mismatch, what it is unless an earlier version
    explains it."""
    reason: str = ""
    """A short human explanation, for messages."""


class EntryTitleJudgement(Frozen):
    """An entry with several arXiv links, judged against the best-matching one."""

    arxiv_id: str
    judgement: TitleJudgement
    needs_versions: tuple[str, ...] = ()
    """Ids whose earlier versions must be fetched before the judgement is final."""


def collapse_whitespace(text: str) -> str:
    """arXiv wraps long titles with a newline and spaces; a suggestion must not."""
    return " ".join(text.split())


_KIND_ORDER = {TitleVerdict.SAME: 0, TitleVerdict.PART: 1, TitleVerdict.TYPO: 2}


def _best_earlier(listed: str, earlier_titles: Mapping[int, str]) -> tuple[int, Match] | None:
    """The earlier version the listed title matches best, if it matches any (ties: the
    latest version, the title the list most likely copied)."""
    best: tuple[tuple[int, float, int], int, Match] | None = None
    for version, title in earlier_titles.items():
        found = compare_titles(listed, title)
        if found.kind not in _KIND_ORDER:
            continue
        key = (_KIND_ORDER[found.kind], found.distance, -version)
        if best is None or key < best[0]:
            best = (key, version, found)
    return None if best is None else (best[1], best[2])


def judge_title(
    listed: str,
    arxiv_title: str,
    earlier_titles: Mapping[int, str] | None = None,
) -> TitleJudgement:
    """Judge the listed title against arXiv's current title.

    ``earlier_titles`` maps version numbers before the current one to their titles.
    None means "not fetched yet": a title that would be a typo or a mismatch then comes
    back as ``needs-versions`` (with ``provisional`` set) and the caller asks arXiv for
    the earlier versions and judges again. Pass an empty mapping for a paper that has
    only one version.
    """
    current = collapse_whitespace(arxiv_title)
    shown = collapse_whitespace(listed)

    def judgement(
        verdict: TitleVerdict,
        match: Match,
        reason: str,
        *,
        suggestion: str | None = None,
        matched_version: int | None = None,
        provisional: TitleVerdict | None = None,
    ) -> TitleJudgement:
        return TitleJudgement(
            verdict=verdict,
            score=round(100.0 * match.similarity, 1),
            listed=shown,
            arxiv_title=current,
            suggestion=suggestion,
            matched_version=matched_version,
            provisional=provisional,
            reason=reason,
        )

    match = compare_titles(listed, arxiv_title)
    if match.kind is TitleVerdict.SAME:
        return judgement(TitleVerdict.SAME, match, "the same title")
    if match.kind is TitleVerdict.PART:
        return judgement(TitleVerdict.PART, match, "part of the title")
    if match.kind is TitleVerdict.SHORTENED:
        # The same paper either way, and a notice: no arXiv call is worth making to tell
        # a retitle from a cut, but versions fetched for another reason are used.
        words = len(title_words(listed))
        for version, title in sorted((earlier_titles or {}).items(), reverse=True):
            if compare_titles(listed, title).kind is TitleVerdict.SAME:
                return judgement(
                    TitleVerdict.OUTDATED,
                    EXACT_SAME,
                    f"the title of v{version}; the paper has been retitled on arXiv",
                    suggestion=current,
                    matched_version=version,
                )
        return judgement(
            TitleVerdict.SHORTENED,
            match,
            f"arXiv's title shortened to its first {words} of "
            f"{len(title_words(arxiv_title))} words",
            suggestion=current,
        )
    words = len(title_words(listed))
    if words < MIN_TOKENS or not title_words(arxiv_title):
        return judgement(
            TitleVerdict.TOO_SHORT, match, f"{words} word(s): a name or label, not judged"
        )
    if earlier_titles is None:
        return judgement(
            TitleVerdict.NEEDS_VERSIONS,
            match,
            "earlier versions' titles are needed",
            provisional=match.kind,
        )
    earlier = _best_earlier(listed, earlier_titles)
    if earlier is not None:
        version, found = earlier
        closer = found.kind is not TitleVerdict.TYPO or (
            match.kind is TitleVerdict.MISMATCH or found.distance < match.distance
        )
        if closer:
            return judgement(
                TitleVerdict.OUTDATED,
                found,
                f"the title of v{version}; the paper has been retitled on arXiv",
                suggestion=current,
                matched_version=version,
            )
    if match.kind is TitleVerdict.TYPO:
        return judgement(
            TitleVerdict.TYPO, match, "the same paper, written differently", suggestion=current
        )
    return judgement(TitleVerdict.MISMATCH, match, "a different paper")


_VERDICT_ORDER = {
    TitleVerdict.SAME: 0,
    TitleVerdict.PART: 1,
    TitleVerdict.TOO_SHORT: 2,
    TitleVerdict.SHORTENED: 3,
    TitleVerdict.OUTDATED: 4,
    TitleVerdict.TYPO: 5,
    TitleVerdict.NEEDS_VERSIONS: 6,
    TitleVerdict.MISMATCH: 7,
}


def judge_entry_titles(
    listed: str,
    candidates: Sequence[tuple[str, str]],
    earlier_titles: Mapping[str, Mapping[int, str]] | None = None,
) -> EntryTitleJudgement:
    """Judge an entry citing several arXiv papers (``(id, current title)`` pairs)
    against the one its title fits best.

    ``earlier_titles`` maps an id to its earlier versions' titles; an id missing from
    it has not been fetched. While no candidate fits and some still lack their
    versions, the answer is ``needs-versions`` and ``needs_versions`` lists the ids to
    fetch: any of them could turn out to be the retitled paper the entry means.
    """
    if not candidates:
        raise ValueError("judge_entry_titles needs at least one (id, title) candidate")
    judged = [
        (
            arxiv_id,
            judge_title(
                listed, title, None if earlier_titles is None else earlier_titles.get(arxiv_id)
            ),
        )
        for arxiv_id, title in candidates
    ]
    pending = tuple(i for i, j in judged if j.verdict is TitleVerdict.NEEDS_VERSIONS)
    best_id, best = min(judged, key=lambda pair: (_VERDICT_ORDER[pair[1].verdict], -pair[1].score))
    if pending and best.verdict in (TitleVerdict.TYPO, TitleVerdict.MISMATCH):
        best_id, best = max(
            ((i, j) for i, j in judged if j.verdict is TitleVerdict.NEEDS_VERSIONS),
            key=lambda pair: pair[1].score,
        )
    if best.verdict is not TitleVerdict.NEEDS_VERSIONS:
        pending = ()
    return EntryTitleJudgement(arxiv_id=best_id, judgement=best, needs_versions=pending)
