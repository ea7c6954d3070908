"""Following redirects by hand, one hop at a time.

aiohttp could follow them itself, but then the chain would be lost and every hop
would carry the first request's headers. Following here keeps each hop's status
and URL (the ``moved`` verdict reads them), names a loop as a loop rather than as
"too many", refuses a hop to anything but http(s), and lets the engine re-decide
credentials for every hop's origin.
"""

from __future__ import annotations

from typing import Final

from yarl import URL

from listcheck.net.errors import FetchError, FetchErrorKind
from listcheck.net.urls import HTTP_SCHEMES, strip_fragment

REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS: Final = frozenset({301, 308})


def http_url(text: str) -> URL:
    """``text`` as an http(s) URL with a host, or a :class:`FetchError` before anything is sent."""
    try:
        url = URL(text)
    except (ValueError, TypeError) as exc:
        raise FetchError(FetchErrorKind.INVALID_URL, f"not a URL: {text!r}", text) from exc
    if url.scheme.lower() not in HTTP_SCHEMES or not url.host:
        raise FetchError(FetchErrorKind.INVALID_URL, f"not an http(s) URL: {text!r}", text)
    return url


def redirect_target(current: URL, location: str) -> URL:
    """Where ``Location`` points, resolved against the current URL; the cited fragment
    is carried over when the target names none (RFC 9110, section 10.2.2)."""
    try:
        target = current.join(URL(location.strip()))
    except (ValueError, TypeError) as exc:
        raise FetchError(
            FetchErrorKind.INVALID_URL, f"redirect to an unreadable address {location!r}"
        ) from exc
    if target.scheme.lower() not in HTTP_SCHEMES or not target.host:
        raise FetchError(
            FetchErrorKind.INVALID_URL, f"redirect to a non-http(s) address {location!r}"
        )
    if not target.fragment and current.fragment:
        target = target.with_fragment(current.fragment)
    return target


def becomes_get(status: int, method: str) -> bool:
    """Whether the next hop drops the body and asks with GET: after any 303 but a HEAD's,
    and after a 301 or 302 to a POST, as browsers do (RFC 9110, section 15.4)."""
    return (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST")


class RedirectChain:
    """The hops of one request so far: where it is now, and every address it has been."""

    def __init__(self, start: URL, given: str, max_redirects: int) -> None:
        self.current = start
        """The URL the next hop goes to."""
        self.shown = given
        """How the current URL is reported: as given for the first hop, then as resolved."""
        self.history: list[tuple[int, str]] = []
        """Each hop followed: its status and the URL it came from."""
        self._given = given
        self._seen = {strip_fragment(start)}
        self._max_redirects = max_redirects

    def follow(self, status: int, location: str) -> URL:
        """Moves on to where ``location`` points; raises when that address was visited
        already (a loop) or the chain would grow past ``max_redirects``."""
        target = redirect_target(self.current, location)
        if strip_fragment(target) in self._seen:
            raise FetchError(
                FetchErrorKind.REDIRECT_LOOP,
                f"redirect loop: {self.shown} leads back to {target}",
                self._given,
            )
        if len(self.history) >= self._max_redirects:
            raise FetchError(
                FetchErrorKind.TOO_MANY_REDIRECTS,
                f"more than {self._max_redirects} redirects (last to {target})",
                self._given,
            )
        self.history.append((status, self.shown))
        self._seen.add(strip_fragment(target))
        self.current, self.shown = target, str(target)
        return target
