"""The GitHub Issues API, through the project's HTTP engine (the token bound to the API
origin on every hop; creating is never retried, see the package docstring)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

from yarl import URL

from listcheck.net.engine import Engine, Sleep
from listcheck.net.errors import FetchError
from listcheck.net.response import HttpResponse
from listcheck.nightly.body import MARKER
from listcheck.nightly.model import NightlyError

LABEL_COLOR: Final = "d73a4a"


MAX_PAGES: Final = 50
"""Pages of issues read before giving up: a label filter never yields thousands."""


PER_PAGE: Final = 50


MAX_BODY: Final = 32 * 1024 * 1024
"""A page of 50 issues with 64 K-character bodies fits with room to spare."""


API_VERSION: Final = "2022-11-28"


REPO_PATTERN: Final = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


_NEXT_LINK: Final = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


@dataclass(frozen=True)
class Issue:
    number: int
    body: str
    state: str
    labels: frozenset[str]

    @classmethod
    def from_json(cls, data: Any) -> Issue:
        labels = frozenset(
            str(item.get("name", "")) if isinstance(item, dict) else str(item)
            for item in data.get("labels") or ()
        )
        return cls(
            number=int(data["number"]),
            body=str(data.get("body") or ""),
            state=str(data.get("state") or "open"),
            labels=labels,
        )


class GitHubIssues:
    """The few calls of GitHub's issues REST API the tracker needs, on two engines:
    one retrying idempotent calls (GET, PATCH), one never retrying POSTs.

    Use as ``async with``. ``api_url`` may carry a path (GitHub Enterprise's
    ``/api/v3``); the token goes only to its origin."""

    def __init__(
        self,
        api_url: str,
        repository: str,
        token: str,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._base = URL(api_url.rstrip("/"))
        self._repository = repository
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
        }
        common: dict[str, Any] = {
            "timeout": timeout,
            "max_redirects": 3,
            "per_host": 1,
            "total": 1,
            "sleep": sleep,
        }
        self._reads = Engine(retries=retries, **common)
        self._writes = Engine(retries=0, **common)

    async def __aenter__(self) -> GitHubIssues:
        await self._reads.open()
        await self._writes.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._reads.aclose()
        await self._writes.aclose()

    def _url(self, *segments: str) -> URL:
        """``{api}/repos/{owner}/{name}/...``, each segment percent-encoded whole (a label
        may hold a space or a slash)."""
        parts = ["repos", *self._repository.split("/", 1), *segments]
        path = "/".join(quote(part, safe="") for part in parts)
        return URL(f"{self._base}/{path}", encoded=True)

    async def _call(
        self, method: str, url: URL, payload: Any = None, *, ok: Iterable[int] = (200,)
    ) -> HttpResponse:
        engine = self._writes if method == "POST" else self._reads
        try:
            response = await engine.request(
                method,
                str(url),
                headers=self._headers,
                json=payload,
                max_body=MAX_BODY,
                secret_headers_for=str(self._base),
            )
        except FetchError as exc:
            raise NightlyError(f"{method} {url.path}: {exc.message}") from None
        if response.status not in set(ok):
            raise NightlyError(_refusal(method, url, response))
        if response.truncated:
            raise NightlyError(f"{method} {url.path}: answer larger than {MAX_BODY} bytes")
        return response

    async def tracking_issues(self, label: str, state: str) -> list[Issue]:
        """Issues (not pull requests) carrying ``label`` and the marker, oldest first for
        open ones, most recently updated first for closed ones; every page is read."""
        order = {"sort": "created", "direction": "asc"}
        if state == "closed":
            order = {"sort": "updated", "direction": "desc"}
        url: URL | None = self._url("issues").with_query(
            {"labels": label, "state": state, "per_page": str(PER_PAGE), **order}
        )
        found: list[Issue] = []
        pages = 0
        while url is not None:
            pages += 1
            if pages > MAX_PAGES:
                raise NightlyError(f"more than {MAX_PAGES} pages of issues labelled {label!r}")
            response = await self._call("GET", url)
            items = _json(response, url)
            if not isinstance(items, list):
                raise NightlyError(f"GET {url.path}: expected a list of issues")
            found += [
                Issue.from_json(item)
                for item in items
                if isinstance(item, dict)
                and "pull_request" not in item
                and MARKER in str(item.get("body") or "")
            ]
            url = self._next_page(response)
        return found

    def _next_page(self, response: HttpResponse) -> URL | None:
        """The ``rel="next"`` link, only if it stays at the API's origin (the token
        would not follow it elsewhere anyway; a page from elsewhere is not trusted)."""
        found = _NEXT_LINK.search(response.headers.get("Link", ""))
        if found is None:
            return None
        target = URL(found.group(1))
        if (target.scheme, target.host, target.port) != (
            self._base.scheme,
            self._base.host,
            self._base.port,
        ):
            raise NightlyError(f"pagination link leaves the API: {target}")
        return target

    async def ensure_label(self, label: str) -> None:
        """Creates the label if the repository lacks it: GitHub drops unknown labels
        from a new issue for some callers, and an unlabelled tracking issue would not
        be found tomorrow (a duplicate would follow)."""
        response = await self._call("GET", self._url("labels", label), ok=(200, 404))
        if response.status == 200:
            return
        await self._call(
            "POST",
            self._url("labels"),
            {
                "name": label,
                "color": LABEL_COLOR,
                "description": "Tracking issue kept by the nightly listcheck run",
            },
            ok=(201, 422),  # 422: created meanwhile by someone else
        )

    async def create(self, title: str, body: str, label: str) -> Issue:
        response = await self._call(
            "POST",
            self._url("issues"),
            {"title": title, "body": body, "labels": [label]},
            ok=(201,),
        )
        return Issue.from_json(_json(response, self._url("issues")))

    async def update(self, number: int, **fields: Any) -> Issue:
        url = self._url("issues", str(number))
        response = await self._call("PATCH", url, fields)
        return Issue.from_json(_json(response, url))

    async def add_labels(self, number: int, labels: Sequence[str]) -> None:
        url = self._url("issues", str(number), "labels")
        await self._call("POST", url, {"labels": list(labels)})

    async def comment(self, number: int, body: str) -> None:
        url = self._url("issues", str(number), "comments")
        await self._call("POST", url, {"body": body}, ok=(201,))


def _json(response: HttpResponse, url: URL) -> Any:
    try:
        return response.json()
    except ValueError:
        raise NightlyError(f"{url.path}: the answer is not JSON") from None


_HINTS: Final = {
    401: "the token was refused (is GITHUB_TOKEN set?)",
    403: "the token may not do this (does the job have `permissions: issues: write`?)",
    404: "no such repository, or the token cannot see it",
    410: "issues are disabled in this repository",
}


def _refusal(method: str, url: URL, response: HttpResponse) -> str:
    message = ""
    try:
        data = response.json()
        if isinstance(data, dict):
            message = str(data.get("message") or "")
    except ValueError:
        pass
    hint = _HINTS.get(response.status)
    parts = [f"GitHub answered {response.status} to {method} {url.path}"]
    if message:
        parts.append(" ".join(message.split())[:200])
    if hint:
        parts.append(hint)
    return ": ".join(parts)
