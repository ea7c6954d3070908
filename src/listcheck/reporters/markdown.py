"""``--format markdown``: the nightly report of what rotted, for an issue or a wiki page.

The reader wants, in this order: how big the list is and how the links fared; which
links are broken and for how long (a link dead for thirty nights is a different
conversation from one that failed once); the other errors; then everything else folded
away per rule, so a long tail of notices does not bury the errors.

Every title, message and URL in the report comes from a stranger's pull request or a
remote server, and the report is rendered by GitHub. A ``|`` would end a table cell, a
newline the table row, a ``<script>``, ``<details>`` or ``<img>`` would become HTML, and
backticks, brackets or asterisks would turn into markup. So text from the report only
ever enters through :func:`cell_text` or :func:`code_cell`, which make it read exactly
as written. Those helpers also serve the GitHub job summary (``github.py``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Final, TextIO

from listcheck.models import Finding, LinkHistory, LinkResult, Report, Severity, Verdict
from listcheck.reporters.base import Reporter
from listcheck.reporters.common import (
    PLACES_SHOWN,
    cell_text,
    code_cell,
    finding_row,
    html_text,
    ordered,
    plural,
    severity_counts,
    since,
    table_head,
    table_row,
    verdict_counts,
)

_SEVERITY_TITLES: Final = {
    Severity.ERROR: "Errors",
    Severity.WARNING: "Warnings",
    Severity.NOTICE: "Notices",
}


class MarkdownReporter(Reporter):
    name = "markdown"
    for_programs = True

    def write(self, report: Report, stream: TextIO) -> None:
        stream.write("\n".join(report_markdown(report)))


def report_markdown(report: Report) -> list[str]:
    """The nightly report as lines, each ending where the document has a line break;
    the last one is empty so the text ends with a newline."""
    broken = broken_links(report)
    explained = _places_of(row for row, _ in broken)
    errors = [
        f
        for f in ordered(report.findings, report.files)
        if f.severity is Severity.ERROR and not _explains(f, explained)
    ]
    lines = ["# listcheck report", "", *_summary(report), ""]
    lines += [f"## Broken links ({len(broken)})", ""]
    lines += _broken_table(broken) if broken else ["None.", ""]
    lines += [f"## Other errors ({len(errors)})", ""]
    lines += findings_table(errors, with_rule=True) if errors else ["None.", ""]
    for severity in (Severity.WARNING, Severity.NOTICE):
        group = [f for f in ordered(report.findings, report.files) if f.severity is severity]
        lines += [f"## {_SEVERITY_TITLES[severity]} ({len(group)})", ""]
        lines += _by_rule(group) if group else ["None.", ""]
    return lines


def broken_links(report: Report) -> list[tuple[LinkResult, LinkHistory | None]]:
    """Broken links that a finding still reports, with their failure streak.

    A broken link whose findings were suppressed or ignored by the configuration is
    left out: the maintainer has already decided about it.
    """
    reported = {f.url for f in report.findings if f.url} | {
        (f.path, f.line, f.column) for f in report.findings
    }
    history = {item.url: item for item in report.history}
    rows = [
        link
        for link in report.links
        if link.verdict is Verdict.BROKEN
        and (
            link.url in reported or any((p.path, p.line, p.column) in reported for p in link.places)
        )
    ]
    order = {path: index for index, path in enumerate(report.files)}
    rows.sort(key=lambda row: _first_place(row, order))
    return [(row, history.get(row.url)) for row in rows]


def findings_table(findings: Sequence[Finding], *, with_rule: bool) -> list[str]:
    """A table of findings, blank line included."""
    header = ["where", "rule", "message", "fix"] if with_rule else ["where", "message", "fix"]
    rows = [finding_row(finding, with_rule=with_rule) for finding in findings]
    return [*table_head(header), *rows, ""]


def _summary(report: Report) -> list[str]:
    stats = report.stats
    files = ", ".join(cell_text(path) for path in report.files)
    links = plural(stats.links, "link")
    if stats.offline:
        checked = f"{links}, checked offline only (anchors, files, syntax)"
    elif sum(stats.requests.values()):
        checked = f"{links}, {plural(stats.unique_urls, 'unique URL')} checked online"
    else:
        checked = f"{links}, {plural(stats.unique_urls, 'unique URL')}, no request sent"
    verdicts = ", ".join(f"{n} {v.value}" for v, n in verdict_counts(report).items())
    return [
        "## Summary",
        "",
        f"- **Files:** {len(report.files)}" + (f" ({files})" if files else ""),
        f"- **Entries:** {stats.entries}{_shapes(report)}",
        f"- **Links:** {checked}",
        f"- **Verdicts:** {verdicts or 'none'}",
        f"- **Findings:** {severity_counts(report.findings)}",
        f"- **listcheck:** {cell_text(report.version)}",
    ]


def _shapes(report: Report) -> str:
    """`` (2975 paragraph; 2975 with a title)``: how the entries were written, summed
    over the files."""
    shapes: Counter[str] = Counter()
    titled = 0
    for read in report.stats.reading.values():
        shapes.update(read.shapes)
        titled += read.titled
    if not shapes:
        return ""
    written = ", ".join(f"{count} {shape}" for shape, count in sorted(shapes.items()))
    return f" ({written}; {titled} with a title)"


def _broken_table(broken: Sequence[tuple[LinkResult, LinkHistory | None]]) -> list[str]:
    rows = []
    for link, history in broken:
        detail = link.detail or (f"HTTP {link.status}" if link.status is not None else "")
        rows.append(
            table_row([code_cell(link.url), _places(link), cell_text(detail), since(history)])
        )
    return [*table_head(["URL", "where", "detail", "broken since"]), *rows, ""]


def _places(link: LinkResult) -> str:
    shown = [cell_text(f"{p.path}:{p.line}") for p in link.places[:PLACES_SHOWN]]
    rest = len(link.places) - len(shown)
    if rest > 0:
        shown.append(f"and {rest} more")
    return "<br>".join(shown)


def _by_rule(findings: Sequence[Finding]) -> list[str]:
    """One folded block per rule, the rule with most findings first."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(finding.rule, []).append(finding)
    lines = []
    for rule in sorted(groups, key=lambda r: (-len(groups[r]), r)):
        group = groups[rule]
        lines += [
            "<details>",
            f"<summary>{html_text(rule)} ({len(group)})</summary>",
            "",
            *findings_table(group, with_rule=False),
            "</details>",
            "",
        ]
    return lines


def _places_of(rows: Iterable[LinkResult]) -> set[str | tuple[str, int, int]]:
    out: set[str | tuple[str, int, int]] = set()
    for row in rows:
        out.add(row.url)
        out.update((p.path, p.line, p.column) for p in row.places)
    return out


def _explains(finding: Finding, explained: set[str | tuple[str, int, int]]) -> bool:
    """Whether the broken-links table already shows this error."""
    return finding.url in explained or (finding.path, finding.line, finding.column) in explained


def _first_place(row: LinkResult, order: Mapping[str, int]) -> tuple[int, str, int, int, str]:
    if not row.places:
        return (len(order) + 1, "", 0, 0, row.url)
    first = row.places[0]
    return (order.get(first.path, len(order)), first.path, first.line, first.column, row.url)
