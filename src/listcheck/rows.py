"""The report's ``links`` table: one row per unique URL, with every place citing it.

Online and offline runs fill it the same way and differ only in where each place's
answer comes from, so both go through :func:`link_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from listcheck.models import LINK_ROWS, Document, Link, LinkKind, LinkResult, Verdict

if TYPE_CHECKING:  # an offline run builds rows without loading the checkers
    from listcheck.checkers.base import CheckResult

LOCAL_KINDS = frozenset({LinkKind.ANCHOR, LinkKind.FILE, LinkKind.EMPTY, LinkKind.MALFORMED})
"""Kinds judged from the file itself by the offline rules."""

Answer = tuple[Verdict, "CheckResult | None", str]
"""A place's verdict, the remote answer it came from (if any), and a one-line detail."""


def link_rows(
    documents: Sequence[Document],
    answer: Callable[[int, int, Link], Answer],
    offline_broken: Mapping[tuple[str, int, int], str],
) -> tuple[LinkResult, ...]:
    """``answer(doc_index, link_index, link)`` says what is known of one place; an
    offline rule that found the link itself broken (an empty link, a missing anchor)
    overrides it. Where one URL was asked at one place and skipped at another (a pull
    request's unchanged copy), the answer wins."""
    rows: dict[str, _Row] = {}
    for doc_index, doc in enumerate(documents):
        for link_index, link in enumerate(doc.links):
            place = (doc.path, link.line, link.column)
            verdict, result, detail = answer(doc_index, link_index, link)
            row = rows.get(link.url)
            if row is not None:
                row.places.append(place)
                if row.verdict is Verdict.SKIPPED and verdict is not Verdict.SKIPPED:
                    row.answer(verdict, result, detail)
                continue
            problem = offline_broken.get(place)
            if problem is not None:
                verdict, detail = Verdict.BROKEN, problem
            row = rows[link.url] = _Row(link.kind, [place])
            row.answer(verdict, result, detail)
    return _validated(rows)


@dataclass(slots=True)
class _Row:
    """One URL's row while places are gathered (a large list cites over a hundred
    thousand places: slots and tuples, not dicts, until a batch is validated)."""

    kind: LinkKind
    places: list[tuple[str, int, int]]
    verdict: Verdict = Verdict.SKIPPED
    status: int | None = None
    final_url: str | None = None
    detail: str = ""
    reason: str | None = None

    def answer(self, verdict: Verdict, result: CheckResult | None, detail: str) -> None:
        self.verdict = verdict
        self.status = result.status if result else None
        self.final_url = result.final_url if result else None
        self.detail = detail
        self.reason = result.reason.value if result is not None and result.reason else None

    def values(self, url: str) -> dict[str, Any]:
        return {
            "url": url,
            "kind": self.kind,
            "verdict": self.verdict,
            "status": self.status,
            "final_url": self.final_url,
            "detail": self.detail,
            "places": [{"path": p, "line": line, "column": col} for p, line, col in self.places],
            "reason": self.reason,
        }


_BATCH = 1024


def _validated(rows: dict[str, _Row]) -> tuple[LinkResult, ...]:
    """The rows as models, a batch at a time, each let go of once it is built."""
    built: list[LinkResult] = []
    while rows:
        batch = [rows.pop(url).values(url) for url in list(islice(rows, _BATCH))]
        built.extend(LINK_ROWS.validate_python(batch))
    return tuple(built)
