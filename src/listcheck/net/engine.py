"""The one HTTP client every checker shares, so every host sees one polite visitor.

Politeness, safety and bounded cost live in this package once instead of in each
checker; this module puts the pieces together around one ``aiohttp.ClientSession``:

- **Concurrency.** At most ``total`` requests in flight, and at most ``per_host`` to
  one host, with a breaker for hosts that stop answering (:mod:`~listcheck.net.hosts`).
- **Redirects** are followed by hand (:mod:`~listcheck.net.redirects`), and
  credentials are re-decided on every hop (:mod:`~listcheck.net.credentials`).
- **Bounded bodies.** At most ``max_body`` bytes are read, then the connection is
  dropped (:mod:`~listcheck.net.response`).
- **Retries** on 429/502/503/504 and on lost connections, with exponential backoff
  and full jitter, honouring ``Retry-After`` (or a spent quota's reset time) up to
  a cap (:mod:`~listcheck.net.retry`). A server asking for a longer pause than the
  cap gets no wait: its answer is returned as it is, and the caller calls the link
  transient.
- **Errors** arrive as one :class:`FetchError` kind (dns, refused, reset, tls, ...),
  never as an aiohttp exception (:mod:`~listcheck.net.errors`).

``requests_by_host`` counts every request whose headers actually went out
(retries and redirect hops included; a refused connection sent nothing), for the
report's statistics.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from types import SimpleNamespace, TracebackType
from typing import Any, Final, Self

import aiohttp
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from listcheck import __version__
from listcheck.config import HttpConfig
from listcheck.net.credentials import headers_for
from listcheck.net.errors import RETRYABLE_KINDS, FetchError, classify
from listcheck.net.hosts import HostGuard
from listcheck.net.redirects import REDIRECT_STATUSES, RedirectChain, becomes_get, http_url
from listcheck.net.resolver import DNS_PROBE, Resolver, resolves
from listcheck.net.response import DEFAULT_MAX_BODY, HttpResponse, read_prefix
from listcheck.net.retry import RETRY_STATUSES, backoff_delay, requested_wait
from listcheck.net.urls import host_key, origin, strip_fragment

USER_AGENT: Final = (
    f"Mozilla/5.0 (compatible; listcheck/{__version__}; +https://github.com/listcheck/listcheck)"
)
"""Browser-shaped, so sites that turn away unknown clients still answer, and honest:
it names listcheck, its version and where to read about it."""

Sleep = Callable[[float], Awaitable[None]]


class Engine:
    """One ``aiohttp.ClientSession`` with listcheck's manners; use as ``async with``.

    ``timeout`` bounds one attempt, connection to last byte read; ``connect_timeout``
    (default: ``timeout``) bounds name lookup plus connecting. ``retries`` is the
    number of attempts after the first. ``sleep`` is how the engine waits between
    attempts; tests pass a recorder so backoff costs no time.
    """

    def __init__(
        self,
        *,
        timeout: float,
        connect_timeout: float | None = None,
        max_redirects: int,
        per_host: int,
        total: int,
        user_agent: str | None = None,
        retries: int = 3,
        retry_after_cap: float = 60.0,
        backoff_base: float = 0.5,
        host_limits: Mapping[str, int] | None = None,
        sleep: Sleep = asyncio.sleep,
        stop_host_after: int = 3,
    ) -> None:
        if timeout <= 0 or (connect_timeout is not None and connect_timeout <= 0):
            raise ValueError("timeouts must be positive")
        if max_redirects < 0 or retries < 0 or retry_after_cap < 0 or backoff_base < 0:
            raise ValueError("redirect, retry and backoff settings must not be negative")
        limits = {name.lower(): limit for name, limit in (host_limits or {}).items()}
        if per_host < 1 or total < 1 or any(limit < 1 for limit in limits.values()):
            raise ValueError("concurrency limits must be at least 1")
        self._timeout = timeout
        self._client_timeout = aiohttp.ClientTimeout(
            total=timeout, connect=connect_timeout or timeout, sock_read=timeout
        )
        self._max_redirects = max_redirects
        self._user_agent = user_agent or USER_AGENT
        self._retries = retries
        self._retry_after_cap = retry_after_cap
        self._backoff_base = backoff_base
        self._sleep = sleep
        self._total = asyncio.Semaphore(total)
        self._resolver = Resolver()
        self._dns_works: bool | None = None
        self._hosts = HostGuard(per_host=per_host, host_limits=limits, stop_after=stop_host_after)
        self._session: aiohttp.ClientSession | None = None
        self.requests_by_host: Counter[str] = Counter()
        """Requests whose headers went out, by :func:`~listcheck.net.urls.host_key`."""

    @classmethod
    def from_config(
        cls,
        http: HttpConfig,
        *,
        host_limits: Mapping[str, int] | None = None,
        user_agent: str | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> Engine:
        """The engine a run's ``[http]`` settings describe; ``host_limits`` lets the
        caller hold single hosts tighter (the arXiv API host to 1)."""
        return cls(
            timeout=http.timeout,
            max_redirects=http.max_redirects,
            per_host=http.per_host,
            total=http.total,
            host_limits=host_limits,
            user_agent=user_agent,
            sleep=sleep,
            stop_host_after=http.stop_host_after,
        )

    async def dns_works(self) -> bool:
        """Whether name resolution works at all on this machine: a name that "does not
        exist" is a dead host only where other names do exist. A sandbox, an air-gapped
        runner or a proxy-only network answers "no such name" for every name, and must
        not turn every link into a broken one. Asked once per run."""
        if self._dns_works is None:
            self._dns_works = await resolves(self._resolver, DNS_PROBE)
        return self._dns_works

    async def resolves(self, host: str) -> bool:
        """Whether ``host`` resolves here (an IP literal always does). Asked, before any
        request, only of names needed on a machine where :meth:`dns_works` is False:
        ``localhost`` and names in the hosts file still work there."""
        return await resolves(self._resolver, host)

    @property
    def stopped_hosts(self) -> dict[str, str]:
        """Host key -> why it gets no more requests this run (the breaker tripped)."""
        return self._hosts.stopped

    @property
    def user_agent(self) -> str:
        return self._user_agent

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def open(self) -> None:
        """Creates the session; needs a running event loop (hence not in ``__init__``)."""
        if self._session is not None:
            return
        trace = aiohttp.TraceConfig()
        trace.on_request_headers_sent.append(self._count_sent)
        connector = aiohttp.TCPConnector(
            limit=0, limit_per_host=0, resolver=self._resolver, ttl_dns_cache=300
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=self._client_timeout,
            headers={"User-Agent": self._user_agent},
            trace_configs=[trace],
        )

    async def aclose(self) -> None:
        """Closes the session and its connections; safe to call twice."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    @property
    def closed(self) -> bool:
        return self._session is None

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: Any = None,
        data: bytes | None = None,
        follow_redirects: bool = True,
        max_body: int = DEFAULT_MAX_BODY,
        secret_headers_for: str | None = None,
        min_retry_wait: float = 0.0,
        on_send: Callable[[], None] | None = None,
    ) -> HttpResponse:
        """Sends one request (following redirects unless told not to) and returns the
        final answer, whatever its status. Raises :class:`FetchError` when there is none.

        ``on_send`` is called each time a request of this call actually goes out (after
        waiting for the host and global limits), so a caller pacing a service measures
        from when the service sees the call, not from when it was queued.

        ``min_retry_wait`` spaces this request's retries at least that far apart, for a
        service whose terms set a pace (arXiv: one call every three seconds).

        Secret headers among ``headers`` go only to the origin ``secret_headers_for``
        names (default: the origin of ``url``), on the first request as on any hop.
        """
        session = self._session
        if session is None:
            raise RuntimeError("Engine is not open: use 'async with Engine(...)'")
        if max_body < 0:
            raise ValueError("max_body must be >= 0")
        chain = RedirectChain(http_url(url), url, self._max_redirects)
        credential_origin = origin(
            http_url(secret_headers_for) if secret_headers_for else chain.current
        )
        given: CIMultiDict[str] = CIMultiDict(headers or {})
        method = method.upper()
        while True:
            response = await self._send(
                session,
                method,
                chain.current,
                headers_for(given, chain.current, credential_origin),
                json,
                data,
                max_body,
                min_retry_wait,
                on_send,
            )
            location = response.headers.get("Location")
            if not follow_redirects or response.status not in REDIRECT_STATUSES or not location:
                return replace(response, url=chain.shown, history=tuple(chain.history))
            chain.follow(response.status, location)
            if becomes_get(response.status, method):
                method, json, data = "GET", None, None
                given.popall("Content-Type", None)

    async def _send(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: URL,
        headers: CIMultiDict[str],
        json: Any,
        data: bytes | None,
        max_body: int,
        min_retry_wait: float = 0.0,
        on_send: Callable[[], None] | None = None,
    ) -> HttpResponse:
        """One hop, with retries: the last answer, or the last error once retries run out."""
        attempt = 0
        while True:
            try:
                response = await self._attempt(
                    session, method, url, headers, json, data, max_body, on_send
                )
            except FetchError as error:
                if error.kind not in RETRYABLE_KINDS or attempt >= self._retries:
                    raise
                await self._sleep(max(self._backoff(attempt), min_retry_wait))
                attempt += 1
                continue
            if response.status not in RETRY_STATUSES or attempt >= self._retries:
                return response
            asked = requested_wait(response.headers, time.time())
            if asked is not None and asked > self._retry_after_cap:
                return response
            wait = self._backoff(attempt) if asked is None else asked
            await self._sleep(max(wait, min_retry_wait))
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return backoff_delay(attempt, self._backoff_base, self._retry_after_cap)

    async def _attempt(
        self,
        session: aiohttp.ClientSession,
        method: str,
        url: URL,
        headers: CIMultiDict[str],
        json: Any,
        data: bytes | None,
        max_body: int,
        on_send: Callable[[], None] | None = None,
    ) -> HttpResponse:
        """Exactly one request on the wire, holding a host slot and a global slot; none at
        all to a host that stopped answering (checked again once the slot is ours, so the
        requests queued behind hung ones fail at once instead of waiting their turn)."""
        host = host_key(url)
        self._hosts.refuse_if_stopped(host, url)
        async with self._hosts.slot(url), self._total:
            self._hosts.refuse_if_stopped(host, url)
            try:
                async with session.request(
                    method,
                    strip_fragment(url),
                    headers=headers,
                    json=json,
                    data=data,
                    allow_redirects=False,
                    trace_request_ctx=on_send,  # called once the headers are on the wire
                ) as answer:
                    body, truncated = await read_prefix(answer, max_body)
                    if truncated or not answer.content.at_eof():
                        answer.close()
                    self._hosts.answered(host)
                    return HttpResponse(
                        status=answer.status,
                        headers=CIMultiDictProxy(CIMultiDict(answer.headers)),
                        url=str(url),
                        body=body,
                        truncated=truncated,
                    )
            except (aiohttp.ClientError, OSError) as exc:
                error = classify(exc, url, self._timeout)
                self._hosts.unanswered(host, str(url), error)
                raise error from exc

    async def _count_sent(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestHeadersSentParams,
    ) -> None:
        self.requests_by_host[host_key(params.url)] += 1
        on_send = getattr(context, "trace_request_ctx", None)
        if callable(on_send):
            on_send()
