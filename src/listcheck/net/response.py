"""What a request brings back: an answer read in full (up to a bound) and detached.

Checkers decide on a status, a few headers and at most a prefix of the body; they
never hold a socket. Reading the bounded prefix here, once, is what lets a 5 GB
file or an endless stream cost kilobytes whichever checker asked for it.
"""

from __future__ import annotations

import codecs
import contextlib
import json as jsonlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import aiohttp

DEFAULT_MAX_BODY: Final = 64 * 1024

_CHARSET: Final = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)


@dataclass(frozen=True)
class HttpResponse:
    """One final HTTP answer, fully read (up to ``max_body``) and detached from the socket."""

    status: int
    headers: Mapping[str, str]
    """Case-insensitive copy of the final answer's headers."""
    url: str
    """The final URL, after every redirect followed (with the cited fragment kept)."""
    body: bytes = b""
    """At most ``max_body`` bytes of the body."""
    history: tuple[tuple[int, str], ...] = ()
    """Each redirect hop in order: its status and the URL it came from."""
    truncated: bool = False
    """True when the body went on past ``max_body`` and the rest was not read."""

    def text(self) -> str:
        """The body decoded by its declared charset (UTF-8 if none or unknown)."""
        found = _CHARSET.search(self.headers.get("Content-Type", ""))
        encoding = "utf-8"
        if found is not None:
            with contextlib.suppress(LookupError):
                encoding = codecs.lookup(found.group(1)).name
        return self.body.decode(encoding, errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON; raises ``ValueError`` when it is not (or was cut short)."""
        return jsonlib.loads(self.body)


async def read_prefix(answer: aiohttp.ClientResponse, max_body: int) -> tuple[bytes, bool]:
    """Up to ``max_body`` bytes, and whether more followed (one byte more is read to know)."""
    buffer = bytearray()
    wanted = max_body + 1
    while len(buffer) < wanted:
        chunk = await answer.content.read(wanted - len(buffer))
        if not chunk:
            break
        buffer += chunk
    return bytes(buffer[:max_body]), len(buffer) > max_body
