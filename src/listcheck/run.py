"""One run of listcheck as a composition of the stages:
read -> parse -> lint -> plan -> check -> judge -> report.

The CLI turns arguments into a :class:`RunRequest` and hands the resulting
:class:`~listcheck.models.Report` to a reporter; nothing here prints.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from listcheck import __version__
from listcheck.config import Config
from listcheck.findings import finding_order, settle
from listcheck.lint import lint_document
from listcheck.models import (
    Document,
    EntrySummary,
    Finding,
    Link,
    LinkHistory,
    LinkResult,
    Report,
    Severity,
    Stats,
)
from listcheck.parse import parse_document
from listcheck.reader import read_list
from listcheck.reading import file_reading
from listcheck.rules.base import CATALOGUE, LintContext

if TYPE_CHECKING:
    from listcheck.cache import FailureHistory
    from listcheck.checkers.base import CheckResult, Target
    from listcheck.online import OnlineSettings
    from listcheck.plan import LinkRef
    from listcheck.prmode.changes import ChangedLines

# Offline rules whose finding at a link's place means the link itself is broken.
BREAKING_RULES = frozenset(
    {"link/empty", "link/malformed", "anchor/not-found", "file/not-found", "arxiv/malformed-id"}
)


@dataclass
class RunRequest:
    paths: tuple[Path, ...]
    config: Config
    online: OnlineRequest | None = None
    """None: offline rules only."""
    diff_base: str | None = None
    """PR mode: check and report only what changed since this git ref."""


@dataclass
class OnlineRequest:
    """What the check stage needs beyond the configuration (built by the CLI)."""

    settings_factory: Callable[[], OnlineSettings]
    """Builds the check stage's settings when it is reached (the cache is opened only
    then; an offline run never imports aiohttp)."""


def load_documents(paths: Sequence[Path], config: Config) -> list[Document]:
    """Reads and parses every list first, so a bad path fails the run before any work."""
    texts = [(path, read_list(path, config.max_file_size)) for path in paths]
    return [parse_document(text, str(path)) for path, text in texts]


def needs_network(config: Config) -> bool:
    return any(config.is_enabled(rule.id) for rule in CATALOGUE.values() if rule.needs_network)


def run(request: RunRequest) -> Report:
    return run_with_documents(request)[0]


def run_with_documents(request: RunRequest) -> tuple[Report, list[Document]]:
    """The report and the parsed lists it is about (``--fix`` edits them)."""
    started = time.perf_counter()
    config = request.config
    documents = load_documents(request.paths, config)  # size and encoding checks first
    changed = _changed(request) if request.diff_base else None
    contexts = [LintContext(root=path.resolve().parent) for path in request.paths]
    findings: list[Finding] = []
    for doc, context in zip(documents, contexts, strict=True):
        findings.extend(lint_document(doc, context, config))
    offline_broken = {
        (f.path, f.line, f.column): f.message for f in findings if f.rule in BREAKING_RULES
    }
    requests: Counter[str] = Counter()
    history: tuple[LinkHistory, ...] = ()
    notes: tuple[str, ...] = ()
    online = request.online is not None and needs_network(config)
    if online:
        assert request.online is not None
        links, online_findings, requests, history, notes = _online(
            documents, request.online, offline_broken, changed
        )
        findings.extend(online_findings)
    else:
        links = offline_link_results(documents, offline_broken)
    if changed is not None:
        findings = _pr_findings(documents, contexts, findings, changed, config)
    findings.sort(key=finding_order)
    report = build_report(
        documents, findings, links, time.perf_counter() - started, requests, offline=not online
    )
    if history or notes:
        report = report.model_copy(update={"history": history, "notes": notes})
    return report, documents


def _changed(request: RunRequest) -> list[ChangedLines]:
    """Asks git first, so a bad ref or a shallow clone fails before any other work."""
    from listcheck.prmode.changes import changed_lines

    assert request.diff_base is not None
    return [changed_lines(path, request.diff_base) for path in request.paths]


def _pr_findings(
    documents: Sequence[Document],
    contexts: Sequence[LintContext],
    findings: Sequence[Finding],
    changed: Sequence[ChangedLines],
    config: Config,
) -> list[Finding]:
    """Findings on changed lines, plus those elsewhere that the change caused."""
    from listcheck.prmode.changes import base_findings, select_findings

    selected: list[Finding] = []
    for doc, context, lines in zip(documents, contexts, changed, strict=True):
        mine = [f for f in findings if f.path == doc.path]
        base = base_findings(lines, doc.path, context, config)
        selected.extend(select_findings(mine, base, lines, doc=doc))
    return selected


def _online(
    documents: list[Document],
    online: OnlineRequest,
    offline_broken: dict[tuple[str, int, int], str],
    changed: Sequence[ChangedLines] | None = None,
) -> tuple[
    tuple[LinkResult, ...], list[Finding], Counter[str], tuple[LinkHistory, ...], tuple[str, ...]
]:
    from listcheck.judge import entry_judges, judge, link_results
    from listcheck.online import run_checks
    from listcheck.plan import plan_checks

    settings = online.settings_factory()
    only_links = only_entries = None
    if changed is not None:
        from listcheck.prmode.changes import changed_entries, restrict_for_online

        only_links = {
            i: restrict_for_online(doc, c)
            for i, (doc, c) in enumerate(zip(documents, changed, strict=True))
        }
        only_entries = {
            i: changed_entries(doc, c)
            for i, (doc, c) in enumerate(zip(documents, changed, strict=True))
        }
    plan = plan_checks(documents, settings.config, only_links=only_links, only_entries=only_entries)
    judges = entry_judges(documents, plan)

    def followups(results: Mapping[str, CheckResult]) -> dict[str, Sequence[Target]]:
        return {name: judge.followups(results) for name, judge in judges.items()}

    try:
        outcome = run_checks(plan, settings, followups)
    finally:
        settings.cache.close()
    judged = judge(documents, plan, outcome.results, judges)
    history = _history_by_url(documents, plan.places, outcome.history)
    by_path: dict[str, list[Finding]] = {}
    for item in judged.findings:
        by_path.setdefault(item.path, []).append(item)
    kept: list[Finding] = []
    for doc in documents:
        kept.extend(settle(doc, by_path.get(doc.path, []), settings.config, history))
    rows = link_results(documents, judged, offline_broken)
    return rows, kept, outcome.requests, tuple(history.values()), tuple(outcome.notes)


def _history_by_url(
    documents: Sequence[Document],
    places: Mapping[str, Sequence[LinkRef]],
    streaks: Mapping[str, FailureHistory],
) -> dict[str, LinkHistory]:
    out: dict[str, LinkHistory] = {}
    for key, streak in streaks.items():
        for ref in places.get(key, ()):
            url = documents[ref.doc].links[ref.link].url
            out[url] = LinkHistory(
                url=url,
                consecutive_failures=streak.consecutive_failures,
                first_failed_at=streak.first_failed_at,
            )
    return out


def build_report(
    documents: list[Document],
    findings: list[Finding],
    links: tuple[LinkResult, ...],
    wall_time: float,
    requests: Counter[str] | None = None,
    *,
    offline: bool = True,
) -> Report:
    entries = tuple(
        EntrySummary(
            path=doc.path,
            line=entry.line,
            column=entry.column,
            section=entry.section,
            title=entry.title,
            tags=tuple(tag.raw for tag in entry.tags),
            urls=tuple(doc.links[i].url for i in entry.links),
        )
        for doc in documents
        for entry in doc.entries
    )
    severities = Counter(finding.severity.value for finding in findings)
    stats = Stats(
        files=len(documents),
        entries=len(entries),
        links=sum(len(doc.links) for doc in documents),
        unique_urls=len(links),
        findings={severity.value: severities.get(severity.value, 0) for severity in Severity},
        verdicts=dict(Counter(link.verdict.value for link in links)),
        wall_time_s=round(wall_time, 4),
        requests=dict(sorted((requests or Counter()).items())),
        offline=offline,
        reading={doc.path: file_reading(doc) for doc in documents},
    )
    return Report(
        version=__version__,
        files=tuple(doc.path for doc in documents),
        entries=entries,
        links=links,
        findings=tuple(findings),
        stats=stats,
    )


def offline_link_results(
    documents: list[Document], offline_broken: dict[tuple[str, int, int], str]
) -> tuple[LinkResult, ...]:
    """One row per unique URL. Without the network only what the file itself proves is
    judged (anchors, relative files, empty and malformed links); the rest is skipped."""
    from listcheck.models import Verdict
    from listcheck.rows import LOCAL_KINDS, Answer, link_rows

    def answer(_doc: int, _index: int, link: Link) -> Answer:
        if link.kind in LOCAL_KINDS:
            return Verdict.OK, None, "checked offline"
        return Verdict.SKIPPED, None, "offline: not checked"

    return link_rows(documents, answer, offline_broken)
