"""What the engine keeps per host: how many requests it may hold at once, and whether
it still gets any.

Both answer "how hard may we lean on this one server?": a per-host limit (tighter
for hosts named in ``host_limits``: the arXiv API takes one at a time), and a
breaker that stops asking a host which left several different links unanswered,
so a dead server costs a few timeouts instead of one per link.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from yarl import URL

from listcheck.net.errors import UNANSWERED_KINDS, FetchError, FetchErrorKind
from listcheck.net.urls import host_key


class HostGuard:
    """Per-host slots and the per-host breaker for one engine."""

    def __init__(self, *, per_host: int, host_limits: Mapping[str, int], stop_after: int) -> None:
        self._per_host = per_host
        self._host_limits = host_limits
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._stop_after = stop_after
        self._unanswered: dict[str, set[str]] = {}
        self.stopped: dict[str, str] = {}
        """Host key -> why it gets no more requests this run (the breaker tripped)."""

    def slot(self, url: URL) -> asyncio.Semaphore:
        """The semaphore bounding requests in flight to ``url``'s host."""
        key = host_key(url)
        slot = self._slots.get(key)
        if slot is None:
            limit = self._host_limits.get(key) or self._host_limits.get(
                (url.host or "").lower(), self._per_host
            )
            slot = self._slots[key] = asyncio.Semaphore(limit)
        return slot

    def refuse_if_stopped(self, host: str, url: URL) -> None:
        """Raises :attr:`FetchErrorKind.HOST_STOPPED` once the breaker tripped for ``host``."""
        reason = self.stopped.get(host)
        if reason is not None:
            raise FetchError(FetchErrorKind.HOST_STOPPED, reason, str(url))

    def answered(self, host: str) -> None:
        """Any answer at all proves the host alive: its count starts over."""
        self._unanswered.pop(host, None)

    def unanswered(self, host: str, url: str, error: FetchError) -> None:
        """The breaker: ``stop_after`` different URLs of one host left unanswered in a row
        (timeouts or refused connections; any answer resets the count) stop the host.
        One URL retried counts once: a single dead page is no dead host."""
        if error.kind not in UNANSWERED_KINDS:
            return
        failed = self._unanswered.setdefault(host, set())
        failed.add(url)
        count = len(failed)
        if self._stop_after and count >= self._stop_after:
            self.stopped.setdefault(
                host,
                f"{host} stopped answering ({count} links in a row timed out or could "
                "not connect); no more requests went to it this run",
            )
