"""One funnel for errors that end a run, each with a stable exit code and one line of text.

Modelled on pre-commit's error handler: a known problem (bad input, bad config, bad
usage) is a :class:`ListcheckError` and prints ``listcheck: error: <message>``; anything
else is a bug and prints a one-line hint where to report it.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    CLEAN = 0
    FINDINGS = 1
    USAGE = 2
    UNEXPECTED = 3
    ISSUES_API = 4
    """``listcheck nightly issue``: the GitHub Issues API refused or failed; nothing was
    tracked this night (kept apart from 1, which means the list has problems)."""
    UNAVAILABLE = 5
    """``listcheck add``: the arXiv API could not be asked; nothing was written, and the
    same command can simply be run again."""
    INTERRUPTED = 130


class ListcheckError(Exception):
    """A problem the user can fix: the message names it in one line."""

    exit_code: ExitCode = ExitCode.USAGE


class InputError(ListcheckError):
    """The list file cannot be read as a Markdown text file."""


class ConfigError(ListcheckError):
    """The configuration file or a command-line option is invalid."""
