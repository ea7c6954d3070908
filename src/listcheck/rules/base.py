"""The rule catalogue and the small interface every offline rule implements.

A rule is a function from a parsed :class:`~listcheck.models.Document` to findings. It
reports with its default severity; re-grading, ``--select``/``--ignore`` and inline
suppression happen afterwards in :mod:`listcheck.lint`, so rules stay oblivious to
configuration.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from listcheck.models import Document, Finding, Severity


@dataclass(frozen=True)
class RuleInfo:
    id: str
    severity: Severity
    summary: str
    needs_network: bool


def _r(rule_id: str, severity: str, summary: str, network: bool = False) -> RuleInfo:
    return RuleInfo(rule_id, Severity(severity), summary, network)


CATALOGUE: dict[str, RuleInfo] = {
    info.id: info
    for info in (
        _r("link/empty", "error", "a link with no URL, `[text]()`"),
        _r("link/malformed", "error", "an unparsable URL or a bad scheme"),
        _r("link/broken", "error", "the link is persistently absent (404/410, no such host)", True),
        _r("link/moved", "warning", "a permanent redirect; the final URL is suggested", True),
        _r("link/transient", "warning", "the link could not be confirmed this run", True),
        _r("anchor/not-found", "error", "a `#fragment` that no heading or HTML anchor produces"),
        _r(
            "anchor/shadowed",
            "warning",
            "a `#fragment` that lands on the wrong one of same-named headings",
        ),
        _r("file/not-found", "error", "a relative link to a file that is not in the repository"),
        _r("arxiv/malformed-id", "error", "an arXiv URL whose identifier is not a valid id"),
        _r(
            "arxiv/url-form",
            "notice",
            "a legacy or odd arXiv URL form; suggests the canonical one",
        ),
        _r(
            "arxiv/tag-month",
            "warning",
            "a date tag that differs from the arXiv id's month",
        ),
        _r("arxiv/not-found", "error", "the arXiv id does not exist", True),
        _r("arxiv/version-not-found", "error", "the cited arXiv version does not exist", True),
        _r("arxiv/title-mismatch", "error", "the listed title is a different paper", True),
        _r("arxiv/title-typo", "warning", "the listed title is misspelled", True),
        _r("arxiv/title-outdated", "notice", "the title is an earlier version's title", True),
        _r(
            "arxiv/title-editorial",
            "notice",
            "the list names papers its own way: its title mismatches in one notice",
            True,
        ),
        _r("arxiv/withdrawn", "warning", "the paper was withdrawn", True),
        _r("github/not-found", "error", "the repository does not exist (or is private)", True),
        _r("github/renamed", "warning", "the repository moved; the new URL is suggested", True),
        _r("github/archived", "notice", "the repository is archived", True),
        _r("github/path-not-found", "error", "a /tree/ or /blob/ path or ref is missing", True),
        _r("hf/not-found", "error", "the Hugging Face dataset, model or space is missing", True),
        _r("entry/no-link", "warning", "a list entry in a paper section has no link"),
        _r("entry/duplicate", "warning", "the same paper twice in one section"),
        _r(
            "entry/order",
            "notice",
            "an entry out of its section's date order (newest or oldest first)",
        ),
        _r(
            "entry/misplaced",
            "warning",
            "a paper entry under a heading that is not for papers (contributing, license...)",
        ),
        _r(
            "entry/suggest-link",
            "notice",
            "an entry with no link whose title arXiv has; suggests the paper's abs URL",
            True,
        ),
        _r(
            "entry/unread",
            "notice",
            "most external links are in no entry listcheck could read (a blind spot)",
        ),
        _r("check/skipped", "notice", "links that could not be checked this run", True),
        _r("suppress/invalid", "notice", "a suppression comment names an unknown rule"),
        _r("text/mojibake", "warning", "mis-decoded text; the repaired text is suggested"),
    )
}


@dataclass(frozen=True)
class LintContext:
    """What a rule may know beyond the document: where the file lives on disk."""

    root: Path
    """The folder relative links are resolved against (the list's own folder)."""


OfflineRule = Callable[[Document, LintContext], Iterable[Finding]]

_DOCUMENT_MEMOS: list[Callable[[], None]] = []

P = ParamSpec("P")
R = TypeVar("R")


def per_document(func: Callable[P, R]) -> Callable[P, R]:
    """Remembers ``func``'s answers while one document is linted, for facts several rules
    derive from the same text (the dates on a line); :func:`forget_document` drops them
    when the document is done, so memory grows with one list, never with a run."""
    remembered = functools.lru_cache(maxsize=None)(func)
    _DOCUMENT_MEMOS.append(remembered.cache_clear)
    return remembered  # type: ignore[return-value]  # lru_cache keeps the signature


def forget_document() -> None:
    for clear in _DOCUMENT_MEMOS:
        clear()


OFFLINE_RULES: dict[str, OfflineRule] = {}


def offline_rule(rule_id: str) -> Callable[[OfflineRule], OfflineRule]:
    """Registers an offline rule implementation under a catalogue id."""
    if rule_id not in CATALOGUE:
        raise KeyError(f"unknown rule id {rule_id!r}")

    def register(func: OfflineRule) -> OfflineRule:
        OFFLINE_RULES[rule_id] = func
        return func

    return register


def finding(
    doc: Document,
    rule_id: str,
    line: int,
    column: int,
    message: str,
    *,
    url: str | None = None,
    suggestion: str | None = None,
) -> Finding:
    """Builds a finding with the rule's default severity."""
    return Finding(
        rule=rule_id,
        severity=CATALOGUE[rule_id].severity,
        path=doc.path,
        line=line,
        column=column,
        message=message,
        url=url,
        suggestion=suggestion,
    )
