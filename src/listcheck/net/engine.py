"""The one HTTP client every checker shares, so every host sees one polite visitor.

Politeness, safety and bounded cost live here once instead of in each checker:

- **Concurrency.** At most ``total`` requests in flight, and at most ``per_host`` to
  one host (``host_limits`` tightens single hosts: the arXiv API takes one at a time).
- **Redirects** are followed by hand, so the chain (each hop's status and URL) is
  kept for the ``moved`` verdict, loops are named as such, and credentials are
  re-decided on every hop.
- **Credentials.** ``Authorization``, ``Cookie`` and any header named like a secret
  go only to one origin (scheme, host, port); a redirect to any other origin loses
  them, so a token never leaks to wherever a server chooses to send us.
- **Bounded bodies.** At most ``max_body`` bytes are read, then the connection is
  dropped: a 5 GB file or an endless stream costs kilobytes.
- **Retries** on 429/502/503/504 and on lost connections, with exponential backoff
  and full jitter, honouring ``Retry-After`` (or a spent quota's reset time) up to
  a cap. A server asking for a longer pause than the cap gets no wait: its answer
  is returned as it is, and the caller calls the link transient.
- **Errors** arrive as one :class:`FetchError` kind (dns, refused, reset, tls, ...),
  never as an aiohttp exception.

``requests_by_host`` counts every request whose headers actually went out
(retries and redirect hops included; a refused connection sent nothing), for the
report's statistics.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json as jsonlib
import re
import socket
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from types import SimpleNamespace, TracebackType
from typing import Any, Final, Self

import aiohttp
from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from listcheck import __version__
from listcheck.config import HttpConfig
from listcheck.net.errors import (
    RETRYABLE_KINDS,
    UNANSWERED_KINDS,
    FetchError,
    FetchErrorKind,
    classify,
)
from listcheck.net.retry import RETRY_STATUSES, backoff_delay, requested_wait
from listcheck.net.urls import (
    HTTP_SCHEMES,
    Origin,
    host_key,
    never_resolves,
    origin,
    strip_fragment,
)

USER_AGENT: Final = (
    f"Mozilla/5.0 (compatible; listcheck/{__version__}; +https://github.com/listcheck/listcheck)"
)
"""Browser-shaped, so sites that turn away unknown clients still answer, and honest:
it names listcheck, its version and where to read about it."""

DEFAULT_MAX_BODY: Final = 64 * 1024
REDIRECT_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS: Final = frozenset({301, 308})

_ALWAYS_SECRET: Final = frozenset({"authorization", "proxy-authorization", "cookie"})
_SECRET_NAME: Final = re.compile(r"token|secret|passw|api-?key|auth|credential|session", re.I)
_CHARSET: Final = re.compile(r"""charset\s*=\s*["']?([\w.:-]+)""", re.I)

Sleep = Callable[[float], Awaitable[None]]


def is_secret_header(name: str) -> bool:
    """Whether a header carries a credential and so must stay with its origin."""
    return name.lower() in _ALWAYS_SECRET or _SECRET_NAME.search(name) is not None


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


DNS_PROBE: Final = "example.com"
"""A name that always exists (RFC 2606), asked when another name does not resolve."""


class _Resolver(ThreadedResolver):
    """The system resolver, except that names under ``.invalid`` fail at once.

    RFC 6761 (section 6.4) reserves ``.invalid`` and asks resolver libraries to
    answer it negatively without asking any server; doing so means such a name
    fails the same way, instantly, on a machine with no DNS at all.
    """

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        if never_resolves(host):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return await super().resolve(host, port, family)


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
        self._per_host = per_host
        self._host_limits = limits
        self._user_agent = user_agent or USER_AGENT
        self._retries = retries
        self._retry_after_cap = retry_after_cap
        self._backoff_base = backoff_base
        self._sleep = sleep
        self._total = asyncio.Semaphore(total)
        self._resolver = _Resolver()
        self._dns_works: bool | None = None
        self._per_host_slots: dict[str, asyncio.Semaphore] = {}
        self._stop_host_after = stop_host_after
        self._unanswered: dict[str, set[str]] = {}
        self.stopped_hosts: dict[str, str] = {}
        """Host key -> why it gets no more requests this run (the breaker tripped)."""
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
            try:
                await asyncio.wait_for(self._resolver.resolve(DNS_PROBE, 443), 5.0)
            except (OSError, TimeoutError):
                self._dns_works = False
            else:
                self._dns_works = True
        return self._dns_works

    async def resolves(self, host: str) -> bool:
        """Whether ``host`` resolves here (an IP literal always does). Asked, before any
        request, only of names needed on a machine where :meth:`dns_works` is False:
        ``localhost`` and names in the hosts file still work there."""
        try:
            await asyncio.wait_for(self._resolver.resolve(host, 443), 5.0)
        except (OSError, TimeoutError):
            return False
        return True

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
        current = _http_url(url)
        credential_origin = origin(_http_url(secret_headers_for) if secret_headers_for else current)
        given: CIMultiDict[str] = CIMultiDict(headers or {})
        method = method.upper()
        shown = url
        history: list[tuple[int, str]] = []
        seen = {strip_fragment(current)}
        while True:
            response = await self._send(
                session,
                method,
                current,
                _headers_for(given, current, credential_origin),
                json,
                data,
                max_body,
                min_retry_wait,
                on_send,
            )
            location = response.headers.get("Location")
            if not follow_redirects or response.status not in REDIRECT_STATUSES or not location:
                return replace(response, url=shown, history=tuple(history))
            target = _redirect_target(current, location)
            if strip_fragment(target) in seen:
                raise FetchError(
                    FetchErrorKind.REDIRECT_LOOP,
                    f"redirect loop: {shown} leads back to {target}",
                    url,
                )
            if len(history) >= self._max_redirects:
                raise FetchError(
                    FetchErrorKind.TOO_MANY_REDIRECTS,
                    f"more than {self._max_redirects} redirects (last to {target})",
                    url,
                )
            history.append((response.status, shown))
            seen.add(strip_fragment(target))
            if (response.status == 303 and method != "HEAD") or (
                response.status in (301, 302) and method == "POST"
            ):
                method, json, data = "GET", None, None
                given.popall("Content-Type", None)
            current, shown = target, str(target)

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
        self._refuse_if_stopped(host, url)
        async with self._host_slot(url), self._total:
            self._refuse_if_stopped(host, url)
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
                    body, truncated = await _read_prefix(answer, max_body)
                    if truncated or not answer.content.at_eof():
                        answer.close()
                    self._unanswered.pop(host, None)
                    return HttpResponse(
                        status=answer.status,
                        headers=CIMultiDictProxy(CIMultiDict(answer.headers)),
                        url=str(url),
                        body=body,
                        truncated=truncated,
                    )
            except (aiohttp.ClientError, OSError) as exc:
                error = classify(exc, url, self._timeout)
                self._count_unanswered(host, str(url), error)
                raise error from exc

    def _refuse_if_stopped(self, host: str, url: URL) -> None:
        reason = self.stopped_hosts.get(host)
        if reason is not None:
            raise FetchError(FetchErrorKind.HOST_STOPPED, reason, str(url))

    def _count_unanswered(self, host: str, url: str, error: FetchError) -> None:
        """The breaker: ``stop_host_after`` different URLs of one host left unanswered in
        a row (timeouts or refused connections; any answer resets the count) stop the
        host. One URL retried counts once: a single dead page is no dead host."""
        if error.kind not in UNANSWERED_KINDS:
            return
        failed = self._unanswered.setdefault(host, set())
        failed.add(url)
        count = len(failed)
        if self._stop_host_after and count >= self._stop_host_after:
            self.stopped_hosts.setdefault(
                host,
                f"{host} stopped answering ({count} links in a row timed out or could "
                "not connect); no more requests went to it this run",
            )

    def _host_slot(self, url: URL) -> asyncio.Semaphore:
        key = host_key(url)
        slot = self._per_host_slots.get(key)
        if slot is None:
            limit = self._host_limits.get(key) or self._host_limits.get(
                (url.host or "").lower(), self._per_host
            )
            slot = self._per_host_slots[key] = asyncio.Semaphore(limit)
        return slot

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


async def _read_prefix(answer: aiohttp.ClientResponse, max_body: int) -> tuple[bytes, bool]:
    """Up to ``max_body`` bytes, and whether more followed (one byte more is read to know)."""
    buffer = bytearray()
    wanted = max_body + 1
    while len(buffer) < wanted:
        chunk = await answer.content.read(wanted - len(buffer))
        if not chunk:
            break
        buffer += chunk
    return bytes(buffer[:max_body]), len(buffer) > max_body


def _http_url(text: str) -> URL:
    try:
        url = URL(text)
    except (ValueError, TypeError) as exc:
        raise FetchError(FetchErrorKind.INVALID_URL, f"not a URL: {text!r}", text) from exc
    if url.scheme.lower() not in HTTP_SCHEMES or not url.host:
        raise FetchError(FetchErrorKind.INVALID_URL, f"not an http(s) URL: {text!r}", text)
    return url


def _redirect_target(current: URL, location: str) -> URL:
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


def _headers_for(given: CIMultiDict[str], url: URL, allowed: Origin) -> CIMultiDict[str]:
    if origin(url) == allowed:
        return given
    return CIMultiDict((name, value) for name, value in given.items() if not is_secret_header(name))
