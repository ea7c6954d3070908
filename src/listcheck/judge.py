"""The judge stage: remote answers -> findings at every place that cited them.

Checkers say what they saw (``broken``, ``moved``, ``transient``, ``skipped`` with a
reason); each service says what a definite answer means for a link and, when it knows
more than links (arXiv knows titles), for an entry. This module does what is the same
for every service: it hands each link's answer to the service that gave it, says a
transient answer once per link, and says once, not per link, what many answers share (a
spent quota, a machine without name resolution, a host that stopped answering, the run's
deadline). It never turns "could not check" into "broken".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from listcheck.checkers import registry
from listcheck.checkers.base import CheckResult, Reason
from listcheck.checkers.service import EntryJudge
from listcheck.models import Document, Finding, Link, LinkResult, Verdict
from listcheck.plan import LinkRef, Plan
from listcheck.rows import Answer, link_rows
from listcheck.rules.base import finding


@dataclass
class Judged:
    findings: list[Finding] = field(default_factory=list)
    verdicts: dict[LinkRef, tuple[Verdict, CheckResult | None, str]] = field(default_factory=dict)
    """Per link: its verdict, the answer it came from, and a one-line detail."""


def entry_judges(documents: Sequence[Document], plan: Plan) -> dict[str, EntryJudge]:
    """The entry judges of the services that have one, made once per run before the
    check stage (they say which follow-up checks they need)."""
    return {
        service.name: service.entry_judge(documents, plan)
        for service in registry.SERVICES
        if service.entry_judge is not None and plan.of(service.name)
    }


def judge(
    documents: Sequence[Document],
    plan: Plan,
    results: Mapping[str, CheckResult],
    judges: Mapping[str, EntryJudge] | None = None,
) -> Judged:
    judged = Judged()
    services = registry.by_name()
    service_of = {key: name for name, targets in plan.targets.items() for key in targets}
    skipped: dict[str, list[tuple[LinkRef, CheckResult]]] = {}
    shared: dict[tuple[Reason, str], list[tuple[LinkRef, CheckResult]]] = {}
    for ref, key in plan.key_of.items():
        result = results.get(key)
        doc = documents[ref.doc]
        link = doc.links[ref.link]
        if result is None:
            judged.verdicts[ref] = (Verdict.SKIPPED, None, "not checked")
            continue
        judged.verdicts[ref] = (result.verdict, result, result.detail)
        if result.reason in _SHARED_REASON_RULES:
            # A reason shared by many links (the machine's, a host's, the run's) is
            # said once for all of them, not once per link.
            shared.setdefault((result.reason, result.detail), []).append((ref, result))
        elif result.verdict is Verdict.SKIPPED:
            skipped.setdefault(service_of[key], []).append((ref, result))
        elif result.verdict is Verdict.TRANSIENT:
            judged.findings.append(_transient(doc, link, result))
        else:
            verdict, found = services[service_of[key]].judge_link(doc, link, result)
            judged.verdicts[ref] = (verdict, result, result.detail)
            judged.findings.extend(found)
    for ref, local in plan.local.items():
        judged.verdicts[ref] = (local.verdict, None, local.detail)
    judged.findings.extend(_skipped_notices(documents, skipped, services))
    judged.findings.extend(_shared_reason_findings(documents, shared))
    for entry_judge in (entry_judges(documents, plan) if judges is None else judges).values():
        judged.findings.extend(entry_judge.findings(results))
    return judged


def _transient(doc: Document, link: Link, result: CheckResult) -> Finding:
    return finding(
        doc,
        "link/transient",
        link.line,
        link.column,
        f"could not be confirmed this run: {result.detail}",
        url=link.url,
    )


def _skipped_notices(
    documents: Sequence[Document],
    skipped: Mapping[str, list[tuple[LinkRef, CheckResult]]],
    services: Mapping[str, registry.Service],
) -> list[Finding]:
    """One notice per service whose checks were skipped (a spent quota, a rejected
    token): the reason, how many, and where the first one is — never a finding each."""
    notices = []
    for service, items in skipped.items():
        ref, result = items[0]
        doc = documents[ref.doc]
        link = doc.links[ref.link]
        count = len(items)
        name = services[service].title
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
