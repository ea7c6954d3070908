"""``entry/unread``: the list is written in a shape listcheck could not read.

The entry rules judge entries; links outside any entry reach only the link checks. When
most of a list's external links are outside entries, listcheck is blind to its entries,
and a clean report would be a lie. One notice says so, names the checks that did not
run, and quotes the commonest kind of line it could not read, so the maintainer (or an
issue to listcheck) can show the shape.
"""

from __future__ import annotations

from collections.abc import Iterator

from listcheck.models import Document, Finding
from listcheck.reading import blind_spot
from listcheck.rules.base import LintContext, finding, offline_rule

_EXAMPLE_WIDTH = 80
SKIPPED_CHECKS = "entry/no-link, entry/duplicate, arxiv/tag-month and the arXiv title checks"


@offline_rule("entry/unread")
def entry_unread(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    spot = blind_spot(doc)
    if spot is None:
        return
    example = " ".join(spot.example.split())
    if len(example) > _EXAMPLE_WIDTH:
        example = example[: _EXAMPLE_WIDTH - 1] + "…"
    share = round(100 * spot.outside / spot.external)
    yield finding(
        doc,
        "entry/unread",
        spot.example_line,
        1,
        f"{spot.outside} of {spot.external} external links ({share} %) are in no entry "
        f"listcheck could read, so {SKIPPED_CHECKS} did not run on them; most are on "
        f"lines like this one: {example}",
    )
