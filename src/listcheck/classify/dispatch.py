"""Sorts every URL in a list into the service that can check it.

The parser calls :func:`classify_url` for each of the tens of thousands of links a large
list holds, so this module matches the common http(s) URL with one precompiled pattern
and hands the host and path straight to the host table; everything else takes the
slower split in :mod:`~listcheck.classify.split`, which can say what is wrong with it.
Answers are cached: lists repeat their URLs a lot.

It also decides what is *not* checkable: a URL is only an arXiv, GitHub or Hugging Face
reference when it names a paper or repository; listings, profiles and docs pages stay
plain ``WEB`` so the planners never ask an API about something that is not there.
"""

from __future__ import annotations

import re
from functools import lru_cache

from listcheck.classify.hosts import HOST_HANDLERS, classify_host
from listcheck.classify.pasted import invisible_problem, stray_opener
from listcheck.classify.result import PLAIN, Classified
from listcheck.classify.split import HTTP_SCHEMES, URI, split_or_reason
from listcheck.models import LinkKind

# The common case, an http(s) URL with a plain ASCII host, in one pass; anything else
# (IDN hosts, IPv6, spaces, typos) takes the slower path that can say what is wrong.
_PLAIN_HTTP = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]?://(?:[^/?#@\s]*@)?"
    r"(?P<host>[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)\.?(?::(?P<port>[0-9]{1,5}))?"
    r"(?P<path>/[^?#]*)?(?:\?[^#]*)?(?:#.*)?",
    re.ASCII | re.DOTALL,
)
_SCHEMELESS_HTTP = re.compile(r"(?P<word>[A-Za-z]{2,7})[:;.,]?/{2,}", re.ASCII)
_WWW = re.compile(r"www\.[^/\s]+\.[A-Za-z]{2,}(?:[/?#]|$)", re.ASCII)


def classify_url(url: str) -> Classified:
    """The kind of ``url`` and, for papers and repositories, what it names."""
    return _classify(url)[0]


def malformed_reason(url: str) -> str | None:
    """Why ``url`` is MALFORMED, phrased to follow "URL ... "; None when it is not."""
    return _classify(url)[1]


@lru_cache(maxsize=4096)  # lists repeat a URL nearby; 65,536 answers held ~16 MB
def _classify(url: str) -> tuple[Classified, str | None]:
    text = url.strip()
    if not text:
        return PLAIN[LinkKind.EMPTY], None
    if text[0] == "#":
        return PLAIN[LinkKind.ANCHOR], None
    invisible = invisible_problem(text)
    if invisible is not None:
        return PLAIN[LinkKind.MALFORMED], invisible
    fast = _PLAIN_HTTP.fullmatch(text)
    if fast:
        port = fast["port"]
        if port is None or int(port) <= 65535:
            return classify_host(fast["host"].lower(), fast["path"] or ""), None
    match = URI.fullmatch(text)
    assert match is not None  # the pattern matches every string
    scheme = match["scheme"]
    if scheme is None:
        if text.startswith("//"):
            return _classify_http("https:" + text)
        return _classify_schemeless(text)
    lowered = scheme.lower()
    if lowered in HTTP_SCHEMES:
        return _classify_http(text)
    if lowered == "mailto":
        return PLAIN[LinkKind.MAILTO], None
    if _is_http_typo(lowered):
        return PLAIN[LinkKind.MALFORMED], f"has scheme {scheme!r}, a misspelling of http(s)"
    return PLAIN[LinkKind.OTHER_SCHEME], None


def _classify_schemeless(text: str) -> tuple[Classified, str | None]:
    stray = stray_opener(text)
    if stray is not None:
        noun = "character" if len(stray) == 1 else "characters"
        return PLAIN[LinkKind.MALFORMED], f"has the stray {noun} {stray!r} before its http(s)://"
    typo = _SCHEMELESS_HTTP.match(text)
    if typo and (typo["word"].lower() in HTTP_SCHEMES or _is_http_typo(typo["word"].lower())):
        return PLAIN[LinkKind.MALFORMED], "is missing the ':' after http(s)"
    first = text.split("/", 1)[0].lower()
    if _WWW.match(text) or first in HOST_HANDLERS:
        return PLAIN[LinkKind.MALFORMED], "looks like a web address but has no http(s)://"
    return PLAIN[LinkKind.FILE], None


def _classify_http(text: str) -> tuple[Classified, str | None]:
    parts, reason = split_or_reason(text)
    if parts is None:
        return PLAIN[LinkKind.MALFORMED], reason
    return classify_host(parts.host, parts.path), None


def _is_http_typo(scheme: str) -> bool:
    """True for schemes one edit (or one swap) away from http/https, such as ``htp``,
    ``htps`` or ``htttps``: nobody means a real scheme by them."""
    return scheme not in HTTP_SCHEMES and (_one_edit(scheme, "http") or _one_edit(scheme, "https"))


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        first, second = diff[0], diff[-1]
        return (
            len(diff) == 2
            and second == first + 1
            and a[first] == b[second]
            and a[second] == b[first]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]
