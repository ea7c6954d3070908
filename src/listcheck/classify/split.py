"""Splits an http(s) URL into its parts, or says in words why it cannot be split.

The fast path in :mod:`~listcheck.classify.dispatch` handles the plain URLs most links
are; this is the slower reading for the rest (IPv6 hosts, odd ports, spaces, typos),
and the one the rules and fixes use when they need a URL's host or path.
"""

from __future__ import annotations

import re
from typing import NamedTuple

URI = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*):)?"
    r"(?://(?P<authority>[^/?#]*))?"
    r"(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?"
    r"(?:#(?P<fragment>.*))?",
    re.DOTALL,
)
"""RFC 3986 appendix B, anchored: it never fails, so every string splits in one pass."""

HTTP_SCHEMES = frozenset({"http", "https"})

_PORT = re.compile(r"[0-9]*", re.ASCII)
_IPV6 = re.compile(r"\[[0-9A-Fa-f:.]+\]|\[v[0-9A-Fa-f]+\.[^\]]+\]")
_BAD_HOST_CHAR = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`\[\]%/?#@]")


class UrlParts(NamedTuple):
    """An absolute http(s) URL split as written; ``host`` is lower-cased, without a
    trailing dot."""

    scheme: str
    host: str
    port: int | None
    path: str
    query: str | None
    fragment: str | None


def split_http_url(url: str) -> UrlParts | None:
    """The parts of an absolute, well-formed http(s) URL; None for anything else."""
    parts, _reason = split_or_reason(url.strip())
    return parts


def split_or_reason(text: str) -> tuple[UrlParts | None, str]:
    """The parts of ``text``, or None and why it is MALFORMED, phrased to follow
    "URL ... "."""
    match = URI.fullmatch(text)
    assert match is not None
    scheme = match["scheme"]
    if scheme is None or scheme.lower() not in HTTP_SCHEMES:
        return None, "is not an http(s) URL"
    authority = match["authority"]
    if authority is None:
        return None, f"has no '//' after {scheme}:"
    host_port = authority.rpartition("@")[2]
    if _IPV6.match(host_port):
        host, _, port_text = host_port.partition("]")
        host += "]"
        if port_text and not port_text.startswith(":"):
            return None, "has an invalid host"
        port_text = port_text[1:]
    else:
        host, _, port_text = host_port.partition(":")
        if ":" in port_text:
            return None, "has an invalid port"
        reason = _host_problem(host)
        if reason:
            return None, reason
    if not _PORT.fullmatch(port_text) or (port_text and int(port_text) > 65535):
        return None, f"has an invalid port {port_text!r}"
    port = int(port_text) if port_text else None
    host = host.lower().removesuffix(".")
    return (
        UrlParts(scheme.lower(), host, port, match["path"], match["query"], match["fragment"]),
        "",
    )


def _host_problem(host: str) -> str | None:
    if not host:
        return "has no host"
    bad = _BAD_HOST_CHAR.search(host)
    if bad:
        what = "a space" if bad[0].isspace() else f"{bad[0]!r}"
        return f"has {what} in its host"
    labels = host.removesuffix(".").split(".")
    if any(not label for label in labels):
        return "has an empty label in its host"
    return None
