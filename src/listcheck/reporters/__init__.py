"""Output formats by ``--format`` name.

Adding a format is one new module with a :class:`Reporter` subclass and one line in
:data:`REPORTERS`. The names are the registry's keys rather than an enum, so that line
stays the only place a format is listed; the CLI offers ``sorted(REPORTERS)``.
"""

from __future__ import annotations

from collections.abc import Callable

from listcheck.errors import ConfigError
from listcheck.reporters.base import Reporter
from listcheck.reporters.github import GithubReporter
from listcheck.reporters.json import JsonReporter
from listcheck.reporters.markdown import MarkdownReporter
from listcheck.reporters.sarif import SarifReporter
from listcheck.reporters.text import TextReporter

REPORTERS: dict[str, Callable[[], Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
    "markdown": MarkdownReporter,
}


def get_reporter(name: str) -> Reporter:
    """The reporter for ``--format name``; an unknown name is a usage error."""
    try:
        factory = REPORTERS[name]
    except KeyError:
        choices = ", ".join(sorted(REPORTERS))
        raise ConfigError(f"--format: unknown format {name!r} (choose from {choices})") from None
    return factory()


__all__ = ["REPORTERS", "JsonReporter", "Reporter", "TextReporter", "get_reporter"]
