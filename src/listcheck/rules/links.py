"""``link/empty`` and ``link/malformed``: links no checker can follow.

Both come straight from the kind :mod:`listcheck.classify` gave the link, so a URL the
planner will never send anywhere is always explained to the author instead of silently
skipped. The finding sits on the URL as written (for an empty link, where it would
stand) and quotes the link text, which is what the author recognises in the list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from listcheck.classify import classify_url, malformed_reason
from listcheck.models import Document, Finding, Link, LinkKind, LinkSyntax
from listcheck.rules.base import LintContext, finding, offline_rule

_LABEL_LIMIT = 60

# GitHub's sanitiser drops these hrefs, so the reader gets plain text, not a link.
_STRIPPED_SCHEMES = ("javascript:", "vbscript:", "data:")

_SCHEME_TYPO = re.compile(r"(?P<scheme>[A-Za-z]+):/*")
_COLONLESS = re.compile(r"(?P<scheme>[A-Za-z]{2,7})[:;.,]?/{2,}")


def describe_link(link: Link) -> str:
    """How a message names a link: its quoted text, shortened, or its syntax when it
    has none (a bare image, an HTML tag)."""
    text = " ".join(link.text.split())
    noun = "image" if link.syntax is LinkSyntax.IMAGE else "link"
    if not text:
        return f"{noun} with no text"
    if len(text) > _LABEL_LIMIT:
        text = text[: _LABEL_LIMIT - 1].rstrip() + "…"
    return f'{noun} "{text}"'


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


def repair_url(url: str) -> str | None:
    """The URL the author most likely meant, when one small edit makes it well formed;
    None when the fix is a guess."""
    candidate: str | None = None
    colonless = _COLONLESS.match(url)
    typo = _SCHEME_TYPO.match(url)
    if typo and malformed_reason(url) is not None:
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
