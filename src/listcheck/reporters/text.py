"""The report a person reads in a terminal or a CI log.

One line per finding, ``path:line:column`` first so editors and terminals can jump to
it, severity and rule in aligned columns, the suggested fix on an indented line below.
Lines are never wrapped by us (a wrapped line is no longer grep-able or clickable); the
terminal wraps them if it must. Colour only on a terminal, never with ``NO_COLOR`` set,
unless the caller forces it.

Messages quote titles and URLs written by strangers in pull requests, so control
characters (an escape sequence could rewrite the maintainer's screen) and bidirectional
overrides (they make text read differently from what it is) are shown as escapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final, Self, TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from listcheck.models import Finding, Report, Severity
from listcheck.reporters.base import Reporter, ReporterOptions
from listcheck.reporters.common import plural, summary_line, visible

SEVERITY_STYLES: Final[Mapping[Severity, str]] = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.NOTICE: "cyan",
}
_SEVERITY_WIDTH: Final = max(len(s.value) for s in Severity)
_GAP: Final = "  "


class _Console(Console):
    """Rich ends the process with exit code 1 when the reader of a pipe goes away; the
    CLI decides what a closed pipe means (the exit code the findings call for), so the
    error goes up to it."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


class TextReporter(Reporter):
    """``color``: None decides from the stream (a terminal, and ``NO_COLOR`` unset);
    True or False force it, as ``--color=always/never`` would. ``width`` fixes the
    console width (tests); it never wraps finding lines."""

    name = "text"
    shows_progress = True

    def __init__(self, *, color: bool | None = None, width: int | None = None) -> None:
        self.color = color
        self.width = width

    @classmethod
    def configured(cls, options: ReporterOptions) -> Self:
        return cls(color=options.color)

    def write(self, report: Report, stream: TextIO) -> None:
        console = _Console(
            file=stream,
            force_terminal=self.color,
            no_color=None if self.color is None else not self.color,
            width=self.width,
            highlight=False,
            markup=False,
            emoji=False,
            soft_wrap=True,
        )
        for text in report_lines(report):
            console.print(text)


def report_lines(report: Report) -> list[Text]:
    """Every line of the text report, styled: one group per file, its columns aligned
    within the group (a long path elsewhere does not push them right), then the summary."""
    lines: list[Text] = []
    for group in _by_file(report):
        if lines:
            lines.append(Text())
        where = [f"{f.path}:{f.line}:{f.column}" for f in group]
        where_width = max(cell_len(w) for w in where)
        rule_width = max(cell_len(f.rule) for f in group)
        for finding, place in zip(group, where, strict=True):
            lines.append(_finding_line(finding, place, where_width, rule_width))
            if finding.suggestion is not None:
                lines.append(Text.assemble("  fix: ", (visible(finding.suggestion), "green")))
    if lines:
        lines.append(Text())
    lines.extend(Text(line, style="dim") for line in reading_lines(report))
    lines.append(Text(summary_line(report), style="bold"))
    return lines


def reading_lines(report: Report) -> list[str]:
    """Per file, what was read of it: ``README.md: 31 heading entries, 54 list-item
    entries; 85 with a title`` — so a list listcheck misreads is seen to be misread."""
    lines = []
    for path, read in report.stats.reading.items():
        shapes = ", ".join(f"{count} {shape}" for shape, count in read.shapes.items())
        lines.append(
            f"{path}: read {plural(read.entries, 'entry', 'entries')}"
            + (f" ({shapes})" if shapes else "")
            + f", {read.titled} with a title"
        )
    return lines


def _by_file(report: Report) -> Iterable[list[Finding]]:
    order = {path: index for index, path in enumerate(report.files)}
    groups: dict[str, list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.path, []).append(finding)
    for path in sorted(groups, key=lambda p: (order.get(p, len(order)), p)):
        yield sorted(
            groups[path], key=lambda f: (f.line, f.column, -f.severity.rank, f.rule, f.message)
        )


def _finding_line(finding: Finding, where: str, where_width: int, rule_width: int) -> Text:
    pad_where = " " * (where_width - cell_len(where))
    pad_rule = " " * (rule_width - cell_len(finding.rule))
    severity = finding.severity.value.ljust(_SEVERITY_WIDTH)
    return Text.assemble(
        (where, "bold"),
        pad_where + _GAP,
        (severity, SEVERITY_STYLES[finding.severity]),
        _GAP,
        (finding.rule, "dim"),
        pad_rule + _GAP,
        visible(finding.message),
    )
