"""Regular expressions that come from outside: a config file or the command line.

A pull request can edit ``listcheck.toml``, so a pattern there is hostile input. Python's
``re`` backtracks: ``^http://x/(a+)+$`` takes minutes on one 32-character URL, which
would stall CI. These patterns are compiled by RE2 (google-re2), whose matching time is
linear in the text whatever the pattern. Its syntax is Python's without backreferences
and lookaround (``(?=``, ``(?!``, ``(?<=``, ``(?<!``); a pattern RE2 refuses is an error
naming the pattern, never a fallback to ``re``.

The module is imported only when a configuration has patterns, so a run without them
never loads the RE2 extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, cast

MAX_PATTERN_LENGTH = 1000
"""Characters; RE2 bounds matching time, and this bounds compile time and memory."""

_MAX_PROGRAM_MEMORY = 8 << 20
"""Bytes RE2 may spend on one compiled pattern (its default); a larger one is refused."""


class PatternError(ValueError):
    """A pattern that RE2 cannot compile; the message says why, in one line."""


class _Compiled(Protocol):
    def search(self, text: str) -> object | None: ...


@dataclass(frozen=True)
class UserPattern:
    """One compiled pattern, searched anywhere in the text (like ``re.search``)."""

    source: str
    _compiled: _Compiled

    def search(self, text: str) -> bool:
        try:
            return self._compiled.search(text) is not None
        except UnicodeEncodeError:  # RE2 reads UTF-8, which has no lone surrogate
            return self._compiled.search(text.encode("utf-8", "replace").decode()) is not None


def compile_pattern(source: str) -> UserPattern:
    """``source`` compiled by RE2; :class:`PatternError` when it is too long or refused."""
    import re2  # type: ignore[import-untyped]  # no stubs; typed by _Compiled above

    if len(source) > MAX_PATTERN_LENGTH:
        raise PatternError(f"longer than {MAX_PATTERN_LENGTH} characters")
    options = re2.Options()
    options.log_errors = False  # RE2 would also print the error on stderr itself
    options.max_mem = _MAX_PROGRAM_MEMORY
    try:
        compiled = re2.compile(source, options)
    except re2.error as exc:
        raise PatternError(_reason(exc)) from None
    return UserPattern(source, cast(_Compiled, compiled))


def _reason(exc: Exception) -> str:
    """RE2's message as text (it arrives as bytes), with what Python users will miss."""
    detail = exc.args[0] if exc.args else str(exc)
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", "replace")
    # RE2 quotes the offending piece of the pattern as it is: a newline in it would break
    # the one-line error, a control character or bidi override would act on the terminal.
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(detail))
    if "perl operator" in text or "escape sequence: \\" in text:
        text += " (RE2 syntax: no backreferences or lookaround)"
    return text
