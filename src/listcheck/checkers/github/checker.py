"""GitHub repositories and the paths inside them, checked through GitHub's API.

Why the API and not the github.com pages: the API says *what* happened. A renamed
repository answers ``301`` with the new location (a page would silently redirect), a
missing or private one ``404``, and every answer reports the remaining quota, so the
checker can stop before GitHub has to refuse it.

How a target is checked:

* The repository: ``GET /repos/{owner}/{repo}`` (REST), or, with a token, in
  batches through GraphQL (:mod:`.graphql`), one point for up to
  :data:`~.graphql.DEFAULT_BATCH` repositories instead of one request each.
  Each repository is asked about once per run, however many targets cite it.
  A repository whose current ``owner/name`` differs from the cited one (other than
  in letter case, which GitHub ignores) was renamed or transferred: ``moved``, with
  the new address plus the cited ``/tree/...`` part as ``final_url``. Both ways reach
  the same verdicts; only ``status`` differs (GraphQL has no per-repository status).
* A ``/tree/REF/PATH`` or ``/blob/REF/PATH`` target: also
  ``GET /repos/{o}/{r}/contents/{PATH}?ref={REF}``. A branch name may hold slashes
  (``feature/x``), so the URL alone cannot say where REF ends. The first segment is
  tried as REF; when GitHub answers "No commit found for the ref", one more segment
  moves from PATH to REF, up to :data:`MAX_REF_SEGMENTS` segments. A plain "Not
  Found" means REF exists and PATH does not. So the common case costs one request.
* Rate limits: see :mod:`.ratelimit`. A target that could not be asked is
  ``skipped`` (quota spent, token refused) or ``transient`` (a long secondary
  limit), never ``broken``.

Conditional requests. An answer with an ``ETag`` is remembered, and the next run
asks with ``If-None-Match``; ``304 Not Modified`` costs no quota. What the checker
needs from the remembered answer (the repository's name, archived flag, or that a
path existed) travels with the ETag in one opaque string per target: give the strings
of the last run as ``etags=`` and persist :attr:`GithubChecker.etags` afterwards. The
strings are self-contained, so the cache needs no other record to use them.

A refused token (401 "Bad credentials") is a configuration mistake, not a network
problem: nothing more is sent, every target is ``skipped`` with one message naming
``GITHUB_TOKEN``/``--github-token``, and :attr:`GithubChecker.auth_error` holds it
for the command line to print once. Falling back to anonymous requests would hide the
mistake and spend the 60-an-hour anonymous quota on a list that needed the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final
from urllib.parse import quote, unquote, urlsplit

from listcheck.checkers.base import (
    Checker,
    CheckResult,
    GithubRecord,
    GithubTarget,
    ProgressCallback,
    Reason,
)
from listcheck.checkers.github.graphql import (
    DEFAULT_BATCH,
    MAX_BATCH,
    Batch,
    Found,
    NotFound,
    batches,
    graphql_url,
    read_answer,
)
from listcheck.checkers.github.ratelimit import (
    CORE,
    DEFAULT_SECONDARY_WAIT,
    GRAPHQL,
    Clock,
    GithubLimiter,
    Sleep,
    Stop,
    body_message,
    classify_limit,
    header_value,
    quota_detail,
)
from listcheck.config import GITHUB_API_URL
from listcheck.models import Verdict
from listcheck.net.engine import Engine, HttpResponse
from listcheck.net.errors import FetchError

REST_HEADERS: Final = {
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
}
CONTENTS_ACCEPT: Final = "application/vnd.github.object"
"""The contents media type that answers for files up to 100 MB (the default stops at 1 MB)."""
MAX_REF_SEGMENTS: Final = 5
"""At most this many path segments are tried as a branch name (``a/b/c/d/e``)."""
NO_REF_MESSAGE: Final = "no commit found for the ref"
REPO_BODY_LIMIT: Final = 256 * 1024
CONTENTS_BODY_LIMIT: Final = 4 * 1024
"""Only the status and the error message of a contents answer matter."""
VALIDATOR_VERSION: Final = 1
MISSING_REPO: Final = "repository does not exist or is private"

Extract = Callable[[bytes], dict[str, Any]]
"""Turns a 200 body into the facts kept with its ETag; raises ValueError when unreadable."""


@dataclass(frozen=True)
class _Repo:
    """A repository as GitHub describes it now."""

    full_name: str
    html_url: str
    archived: bool
    status: int | None


@dataclass(frozen=True)
class _Fail:
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
class _Got:
    """A REST answer reduced to what the checker reads; ``facts`` for a 200 (or a 304
    that revalidated a 200)."""

    status: int
    facts: dict[str, Any] | None
    message: str
    history: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class _Validator:
    etag: str
    facts: dict[str, Any]


@dataclass
class _Run:
    """What one :meth:`GithubChecker.check_all` call shares between its targets."""

    repos: dict[str, asyncio.Future[_Repo | _Fail]] = field(default_factory=dict)
    used: dict[str, list[str]] = field(default_factory=dict)
    """Target key -> the REST paths whose answers decided it (for its ETag string)."""
    stops: dict[str, Stop] = field(default_factory=dict)
    """Target key -> the spent quota that kept it from being checked."""
    repo_paths: dict[str, str] = field(default_factory=dict)
    """Lower-cased slug -> the REST path asked for it (in the case first cited)."""


def repo_facts(raw: bytes) -> dict[str, Any]:
    """The repository fields the checker needs from a REST repository object."""
    data = json.loads(raw)
    if not isinstance(data, dict) or not isinstance(data.get("full_name"), str):
        raise ValueError("not a repository object")
    full_name: str = data["full_name"]
    html_url = data.get("html_url")
    return {
        "full_name": full_name,
        "html_url": html_url if isinstance(html_url, str) else f"https://github.com/{full_name}",
        "archived": bool(data.get("archived")),
    }


def _no_facts(raw: bytes) -> dict[str, Any]:
    """A contents answer matters only by its status: nothing to keep but "it was there"."""
    return {}


def link_suffix(target: GithubTarget) -> str:
    """The part of the cited URL after ``owner/repo``, rebuilt from the target (so a
    moved ``/tree/main/src`` link moves to the same place in the new repository)."""
    if not target.path_kind:
        return ""
    parts = [target.path_kind]
    if target.ref:
        parts += ["tag", target.ref] if target.path_kind == "releases" else [target.ref]
    if target.path:
        parts.append(target.path)
    return "/" + "/".join(parts)


def _same_repo(a: str, b: str) -> bool:
    return a.lower() == b.lower()


def _pathlike(target: GithubTarget) -> bool:
    return target.path_kind in ("tree", "blob") and bool(target.ref)


def _api_origin(api_base: str) -> str:
    parts = urlsplit(api_base)
    return f"{parts.scheme}://{parts.netloc}"


class GithubChecker(Checker[GithubTarget]):
    """Checks GitHub repositories (and tree/blob paths) through the REST or GraphQL API.

    ``etags`` are the opaque strings a previous run left in :attr:`etags`, by target
    key. ``use_graphql`` defaults to "when there is a token" (GraphQL refuses anonymous
    callers). ``clock`` and ``sleep`` are injectable so tests never wait.
    """

    service: ClassVar[str] = "github"

    def __init__(
        self,
        engine: Engine,
        api_base: str = GITHUB_API_URL,
        token: str | None = None,
        *,
        etags: Mapping[str, str] | None = None,
        use_graphql: bool | None = None,
        batch_size: int = DEFAULT_BATCH,
        concurrency: int = 4,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        max_secondary_wait: float = DEFAULT_SECONDARY_WAIT,
    ) -> None:
        self._engine = engine
        self.api_base = api_base.rstrip("/")
        self.graphql_url = graphql_url(self.api_base)
        self._origin = _api_origin(self.api_base)
        self._token = token or None
        self.use_graphql = bool(self._token) if use_graphql is None else use_graphql
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}, got {batch_size}")
        self.batch_size = batch_size
        self._clock = self.wall_clock = clock
        self._limiter = GithubLimiter(
            concurrency=concurrency,
            clock=clock,
            sleep=sleep,
            max_secondary_wait=max_secondary_wait,
        )
        self.etags: dict[str, str] = dict(etags or {})
        """Target key -> opaque validator string; persist it and pass it to the next run."""
        self._validators: dict[str, _Validator] = {}
        for text in self.etags.values():
            self._validators.update(_parse_validators(text))
        self.auth_error: str | None = None
        """Set when GitHub refused the token: one line for the command line to show."""

    # ------------------------------------------------------------------ public

    @property
    def validators(self) -> dict[str, str]:
        return self.etags

    async def check_one(self, target: GithubTarget) -> CheckResult:
        return (await self.check_all([target]))[0]

    async def check_all(
        self,
        targets: Sequence[GithubTarget],
        progress: ProgressCallback | None = None,
        sink: dict[str, CheckResult] | None = None,
    ) -> list[CheckResult]:
        run = _Run()
        graphql_task: asyncio.Task[None] | None = None
        if self.use_graphql:
            slugs: list[str] = []
            for target in targets:
                key = target.slug.lower()
                if key not in run.repos:
                    run.repos[key] = asyncio.get_running_loop().create_future()
                    slugs.append(target.slug)
            graphql_task = asyncio.create_task(self._graphql_all(slugs, run))

        async def one(target: GithubTarget) -> CheckResult:
            result = await self._check(target, run)
            if progress is not None:
                progress(self.service, 1)
            return result

        try:
            results = list(await asyncio.gather(*(one(t) for t in targets)))
        finally:
            if graphql_task is not None:
                graphql_task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await graphql_task  # any error already reached the targets
        self._keep_validators(targets, run)
        explained = self._explain_stops(targets, results, run)
        if sink is not None:
            sink.update((result.key, result) for result in explained)
        return explained

    # ------------------------------------------------------------------ one target

    async def _check(self, target: GithubTarget, run: _Run) -> CheckResult:
        used = run.used.setdefault(target.key, [])
        repo = await self._repo(target.slug, run, used)
        if isinstance(repo, _Fail):
            if repo.stop is not None:
                run.stops[target.key] = repo.stop
            return self.answer(
                target, repo.verdict, detail=repo.detail, status=repo.status, reason=repo.reason
            )
        moved = not _same_repo(repo.full_name, target.slug)
        final_url = repo.html_url + link_suffix(target) if moved else None
        record = GithubRecord(
            full_name=repo.full_name,
            html_url=repo.html_url,
            archived=repo.archived,
            renamed=moved,
        )
        what = f"renamed to {repo.full_name}" if moved else "repository exists"
        if repo.archived:
            what += " (archived)"
        if not _pathlike(target):
            verdict = Verdict.MOVED if moved else Verdict.OK
            return self.answer(
                target, verdict, detail=what, status=repo.status, final_url=final_url, github=record
            )

        path = await self._path(repo.full_name, target, used)
        if isinstance(path, _Fail):
            if path.verdict is Verdict.BROKEN:
                record = record.model_copy(update={"path_found": False})
                detail = path.detail + (f" (the repository was {what})" if moved else "")
                return self.answer(
                    target, Verdict.BROKEN, detail=detail, status=path.status, github=record
                )
            if moved:  # the rename is certain even though the path could not be asked
                detail = f"{what}; the path was not checked: {path.detail}"
                return self.answer(
                    target,
                    Verdict.MOVED,
                    detail=detail,
                    status=repo.status,
                    final_url=final_url,
                    github=record,
                )
            if path.stop is not None:
                run.stops[target.key] = path.stop
            return self.answer(
                target,
                path.verdict,
                detail=path.detail,
                status=path.status,
                github=record,
                reason=path.reason,
            )
        record = record.model_copy(update={"path_found": True})
        verdict = Verdict.MOVED if moved else Verdict.OK
        return self.answer(
            target,
            verdict,
            detail=f"{what}; {path}",
            status=repo.status,
            final_url=final_url,
            github=record,
        )

    def _explain_stops(
        self, targets: Sequence[GithubTarget], results: list[CheckResult], run: _Run
    ) -> list[CheckResult]:
        """Targets skipped for a spent quota get their sentence now that the count is
        known: how many were skipped, of how many, and when the quota refills."""
        stops = {k: s for k, s in run.stops.items() if s.kind == "quota"}
        skipped = [r for r in results if r.key in stops and r.verdict is Verdict.SKIPPED]
        if not skipped:
            return results
        now = self._clock()
        out = []
        for result in results:
            stop = stops.get(result.key)
            if stop is not None and result.verdict is Verdict.SKIPPED:
                detail = quota_detail(stop, token=self._token is not None, now=now)
                result = result.model_copy(update={"detail": detail, "reason": Reason.QUOTA})
            out.append(result)
        return out

    # ------------------------------------------------------------------ repositories

    async def _repo(self, slug: str, run: _Run, used: list[str]) -> _Repo | _Fail:
        key = slug.lower()
        path = run.repo_paths.setdefault(key, _repo_path(slug))
        if not self.use_graphql:
            used.append(path)
        future = run.repos.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            run.repos[key] = future
            try:
                future.set_result(await self._rest_repo(path))
            except asyncio.CancelledError:
                future.cancel()
                raise
            except Exception as exc:
                future.set_exception(exc)
                raise
        return await asyncio.shield(future)

    async def _rest_repo(self, path: str) -> _Repo | _Fail:
        got = await self._get(path, REPO_BODY_LIMIT, repo_facts)
        if isinstance(got, _Fail):
            return got
        if got.facts is not None:
            renamed = any(status in (301, 308) for status, _ in got.history)
            return _Repo(
                full_name=str(got.facts["full_name"]),
                html_url=str(got.facts["html_url"]),
                archived=bool(got.facts["archived"]),
                status=301 if renamed else 200,
            )
        return _repo_failure(got)

    async def _graphql_all(self, slugs: list[str], run: _Run) -> None:
        """Resolves every slug's future, batch after batch (one query at a time, as
        GitHub asks of clients that want to stay clear of secondary limits)."""
        pending = list(slugs)
        try:
            for batch in batches(slugs, self.batch_size):
                answers = await self._graphql_batch(batch)
                for slug in batch.slugs:
                    run.repos[slug.lower()].set_result(answers[slug])
                    pending.remove(slug)
        except asyncio.CancelledError:
            for slug in pending:
                run.repos[slug.lower()].cancel()
            raise
        except Exception as exc:  # a bug: let every waiting target see it
            for slug in pending:
                future = run.repos[slug.lower()]
                if not future.done():
                    future.set_exception(exc)
            raise

    async def _graphql_batch(self, batch: Batch) -> dict[str, _Repo | _Fail]:
        response = await self._send(
            GRAPHQL,
            "POST",
            self.graphql_url,
            headers={"Accept": "application/json"},
            json=batch.payload(),
            max_body=REPO_BODY_LIMIT,
        )
        if isinstance(response, _Fail):
            return dict.fromkeys(batch.slugs, response)
        if response.status != 200:
            fail = _Fail(
                Verdict.TRANSIENT,
                f"GitHub GraphQL API answered {response.status}: "
                f"{body_message(response.body) or 'no message'}",
                response.status,
            )
            return dict.fromkeys(batch.slugs, fail)
        try:
            if response.truncated:
                raise ValueError("answer cut short")
            answer = read_answer(batch, response.body)
        except ValueError as exc:
            fail = _Fail(Verdict.TRANSIENT, f"unreadable GitHub GraphQL answer: {exc}", 200)
            return dict.fromkeys(batch.slugs, fail)
        if answer.rate_limited is not None:
            stop = await self._limiter.exhausted(GRAPHQL, response.headers, answer.rate_limited)
            return dict.fromkeys(batch.slugs, self._stopped(stop))
        if answer.error is not None:
            fail = _Fail(Verdict.TRANSIENT, f"GitHub GraphQL query failed: {answer.error}")
            return dict.fromkeys(batch.slugs, fail)
        out: dict[str, _Repo | _Fail] = {}
        for slug, repo in answer.repos.items():
            if isinstance(repo, Found):
                out[slug] = _Repo(repo.full_name, repo.html_url, repo.archived, None)
            elif isinstance(repo, NotFound):
                out[slug] = _Fail(Verdict.BROKEN, MISSING_REPO)
            else:
                out[slug] = _Fail(Verdict.TRANSIENT, f"GitHub GraphQL: {repo.message}")
        return out

    # ------------------------------------------------------------------ paths

    async def _path(self, full_name: str, target: GithubTarget, used: list[str]) -> str | _Fail:
        """``"path 'p' exists at 'ref'"``, or why not. See the module docstring on refs."""
        assert target.ref is not None
        segments = [target.ref, *(target.path or "").split("/")]
        segments = [s for s in segments if s]
        tried: list[str] = []
        cuts = list(range(1, min(len(segments), MAX_REF_SEGMENTS) + 1))
        # a split that answered last run (it has an ETag) is asked first, at no cost
        known = [
            c for c in cuts if self._contents_request(full_name, segments, c) in self._validators
        ]
        for cut in known + [c for c in cuts if c not in known]:
            ref = "/".join(segments[:cut])
            path = "/".join(segments[cut:])
            request = self._contents_request(full_name, segments, cut)
            got = await self._get(request, CONTENTS_BODY_LIMIT, _no_facts)
            if isinstance(got, _Fail):
                return got
            if got.status == 200:
                used.append(request)
                where = f"path '{path}'" if path else "the top folder"
                return f"{where} exists at ref '{ref}'"
            if got.status != 404:
                return _Fail(
                    Verdict.TRANSIENT,
                    f"GitHub API answered {got.status} for the contents of {full_name}"
                    + (f": {got.message}" if got.message else ""),
                    got.status,
                )
            if NO_REF_MESSAGE not in got.message.lower():
                return _Fail(
                    Verdict.BROKEN,
                    f"path '{path}' not found at ref '{ref}' in {full_name}",
                    got.status,
                )
            tried.append(ref)
        also = f" (also tried {', '.join(repr(r) for r in tried[1:])})" if len(tried) > 1 else ""
        return _Fail(
            Verdict.BROKEN,
            f"ref '{tried[0]}' not found in {full_name}: no such branch, tag or commit{also}",
            404,
        )

    @staticmethod
    def _contents_request(full_name: str, segments: list[str], cut: int) -> str:
        """The contents request taking the first ``cut`` segments as the ref."""
        return _contents_path(full_name, "/".join(segments[cut:]), "/".join(segments[:cut]))

    # ------------------------------------------------------------------ transport

    async def _get(self, path: str, max_body: int, extract: Extract) -> _Got | _Fail:
        """A REST GET of ``path`` (below the API base), conditional when an ETag is known.

        ``extract`` turns a 200 body into the facts kept with its ETag.
        """
        validator = self._validators.get(path)
        headers = dict(REST_HEADERS)
        if path.startswith("/repos/") and "/contents" in path:
            headers["Accept"] = CONTENTS_ACCEPT
        if validator is not None:
            headers["If-None-Match"] = validator.etag
        response = await self._send(
            CORE, "GET", self.api_base + path, headers=headers, max_body=max_body
        )
        if isinstance(response, _Fail):
            return response
        message = body_message(response.body)
        if response.status == 304 and validator is not None:
            return _Got(200, validator.facts, message, response.history)
        if response.status != 200:
            if response.status in (404, 410):
                self._validators.pop(path, None)
            return _Got(response.status, None, message, history=response.history)
        try:
            facts = extract(response.body)
        except ValueError:
            return _Fail(
                Verdict.TRANSIENT, "unreadable answer from the GitHub API", response.status
            )
        etag = header_value(response.headers, "etag")
        if etag:
            self._validators[path] = _Validator(etag, facts)
        return _Got(200, facts, message, history=response.history)

    async def _send(
        self,
        resource: str,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str],
        max_body: int,
        json: Any = None,
    ) -> HttpResponse | _Fail:
        """One API request through the quota gate; a secondary limit is waited out once."""
        sent = dict(headers)
        if self._token:
            sent["Authorization"] = f"Bearer {self._token}"
        for _attempt in range(2):
            stop = await self._limiter.acquire(resource)
            if stop is not None:
                return self._stopped(stop)
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
                return _Fail(Verdict.TRANSIENT, f"GitHub API not reachable: {exc.message}")
            finally:
                await self._limiter.release(resource, answer_headers)
            message = body_message(response.body)
            if response.status == 401:
                if self._token is None:
                    return _Fail(
                        Verdict.TRANSIENT,
                        f"GitHub asked for authentication: {message or 'no message'}",
                        401,
                    )
                return self._stopped(await self._limiter.refuse_token(message))
            limit = classify_limit(response.status, response.headers, response.body)
            if limit == "primary":
                return self._stopped(
                    await self._limiter.exhausted(resource, response.headers, message)
                )
            if limit == "secondary":
                stop = await self._limiter.secondary(response.headers, message)
                if stop is not None:
                    return self._stopped(stop)
                continue
            return response
        return _Fail(
            Verdict.TRANSIENT,
            "GitHub's secondary rate limit refused the request again after the pause it asked for",
            None,
        )

    def _stopped(self, stop: Stop) -> _Fail:
        if stop.kind == "auth":
            line = (
                f"GitHub rejected the token ({stop.message or '401'}); check GITHUB_TOKEN or "
                "--github-token"
            )
            self.auth_error = line
            return _Fail(Verdict.SKIPPED, line, 401, stop)
        if stop.kind == "secondary":
            wait = f"{stop.retry_after:g} s" if stop.retry_after is not None else "a while"
            return _Fail(
                Verdict.TRANSIENT,
                f"GitHub's secondary rate limit asked to wait {wait}, longer "
                f"than listcheck waits ({stop.message or 'no message'})",
                None,
                stop,
            )
        return _Fail(Verdict.SKIPPED, "the GitHub API rate limit is used up", None, stop)

    # ------------------------------------------------------------------ ETags

    def _keep_validators(self, targets: Sequence[GithubTarget], run: _Run) -> None:
        for target in targets:
            paths = run.used.get(target.key, [])
            kept = {p: self._validators[p] for p in paths if p in self._validators}
            if kept:
                self.etags[target.key] = _dump_validators(kept)
            else:
                self.etags.pop(target.key, None)


def _repo_failure(got: _Got) -> _Fail:
    """The verdict for a repository lookup that did not answer 200."""
    status, message = got.status, got.message
    if status in (404, 410):
        return _Fail(Verdict.BROKEN, MISSING_REPO, status)
    if status == 451:
        return _Fail(
            Verdict.BROKEN,
            "repository unavailable for legal reasons (e.g. a DMCA takedown)"
            + (f": {message}" if message else ""),
            status,
        )
    if status == 403 and "access blocked" in message.lower():
        return _Fail(Verdict.BROKEN, f"GitHub blocked access to the repository: {message}", 403)
    if status == 304:
        return _Fail(Verdict.TRANSIENT, "GitHub answered 304 to a request it could not match")
    return _Fail(
        Verdict.TRANSIENT,
        f"GitHub API answered {status}" + (f": {message}" if message else ""),
        status,
    )


def _repo_path(slug: str) -> str:
    owner, _, name = slug.partition("/")
    return f"/repos/{quote(owner, safe='')}/{quote(name, safe='')}"


def _contents_path(full_name: str, path: str, ref: str) -> str:
    """``/repos/o/r/contents/p?ref=r``; the cited path and ref may already be
    percent-encoded, so they are decoded once before encoding."""
    encoded = quote(unquote(path), safe="/")
    return (
        f"{_repo_path(full_name)}/contents/{encoded}".rstrip("/")
        + f"?ref={quote(unquote(ref), safe='')}"
    )


def _parse_validators(text: str) -> dict[str, _Validator]:
    """The validators in one stored string; nothing when it is unreadable (then the
    next answer simply costs quota once)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("v") != VALIDATOR_VERSION:
        return {}
    out: dict[str, _Validator] = {}
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
            out[path] = _Validator(entry["etag"], entry["facts"])
    return out


def _dump_validators(validators: Mapping[str, _Validator]) -> str:
    paths = {p: {"etag": v.etag, "facts": v.facts} for p, v in sorted(validators.items())}
    return json.dumps({"v": VALIDATOR_VERSION, "paths": paths}, separators=(",", ":"))
