"""GitHub's quotas, read from its answers, and the decision to stop asking.

Why a gate of our own when the engine already limits requests per host? Because the
quota is the scarce thing, not the connections: 60 requests an hour without a token.
A checker that puts every target in flight at once spends the whole quota on the
first wave and then collects 403s it already knew were coming. So every GitHub
request passes :meth:`GithubLimiter.acquire` first, which lets one request out to
learn the quota (``x-ratelimit-remaining``), then only as many as the quota still
covers, counting those in flight. When the quota is gone, or GitHub says so with a
primary-limit 403/429, nothing more is sent: the checker reports the rest as
``skipped`` and says why (see :func:`quota_detail`), because a check that could not
be made must never read as a broken link.

Secondary ("abuse") limits are different: they come with ``Retry-After`` and last
seconds to minutes. A short one is waited out (every request pauses, then the one
that was refused is asked again); a long one stops the run's GitHub checks as
``transient``.

Buckets are kept per ``x-ratelimit-resource``: REST (``core``) and GraphQL
(``graphql``) are counted separately by GitHub, so running out of one leaves the
other usable.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from listcheck.net.retry import parse_retry_after

CORE = "core"
GRAPHQL = "graphql"

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], float]

LimitKind = Literal["primary", "secondary"]
StopKind = Literal["quota", "secondary", "auth"]

DEFAULT_SECONDARY_WAIT = 60.0
"""GitHub's advice when a secondary limit names no ``Retry-After``: wait a minute."""


@dataclass(frozen=True)
class Stop:
    """Why no more requests go out: the quota of ``resource`` is spent (``quota``), a
    secondary limit asked for a longer pause than we wait (``secondary``), or GitHub
    refused the token (``auth``)."""

    kind: StopKind
    resource: str
    message: str
    """GitHub's own words, when it sent any."""
    limit: int | None = None
    reset: float | None = None
    """Unix time the quota refills (``x-ratelimit-reset``)."""
    retry_after: float | None = None


def header_int(headers: Mapping[str, str], name: str) -> int | None:
    """An integer header (case-insensitive lookup on plain mappings too), None if absent
    or not a number."""
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lowered), None)


def body_message(body: bytes) -> str:
    """GitHub's ``message`` from a JSON error body; empty when there is none."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    return message if isinstance(message, str) else ""


def classify_limit(status: int, headers: Mapping[str, str], body: bytes) -> LimitKind | None:
    """Whether a 403/429 is a rate limit, and which.

    GitHub's documented rules: a *secondary* limit carries ``Retry-After`` or says
    "secondary rate limit" (older answers: "abuse detection"); a *primary* limit has
    ``x-ratelimit-remaining: 0`` or says "rate limit exceeded" (the 2013 capture spells
    it "API Rate Limit Exceeded"). Secondary is tested first: its answers may also show
    ``remaining: 0`` while waiting ``Retry-After`` is what GitHub asks for.
    """
    if status not in (403, 429):
        return None
    message = body_message(body).lower()
    if (
        header_value(headers, "retry-after") is not None
        or "secondary rate limit" in message
        or "abuse" in message
    ):
        return "secondary"
    if header_int(headers, "x-ratelimit-remaining") == 0 or "rate limit" in message:
        return "primary"
    return None


def retry_after(headers: Mapping[str, str], now: float) -> float | None:
    """``Retry-After`` in seconds (GitHub sends delta-seconds; an HTTP date works too),
    None when absent or unreadable."""
    return parse_retry_after(header_value(headers, "retry-after"), now)


@dataclass
class _Bucket:
    limit: int | None = None
    remaining: int | None = None
    reset: float | None = None
    in_flight: int = 0
    probed: bool = False
    """True once any answer came back: until then one request at a time finds out the quota."""
    stop: Stop | None = None


class GithubLimiter:
    """Admits GitHub requests while the quota covers them; remembers why it stopped.

    Use ``stop = await limiter.acquire(resource)``: None means "send now", and the
    caller must then call :meth:`release` with the answer's headers (or None when
    the request failed without an answer). A :class:`Stop` means "do not send".
    """

    def __init__(
        self,
        *,
        concurrency: int = 4,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        max_secondary_wait: float = DEFAULT_SECONDARY_WAIT,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.concurrency = concurrency
        self.clock = clock
        self.sleep = sleep
        self.max_secondary_wait = max_secondary_wait
        self._buckets: dict[str, _Bucket] = {}
        self._in_flight = 0
        self._halt: Stop | None = None
        self._resume_at = 0.0
        self._cond = asyncio.Condition()

    def bucket(self, resource: str) -> _Bucket:
        return self._buckets.setdefault(resource, _Bucket())

    def stop_for(self, resource: str) -> Stop | None:
        """The reason requests to ``resource`` are no longer sent, if any."""
        return self._halt or self.bucket(resource).stop

    async def acquire(self, resource: str) -> Stop | None:
        """Wait for a slot that the quota covers; a :class:`Stop` when none will come."""
        slept_until = 0.0  # each pause is waited once, even if the clock stands still
        while True:
            resume = self._resume_at
            if resume > slept_until and resume > self.clock() and self._halt is None:
                slept_until = resume
                await self.sleep(resume - self.clock())
                continue
            async with self._cond:
                await self._cond.wait_for(lambda: self._decided(resource))
                stop = self.stop_for(resource)
                if stop is not None:
                    return stop
                if self._resume_at > slept_until and self._resume_at > self.clock():
                    continue  # a secondary limit arrived while we waited for the slot
                bucket = self.bucket(resource)
                bucket.in_flight += 1
                self._in_flight += 1
                return None

    def _decided(self, resource: str) -> bool:
        bucket = self.bucket(resource)
        if self.stop_for(resource) is not None:
            return True
        if self._in_flight >= self.concurrency:
            return False
        if not bucket.probed:
            return bucket.in_flight == 0
        if bucket.remaining is None:
            return True
        return bucket.remaining - bucket.in_flight > 0

    async def release(self, resource: str, headers: Mapping[str, str] | None) -> None:
        """The request admitted for ``resource`` is done; ``headers`` of its answer, if any."""
        async with self._cond:
            bucket = self.bucket(resource)
            bucket.in_flight -= 1
            self._in_flight -= 1
            bucket.probed = True
            if headers is not None:
                self._observe(bucket, resource, headers)
            self._cond.notify_all()

    def _observe(self, bucket: _Bucket, resource: str, headers: Mapping[str, str]) -> None:
        remaining = header_int(headers, "x-ratelimit-remaining")
        if remaining is None:
            return
        reset = header_int(headers, "x-ratelimit-reset")
        limit = header_int(headers, "x-ratelimit-limit")
        new_window = reset is not None and (bucket.reset is None or reset > bucket.reset)
        if new_window or bucket.remaining is None:
            bucket.remaining = remaining
        else:
            # answers can arrive out of order: the smallest count of a window is the truth
            bucket.remaining = min(bucket.remaining, remaining)
        if reset is not None:
            bucket.reset = float(max(reset, int(bucket.reset or 0)))
        if limit is not None:
            bucket.limit = limit
        if bucket.remaining <= 0 and bucket.stop is None:
            bucket.stop = Stop("quota", resource, "", bucket.limit, bucket.reset)

    async def exhausted(self, resource: str, headers: Mapping[str, str], message: str) -> Stop:
        """GitHub answered with a primary-limit refusal: stop sending to ``resource``."""
        async with self._cond:
            bucket = self.bucket(resource)
            self._observe(bucket, resource, headers)
            limit = header_int(headers, "x-ratelimit-limit") or bucket.limit
            reset = header_int(headers, "x-ratelimit-reset")
            bucket.stop = Stop(
                "quota",
                resource,
                message,
                limit,
                float(reset) if reset is not None else bucket.reset,
            )
            self._cond.notify_all()
            return bucket.stop

    async def secondary(self, headers: Mapping[str, str], message: str) -> Stop | None:
        """A secondary limit: pause every request for ``Retry-After`` and return None (ask
        again), or, when the pause is longer than we wait, stop all GitHub requests."""
        wait = retry_after(headers, self.clock())
        if wait is None:
            remaining = header_int(headers, "x-ratelimit-remaining")
            reset = header_int(headers, "x-ratelimit-reset")
            if remaining == 0 and reset is not None:
                wait = max(0.0, reset - self.clock())
            else:
                wait = DEFAULT_SECONDARY_WAIT
        async with self._cond:
            if wait > self.max_secondary_wait:
                if self._halt is None:
                    self._halt = Stop("secondary", "*", message, retry_after=wait)
                self._cond.notify_all()
                return self._halt
            self._resume_at = max(self._resume_at, self.clock() + wait)
            return None

    async def refuse_token(self, message: str) -> Stop:
        """GitHub rejected the credentials: nothing more is sent with them."""
        async with self._cond:
            if self._halt is None or self._halt.kind != "auth":
                self._halt = Stop("auth", "*", message)
            self._cond.notify_all()
            return self._halt


def format_reset(reset: float | None, now: float) -> str:
    """``12:34 UTC (in 23 min)`` for a reset time; a vaguer phrase when it is unknown."""
    if reset is None:
        return "within the hour"
    moment = datetime.fromtimestamp(reset, UTC)
    minutes = max(0, round((reset - now) / 60))
    when = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"at {when} (in {minutes} min)"


def quota_detail(stop: Stop, *, token: bool, now: float) -> str:
    """Why a target was skipped for a spent quota: which limit, when it refills, and what
    raises it. The judge counts the links and says "N GitHub links not checked" once."""
    api = "GraphQL API" if stop.resource == GRAPHQL else "API"
    unit = "points" if stop.resource == GRAPHQL else "requests"
    limit = f"{stop.limit:,} {unit}/hour" if stop.limit else "its hourly limit"
    head = f"the GitHub {api} rate limit is used up ({limit}"
    resets = f"it resets {format_reset(stop.reset, now)}"
    if token:
        return (
            f"{head} for the token in GITHUB_TOKEN/--github-token); {resets}; run again after that"
        )
    return (
        f"{head} without a token); {resets}; a token (set GITHUB_TOKEN or pass "
        "--github-token) raises the limit to 5,000 requests/hour"
    )
