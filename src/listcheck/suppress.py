"""Inline suppression: a maintainer silences one finding where it stands, as with linters.

A list keeps its exceptions next to the entries they excuse, in HTML comments that
GitHub does not render::

    <!-- listcheck-disable-next-line arxiv/tag-month -- listed by conference month -->
    - 【202406】 Paper ([PDF](https://arxiv.org/abs/2404.01234))

    - 【202406】 [PDF](https://arxiv.org/abs/2404.01234) <!-- listcheck-disable-line arxiv -->

    <!-- listcheck-disable link/transient, github/archived -->
    ... a whole section ...
    <!-- listcheck-enable -->

Directives, each followed by rule selectors (rule ids or categories, separated by
commas or spaces; none means every rule) and optionally ``-- a reason``:

- ``listcheck-disable-line``: findings on the line(s) the comment occupies.
- ``listcheck-disable-next-line``: findings on the line right after the comment's last
  line, blank or not, as in markdownlint: the comment is meant to stand on the line
  above the entry. An entry spanning several lines needs a disable/enable pair.
- ``listcheck-disable`` ... ``listcheck-enable``: findings positioned at or after the
  start of the disable comment and before the start of the enable comment (to the end
  of the file when there is none). ``listcheck-enable`` with no selector ends every
  disabled rule; with selectors it ends those, even inside a disabled category.

A comment naming an unknown rule or directive suppresses nothing and is reported as a
``suppress/invalid`` notice pointing at the comment: ignoring it silently would leave
the finding the maintainer meant to silence in place with no clue why, and failing the
run over a comment would be harsher than the finding itself. A misspelt selector never
widens to "every rule". Findings keep their positions; only the list changes.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from listcheck.config.selectors import closest_rule, is_known_selector, selector_matches
from listcheck.models import Comment, Document, Finding, Severity
from listcheck.rules.base import CATALOGUE

INVALID_SUPPRESSION: Final = "suppress/invalid"
"""The rule id of the notice about a suppression comment that cannot work."""

_PREFIX: Final = "listcheck-"
_SEPARATORS = re.compile(r"[\s,]+")
_END: Final = (1 << 62, 1 << 62)


class Scope(StrEnum):
    DISABLE = "disable"
    ENABLE = "enable"
    DISABLE_LINE = "disable-line"
    DISABLE_NEXT_LINE = "disable-next-line"


@dataclass(frozen=True)
class Directive:
    """One understood suppression comment. ``selectors`` is None for every rule; it is
    never empty, so a comment whose selectors are all unknown yields no directive."""

    scope: Scope
    selectors: tuple[str, ...] | None
    line: int
    column: int
    end_line: int

    def names(self, rule_id: str) -> bool:
        return self.selectors is None or any(selector_matches(s, rule_id) for s in self.selectors)

    @property
    def lines(self) -> range:
        """The lines a line-scoped directive covers."""
        if self.scope is Scope.DISABLE_NEXT_LINE:
            return range(self.end_line + 1, self.end_line + 2)
        return range(self.line, self.end_line + 1)


def parse_directives(doc: Document) -> tuple[list[Directive], list[Finding]]:
    """The suppression comments of ``doc`` in document order, and a notice for each
    problem found in them."""
    directives: list[Directive] = []
    problems: list[Finding] = []
    for comment in sorted(doc.comments, key=lambda c: (c.line, c.column)):
        directive = _parse_comment(doc.path, comment, problems)
        if directive is not None:
            directives.append(directive)
    return directives, problems


def apply_suppressions(doc: Document, findings: Iterable[Finding]) -> list[Finding]:
    """``findings`` without those the comments of ``doc`` suppress, in their order, then
    the notices about comments that cannot work. Findings about other files pass
    untouched. Run it before configuration filtering, so ``--ignore`` can also silence
    ``suppress/invalid``."""
    directives, problems = parse_directives(doc)
    findings = list(findings)
    if not directives:
        return [*findings, *problems]
    rules = set(CATALOGUE) | {f.rule for f in findings}
    ranges = _ranges(directives, rules)
    line_scoped = _line_scoped(directives)
    kept = [
        f
        for f in findings
        if f.path != doc.path or not _suppressed(f, ranges.get(f.rule, ()), line_scoped)
    ]
    return [*kept, *problems]


def _parse_comment(path: str, comment: Comment, problems: list[Finding]) -> Directive | None:
    text = comment.text.strip().removeprefix("<!--").removesuffix("-->").strip()
    if text[: len(_PREFIX)].lower() != _PREFIX:
        return None
    word, _, rest = _split_first(text)
    try:
        scope = Scope(word[len(_PREFIX) :])
    except ValueError:
        known = [_PREFIX + s.value for s in Scope]
        problems.append(
            _notice(
                path,
                comment,
                f"unknown directive {word!r} in a suppression comment; it suppresses "
                f"nothing (known: {', '.join(known)})",
                _closest(word, known),
            )
        )
        return None
    listed = _SEPARATORS.split(rest.partition("--")[0].strip())
    selectors = [s for s in listed if s]
    known_selectors = tuple(s for s in selectors if is_known_selector(s))
    for selector in selectors:
        if selector not in known_selectors:
            problems.append(
                _notice(
                    path,
                    comment,
                    f"unknown rule {selector!r} in a {word} comment; it suppresses nothing "
                    f"(did you mean {closest_rule(selector)!r}?)",
                    closest_rule(selector),
                )
            )
    if selectors and not known_selectors:
        return None
    return Directive(
        scope=scope,
        selectors=known_selectors or None,
        line=comment.line,
        column=comment.column,
        end_line=comment.end_line,
    )


def _split_first(text: str) -> tuple[str, str, str]:
    """Splits off the directive word at the first whitespace of any kind: the selectors
    of a long comment may continue on the next line."""
    parts = text.split(None, 1)
    return parts[0], " ", parts[1] if len(parts) > 1 else ""


def _ranges(
    directives: Sequence[Directive], rules: Iterable[str]
) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Per rule, the half-open position spans that disable/enable pairs cover."""
    open_since: dict[str, tuple[int, int]] = {}
    ranges: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = defaultdict(list)
    rules = sorted(rules)
    for directive in directives:
        at = (directive.line, directive.column)
        if directive.scope is Scope.DISABLE:
            for rule in rules:
                if directive.names(rule):
                    open_since.setdefault(rule, at)
        elif directive.scope is Scope.ENABLE:
            for rule in rules:
                if rule in open_since and directive.names(rule):
                    ranges[rule].append((open_since.pop(rule), at))
    for rule, since in open_since.items():
        ranges[rule].append((since, _END))
    return ranges


def _line_scoped(directives: Sequence[Directive]) -> dict[int, list[Directive]]:
    by_line: dict[int, list[Directive]] = defaultdict(list)
    for directive in directives:
        if directive.scope in (Scope.DISABLE_LINE, Scope.DISABLE_NEXT_LINE):
            for line in directive.lines:
                by_line[line].append(directive)
    return by_line


def _suppressed(
    finding: Finding,
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]],
    line_scoped: dict[int, list[Directive]],
) -> bool:
    at = (finding.line, finding.column)
    if any(start <= at < end for start, end in spans):
        return True
    return any(d.names(finding.rule) for d in line_scoped.get(finding.line, ()))


def _closest(word: str, known: Sequence[str]) -> str:
    return difflib.get_close_matches(word, known, n=1, cutoff=0.0)[0]


def _notice(path: str, comment: Comment, message: str, suggestion: str | None) -> Finding:
    return Finding(
        rule=INVALID_SUPPRESSION,
        severity=Severity.NOTICE,
        path=path,
        line=comment.line,
        column=comment.column,
        message=message,
        suggestion=suggestion,
    )
