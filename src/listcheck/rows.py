"""The report's ``links`` table: one row per unique URL, with every place citing it.

Online and offline runs fill it the same way and differ only in where each place's
answer comes from, so both go through :func:`link_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
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
    rows: dict[str, dict[str, Any]] = {}
    for doc_index, doc in enumerate(documents):
        for link_index, link in enumerate(doc.links):
            place = (doc.path, link.line, link.column)
            verdict, result, detail = answer(doc_index, link_index, link)
            row = rows.get(link.url)
            if row is not None:
                row["places"].append(place)
                if row["verdict"] is Verdict.SKIPPED and verdict is not Verdict.SKIPPED:
                    row.update(_answer_fields(verdict, result, detail))
                continue
            problem = offline_broken.get(place)
            if problem is not None:
                verdict, detail = Verdict.BROKEN, problem
            rows[link.url] = {
                "url": link.url,
                "kind": link.kind,
                **_answer_fields(verdict, result, detail),
                "places": [place],
            }
    return _validated(rows)


_BATCH = 4096


def _validated(rows: dict[str, dict[str, Any]]) -> tuple[LinkResult, ...]:
    """The rows as models, a batch at a time: a place is a small tuple until its batch
    is validated, and each row's values are let go of once it is built (a large list
    cites over a hundred thousand places)."""
    built: list[LinkResult] = []
    while rows:
        batch = []
        for url in list(islice(rows, _BATCH)):
            row = rows.pop(url)
            row["places"] = [
                {"path": path, "line": line, "column": column}
                for path, line, column in row["places"]
            ]
            batch.append(row)
        built.extend(LINK_ROWS.validate_python(batch))
    return tuple(built)


def _answer_fields(verdict: Verdict, result: CheckResult | None, detail: str) -> dict[str, Any]:
    return {
        "verdict": verdict,
        "status": result.status if result else None,
        "final_url": result.final_url if result else None,
        "detail": detail,
        "reason": result.reason.value if result is not None and result.reason else None,
    }
