"""Hugging Face models, datasets and spaces, checked through the Hub's API.

Why the API (``/api/{models|datasets|spaces}/{id}``) and not the pages: the Hub
gives anonymous callers 500 API calls per 5 minutes but only 100 page views, and the
API says *why* a repository is not there instead of showing a login page.

How the Hub answers (recorded samples, ``api-samples/huggingface``):

* 200 with the repository's info: ``ok``. A gated repository (``"gated": "auto"`` or
  ``"manual"``) exists and is fine to cite; :class:`~.base.HfRecord` says so.
* A missing *or private* repository: to an anonymous caller 401
  ``{"error":"Invalid username or password."}`` with no ``X-Error-Code``; to a caller
  with a token 404 with ``X-Error-Code: RepoNotFound``. The Hub does not tell the
  two apart, so neither do we: ``broken``, "it may be private".
* A legacy model name (``bert-base-uncased``) or a renamed repository: 307 with a
  *relative* ``Location`` naming the canonical id. Redirects are not followed blindly
  (``follow_redirects=False``): the checker follows this one itself, once, to
  confirm the canonical id exists, and reports ``ok`` with ``legacy_name`` and the
  canonical id (the judge turns that into a notice).
* A 401 whose ``X-Error-Message`` is "Invalid credentials in Authorization header"
  means the *token* is wrong (the distinction ``huggingface_hub`` makes too): every
  target is ``skipped`` with one message naming ``HF_TOKEN``, and nothing more is
  sent.
* 429 (after the engine's own retries) and 5xx: ``transient``. After a 429 no more
  requests go to the Hub in this run: the rest are ``transient`` without asking,
  because asking again only lengthens the Hub's penalty.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Final
from urllib.parse import quote, unquote, urljoin, urlsplit

from listcheck.checkers.base import Checker, CheckResult, HfRecord, HfTarget, Reason
from listcheck.config import HUGGINGFACE_ENDPOINT
from listcheck.models import Verdict
from listcheck.net.engine import Engine
from listcheck.net.errors import FetchError
from listcheck.net.response import HttpResponse

INFO_BODY_LIMIT: Final = 256 * 1024
"""Info bodies list every file of a repository and can run to megabytes; the fields
needed (``id``, ``gated``) come first, so a prefix is enough."""
REDIRECTS: Final = frozenset({301, 302, 307, 308})
BAD_TOKEN_MESSAGE: Final = "invalid credentials in authorization header"
DISABLED_MESSAGE: Final = "access to this resource is disabled"
SINGULAR: Final = {"models": "model", "datasets": "dataset", "spaces": "space"}

_ID_FIELD = re.compile(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"')
_GATED_FIELD = re.compile(r'"gated"\s*:\s*(false|true|"[^"]*")')


@dataclass(frozen=True)
class Info:
    """What the checker reads from a 200 answer."""

    repo_id: str | None
    gated: bool


def read_info(body: bytes, truncated: bool) -> Info:
    """``id`` and ``gated`` from an info body; from its prefix by pattern when the body
    was cut off (the 200 status alone already proves the repository exists)."""
    if not truncated:
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if isinstance(data, dict):
            repo_id = data.get("id")
            return Info(
                repo_id if isinstance(repo_id, str) else None,
                _is_gated(data.get("gated")),
            )
    text = body.decode("utf-8", errors="replace")
    found_id = _ID_FIELD.search(text)
    found_gated = _GATED_FIELD.search(text)
    gated: object = _json_or(found_gated.group(1), False) if found_gated else False
    repo_id = _json_or(f'"{found_id.group(1)}"', None) if found_id else None
    return Info(repo_id if isinstance(repo_id, str) else None, _is_gated(gated))


def _json_or(text: str, default: object) -> object:
    """A JSON value cut out of a truncated body; a hostile or cut escape gives the default."""
    try:
        return json.loads(text)
    except ValueError:
        return default


def _is_gated(value: object) -> bool:
    """``false`` or a gating mode (``"auto"``, ``"manual"``); older answers used ``true``."""
    return value is True or (isinstance(value, str) and value.lower() not in ("", "false"))


def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in headers.items() if k.lower() == lowered), None)
    return value or ""


def _error_message(response: HttpResponse) -> str:
    message = _header(response.headers, "X-Error-Message")
    if message:
        return message
    try:
        data = json.loads(response.body)
    except ValueError:
        return ""
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, str) else ""


class HuggingfaceChecker(Checker[HfTarget]):
    """Checks Hugging Face repositories through ``GET {endpoint}/api/{type}/{id}``.

    ``api_base`` is ``HF_ENDPOINT`` or https://huggingface.co; ``token`` is ``HF_TOKEN``
    (optional: public repositories need none).
    """

    service: ClassVar[str] = "huggingface"

    def __init__(
        self,
        engine: Engine,
        api_base: str = HUGGINGFACE_ENDPOINT,
        token: str | None = None,
        *,
        concurrency: int = 4,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._engine = engine
        self.api_base = api_base.rstrip("/")
        parts = urlsplit(self.api_base)
        self._origin = f"{parts.scheme}://{parts.netloc}"
        self._token = token or None
        self.wall_clock = clock
        self._slots = asyncio.Semaphore(concurrency)
        self._rate_limited: str | None = None
        self.auth_error: str | None = None
        """Set when the Hub refused the token: one line for the command line to show."""

    async def check_one(self, target: HfTarget) -> CheckResult:
        async with self._slots:
            if self.auth_error is not None:
                return self.answer(
                    target, Verdict.SKIPPED, detail=self.auth_error, reason=Reason.TOKEN_REJECTED
                )
            if self._rate_limited is not None:
                return self.answer(
                    target, Verdict.TRANSIENT, detail=self._rate_limited, reason=Reason.RATE_LIMITED
                )
            return await self._check(target)

    async def _check(self, target: HfTarget) -> CheckResult:
        kind = SINGULAR[target.repo_type]
        url = self._api_url(target.repo_type, target.repo_id)
        response = await self._get(url)
        if isinstance(response, str):
            return self.answer(target, Verdict.TRANSIENT, detail=response)
        if response.status in REDIRECTS:
            return await self._redirected(target, url, response)
        if response.status == 200:
            info = read_info(response.body, response.truncated)
            record = HfRecord(repo_id=info.repo_id or target.repo_id, gated=info.gated)
            detail = f"{kind} exists" + (" (gated: access must be requested)" if info.gated else "")
            return self.answer(target, Verdict.OK, detail=detail, status=200, hf=record)
        return self._failure(target, response, f"{kind} '{target.repo_id}'")

    async def _redirected(self, target: HfTarget, url: str, response: HttpResponse) -> CheckResult:
        """A legacy or former name: follow the redirect once, on the Hub's own API only."""
        kind = SINGULAR[target.repo_type]
        location = _header(response.headers, "Location")
        moved_to = urljoin(url, location) if location else ""
        canonical = self._canonical_id(target.repo_type, moved_to)
        if canonical is None:
            return self.answer(
                target,
                Verdict.TRANSIENT,
                detail=(
                    f"the Hub redirected the {kind} to an unexpected place: {location or 'nowhere'}"
                ),
                status=response.status,
            )
        confirmed = await self._get(moved_to)
        if isinstance(confirmed, str):
            return self.answer(target, Verdict.TRANSIENT, detail=confirmed, status=response.status)
        if confirmed.status == 200:
            info = read_info(confirmed.body, confirmed.truncated)
            record = HfRecord(repo_id=info.repo_id or canonical, gated=info.gated, legacy_name=True)
            detail = f"{kind} exists; its canonical id is {record.repo_id}"
            return self.answer(target, Verdict.OK, detail=detail, status=response.status, hf=record)
        if confirmed.status in REDIRECTS:
            return self.answer(
                target,
                Verdict.TRANSIENT,
                detail=(
                    f"the Hub redirected the {kind} twice ({target.repo_id} -> {canonical} -> ...)"
                ),
                status=confirmed.status,
            )
        return self._failure(
            target, confirmed, f"{kind} '{canonical}' (where '{target.repo_id}' leads)"
        )

    def _failure(self, target: HfTarget, response: HttpResponse, subject: str) -> CheckResult:
        """The verdict for an answer other than 200 or a redirect; ``subject`` names the
        repository asked about (``dataset 'org/name'``)."""
        status = response.status
        message = _error_message(response)
        if status == 401 and message.lower().startswith(BAD_TOKEN_MESSAGE):
            self.auth_error = f"the Hugging Face Hub rejected the token ({message}); check HF_TOKEN"
            return self.answer(
                target,
                Verdict.SKIPPED,
                detail=self.auth_error,
                status=401,
                reason=Reason.TOKEN_REJECTED,
            )
        if status in (401, 404, 410):
            return self.answer(
                target,
                Verdict.BROKEN,
                detail=f"no such {subject} on Hugging Face; it may be private",
                status=status,
            )
        if status == 403 and message.lower().startswith(DISABLED_MESSAGE):
            return self.answer(
                target,
                Verdict.BROKEN,
                detail=f"the {subject} is disabled on Hugging Face",
                status=status,
            )
        if status == 429:
            self._rate_limited = (
                "the Hugging Face Hub answered 429 (too many requests) earlier in "
                "this run; no more requests were sent to it"
            )
            return self.answer(
                target,
                Verdict.TRANSIENT,
                detail="the Hugging Face Hub answered 429 (too many requests)",
                status=status,
                reason=Reason.RATE_LIMITED,
            )
        return self.answer(
            target,
            Verdict.TRANSIENT,
            detail=f"the Hugging Face Hub answered {status}" + (f": {message}" if message else ""),
            status=status,
        )

    async def _get(self, url: str) -> HttpResponse | str:
        """The answer, or why there is none (one line)."""
        headers = {"Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            return await self._engine.request(
                "GET",
                url,
                headers=headers,
                follow_redirects=False,
                max_body=INFO_BODY_LIMIT,
                secret_headers_for=self._origin,
            )
        except FetchError as exc:
            return f"the Hugging Face Hub is not reachable: {exc.message}"

    def _api_url(self, repo_type: str, repo_id: str) -> str:
        return f"{self.api_base}/api/{repo_type}/{quote(repo_id, safe='/')}"

    def _canonical_id(self, repo_type: str, url: str) -> str | None:
        """The repository id a redirect names, when it stays on this Hub's API for the
        same type of repository; None otherwise (never followed)."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self._origin:
            return None
        prefix = f"{urlsplit(self.api_base).path}/api/{repo_type}/"
        if not parts.path.startswith(prefix):
            return None
        canonical = unquote(parts.path[len(prefix) :]).strip("/")
        return canonical or None
