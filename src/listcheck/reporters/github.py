"""``--format github``: the findings as GitHub Actions annotations, plus the job summary
and step outputs the Action writes beside them.

Annotations are workflow commands on stdout (``::error file=…,line=…::message``), so
the message and every property value are escaped exactly as GitHub's toolkit escapes
them: a stranger's title holding a newline could otherwise start a command line of its
own (``::add-mask::``, ``::stop-commands::``), and a ``,`` or ``:`` in a path would end
the property early. Other control characters are shown as escapes first, as in the
text report, so an escape sequence cannot restyle the build log.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per
job) and drops the rest silently. So the most important go out first, each severity up
to its limit, and one last notice says how many were left out. That notice is itself
counted against the notice limit, so when notices run over it takes the last notice's
place. The job summary (:func:`write_step_summary`) always has every finding that fits
in GitHub's 1 MiB; the step outputs (:func:`write_step_outputs`) carry the counts.

The environment is passed in, never read from ``os.environ`` here, so that the CLI
decides what it trusts and the tests can set any repository and commit.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final, TextIO

from listcheck.errors import ListcheckError
from listcheck.models import Finding, Report, Severity
from listcheck.reporters.base import Reporter, ReporterOptions
from listcheck.reporters.common import (
    SUMMARY_LIMIT,
    cell_text,
    code_cell,
    finding_row,
    line_links,
    ordered,
    plural,
    summary_line,
    table_head,
    table_row,
    verdict_counts,
    visible,
)
from listcheck.safe_write import RefusedTarget

ANNOTATION_LIMIT: Final = 10
"""Annotations GitHub shows per severity and step; the rest are dropped."""

_COMMANDS: Final = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.NOTICE: "notice",
}
_DATA_ESCAPES: Final = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES: Final = (*_DATA_ESCAPES, (":", "%3A"), (",", "%2C"))
_LINE_BREAKS: Final = re.compile(r"(\r|\n)")


class GithubReporter(Reporter):
    name = "github"

    def write(self, report: Report, stream: TextIO) -> None:
        shown, hidden = select_annotations(report)
        for finding in shown:
            stream.write(annotation(finding) + "\n")
        if hidden:
            stream.write(
                f"::notice::{plural(hidden, 'more finding')} not shown as annotations; "
                "see the job summary\n"
            )
        stream.write(summary_line(report) + "\n")

    def finish(self, report: Report, options: ReporterOptions) -> None:
        """In GitHub Actions: the job summary and the step outputs (a run that writes JSON
        or Markdown for a later step leaves the summary to that step)."""
        environ = options.environ
        if environ.get("GITHUB_ACTIONS") != "true":
            return
        try:
            if summary := environ.get("GITHUB_STEP_SUMMARY"):
                write_step_summary(report, Path(summary), environ=environ)
            if outputs := environ.get("GITHUB_OUTPUT"):
                report_path = str(options.output) if options.output else None
                write_step_outputs(report, Path(outputs), report_path)
        except (RefusedTarget, OSError) as exc:
            raise ListcheckError(f"cannot write the GitHub Actions files: {exc}") from None


def select_annotations(report: Report) -> tuple[list[Finding], int]:
    """The findings to annotate, most important first, and how many are left out."""
    shown: list[Finding] = []
    used: Counter[Severity] = Counter()
    for finding in ordered(report.findings, report.files, severity_first=True):
        if used[finding.severity] < ANNOTATION_LIMIT:
            shown.append(finding)
            used[finding.severity] += 1
    hidden = len(report.findings) - len(shown)
    if hidden and used[Severity.NOTICE] == ANNOTATION_LIMIT:
        shown.pop()  # notices come last: the "N more" notice needs this one's slot
        hidden += 1
    return shown, hidden


def annotation(finding: Finding) -> str:
    """``::error file=README.md,line=42,col=7,title=link/broken::message`` for one
    finding; the suggested fix follows the message on a line of its own."""
    message = finding.message
    if finding.suggestion is not None:
        message += f"\nfix: {finding.suggestion}"
    properties = ",".join(
        f"{name}={escape_property(value)}"
        for name, value in (
            ("file", finding.path),
            ("line", str(finding.line)),
            ("col", str(finding.column)),
            ("title", finding.rule),
        )
    )
    return f"::{_COMMANDS[finding.severity]} {properties}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """A command's message as the toolkit escapes it: ``%``, CR and LF."""
    return _replace_all(_shown(text), _DATA_ESCAPES)


def escape_property(text: str) -> str:
    """A property value as the toolkit escapes it: as data, plus ``:`` and ``,``."""
    return _replace_all(_shown(text), _PROPERTY_ESCAPES)


# --- job summary -------------------------------------------------------------------------


def write_step_summary(
    report: Report,
    path: Path,
    *,
    environ: Mapping[str, str] | None = None,
    limit: int = SUMMARY_LIMIT,
) -> None:
    """Appends the Markdown job summary to ``path`` (``$GITHUB_STEP_SUMMARY``).

    Earlier content of the step's summary is kept and counts against ``limit``: what is
    appended is cut, with a note, so the whole file stays under it. If not even the
    note fits, nothing is written (a summary over the limit would be refused whole).
    ``environ`` supplies ``GITHUB_REPOSITORY``, ``GITHUB_SHA`` and ``GITHUB_SERVER_URL``
    for links to the lines.
    """
    existing, tail = _existing(path)
    separator = "" if not existing else "\n" if tail.endswith(b"\n") else "\n\n"
    budget = limit - existing - len(separator) - 1
    text = step_summary(report, environ or {}, budget=budget)
    if text:
        _append(path, separator + text)


def step_summary(report: Report, environ: Mapping[str, str], *, budget: int) -> str:
    """The summary with as many findings as fit in ``budget`` bytes (UTF-8), most
    important first; "" if even the counts and the note do not fit."""
    ranked = ordered(report.findings, report.files, severity_first=True)
    link = line_links(environ)
    rows = [_row(finding, link) for finding in ranked]
    text = _summary(report, ranked, rows, len(ranked))
    if _size(text) <= budget:
        return text
    low, high = 0, len(ranked) - 1  # the largest count of findings that fits
    best = ""
    while low <= high:
        middle = (low + high) // 2
        candidate = _summary(report, ranked, rows, middle)
        if _size(candidate) <= budget:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best


def _summary(report: Report, ranked: Sequence[Finding], rows: Sequence[str], shown: int) -> str:
    """The summary showing the first ``shown`` of the ``ranked`` findings (``rows`` are
    their table rows, made once however often the summary is tried for size)."""
    lines = ["## listcheck", "", f"**{cell_text(summary_line(report))}**", ""]
    lines += _rule_counts(report.findings)
    verdicts = verdict_counts(report)
    if verdicts:
        lines += table_head(["verdict", "links"])
        lines += [table_row([v.value, str(n)]) for v, n in verdicts.items()]
        lines.append("")
    for severity in Severity:
        total = [i for i, f in enumerate(ranked) if f.severity is severity]
        lines += _section(severity, [rows[i] for i in total if i < shown], len(total))
    if shown < len(ranked):
        left = len(ranked) - shown
        lines += [
            f"> **Cut short:** {plural(left, 'more finding')} not shown "
            f"(a job summary holds at most {SUMMARY_LIMIT // 1024 // 1024} MiB); "
            "the full report has all of them.",
            "",
        ]
    return "\n".join(lines)


def _rule_counts(findings: Sequence[Finding]) -> list[str]:
    counts = Counter((f.rule, f.severity) for f in findings)
    if not counts:
        return []
    rows = [
        table_row([code_cell(rule), severity.value, str(n)])
        for (rule, severity), n in sorted(counts.items(), key=lambda i: (-i[0][1].rank, i[0][0]))
    ]
    return [*table_head(["rule", "severity", "findings"]), *rows, ""]


def _section(severity: Severity, rows: Sequence[str], total: int) -> list[str]:
    """Errors in the open, warnings and notices folded; "N of M" when cut short."""
    if not total:
        return []
    name = severity.value.capitalize() + "s"
    title = f"{name} ({total})" if len(rows) == total else f"{name} ({len(rows)} of {total})"
    table = [*table_head(["where", "rule", "message", "fix"]), *rows, ""] if rows else []
    if severity is Severity.ERROR:
        return [f"### {title}", "", *table]
    return ["<details>", f"<summary>{title}</summary>", "", *table, "</details>", ""]


def _row(finding: Finding, link: Callable[[str, int], str | None]) -> str:
    url = link(finding.path, finding.line)
    where = None if url is None else f"[{cell_text(f'{finding.path}:{finding.line}')}]({url})"
    return finding_row(finding, with_rule=True, where=where)


# --- step outputs -----------------------------------------------------------------------


def write_step_outputs(report: Report, path: Path, report_path: str | None) -> None:
    """Appends ``errors``, ``warnings``, ``notices`` and ``report`` (the report file,
    empty when there is none) to ``path`` (``$GITHUB_OUTPUT``), for later steps'
    ``if:`` conditions and uploads."""
    counts = Counter(f.severity for f in report.findings)
    values = [
        ("errors", str(counts[Severity.ERROR])),
        ("warnings", str(counts[Severity.WARNING])),
        ("notices", str(counts[Severity.NOTICE])),
        ("report", report_path or ""),
    ]
    existing, tail = _existing(path)
    separator = "\n" if existing and not tail.endswith(b"\n") else ""
    _append(path, separator + "".join(output_entry(name, value) for name, value in values))


def output_entry(name: str, value: str, delimiter: Callable[[], str] | None = None) -> str:
    """``name=value`` and a newline; a value with a line break uses the heredoc form
    ``name<<DELIMITER`` with a random delimiter that occurs nowhere in the value."""
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}\n"
    make = delimiter or (lambda: f"ghadelimiter_{uuid.uuid4()}")
    marker = make()
    while marker in value or marker in name:
        marker = make()
    return f"{name}<<{marker}\n{value}\n{marker}\n"


# --- helpers ----------------------------------------------------------------------------


def _shown(text: str) -> str:
    """Control characters other than CR and LF as visible escapes (CR and LF are the
    toolkit's to escape)."""
    return "".join(
        part if _LINE_BREAKS.fullmatch(part) else visible(part) for part in _LINE_BREAKS.split(text)
    )


def _replace_all(text: str, pairs: Sequence[tuple[str, str]]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def _existing(path: Path) -> tuple[int, bytes]:
    """The file's size and its last two bytes (0 and b"" when it does not exist)."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, 2)
            handle.seek(max(size - 2, 0))
            return size, handle.read()
    except FileNotFoundError:
        return 0, b""


def _append(path: Path, text: str) -> None:
    """Through :func:`listcheck.safe_write.append_text`: never through a symlink, only
    into a regular file."""
    from listcheck.safe_write import append_text

    append_text(path, text)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))
