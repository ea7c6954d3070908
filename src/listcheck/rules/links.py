"""``link/empty`` and ``link/malformed``: links no checker can follow.

Both come straight from the kind :mod:`listcheck.classify` gave the link, so a URL the
planner will never send anywhere is always explained to the author instead of silently
skipped. The finding sits on the URL as written (for an empty link, where it would
stand) and quotes the link text, which is what the author recognises in the list.

``link/malformed`` also reports inline links that slipped: ``[pdf] (https://x)``,
``[Paper]{https://x}`` and ``[x](https://a.b/c d)`` are no links to Markdown, which
autolinks the bare URL and shows the rest as text. These are found around that bare
URL (:func:`listcheck.parse.inline.link_slip`), and their suggestion is the link
rewritten, offered only when the rewrite parses back as exactly that link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from listcheck.classify import classify_url, malformed_reason
from listcheck.classify.pasted import invisible_problem, stray_opener, without_invisible
from listcheck.models import Document, Finding, Link, LinkKind, LinkSyntax
from listcheck.parse import parse_document
from listcheck.parse.inline import LinkSlip, SlipKind, link_slip
from listcheck.rules.base import LintContext, finding, offline_rule

_LABEL_LIMIT = 60

# GitHub's sanitiser drops these hrefs, so the reader gets plain text, not a link.
_STRIPPED_SCHEMES = ("javascript:", "vbscript:", "data:")

_CLOSERS = {"[": "]", "(": ")", "<": ">", "{": "}", '"': '"', "'": "'", "`": "`"}

_SCHEME_TYPO = re.compile(r"(?P<scheme>[A-Za-z]+):/*")
_COLONLESS = re.compile(r"(?P<scheme>[A-Za-z]{2,7})[:;.,]?/{2,}")


def describe_link(link: Link) -> str:
    """How a message names a link: its quoted text, shortened, or its syntax when it
    has none (a bare image, an HTML tag)."""
    text = _shortened(link.text)
    noun = "image" if link.syntax is LinkSyntax.IMAGE else "link"
    if not text:
        return f"{noun} with no text"
    return f'{noun} "{text}"'


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > _LABEL_LIMIT:
        text = text[: _LABEL_LIMIT - 1].rstrip() + "…"
    return text


@offline_rule("link/empty")
def link_empty(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """A link whose URL is empty goes nowhere; on GitHub it reloads the page."""
    for link in doc.links:
        if link.kind is LinkKind.EMPTY:
            yield finding(
                doc,
                "link/empty",
                link.line,
                link.column,
                f"{describe_link(link)} has no URL",
            )


@offline_rule("link/malformed")
def link_malformed(doc: Document, ctx: LintContext) -> Iterator[Finding]:
    """A URL that cannot be requested, or that GitHub strips from the page."""
    references = _reference_places(doc)
    for link in doc.links:
        url = link.url.strip()
        if link.kind is LinkKind.MALFORMED:
            reason = malformed_reason(url) or "cannot be parsed"
            yield finding(
                doc,
                "link/malformed",
                link.line,
                link.column,
                f'{describe_link(link)} has a malformed URL: "{url}" {reason}',
                url=link.url,
                suggestion=repair_url(url),
            )
        elif link.syntax is LinkSyntax.BARE:
            slipped = _slip_finding(doc, link, references)
            if slipped is not None:
                yield slipped
        elif link.kind is LinkKind.OTHER_SCHEME and url.lower().startswith(_STRIPPED_SCHEMES):
            scheme = url.split(":", 1)[0]
            yield finding(
                doc,
                "link/malformed",
                link.line,
                link.column,
                f"{describe_link(link)} uses the {scheme}: scheme, which GitHub removes",
                url=link.url,
            )


def _slip_finding(
    doc: Document, link: Link, references: frozenset[tuple[int, int]]
) -> Finding | None:
    """The slipped inline link a bare URL was left by, as a finding on that URL."""
    if not 1 <= link.line <= len(doc.lines):
        return None
    line = doc.lines[link.line - 1]
    start = link.column - 1
    if line[start : start + len(link.url)] != link.url:
        return None
    slip = link_slip(line, start, link.url)
    if slip is None or (link.line, slip.start + 1) in references:
        return None  # ``[pdf] (https://x)`` with ``[pdf]`` itself a reference link
    repaired = _checked_repair(slip, link)
    return finding(
        doc,
        "link/malformed",
        link.line,
        link.column,
        _slip_message(slip, link.url, repaired is not None),
        url=link.url,
        suggestion=repaired,
    )


def _reference_places(doc: Document) -> frozenset[tuple[int, int]]:
    """Where reference links' texts start. ``[pdf] (https://x)`` where ``[pdf]`` is
    itself a reference link is no slip: readers see a link followed by a URL in
    parentheses, which may well be meant. Collected once, so a line of many slips is not
    compared with every link of the list once per slip."""
    return frozenset(
        (other.text_line, other.text_column)
        for other in doc.links
        if other.syntax is LinkSyntax.REFERENCE
    )


def _slip_message(slip: LinkSlip, url: str, repairable: bool) -> str:
    label = _shortened(slip.label)
    if slip.kind is SlipKind.SPACE_BEFORE_PARENTHESIS:
        return (
            f'"{label} (" is not read as a link: the blank between "]" and "(" makes '
            "Markdown show the brackets and the bare URL; remove the blank"
        )
    if slip.kind is SlipKind.BRACES:
        return (
            f'"{label}" is not read as a link: its URL is in braces, "{{…}}", where '
            "Markdown needs parentheses"
        )
    advice = (
        "write the blank as %20"
        if repairable
        else "remove the blank, or write it as %20 if the address really holds one"
    )
    return (
        f'"{label}" is not read as a link: its destination "{slip.destination}" holds a '
        f'blank, which ends a Markdown link destination (readers see a link to "{url}" '
        f"and the rest as text); {advice}"
    )


def _checked_repair(slip: LinkSlip, link: Link) -> str | None:
    """The slip rewritten, when that parses back as the label's own links followed by
    one inline link to the intended, well-formed URL; None when it would not."""
    repaired = slip.repaired
    destination = repaired[len(slip.label) + 1 : -1]
    inner = [other.url for other in parse_document(slip.label, "slip.md").links]
    parsed = parse_document(repaired, "slip.md").links
    if [other.url for other in parsed] != [*inner, destination]:
        return None
    if parsed[-1].syntax not in (LinkSyntax.INLINE, LinkSyntax.IMAGE):
        return None
    meant, written = classify_url(destination), classify_url(link.url)
    if meant.kind in (LinkKind.MALFORMED, LinkKind.OTHER_SCHEME):
        return None
    if destination != link.url and meant.kind is not written.kind:
        return None  # "%20" inside an arXiv id or a repository name is no repair
    if meant.arxiv is not None and not meant.arxiv.valid:
        return None
    return repaired


def repair_url(url: str) -> str | None:
    """The URL the author most likely meant, when one small edit makes it well formed;
    None when the fix is a guess."""
    candidate: str | None = None
    colonless = _COLONLESS.match(url)
    typo = _SCHEME_TYPO.match(url)
    stray = stray_opener(url)
    if invisible_problem(url) is not None:
        candidate = without_invisible(url)
    elif stray is not None:
        candidate = _without_stray(url, stray)
    elif typo and malformed_reason(url) is not None:
        scheme = "https" if typo["scheme"].lower().endswith("s") else "http"
        candidate = f"{scheme}://{url[typo.end() :]}"
    elif colonless:
        scheme = "https" if colonless["scheme"].lower().endswith("s") else "http"
        candidate = f"{scheme}://{url[colonless.end() :]}"
    elif "://" not in url and "." in url.split("/", 1)[0]:
        candidate = f"https://{url}"
    if candidate is None or candidate == url:
        return None
    if classify_url(candidate).kind in (LinkKind.MALFORMED, LinkKind.OTHER_SCHEME):
        return None
    return candidate


def _without_stray(url: str, stray: str) -> str:
    """``url`` without the opening characters pasted before its scheme, and without
    the closing ones that match them at its end (``[https://x]`` -> ``https://x``)."""
    rest = url[len(stray) :].lstrip()
    for opener in stray:
        closer = _CLOSERS[opener]
        if not rest.endswith(closer):
            break
        rest = rest[: -len(closer)]
    return rest
