"""The one funnel every finding passes on its way to the report, whatever found it (an
offline rule, the judge of online answers, PR mode): the list's suppression comments,
then the configuration's re-grading, then escalation of links failing night after
night, then one order. Offline, online and PR runs all call :func:`settle`, so a
finding is never suppressed or graded twice, or in a different order."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime

from listcheck.config import Config
from listcheck.models import Document, Finding, LinkHistory, Severity
from listcheck.suppress import apply_suppressions

NIGHT = 20 * 3600.0
"""The least time between two runs that count as two nights (a nightly job drifts)."""


def settle(
    doc: Document,
    found: Iterable[Finding],
    config: Config,
    history: Mapping[str, LinkHistory] | None = None,
    now: float | None = None,
) -> list[Finding]:
    """``doc``'s findings as reported: suppress -> regrade -> escalate -> sort."""
    kept = config.regrade(apply_suppressions(doc, list(found)))
    if history:
        kept = escalate_persistent(kept, history, config, now)
    return sorted(kept, key=finding_order)


def finding_order(finding: Finding) -> tuple[str, int, int, str]:
    return (finding.path, finding.line, finding.column, finding.rule)


def escalate_persistent(
    findings: Sequence[Finding],
    history: Mapping[str, LinkHistory],
    config: Config,
    now: float | None = None,
) -> list[Finding]:
    """A link that could not be confirmed on ``transient_error_after`` nights in a row is
    no longer a flaky host but a finding: its ``link/transient`` becomes an error. Runs
    count, and so does the time they span: three runs in one afternoon are one night."""
    limit = config.transient_error_after
    now = time.time() if now is None else now
    out = []
    for item in findings:
        streak = history.get(item.url or "")
        persistent = (
            streak is not None
            and limit > 0
            and streak.consecutive_failures >= limit
            and now - (streak.first_failed_at or now) >= (limit - 1) * NIGHT
        )
        if item.rule == "link/transient" and streak is not None and persistent:
            since = _date(streak.first_failed_at)
            item = item.model_copy(
                update={
                    "severity": Severity.ERROR,
                    "message": f"{item.message} (failing {streak.consecutive_failures} "
                    f"runs in a row{since})",
                }
            )
        out.append(item)
    return out


def _date(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return " since " + datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
