"""The judge stage: remote answers -> findings at every place that cited them.

Checkers say what they saw (``broken``, ``moved``, ``transient``, ``skipped`` with a
reason); this module decides what each means for each link and entry: which rule, at
which line and column, with which fix. It never turns "could not check" into "broken".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from listcheck.checkers.base import ArxivTarget, CheckResult, Reason
from listcheck.models import (
    ArxivId,
    Document,
    Entry,
    Finding,
    Link,
    LinkKind,
    LinkResult,
    Severity,
    Verdict,
)
from listcheck.plan import LinkRef, Plan
from listcheck.rows import Answer, link_rows
from listcheck.rules.base import finding
from listcheck.titles.compare import TitleJudgement, TitleVerdict, judge_entry_titles, names_its_own
from listcheck.titles.normalize import title_tokens

SERVICE_NAMES = {"arxiv": "arXiv", "github": "GitHub", "hf": "Hugging Face", "web": "web"}


@dataclass
class Judged:
    findings: list[Finding] = field(default_factory=list)
    verdicts: dict[LinkRef, tuple[Verdict, CheckResult | None, str]] = field(default_factory=dict)
    """Per link: its verdict, the answer it came from, and a one-line detail."""


def judge(
    documents: Sequence[Document],
    plan: Plan,
    results: Mapping[str, CheckResult],
    earlier_titles: Mapping[ArxivId, Mapping[int, str]] | None = None,
) -> Judged:
    judged = Judged()
    skipped: dict[str, list[tuple[LinkRef, CheckResult]]] = {}
    shared: dict[tuple[Reason, str], list[tuple[LinkRef, CheckResult]]] = {}
    for ref, key in plan.key_of.items():
        result = results.get(key)
        doc = documents[ref.doc]
        link = doc.links[ref.link]
        if result is None:
            judged.verdicts[ref] = (Verdict.SKIPPED, None, "not checked")
            continue
        if result.reason in _SHARED_REASON_RULES:
            # A reason shared by many links (the machine's, a host's, the run's) is
            # said once for all of them, not once per link.
            judged.verdicts[ref] = (result.verdict, result, result.detail)
            shared.setdefault((result.reason, result.detail), []).append((ref, result))
            continue
        verdict = _judge_link(judged.findings, doc, link, result)
        judged.verdicts[ref] = (verdict, result, result.detail)
        if verdict is Verdict.SKIPPED:
            skipped.setdefault(key.partition(":")[0], []).append((ref, result))
    for ref, local in plan.local.items():
        judged.verdicts[ref] = (local.verdict, None, local.detail)
    judged.findings.extend(_skipped_notices(documents, skipped))
    judged.findings.extend(_shared_reason_findings(documents, shared))
    judged.findings.extend(_titles(documents, plan, results, earlier_titles or {}))
    judged.findings.extend(_tag_ids(documents, plan, results))
    return judged


# --- links -----------------------------------------------------------------------------


def _judge_link(out: list[Finding], doc: Document, link: Link, result: CheckResult) -> Verdict:
    if result.verdict is Verdict.TRANSIENT:
        out.append(
            finding(
                doc,
                "link/transient",
                link.line,
                link.column,
                f"could not be confirmed this run: {result.detail}",
                url=link.url,
            )
        )
        return Verdict.TRANSIENT
    if result.verdict is Verdict.SKIPPED:
        return Verdict.SKIPPED
    if link.kind is LinkKind.ARXIV:
        return _arxiv_link(out, doc, link, result)
    if link.kind is LinkKind.GITHUB:
        return _github_link(out, doc, link, result)
    if link.kind is LinkKind.HUGGINGFACE:
        return _hf_link(out, doc, link, result)
    if result.verdict is Verdict.BROKEN:
        out.append(finding(doc, "link/broken", link.line, link.column, result.detail, url=link.url))
    elif result.verdict is Verdict.MOVED and result.final_url:
        out.append(
            finding(
                doc,
                "link/moved",
                link.line,
                link.column,
                f"permanently redirected to {result.final_url}",
                url=link.url,
                suggestion=result.final_url,
            )
        )
    return result.verdict


def _arxiv_link(out: list[Finding], doc: Document, link: Link, result: CheckResult) -> Verdict:
    record = result.arxiv
    assert link.arxiv is not None
    if result.verdict is Verdict.BROKEN or record is None:
        out.append(
            finding(
                doc,
                "arxiv/not-found",
                link.line,
                link.column,
                result.detail or f"arXiv has no paper {link.arxiv.id}",
                url=link.url,
            )
        )
        return Verdict.BROKEN
    cited = link.arxiv.version
    if cited is not None and cited > record.version:
        latest = re.sub(rf"v{cited}(?=\D*$)", f"v{record.version}", link.url, count=1)
        out.append(
            finding(
                doc,
                "arxiv/version-not-found",
                link.line,
                link.column,
                f"arXiv {link.arxiv.id} has no version v{cited}; its latest is v{record.version}",
                url=link.url,
                suggestion=latest if latest != link.url else None,
            )
        )
        return Verdict.BROKEN
    if record.withdrawn:
        out.append(
            finding(
                doc,
                "arxiv/withdrawn",
                link.line,
                link.column,
                f"arXiv {link.arxiv.id} was withdrawn"
                + (f": {_one_line(record.comment)}" if record.comment else ""),
                url=link.url,
            )
        )
    return Verdict.OK


def _github_link(out: list[Finding], doc: Document, link: Link, result: CheckResult) -> Verdict:
    record = result.github
    assert link.github is not None
    if result.verdict is Verdict.BROKEN:
        rule = (
            "github/path-not-found"
            if record is not None and record.path_found is False
            else "github/not-found"
        )
        out.append(finding(doc, rule, link.line, link.column, result.detail, url=link.url))
        return Verdict.BROKEN
    if record is None:
        return result.verdict
    if result.verdict is Verdict.MOVED or record.renamed:
        new_url = _replace_in_path(link.url, link.github.slug, record.full_name)
        out.append(
            finding(
                doc,
                "github/renamed",
                link.line,
                link.column,
                f"repository {link.github.slug} is now {record.full_name}",
                url=link.url,
                suggestion=new_url,
            )
        )
        verdict = Verdict.MOVED
    else:
        verdict = Verdict.OK
    if record.archived:
        out.append(
            finding(
                doc,
                "github/archived",
                link.line,
                link.column,
                f"repository {record.full_name} is archived (read-only, no longer maintained)",
                url=link.url,
            )
        )
    return verdict


def _hf_link(out: list[Finding], doc: Document, link: Link, result: CheckResult) -> Verdict:
    assert link.hf is not None
    if result.verdict is Verdict.BROKEN:
        out.append(
            finding(doc, "hf/not-found", link.line, link.column, result.detail, url=link.url)
        )
        return Verdict.BROKEN
    record = result.hf
    if record is not None and record.legacy_name and record.repo_id != link.hf.repo_id:
        moved = finding(
            doc,
            "link/moved",
            link.line,
            link.column,
            f"{link.hf.repo_id} is a legacy name; the canonical id is {record.repo_id}",
            url=link.url,
            suggestion=_replace_in_path(link.url, link.hf.repo_id, record.repo_id),
        )
        out.append(moved.model_copy(update={"severity": Severity.NOTICE}))
    return result.verdict


def _replace_in_path(url: str, old: str, new: str) -> str:
    """``url`` with ``old`` (a repository slug or id) replaced by ``new`` in its path only
    (never in the host: ``github.com/com/com``)."""
    parts = urlsplit(url)
    path = re.sub(re.escape(old), lambda _: new, parts.path, count=1, flags=re.IGNORECASE)
    return urlunsplit(parts._replace(path=path))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _skipped_notices(
    documents: Sequence[Document], skipped: Mapping[str, list[tuple[LinkRef, CheckResult]]]
) -> list[Finding]:
    """One notice per service whose checks were skipped (a spent quota, a rejected
    token): the reason, how many, and where the first one is — never a finding each."""
    notices = []
    for service, items in skipped.items():
        ref, result = items[0]
        doc = documents[ref.doc]
        link = doc.links[ref.link]
        count = len(items)
        name = SERVICE_NAMES.get(service, service)
        notices.append(
            finding(
                doc,
                "check/skipped",
                link.line,
                link.column,
                f"{count} {name} link{'s' if count != 1 else ''} not checked: {result.detail}",
                url=link.url,
            )
        )
    return notices


_SHARED_REASON_RULES = {
    Reason.NO_DNS: ("link/transient", "run where names resolve, or with --offline"),
    Reason.HOST_STOPPED: ("link/transient", "it may answer on the next run"),
    Reason.DEADLINE: ("check/skipped", "raise max_time (--max-time) to check them"),
}


def _shared_reason_findings(
    documents: Sequence[Document],
    shared: Mapping[tuple[Reason, str], Sequence[tuple[LinkRef, CheckResult]]],
) -> list[Finding]:
    """One finding per shared reason (and its detail: a stopped host names itself), at
    the first link it covers, saying how many links it covers and what to do."""
    out = []
    for (reason, detail), items in shared.items():
        ref, _ = items[0]
        doc = documents[ref.doc]
        link = doc.links[ref.link]
        rule, hint = _SHARED_REASON_RULES[reason]
        count = len(items)
        verb = "could not be checked online" if rule == "link/transient" else "not checked"
        out.append(
            finding(
                doc,
                rule,
                link.line,
                link.column,
                f"{count} link{'s' if count != 1 else ''} {verb}: {detail}; {hint}",
                url=link.url,
            )
        )
    return out


# --- titles ----------------------------------------------------------------------------


def entry_arxiv_ids(doc: Document, entry: Entry) -> list[ArxivId]:
    ids: list[ArxivId] = []
    for index in entry.links:
        ref = doc.links[index].arxiv
        if ref is not None and ref.valid and ref.id not in ids:
            ids.append(ref.id)
    return ids


def title_candidates(
    doc: Document, entry: Entry, results: Mapping[str, CheckResult], extra: Sequence[ArxivId] = ()
) -> list[tuple[str, str]]:
    """(id, current arXiv title) for every arXiv paper the entry cites and arXiv knows."""
    candidates = []
    for arxiv_id in [*entry_arxiv_ids(doc, entry), *extra]:
        result = results.get(ArxivTarget(id=arxiv_id).key)
        if result is not None and result.arxiv is not None and result.verdict is Verdict.OK:
            candidates.append((str(arxiv_id), result.arxiv.title))
    return candidates


def versions_needed(
    documents: Sequence[Document], plan: Plan, results: Mapping[str, CheckResult]
) -> set[tuple[ArxivId, int]]:
    """Earlier versions to fetch before a title may be called a typo or a mismatch."""
    needed: set[tuple[ArxivId, int]] = set()
    for doc_index, doc in enumerate(documents):
        for entry_index, entry in enumerate(doc.entries):
            if not entry.title:
                continue
            extra = _tag_extra(plan, doc_index, entry_index)
            candidates = title_candidates(doc, entry, results, extra)
            if not candidates:
                continue
            judgement = judge_entry_titles(entry.title, candidates, None)
            for arxiv_id in judgement.needs_versions:
                result = results[ArxivTarget(id=ArxivId(arxiv_id)).key]
                assert result.arxiv is not None
                needed.update((ArxivId(arxiv_id), v) for v in range(1, result.arxiv.version))
    return needed


def _tag_extra(plan: Plan, doc_index: int, entry_index: int) -> list[ArxivId]:
    tag_id = plan.tag_ids.get((doc_index, entry_index))
    return [tag_id] if tag_id is not None else []


@dataclass(frozen=True)
class _JudgedTitle:
    """One entry's title judged: its verdict, and the finding it makes (if any)."""

    entry: Entry
    verdict: TitleVerdict
    finding: Finding | None


def _titles(
    documents: Sequence[Document],
    plan: Plan,
    results: Mapping[str, CheckResult],
    earlier: Mapping[ArxivId, Mapping[int, str]],
) -> list[Finding]:
    out: list[Finding] = []
    for doc_index, doc in enumerate(documents):
        judged = _judge_titles(doc, doc_index, plan, results, earlier)
        out.extend(_fold_own_names(doc, judged))
    return out


def _judge_titles(
    doc: Document,
    doc_index: int,
    plan: Plan,
    results: Mapping[str, CheckResult],
    earlier: Mapping[ArxivId, Mapping[int, str]],
) -> list[_JudgedTitle]:
    """Every titled entry with an arXiv paper arXiv knows, judged against it."""
    judged = []
    for entry_index, entry in enumerate(doc.entries):
        if not entry.title:
            continue
        candidates = title_candidates(doc, entry, results, _tag_extra(plan, doc_index, entry_index))
        if not candidates:
            continue
        versions = {arxiv_id: earlier.get(ArxivId(arxiv_id), {}) for arxiv_id, _ in candidates}
        verdict = judge_entry_titles(entry.title, candidates, versions)
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
        judged.append(_JudgedTitle(entry=entry, verdict=judgement.verdict, finding=found))
    return judged


_NOT_COMPARED = (TitleVerdict.TOO_SHORT, TitleVerdict.NEEDS_VERSIONS)
_LINES_NAMED = 5


def _fold_own_names(doc: Document, judged: Sequence[_JudgedTitle]) -> list[Finding]:
    """The findings of one document's titles, where a list (or a section) that names
    papers its own way (:func:`~listcheck.titles.names_its_own`) gets one notice for
    its mismatches instead of an error each; its typos and retitles stay reported."""
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


def _tag_ids(
    documents: Sequence[Document], plan: Plan, results: Mapping[str, CheckResult]
) -> list[Finding]:
    """An id named only in a tag (``[arxiv 2310.12773]``) that arXiv does not have."""
    out = []
    for (doc_index, entry_index), arxiv_id in plan.tag_ids.items():
        result = results.get(ArxivTarget(id=arxiv_id).key)
        if result is None or result.verdict is not Verdict.BROKEN:
            continue
        doc = documents[doc_index]
        tag = next(t for t in doc.entries[entry_index].tags if t.arxiv_id == arxiv_id)
        out.append(finding(doc, "arxiv/not-found", tag.line, tag.column, result.detail))
    return out


# --- report rows -----------------------------------------------------------------------


def link_results(
    documents: Sequence[Document],
    judged: Judged,
    offline_broken: Mapping[tuple[str, int, int], str],
) -> tuple[LinkResult, ...]:
    """One row per unique URL, with every place citing it."""

    def answer(doc_index: int, link_index: int, link: Link) -> Answer:
        return judged.verdicts.get(
            LinkRef(doc_index, link_index), (Verdict.OK, None, "checked offline")
        )

    return link_rows(documents, answer, offline_broken)
