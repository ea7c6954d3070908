"""``anchor/not-found``: ``#fragment`` links checked against the anchors GitHub gives the
same file, whether written as ``#x`` or as a path or URL back to the list itself.

How a fragment is matched is :mod:`listcheck.rules.anchor_index`'s; which links lead back
to this page is :mod:`listcheck.rules.self_page`'s; this module decides what is reported
and how many guesses a broken list gets.
"""

from __future__ import annotations

from collections.abc import Iterator

from listcheck.models import Document, Finding, LinkKind
from listcheck.rules.anchor_index import AnchorIndex, with_fragment
from listcheck.rules.base import LintContext, finding, offline_rule
from listcheck.rules.self_page import SelfPage

_FUZZY_BUDGET = 200
"""Dead anchors per file that get a fuzzy suggestion. Each compares the fragment with
every anchor of the file, so a pull request of ten thousand headings and as many dead
links would take minutes; past this many, the list is broken wholesale and a guess per
link helps no one (numbered anchors still get their exact fix)."""


@offline_rule("anchor/not-found")
def anchor_not_found(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """A dead in-page link: the reader clicks and the page does not move. The likely
    anchor is offered only when one stands out, so a fix is never a guess."""
    index = AnchorIndex.of(doc)
    page = SelfPage.of(doc, ctx)
    fuzzy_left = _FUZZY_BUDGET
    for link in doc.links:
        fragment = page.fragment(link)
        if fragment is None or index.resolve(fragment) is not None:
            continue
        if page.resolves_outside_headings(link, fragment):
            continue
        suggestion = index.suggest(fragment, fuzzy=fuzzy_left > 0)
        fuzzy_left -= 1
        hint = f"; did you mean #{suggestion}?" if suggestion is not None else ""
        where = "" if link.kind is LinkKind.ANCHOR else " (the link leads back to this file)"
        yield finding(
            doc,
            "anchor/not-found",
            link.line,
            link.column,
            f"no heading or HTML anchor in this file has the anchor #{fragment}{where}{hint}",
            url=link.url,
            suggestion=None if suggestion is None else with_fragment(link.url, suggestion),
        )
