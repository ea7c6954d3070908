"""One run of listcheck as a composition of the stages: read -> parse -> lint -> report.

The CLI turns arguments into a :class:`RunRequest` and hands the resulting
:class:`~listcheck.models.Report` to a reporter; nothing here prints.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from listcheck import __version__
from listcheck.config import Config
from listcheck.lint import finding_order, lint_document
from listcheck.models import (
    Document,
    EntrySummary,
    Finding,
    LinkKind,
    LinkResult,
    Place,
    Report,
    Severity,
    Stats,
    Verdict,
)
from listcheck.parse import parse_document
from listcheck.reader import read_list
from listcheck.rules.base import LintContext

# Kinds whose truth is in the file itself; every other kind needs the network.
LOCAL_KINDS = frozenset({LinkKind.ANCHOR, LinkKind.FILE, LinkKind.EMPTY, LinkKind.MALFORMED})
# Offline rules whose finding at a link's place means the link itself is broken.
BREAKING_RULES = frozenset(
    {"link/empty", "link/malformed", "anchor/not-found", "file/not-found", "arxiv/malformed-id"}
)


@dataclass(frozen=True)
class RunRequest:
    paths: tuple[Path, ...]
    config: Config


def load_documents(paths: tuple[Path, ...], config: Config) -> list[Document]:
    """Reads and parses every list first, so a bad path fails the run before any work."""
    texts = [(path, read_list(path, config.max_file_size)) for path in paths]
    return [parse_document(text, str(path)) for path, text in texts]


def run_offline(request: RunRequest) -> Report:
    started = time.perf_counter()
    documents = load_documents(request.paths, request.config)
    findings: list[Finding] = []
    for doc, path in zip(documents, request.paths, strict=True):
        context = LintContext(root=path.resolve().parent)
        findings.extend(lint_document(doc, context, request.config))
    findings.sort(key=finding_order)
    return build_report(documents, findings, time.perf_counter() - started)


def build_report(documents: list[Document], findings: list[Finding], wall_time: float) -> Report:
    links = offline_link_results(documents, findings)
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
        requests={},
        offline=True,
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
    documents: list[Document], findings: list[Finding]
) -> tuple[LinkResult, ...]:
    """One row per unique URL. Without the network only what the file itself proves is
    judged (anchors, relative files, empty and malformed links); the rest is skipped."""
    broken_at: dict[tuple[str, int, int], str] = {
        (f.path, f.line, f.column): f.message for f in findings if f.rule in BREAKING_RULES
    }
    places: dict[str, list[Place]] = {}
    kinds: dict[str, LinkKind] = {}
    details: dict[str, str] = {}
    for doc in documents:
        for link in doc.links:
            place = Place(path=doc.path, line=link.line, column=link.column)
            places.setdefault(link.url, []).append(place)
            kinds.setdefault(link.url, link.kind)
            problem = broken_at.get((doc.path, link.line, link.column))
            if problem is not None:
                details[link.url] = problem
    rows = []
    for url, where in places.items():
        kind = kinds[url]
        if url in details:
            verdict, detail = Verdict.BROKEN, details[url]
        elif kind in LOCAL_KINDS:
            verdict, detail = Verdict.OK, "checked offline"
        else:
            verdict, detail = Verdict.SKIPPED, "offline: not checked"
        rows.append(
            LinkResult(url=url, kind=kind, verdict=verdict, detail=detail, places=tuple(where))
        )
    return tuple(rows)
