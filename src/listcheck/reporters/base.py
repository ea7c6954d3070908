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
from typing import ClassVar, TextIO

from listcheck.models import Report


class Reporter(ABC):
    name: ClassVar[str]
    """The ``--format`` value that selects this reporter."""

    @abstractmethod
    def write(self, report: Report, stream: TextIO) -> None:
        """Writes the whole report to ``stream``, ending with a newline."""

    def render(self, report: Report) -> str:
        buffer = io.StringIO()
        self.write(report, buffer)
        return buffer.getvalue()
