"""The one interface every output format implements.

A reporter writes a finished :class:`~listcheck.models.Report` to a stream rather than
returning a string, because how a format looks may depend on where it goes: the text
format colours its output only on a terminal. ``render`` gives the same output as a
string, for tests and for formats that end up inside something else (a job summary).

Reporters only format. They never decide the exit code, never print progress, and never
write anywhere but the stream they are given (the report channel: stdout or
``--output``); the human summary on stderr is the CLI's business.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Self, TextIO

from listcheck.models import Report


@dataclass(frozen=True)
class ReporterOptions:
    """What the command line tells a format; each format reads what concerns it."""

    color: bool | None = None
    """None decides from the stream; True or False force it (``--color``)."""
    output: Path | None = None
    """The file the report goes to (``--output``), None for standard output."""
    environ: Mapping[str, str] = field(default_factory=dict)
    """The run's environment (GitHub Actions names its step files there)."""


class Reporter(ABC):
    name: ClassVar[str]
    """The ``--format`` value that selects this reporter."""
    for_programs: ClassVar[bool] = False
    """Read by programs (JSON, SARIF, a Markdown file for a later step), not by whoever
    started the run: at a terminal, the CLI adds the summary line on standard error."""
    shows_progress: ClassVar[bool] = False
    """Read live at a terminal: the CLI may draw a progress bar on standard error while
    the online checks run."""

    @classmethod
    def configured(cls, options: ReporterOptions) -> Self:
        """This format set up from the command line's options; most need none."""
        return cls()

    def finish(self, report: Report, options: ReporterOptions) -> None:
        """Called once the report is written: a format with files of its own beside the
        report (the GitHub job summary) writes them here."""
        del report, options  # nothing beside the report by default

    @abstractmethod
    def write(self, report: Report, stream: TextIO) -> None:
        """Writes the whole report to ``stream``, ending with a newline."""

    def render(self, report: Report) -> str:
        buffer = io.StringIO()
        self.write(report, buffer)
        return buffer.getvalue()
