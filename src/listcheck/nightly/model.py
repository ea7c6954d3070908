"""What is wrong, night after night: a problem is a failing rule on one URL (or message) in
one file, wherever in that file it is cited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from listcheck.errors import ExitCode, ListcheckError
from listcheck.models import Finding, Report, Severity, Verdict

PROG: Final = "listcheck nightly"


DAY: Final = 86_400


class NightlyError(ListcheckError):
    """The issues API refused or failed: nothing was tracked this night."""

    exit_code = ExitCode.ISSUES_API


@dataclass(frozen=True)
class Problem:
    """One thing to fix: a failing rule on one URL (or message) in one file, wherever
    in that file it is cited. Line numbers are not part of its identity: an edit above
    it moves it without making it a new problem."""

    key: str
    rule: str
    severity: Severity
    path: str
    lines: tuple[int, ...]
    url: str | None
    message: str
    suggestion: str | None


def problem_key(finding: Finding) -> str:
    """What makes two findings the same problem, night after night."""
    what = finding.url if finding.url else finding.message
    return f"{finding.rule}\t{finding.path}\t{what}"


def failing_problems(report: Report, fail_on: Severity) -> list[Problem]:
    """Findings at or above ``fail_on``, one :class:`Problem` per key, in file order."""
    grouped: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.severity.rank >= fail_on.rank:
            grouped.setdefault(problem_key(finding), []).append(finding)
    problems = [
        Problem(
            key=key,
            rule=items[0].rule,
            severity=items[0].severity,
            path=items[0].path,
            lines=tuple(sorted({item.line for item in items})),
            url=items[0].url,
            message=items[0].message,
            suggestion=items[0].suggestion,
        )
        for key, items in grouped.items()
    ]
    return sorted(problems, key=lambda p: (p.path, p.lines[0], p.rule))


def unconfirmed_links(report: Report, failing: Iterable[Problem]) -> list[Problem]:
    """Links whose verdict is transient and that no failing problem already names."""
    named = {p.url for p in failing if p.url}
    out = []
    for link in report.links:
        if link.verdict is not Verdict.TRANSIENT or link.url in named or not link.places:
            continue
        first = link.places[0]
        out.append(
            Problem(
                key=f"transient\t{link.url}",
                rule="link/transient",
                severity=Severity.WARNING,
                path=first.path,
                lines=tuple(sorted({p.line for p in link.places if p.path == first.path})),
                url=link.url,
                message=link.detail or "could not be confirmed",
                suggestion=None,
            )
        )
    return sorted(out, key=lambda p: (p.path, p.lines[0]))
