"""How a question reaches GitHub's API and what comes back, whatever the question.

The checker (:mod:`.checker`) decides *what* to ask about a target; this module owns
everything every request shares, so that the checker never sees a raw HTTP answer:

* The token goes only to the API's own origin (a redirect elsewhere loses it), and a
  refused token stops every later request (see :class:`GithubApi`).
* Every request passes the quota gate of :mod:`.ratelimit` first; a spent quota, a
  long secondary limit or a refused token becomes a :class:`Fail` carrying the
  :class:`~.ratelimit.Stop`, so the checker can say "not checked" instead of "broken".
* Conditional requests. An answer with an ``ETag`` is remembered together with the
  few facts the checker read from it, and the next run asks with ``If-None-Match``;
  ``304 Not Modified`` costs no quota and hands back the remembered facts as if the
  answer were a fresh 200. The validators of one target travel as one opaque,
  self-contained string (:func:`dump_validators`, :func:`parse_validators`), so the
  cache needs no other record to use them. An unreadable string is ignored: the next
  answer then simply costs quota once.
* Every answer is reduced to :class:`Got` (a status, and the facts for a 200) or
  :class:`Fail` (why there is no usable answer).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from listcheck.checkers.base import Reason
from listcheck.checkers.github.ratelimit import (
    CORE,
    Clock,
    GithubLimiter,
    Sleep,
    Stop,
    body_message,
    classify_limit,
    header_value,
)
from listcheck.models import Verdict
from listcheck.net.engine import Engine
from listcheck.net.errors import FetchError
from listcheck.net.response import HttpResponse

REST_HEADERS: Final = {
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
}
CONTENTS_ACCEPT: Final = "application/vnd.github.object"
"""The contents media type that answers for files up to 100 MB (the default stops at 1 MB)."""
VALIDATOR_VERSION: Final = 1

Extract = Callable[[bytes], dict[str, Any]]
"""Turns a 200 body into the facts kept with its ETag; raises ValueError when unreadable."""


@dataclass(frozen=True)
class Fail:
    """Why a question got no usable answer, or the answer "it does not exist"."""

    verdict: Verdict
    detail: str
    status: int | None = None
    stop: Stop | None = None

    @property
    def reason(self) -> Reason | None:
        return _STOP_REASONS.get(self.stop.kind) if self.stop is not None else None


_STOP_REASONS = {
    "auth": Reason.TOKEN_REJECTED,
    "quota": Reason.QUOTA,
    "secondary": Reason.RATE_LIMITED,
}


@dataclass(frozen=True)
class Got:
    """A REST answer reduced to what the checker reads; ``facts`` for a 200 (or a 304
    that revalidated a 200)."""

    status: int
    facts: dict[str, Any] | None
    message: str
    history: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Validator:
    """An ETag and the facts read from the answer that carried it."""

    etag: str
    facts: dict[str, Any]


def parse_validators(text: str) -> dict[str, Validator]:
    """The validators in one stored string, by request path; nothing when the string
    is unreadable (then the next answer simply costs quota once)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("v") != VALIDATOR_VERSION:
        return {}
    out: dict[str, Validator] = {}
    entries = data.get("paths")
    if not isinstance(entries, dict):
        return {}
    for path, entry in entries.items():
        if (
            isinstance(path, str)
            and isinstance(entry, dict)
            and isinstance(entry.get("etag"), str)
            and isinstance(entry.get("facts"), dict)
        ):
            out[path] = Validator(entry["etag"], entry["facts"])
    return out


def dump_validators(validators: Mapping[str, Validator]) -> str:
    """One compact string that :func:`parse_validators` reads back (sorted, so an
    unchanged set of validators gives the same string)."""
    paths = {p: {"etag": v.etag, "facts": v.facts} for p, v in sorted(validators.items())}
    return json.dumps({"v": VALIDATOR_VERSION, "paths": paths}, separators=(",", ":"))


def _api_origin(api_base: str) -> str:
    parts = urlsplit(api_base)
    return f"{parts.scheme}://{parts.netloc}"


class GithubApi:
    """Sends the requests of one checker: the token, the quota gate and the ETags.

    ``stored`` are the opaque validator strings of the last run; :meth:`dump` gives
    the strings to keep for this one. :attr:`auth_error` is set when GitHub refused
    the token.
    """

    def __init__(
        self,
        engine: Engine,
        api_base: str,
        token: str | None,
        *,
        stored: Iterable[str] = (),
        concurrency: int,
        clock: Clock,
        sleep: Sleep,
        max_secondary_wait: float,
    ) -> None:
        self._engine = engine
        self.api_base = api_base.rstrip("/")
        self._origin = _api_origin(self.api_base)
        self._token = token or None
        self._limiter = GithubLimiter(
            concurrency=concurrency,
            clock=clock,
            sleep=sleep,
            max_secondary_wait=max_secondary_wait,
        )
        self._validators: dict[str, Validator] = {}
        for text in stored:
            self._validators.update(parse_validators(text))
        self.auth_error: str | None = None
        """Set when GitHub refused the token: one line for the command line to show."""

    @property
    def authenticated(self) -> bool:
        """Whether requests carry a token (the quota and its advice depend on it)."""
        return self._token is not None

    def knows(self, path: str) -> bool:
        """Whether a request for ``path`` would be conditional (costing no quota on a 304)."""
        return path in self._validators

    def dump(self, paths: Iterable[str]) -> str | None:
        """The validator string for the answers to ``paths``; None when none has an ETag."""
        kept = {p: self._validators[p] for p in paths if p in self._validators}
        return dump_validators(kept) if kept else None

    async def get(self, path: str, max_body: int, extract: Extract) -> Got | Fail:
        """A REST GET of ``path`` (below the API base), conditional when an ETag is known.

        ``extract`` turns a 200 body into the facts kept with its ETag.
        """
        validator = self._validators.get(path)
        headers = dict(REST_HEADERS)
        if path.startswith("/repos/") and "/contents" in path:
            headers["Accept"] = CONTENTS_ACCEPT
        if validator is not None:
            headers["If-None-Match"] = validator.etag
        response = await self.send(
            CORE, "GET", self.api_base + path, headers=headers, max_body=max_body
        )
        if isinstance(response, Fail):
            return response
        message = body_message(response.body)
        if response.status == 304 and validator is not None:
            return Got(200, validator.facts, message, response.history)
        if response.status != 200:
            if response.status in (404, 410):
                self._validators.pop(path, None)
            return Got(response.status, None, message, history=response.history)
        try:
            facts = extract(response.body)
        except ValueError:
            return Fail(Verdict.TRANSIENT, "unreadable answer from the GitHub API", response.status)
        etag = header_value(response.headers, "etag")
        if etag:
            self._validators[path] = Validator(etag, facts)
        return Got(200, facts, message, history=response.history)

    async def send(
        self,
        resource: str,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        max_body: int,
        json: Any = None,
    ) -> HttpResponse | Fail:
        """One API request through the quota gate; a secondary limit is waited out once."""
        sent = dict(headers)
        if self._token:
            sent["Authorization"] = f"Bearer {self._token}"
        for _attempt in range(2):
            stop = await self._limiter.acquire(resource)
            if stop is not None:
                return self.stopped(stop)
            answer_headers: Mapping[str, str] | None = None
            try:
                response = await self._engine.request(
                    method,
                    url,
                    headers=sent,
                    json=json,
                    follow_redirects=True,
                    max_body=max_body,
                    secret_headers_for=self._origin,
                )
                answer_headers = response.headers
            except FetchError as exc:
                return Fail(Verdict.TRANSIENT, f"GitHub API not reachable: {exc.message}")
            finally:
                await self._limiter.release(resource, answer_headers)
            message = body_message(response.body)
            if response.status == 401:
                if self._token is None:
                    return Fail(
                        Verdict.TRANSIENT,
                        f"GitHub asked for authentication: {message or 'no message'}",
                        401,
                    )
                return self.stopped(await self._limiter.refuse_token(message))
            limit = classify_limit(response.status, response.headers, response.body)
            if limit == "primary":
                return await self.exhausted(resource, response.headers, message)
            if limit == "secondary":
                stop = await self._limiter.secondary(response.headers, message)
                if stop is not None:
                    return self.stopped(stop)
                continue
            return response
        return Fail(
            Verdict.TRANSIENT,
            "GitHub's secondary rate limit refused the request again after the pause it asked for",
            None,
        )

    async def exhausted(self, resource: str, headers: Mapping[str, str], message: str) -> Fail:
        """GitHub said the quota of ``resource`` is spent (in a status or, for GraphQL,
        in a 200's body): nothing more of it is sent."""
        return self.stopped(await self._limiter.exhausted(resource, headers, message))

    def stopped(self, stop: Stop) -> Fail:
        if stop.kind == "auth":
            line = (
                f"GitHub rejected the token ({stop.message or '401'}); check GITHUB_TOKEN or "
                "--github-token"
            )
            self.auth_error = line
            return Fail(Verdict.SKIPPED, line, 401, stop)
        if stop.kind == "secondary":
            wait = f"{stop.retry_after:g} s" if stop.retry_after is not None else "a while"
            return Fail(
                Verdict.TRANSIENT,
                f"GitHub's secondary rate limit asked to wait {wait}, longer "
                f"than listcheck waits ({stop.message or 'no message'})",
                None,
                stop,
            )
        return Fail(Verdict.SKIPPED, "the GitHub API rate limit is used up", None, stop)
