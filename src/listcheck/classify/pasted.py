"""Debris that comes along when a URL is copied: invisible characters and the bracket or
quote the author pasted with it.

Both the dispatch (which calls such a URL malformed) and the link rules (which offer to
remove the debris) need the same reading, so it lives here rather than in either.
"""

from __future__ import annotations

import re

# Characters a reader cannot see that come along when a URL is copied from a PDF, a chat
# or a web page: zero-width space, word joiner, byte order mark, soft hyphen, direction
# marks and bidi controls. No address means them; a browser sends them percent-encoded.
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Zero-width (non-)joiners are letters' business in Persian or Indic words inside a path,
# so only the ones at either end of the URL are slips.
_EDGE_JOINERS = re.compile("^[\u200c\u200d]|[\u200c\u200d]$")
_INVISIBLE_NAMES = {
    "\u00ad": "soft hyphen",
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "byte order mark",
}
# An http(s) URL behind bracket or quote characters the author pasted along with it, as
# in ``[LLM]([https://github.com/o/r)``: read as a relative file path otherwise.
_STRAY_OPENER = re.compile(r"""(?P<stray>[\[(<{"'`]+)\s*(?=[Hh][Tt][Tt][Pp][Ss]?://)""")


def invisible_problem(url: str) -> str | None:
    """Names the invisible character a URL holds (and where), phrased to follow "URL
    ... "; None when it holds none that matters."""
    found = _INVISIBLE.search(url) or _EDGE_JOINERS.search(url)
    if found is None:
        return None
    char = found[0]
    name = _INVISIBLE_NAMES.get(char, "invisible formatting character")
    where = "ends in" if found.end() == len(url) else "holds"
    return f"{where} an invisible U+{ord(char):04X} ({name})"


def without_invisible(url: str) -> str:
    """``url`` without the invisible characters :func:`invisible_problem` objects to."""
    return _EDGE_JOINERS.sub("", _INVISIBLE.sub("", url))


def stray_opener(url: str) -> str | None:
    """The bracket or quote characters written before an http(s) URL, when that is all
    that keeps it from being one; None otherwise."""
    match = _STRAY_OPENER.match(url)
    return match["stray"] if match else None
