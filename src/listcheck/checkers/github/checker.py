"""GitHub repositories and the paths inside them, checked through GitHub's API.

Why the API and not the github.com pages: the API says *what* happened. A renamed
repository answers ``301`` with the new location (a page would silently redirect), a
missing or private one ``404``, and every answer reports the remaining quota, so the
checker can stop before GitHub has to refuse it.

How a target is checked:

* The repository: ``GET /repos/{owner}/{repo}`` (REST), or, with a token, in
  batches through GraphQL (:mod:`.graphql`), one point for up to
  :data:`~.graphql.DEFAULT_BATCH` repositories instead of one request each (both
  read by :mod:`.repos`). Each repository is asked about once per run, however many
  targets cite it.
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
* Every request goes through :mod:`.transport` (token, quota gate of
  :mod:`.ratelimit`, ETags). A target that could not be asked is ``skipped`` (quota
  spent, token refused) or ``transient`` (a long secondary limit), never ``broken``.

Conditional requests (see :mod:`.transport`): what the checker needs from a
remembered answer travels with its ETag in one opaque string per target. Give the
strings of the last run as ``etags=`` and persist :attr:`GithubChecker.etags`
afterwards; a ``304 Not Modified`` then costs no quota.

A refused token (401 "Bad credentials") is a configuration mistake, not a network
problem: nothing more is sent, every target is ``skipped`` with one message naming
``GITHUB_TOKEN``/``--github-token``, and :attr:`GithubChecker.auth_error` holds it
for the command line to print once. Falling back to anonymous requests would hide the
mistake and spend the 60-an-hour anonymous quota on a list that needed the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Final
from urllib.parse import quote, unquote

from listcheck.checkers.base import (
    Checker,
    CheckResult,
    GithubRecord,
    GithubTarget,
    ProgressCallback,
    Reason,
)
from listcheck.checkers.github.graphql import DEFAULT_BATCH, MAX_BATCH, batches, graphql_url
from listcheck.checkers.github.ratelimit import (
    DEFAULT_SECONDARY_WAIT,
    Clock,
    Sleep,
    Stop,
    quota_detail,
)
from listcheck.checkers.github.repos import Repo, graphql_repos, repo_path, rest_repo
from listcheck.checkers.github.transport import Fail, GithubApi
from listcheck.config import GITHUB_API_URL
from listcheck.models import Verdict
from listcheck.net.engine import Engine

MAX_REF_SEGMENTS: Final = 5
"""At most this many path segments are tried as a branch name (``a/b/c/d/e``)."""
NO_REF_MESSAGE: Final = "no commit found for the ref"
CONTENTS_BODY_LIMIT: Final = 4 * 1024
"""Only the status and the error message of a contents answer matter."""


@dataclass
class _Run:
    """What one :meth:`GithubChecker.check_all` call shares between its targets."""

    repos: dict[str, asyncio.Future[Repo | Fail]] = field(default_factory=dict)
    used: dict[str, list[str]] = field(default_factory=dict)
    """Target key -> the REST paths whose answers decided it (for its ETag string)."""
    stops: dict[str, Stop] = field(default_factory=dict)
    """Target key -> the spent quota that kept it from being checked."""
    repo_paths: dict[str, str] = field(default_factory=dict)
    """Lower-cased slug -> the REST path asked for it (in the case first cited)."""


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
        self.etags: dict[str, str] = dict(etags or {})
        """Target key -> opaque validator string; persist it and pass it to the next run."""
        self._api = GithubApi(
            engine,
            api_base,
            token,
            stored=self.etags.values(),
            concurrency=concurrency,
            clock=clock,
            sleep=sleep,
            max_secondary_wait=max_secondary_wait,
        )
        self.api_base = self._api.api_base
        self.graphql_url = graphql_url(self.api_base)
        self.use_graphql = self._api.authenticated if use_graphql is None else use_graphql
        if not 1 <= batch_size <= MAX_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH}, got {batch_size}")
        self.batch_size = batch_size
        self._clock = self.wall_clock = clock

    # ------------------------------------------------------------------ public

    @property
    def auth_error(self) -> str | None:
        """Set when GitHub refused the token: one line for the command line to show."""
        return self._api.auth_error

    @auth_error.setter
    def auth_error(self, line: str | None) -> None:
        self._api.auth_error = line

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
        if isinstance(repo, Fail):
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
        if isinstance(path, Fail):
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
                detail = quota_detail(stop, token=self._api.authenticated, now=now)
                result = result.model_copy(update={"detail": detail, "reason": Reason.QUOTA})
            out.append(result)
        return out

    # ------------------------------------------------------------------ repositories

    async def _repo(self, slug: str, run: _Run, used: list[str]) -> Repo | Fail:
        key = slug.lower()
        path = run.repo_paths.setdefault(key, repo_path(slug))
        if not self.use_graphql:
            used.append(path)
        future = run.repos.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            run.repos[key] = future
            try:
                future.set_result(await rest_repo(self._api, path))
            except asyncio.CancelledError:
                future.cancel()
                raise
            except Exception as exc:
                future.set_exception(exc)
                raise
        return await asyncio.shield(future)

    async def _graphql_all(self, slugs: list[str], run: _Run) -> None:
        """Resolves every slug's future, batch after batch (one query at a time, as
        GitHub asks of clients that want to stay clear of secondary limits)."""
        pending = list(slugs)
        try:
            for batch in batches(slugs, self.batch_size):
                answers = await graphql_repos(self._api, self.graphql_url, batch)
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

    # ------------------------------------------------------------------ paths

    async def _path(self, full_name: str, target: GithubTarget, used: list[str]) -> str | Fail:
        """``"path 'p' exists at 'ref'"``, or why not. See the module docstring on refs."""
        assert target.ref is not None
        segments = [target.ref, *(target.path or "").split("/")]
        segments = [s for s in segments if s]
        tried: list[str] = []
        cuts = list(range(1, min(len(segments), MAX_REF_SEGMENTS) + 1))
        # a split that answered last run (it has an ETag) is asked first, at no cost
        known = [c for c in cuts if self._api.knows(self._contents_request(full_name, segments, c))]
        for cut in known + [c for c in cuts if c not in known]:
            ref = "/".join(segments[:cut])
            path = "/".join(segments[cut:])
            request = self._contents_request(full_name, segments, cut)
            got = await self._api.get(request, CONTENTS_BODY_LIMIT, _no_facts)
            if isinstance(got, Fail):
                return got
            if got.status == 200:
                used.append(request)
                where = f"path '{path}'" if path else "the top folder"
                return f"{where} exists at ref '{ref}'"
            if got.status != 404:
                return Fail(
                    Verdict.TRANSIENT,
                    f"GitHub API answered {got.status} for the contents of {full_name}"
                    + (f": {got.message}" if got.message else ""),
                    got.status,
                )
            if NO_REF_MESSAGE not in got.message.lower():
                return Fail(
                    Verdict.BROKEN,
                    f"path '{path}' not found at ref '{ref}' in {full_name}",
                    got.status,
                )
            tried.append(ref)
        also = f" (also tried {', '.join(repr(r) for r in tried[1:])})" if len(tried) > 1 else ""
        return Fail(
            Verdict.BROKEN,
            f"ref '{tried[0]}' not found in {full_name}: no such branch, tag or commit{also}",
            404,
        )

    @staticmethod
    def _contents_request(full_name: str, segments: list[str], cut: int) -> str:
        """The contents request taking the first ``cut`` segments as the ref."""
        return _contents_path(full_name, "/".join(segments[cut:]), "/".join(segments[:cut]))

    # ------------------------------------------------------------------ ETags

    def _keep_validators(self, targets: Sequence[GithubTarget], run: _Run) -> None:
        for target in targets:
            paths = run.used.get(target.key, [])
            kept = self._api.dump(paths)
            if kept is not None:
                self.etags[target.key] = kept
            else:
                self.etags.pop(target.key, None)


def _contents_path(full_name: str, path: str, ref: str) -> str:
    """``/repos/o/r/contents/p?ref=r``; the cited path and ref may already be
    percent-encoded, so they are decoded once before encoding."""
    encoded = quote(unquote(path), safe="/")
    return (
        f"{repo_path(full_name)}/contents/{encoded}".rstrip("/")
        + f"?ref={quote(unquote(ref), safe='')}"
    )
