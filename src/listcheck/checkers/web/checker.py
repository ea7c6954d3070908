"""The plain-web checker: any http(s) URL no service-specific checker claims.

How it asks (DESIGN, "Any other host"): ``HEAD`` first, since it costs the site
nothing; then ``GET``, reading only a small prefix, when the ``HEAD`` answer cannot
be trusted. Many servers answer ``HEAD`` badly (405/501, but also 400, 403, 404 or
500 where ``GET`` works), so *any* 4xx/5xx ``HEAD`` answer is confirmed with
``GET`` before it decides anything, except the statuses the engine already retried
(429/502/503/504), where another request would only add load. A broken verdict
fails a PR, so it always rests on a ``GET``; the price is one extra request for
links that are failing anyway.

How it judges (DESIGN, "Verdicts for a link"):

- 2xx: ``ok``; ``moved`` when every redirect on the way was permanent (301/308) or
  only upgraded ``http`` to ``https`` on the same address, with the final URL as the
  fix; a chain with any temporary hop (302/303/307) is ``ok``, since its target is
  not meant to be cited.
- 404/410, or a host name that does not exist: ``broken``.
- 401/403: ``transient``: many sites turn away automated clients; never broken.
- 429 (after the engine's retries, or asking for a longer pause than the cap), any
  5xx, any other status: ``transient``.
- A refused connection: ``transient``. The name resolved and a machine answered, so
  the site exists; nothing listening on the port is what a restarting or
  maintained server looks like, not what a removed page looks like.
- Timeouts, resets, TLS failures, a DNS resolver that could not answer: ``transient``.
- A redirect loop or too many redirects: ``transient``. Loops are mostly cookie or
  bot walls (a browser with cookies gets through), so they prove nothing about the
  page; the detail names the loop so a maintainer can look.
- Not http(s), or no host: ``skipped`` (``link/malformed`` reports bad URLs offline).

A host that refuses listcheck (403 on ``GET``, or 429 that retries could not
outwait) is remembered for the rest of the run: its further URLs are ``transient``
without another request (DESIGN: arxiv.org pages answer bots 403; keep asking and
the runner's address gets blocked). So that the memory works under concurrency,
the first URL of each host is checked alone, and the others wait for its answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import ClassVar, Final

from yarl import URL

from listcheck.checkers.base import NO_DNS_DETAIL, Checker, CheckResult, Reason, WebTarget
from listcheck.models import Verdict
from listcheck.net import (
    PERMANENT_REDIRECTS,
    RETRY_STATUSES,
    Engine,
    FetchError,
    FetchErrorKind,
    HttpResponse,
    host_key,
)
from listcheck.net.urls import never_resolves

GET_PREFIX: Final = 1024
"""Bytes of a GET body read before the connection is dropped: the status is the answer."""
FIRST_CONTACT_WAIT: Final = 1.0
"""Seconds a host's other links wait for its first answer (is it a bot wall?) before
going ahead anyway."""

BROKEN_STATUSES: Final = frozenset({404, 410})
BLOCKING_STATUSES: Final = frozenset({403, 429})
"""Answers that mean "stop asking": remembered for the host for the rest of the run."""

_GET_AFTER_HEAD_ERRORS: Final = frozenset({FetchErrorKind.RESET, FetchErrorKind.OTHER})
"""HEAD failures a GET may not meet (servers that drop or garble HEAD); a timeout or an
unreachable host would only be met again, at the cost of another full wait."""


class WebChecker(Checker[WebTarget]):
    """Checks plain web links through the shared :class:`~listcheck.net.Engine`.

    One instance lives for one run: the blocked-host memory is per run by design.
    """

    service: ClassVar[str] = "web"

    def __init__(
        self,
        engine: Engine,
        *,
        get_prefix: int = GET_PREFIX,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._engine = engine
        self.wall_clock = wall_clock
        self._get_prefix = get_prefix
        self._blocked: dict[str, int] = {}
        self._first_contact: dict[str, asyncio.Event] = {}

    @property
    def blocked_hosts(self) -> dict[str, int]:
        """Hosts that refused listcheck this run, with the status they refused it with."""
        return dict(self._blocked)

    async def check_one(self, target: WebTarget) -> CheckResult:
        url = _parse(target.url)
        if url is None:
            return self.answer(
                target, Verdict.SKIPPED, detail="Not an http(s) URL with a host; not checked."
            )
        if url.scheme.lower() not in ("http", "https"):
            return self.answer(
                target,
                Verdict.SKIPPED,
                detail=f"The {url.scheme}: scheme is not checked online; only http(s) is.",
            )
        host = host_key(url)
        gate = self._first_contact.get(host)
        if gate is None:
            gate = self._first_contact[host] = asyncio.Event()
            try:
                return await self._check(target, host)
            finally:
                gate.set()
        # Bot walls answer at once; a host still silent after a moment is merely slow,
        # and its other links need not queue behind that first answer.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(gate.wait(), FIRST_CONTACT_WAIT)
        return await self._check(target, host)

    async def _check(self, target: WebTarget, host: str) -> CheckResult:
        if host in self._blocked:
            return self.answer(
                target,
                Verdict.TRANSIENT,
                detail=(
                    f"Not checked: {host} refused listcheck earlier in this run "
                    f"(HTTP {self._blocked[host]}), so no more requests are sent to it."
                ),
                reason=Reason.BLOCKED if self._blocked[host] in (401, 403) else Reason.RATE_LIMITED,
            )
        try:
            response = await self._fetch(target.url)
        except FetchError as error:
            unprovable = error.kind is FetchErrorKind.DNS and not never_resolves(host)
            if unprovable and not await self._engine.dns_works():
                # Resolution died during the run (the check stage asks before it starts):
                # the same reason as the links it held back, said once with them.
                return self.answer(
                    target, Verdict.TRANSIENT, detail=NO_DNS_DETAIL, reason=Reason.NO_DNS
                )
            return self._from_error(target, error)
        if response.status in BLOCKING_STATUSES:
            self._blocked.setdefault(host_key(URL(response.url)), response.status)
            self._blocked.setdefault(host, response.status)
        return self.judge(target, response)

    async def _fetch(self, url: str) -> HttpResponse:
        """HEAD, then GET when the HEAD answer (or failure) cannot be trusted."""
        try:
            head = await self._engine.request("HEAD", url, max_body=0)
        except FetchError as error:
            if error.kind not in _GET_AFTER_HEAD_ERRORS:
                raise
        else:
            if not _needs_get(head.status):
                return head
        return await self._engine.request("GET", url, max_body=self._get_prefix)

    def judge(self, target: WebTarget, response: HttpResponse) -> CheckResult:
        """The verdict for the final answer a URL got (see the module docstring)."""
        status = response.status
        phrase = _phrase(status)
        if 200 <= status < 300:
            if not response.history:
                return self.answer(
                    target, Verdict.OK, status=status, detail=f"Answered HTTP {phrase}."
                )
            if is_permanent_move(response.history, response.url):
                first = response.history[0][0]
                return self.answer(
                    target,
                    Verdict.MOVED,
                    status=status,
                    final_url=response.url,
                    detail=f"Moved permanently (HTTP {first}) to {response.url}.",
                )
            return self.answer(
                target,
                Verdict.OK,
                status=status,
                detail=f"Answered HTTP {phrase} after a temporary redirect to {response.url}.",
            )
        if status in BROKEN_STATUSES:
            reason = "the page was removed" if status == 410 else "the page does not exist"
            return self.answer(
                target, Verdict.BROKEN, status=status, detail=f"Answered HTTP {phrase}: {reason}."
            )
        if status in (401, 403):
            return self.answer(
                target,
                Verdict.TRANSIENT,
                status=status,
                detail=(
                    f"Answered HTTP {phrase}: the site turns away automated checks; "
                    "open the link in a browser to confirm it."
                ),
                reason=Reason.BLOCKED,
            )
        if status == 429:
            detail = f"Rate limited (HTTP {phrase}) and retrying did not help; try again later."
            return self.answer(
                target, Verdict.TRANSIENT, status=status, detail=detail, reason=Reason.RATE_LIMITED
            )
        if status >= 500:
            detail = f"Answered HTTP {phrase}, a server-side error; try again later."
        elif 300 <= status < 400:
            detail = f"Answered HTTP {phrase} without a redirect listcheck could follow."
        else:
            detail = f"Answered HTTP {phrase}, which does not tell whether the page exists."
        return self.answer(target, Verdict.TRANSIENT, status=status, detail=detail)

    def _from_error(self, target: WebTarget, error: FetchError) -> CheckResult:
        if error.kind is FetchErrorKind.HOST_STOPPED:
            return self.answer(
                target, Verdict.TRANSIENT, detail=error.message, reason=Reason.HOST_STOPPED
            )
        if error.kind is FetchErrorKind.DNS:
            return self.answer(
                target, Verdict.BROKEN, detail=f"Name lookup failed: {error.message}."
            )
        if error.kind is FetchErrorKind.INVALID_URL:
            return self.answer(
                target, Verdict.TRANSIENT, detail=f"Could not follow: {error.message}."
            )
        if error.kind in (FetchErrorKind.REDIRECT_LOOP, FetchErrorKind.TOO_MANY_REDIRECTS):
            return self.answer(
                target,
                Verdict.TRANSIENT,
                detail=f"Could not be confirmed: {error.message}; a browser may get through.",
            )
        return self.answer(
            target, Verdict.TRANSIENT, detail=f"Could not be reached: {error.message}."
        )


def _needs_get(status: int) -> bool:
    return status >= 400 and status not in RETRY_STATUSES


def _parse(text: str) -> URL | None:
    try:
        url = URL(text)
    except (ValueError, TypeError):
        return None
    if not url.scheme or (url.scheme.lower() in ("http", "https") and not url.host):
        return None
    return url


def is_permanent_move(history: Sequence[tuple[int, str]], final_url: str) -> bool:
    """Whether every hop is permanent: a 301/308, or an ``http`` to ``https`` upgrade of
    the same address (whatever its status: the fix, writing ``https``, is known)."""
    hops = [url for _, url in history[1:]] + [final_url]
    return all(
        status in PERMANENT_REDIRECTS or _is_https_upgrade(source, target)
        for (status, source), target in zip(history, hops, strict=True)
    )


def _is_https_upgrade(source: str, target: str) -> bool:
    before, after = URL(source), URL(target)
    return (
        before.scheme.lower() == "http"
        and after.scheme.lower() == "https"
        and before.with_scheme("https").with_port(None) == after.with_port(None)
        and before.explicit_port in (None, 80)
        and after.explicit_port in (None, 443)
    )


def _phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)
