"""What arXiv's answers say about whole entries: whether a listed title is its paper's
(a typo, an earlier version's title, a different paper), and whether an id named only
in a tag exists.

A title is judged in two rounds at most. The first, on the answers of the check stage,
settles most titles for good (the same title, part of it, a name too short to judge)
and names the papers whose earlier versions must be fetched before a title may be
called a typo or a mismatch. The second judges only the rest, with those versions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from listcheck.checkers.arxiv.suggest import suggest_findings
from listcheck.checkers.base import ArxivTarget, ArxivTitleTarget, CheckResult, Target
from listcheck.models import ArxivId, Document, Entry, Finding, Verdict
from listcheck.rules.base import finding
from listcheck.titles.compare import EntryTitleJudgement, TitleJudgement, judge_entry_titles
from listcheck.titles.editorial import names_its_own
from listcheck.titles.match import TitleVerdict
from listcheck.titles.normalize import title_tokens

if TYPE_CHECKING:
    from listcheck.plan import Plan

_FINAL_AT_ONCE = frozenset({TitleVerdict.SAME, TitleVerdict.PART, TitleVerdict.TOO_SHORT})
"""Verdicts no earlier version can change. A shortened title is not among them: should
another entry's need fetch that paper's versions, it may turn out to be an earlier
version's title."""

_NOT_COMPARED = (TitleVerdict.TOO_SHORT, TitleVerdict.NEEDS_VERSIONS)
_LINES_NAMED = 5

EntryKey = tuple[int, int]
"""(document index, entry index)."""


def entry_arxiv_ids(doc: Document, entry: Entry) -> list[ArxivId]:
    ids: list[ArxivId] = []
    for index in entry.links:
        ref = doc.links[index].arxiv
        if ref is not None and ref.valid and ref.id not in ids:
            ids.append(ref.id)
    return ids


@dataclass(frozen=True)
class _JudgedTitle:
    """One entry's title judged: its verdict, and the finding it makes (if any)."""

    entry: Entry
    verdict: TitleVerdict
    finding: Finding | None


class ArxivEntries:
    """The arXiv judge of one run's entries (an
    :class:`~listcheck.checkers.service.EntryJudge`)."""

    def __init__(self, documents: Sequence[Document], plan: Plan) -> None:
        self._documents = documents
        self._tag_ids: dict[EntryKey, list[ArxivId]] = {}
        self._searched: dict[EntryKey, str] = {}
        """Entries with no link whose title is looked for, and the search's check key."""
        arxiv = plan.of("arxiv")
        for place, keys in plan.entry_keys.items():
            for key in keys:
                if isinstance(arxiv.get(key), ArxivTitleTarget):
                    self._searched[place] = key
            ids = [target.id for key in keys if isinstance(target := arxiv.get(key), ArxivTarget)]
            if ids:
                self._tag_ids[place] = ids
        self._settled: dict[EntryKey, EntryTitleJudgement] = {}

    # --- the two rounds ----------------------------------------------------------------

    def followups(self, results: Mapping[str, CheckResult]) -> Sequence[Target]:
        """The earlier versions to fetch before a title may be called a typo or a
        mismatch; every title this round can settle is settled here, once."""
        wanted: dict[str, Target] = {}
        for place, entry, candidates in self._titled(results):
            judged = judge_entry_titles(entry.title or "", candidates, None)
            if judged.judgement.verdict in _FINAL_AT_ONCE:
                self._settled[place] = judged
            for arxiv_id in judged.needs_versions:
                record = results[ArxivTarget(id=ArxivId(arxiv_id)).key].arxiv
                assert record is not None
                for version in range(1, record.version):
                    target = ArxivTarget(id=ArxivId(arxiv_id), version=version)
                    wanted[target.key] = target
        return list(wanted.values())

    def findings(self, results: Mapping[str, CheckResult]) -> list[Finding]:
        out: list[Finding] = []
        judged = self._judge_titles(results)
        for doc_index, doc in enumerate(self._documents):
            out.extend(_fold_own_names(doc, judged.get(doc_index, [])))
        out.extend(self._tag_findings(results))
        out.extend(suggest_findings(self._documents, self._searched, results))
        return out

    # --- titles ------------------------------------------------------------------------

    def _titled(
        self, results: Mapping[str, CheckResult]
    ) -> list[tuple[EntryKey, Entry, list[tuple[str, str]]]]:
        """Every titled entry with an arXiv paper arXiv knows, and (id, current title) of
        each such paper it cites or names in a tag."""
        out = []
        for doc_index, doc in enumerate(self._documents):
            for entry_index, entry in enumerate(doc.entries):
                if not entry.title:
                    continue
                place = (doc_index, entry_index)
                ids = [*entry_arxiv_ids(doc, entry), *self._tag_ids.get(place, ())]
                candidates = []
                for arxiv_id in ids:
                    result = results.get(ArxivTarget(id=arxiv_id).key)
                    known = result is not None and result.verdict is Verdict.OK
                    record = result.arxiv if known and result is not None else None
                    if record is not None:
                        candidates.append((str(arxiv_id), record.title))
                if candidates:
                    out.append((place, entry, candidates))
        return out

    def _judge_titles(self, results: Mapping[str, CheckResult]) -> dict[int, list[_JudgedTitle]]:
        """Every titled entry judged, by document: in one pass over all of them."""
        judged: dict[int, list[_JudgedTitle]] = {}
        for place, entry, candidates in self._titled(results):
            doc = self._documents[place[0]]
            verdict = self._settled.get(place)
            if verdict is None:
                versions = {arxiv_id: _earlier(results, arxiv_id) for arxiv_id, _ in candidates}
                verdict = judge_entry_titles(entry.title or "", candidates, versions)
            judgement = verdict.judgement
            rule = judgement.verdict.rule
            found = None
            if rule is not None:
                found = finding(
                    doc,
                    rule,
                    entry.title_line or entry.line,
                    entry.title_column or entry.column,
                    _title_message(judgement.verdict, verdict.arxiv_id, judgement),
                    suggestion=judgement.suggestion,
                )
            item = _JudgedTitle(entry=entry, verdict=judgement.verdict, finding=found)
            judged.setdefault(place[0], []).append(item)
        return judged

    # --- ids in tags -------------------------------------------------------------------

    def _tag_findings(self, results: Mapping[str, CheckResult]) -> list[Finding]:
        """An id named only in a tag (``[arxiv 2310.12773]``) that arXiv does not have."""
        out = []
        for (doc_index, entry_index), ids in self._tag_ids.items():
            doc = self._documents[doc_index]
            for arxiv_id in ids:
                result = results.get(ArxivTarget(id=arxiv_id).key)
                if result is None or result.verdict is not Verdict.BROKEN:
                    continue
                tag = next(t for t in doc.entries[entry_index].tags if t.arxiv_id == arxiv_id)
                out.append(finding(doc, "arxiv/not-found", tag.line, tag.column, result.detail))
        return out


def _earlier(results: Mapping[str, CheckResult], arxiv_id: str) -> dict[int, str]:
    """The earlier versions' titles the follow-up round brought (none when it was not
    needed, or the run's time was up)."""
    titles = {}
    current = results.get(ArxivTarget(id=ArxivId(arxiv_id)).key)
    latest = current.arxiv.version if current is not None and current.arxiv else 1
    for version in range(1, latest):
        result = results.get(ArxivTarget(id=ArxivId(arxiv_id), version=version).key)
        if result is not None and result.arxiv is not None and result.verdict is Verdict.OK:
            titles[version] = result.arxiv.title
    return titles


def _fold_own_names(doc: Document, judged: Sequence[_JudgedTitle]) -> list[Finding]:
    """The findings of one document's titles, where a list (or a section) that names
    papers its own way (:func:`~listcheck.titles.editorial.names_its_own`) gets one notice
    for its mismatches instead of an error each; its typos and retitles stay reported."""
    compared = [item for item in judged if item.verdict not in _NOT_COMPARED]
    if _own_names(compared):
        groups: dict[tuple[str, ...] | None, list[_JudgedTitle]] = {None: compared}
    else:
        groups = {}
        for item in compared:
            groups.setdefault(item.entry.section, []).append(item)
        groups = {section: items for section, items in groups.items() if _own_names(items)}
    folded = {id(item) for items in groups.values() for item in items if _mismatch(item)}
    out = [item.finding for item in judged if item.finding is not None and id(item) not in folded]
    out.extend(_own_names_notice(doc, section, items) for section, items in groups.items())
    return out


def _mismatch(item: _JudgedTitle) -> bool:
    return item.verdict is TitleVerdict.MISMATCH


def _own_names(items: Sequence[_JudgedTitle]) -> bool:
    return names_its_own(sum(map(_mismatch, items)), len(items))


def _own_names_notice(
    doc: Document, section: tuple[str, ...] | None, items: Sequence[_JudgedTitle]
) -> Finding:
    mismatched = [item for item in items if _mismatch(item)]
    first = mismatched[0].finding
    assert first is not None
    lines = ", ".join(str(item.finding.line) for item in mismatched[:_LINES_NAMED] if item.finding)
    more = " …" if len(mismatched) > _LINES_NAMED else ""
    where = f'section "{section[-1]}"' if section else "this list"
    return finding(
        doc,
        "arxiv/title-editorial",
        first.line,
        first.column,
        f"{len(mismatched)} of {len(items)} titles compared with arXiv in {where} are not "
        f"their arXiv paper's title (lines {lines}{more}): the list evidently names papers "
        "its own way (headlines, short names), so these are not reported one by one as "
        "mismatches; look for a wrong arXiv id among them by hand. Typos and retitles are "
        "still reported.",
    )


def _title_message(verdict: TitleVerdict, arxiv_id: str, judgement: TitleJudgement) -> str:
    listed, current = judgement.listed, judgement.arxiv_title
    if verdict is TitleVerdict.MISMATCH:
        return (
            f'listed title "{listed}" is a different paper from arXiv {arxiv_id}, '
            f'"{current}" (wrong id?)'
        )
    if verdict is TitleVerdict.TYPO:
        return f'title differs from arXiv {arxiv_id}: "{current}"'
    if verdict is TitleVerdict.SHORTENED:
        kept, whole = len(title_tokens(listed)), len(title_tokens(current))
        return (
            f"title is the first {kept} of the {whole} words of arXiv {arxiv_id}'s title "
            f'(retitled since, or cut by the list); its full title is "{current}"'
        )
    return (
        f"title is that of arXiv {arxiv_id}v{judgement.matched_version}; the paper is now titled "
        f'"{current}"'
    )
