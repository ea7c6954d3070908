"""The pace of arXiv API calls: one at a time, their starts three seconds apart.

arXiv's terms allow one API call every three seconds over a single connection. The
id batches and the title searches share one :class:`Pacer` per checker, so the pace
holds whatever the caller runs concurrently. Kept apart from the checker because it
knows nothing of feeds or ids: it only spaces calls, on an injected clock (tests run
the real interval on a fake one without waiting for it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType

MAX_BACKOFF = 60.0

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class Pacer:
    """At most one call in flight, and call starts at least ``interval`` seconds apart.

    Used as ``async with pacer:`` around one call; the lock is held for the whole call,
    so a second caller waits for the first to finish, then for the interval. After a
    failed call the next gap doubles (up to :data:`MAX_BACKOFF`) until a call succeeds.
    """

    def __init__(self, interval: float, clock: Clock, sleep: Sleep) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._last_start: float | None = None
        self._failures = 0
        self.starts: list[float] = []
        """Clock readings at the start of every call (for reports and tests)."""

    @property
    def gap(self) -> float:
        """The gap the next call keeps after the previous start."""
        if self._failures == 0:
            return self.interval
        return max(self.interval, min(self.interval * 2.0**self._failures, MAX_BACKOFF))

    def mark_sent(self) -> None:
        """The call (or a retry of it) went out now: the next call keeps its gap from
        here, however long this one waited for the engine before it could be sent."""
        self._last_start = self._clock()

    def record(self, *, failed: bool) -> None:
        self._failures = self._failures + 1 if failed else 0

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    async def __aenter__(self) -> None:
        await self._lock.acquire()
        try:
            if self._last_start is not None:
                wait = self._last_start + self.gap - self._clock()
                if wait > 0:
                    await self._sleep(wait)
            self._last_start = self._clock()
            self.starts.append(self._last_start)
        except BaseException:
            self._lock.release()
            raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()
