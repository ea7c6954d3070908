"""What a remote check asks and what it answers, shared by every service.

A *target* names one thing to check (an arXiv id, a repository, a Hugging Face repo,
a URL) and carries a stable ``key``: the plan deduplicates by it, the cache stores by
it, and every place that cited the thing maps back through it. A :class:`CheckResult`
is the answer. "Could not check" is an answer too (``transient`` or ``skipped`` with a
reason), never an exception: the judge and the exit code decide what it means.

A service's checker subclasses :class:`Checker`; the rest of what a service is lives in
:mod:`listcheck.checkers.service`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import ClassVar, Generic, Protocol, TypeVar

from pydantic import Field

from listcheck.models import ArxivId, Frozen, HfRepoId, RepoSlug, Verdict


class ArxivTarget(Frozen):
    id: ArxivId
    version: int | None = None
    """A specific version (``IDvN``), or None for the latest."""

    @property
    def key(self) -> str:
        return f"arxiv:{self.id}" + (f"v{self.version}" if self.version else "")


class ArxivTitleTarget(Frozen):
    """A title looked for on arXiv (an entry with no link): ``phrase`` is the title's
    normalised words, so the same title written two ways is one search and one cache key."""

    phrase: str

    @property
    def key(self) -> str:
        return f"arxiv-title:{self.phrase}"


class GithubTarget(Frozen):
    slug: RepoSlug
    path_kind: str | None = None
    """``tree`` or ``blob`` when a path inside the repository is cited."""
    ref: str | None = None
    path: str | None = None

    @property
    def key(self) -> str:
        base = f"github:{self.slug.lower()}"
        if self.path_kind in ("tree", "blob") and self.ref:
            return f"{base}/{self.path_kind}/{self.ref}/{self.path or ''}".rstrip("/")
        return base


class HfTarget(Frozen):
    repo_type: str = Field(pattern="^(models|datasets|spaces)$")
    repo_id: HfRepoId

    @property
    def key(self) -> str:
        return f"hf:{self.repo_type}/{self.repo_id}"


class WebTarget(Frozen):
    url: str

    @property
    def key(self) -> str:
        return f"web:{self.url}"


class ArxivRecord(Frozen):
    """What arXiv says about one paper (at the version asked, or the latest)."""

    id: ArxivId
    version: int = Field(ge=1)
    """The version this record describes."""
    title: str
    """As arXiv sends it (may hold newlines where long titles were wrapped)."""
    comment: str | None = None
    withdrawn: bool = False


class ArxivHit(Frozen):
    """One paper a title search found: its id and current title."""

    id: ArxivId
    title: str


class ArxivSearch(Frozen):
    """What a title search found: every paper whose title holds the phrase."""

    hits: tuple[ArxivHit, ...] = ()
    complete: bool = True
    """False when arXiv had more results than it sent: another paper of the same title
    may be among those not sent, so nothing found may be called the only one."""


class GithubRecord(Frozen):
    full_name: str
    """The repository's current ``owner/name``; differs from the target after a rename."""
    html_url: str
    archived: bool = False
    renamed: bool = False
    path_found: bool | None = None
    """For tree/blob targets: whether the ref and path exist; None when not asked."""


class HfRecord(Frozen):
    repo_id: str
    """The canonical id; differs from the target for a legacy name (307)."""
    gated: bool = False
    legacy_name: bool = False


class Reason(StrEnum):
    """Why a check could not give an answer, as data: the judge groups answers by it and
    writes the sentence once (more reasons move here from prose over time)."""

    NO_DNS = "no-dns"
    """Name resolution does not work on this machine: nothing was asked."""
    HOST_STOPPED = "host-stopped"
    """The host stopped answering earlier in the run; no request went to it any more."""
    DEADLINE = "deadline"
    """The run reached its time limit (``max_time``) before this was checked."""
    QUOTA = "quota"
    """The service's rate limit was used up; the detail says when it resets."""
    RATE_LIMITED = "rate-limited"
    """The service asked listcheck to slow down for longer than it waits."""
    TOKEN_REJECTED = "token-rejected"
    """The service refused the token; nothing more was asked of it."""
    BLOCKED = "blocked"
    """The site turns away automated checks (HTTP 401/403, or it did earlier in the run)."""


NO_DNS_DETAIL = "name resolution does not work on this machine (example.com does not resolve)"
"""The one detail of every :attr:`Reason.NO_DNS` answer, however it was found."""


class CheckResult(Frozen):
    key: str
    verdict: Verdict
    status: int | None = None
    """The decisive HTTP status, when there was one."""
    final_url: str | None = None
    """Where a moved link now lives (the suggestion for ``link/moved``)."""
    detail: str = ""
    """One human sentence: why this verdict (shown in reports)."""
    arxiv: ArxivRecord | None = None
    github: GithubRecord | None = None
    hf: HfRecord | None = None
    arxiv_search: ArxivSearch | None = None
    checked_at: float = 0.0
    """Unix time the answer was obtained (from the network or, originally, the cache)."""
    from_cache: bool = False
    reason: Reason | None = None
    """For a transient or skipped answer, why, when it is one of the known reasons."""


class Target(Protocol):
    """What every service's target has: the key the plan, the cache and the places of
    a check go by."""

    @property
    def key(self) -> str: ...


TargetT = TypeVar("TargetT", bound=Target)

ProgressCallback = Callable[[str, int], None]
"""Called as ``progress(service, n)`` when ``n`` more targets of a service are done."""


class Checker(ABC, Generic[TargetT]):
    """One remote service. The default checks targets one by one, concurrently; a
    service that can batch (arXiv ``id_list``, GitHub GraphQL) overrides
    :meth:`check_all`."""

    service: ClassVar[str]

    wall_clock: Callable[[], float] = time.time
    """When an answer was obtained (its ``checked_at``); checkers take it as an argument
    so tests can fix it. A class default, as every checker reads the same clock."""

    auth_error: str | None = None
    """A refused token, said once on standard error (the checkers that take one set it)."""

    @property
    def validators(self) -> dict[str, str]:
        """Per check key, what the cache keeps to revalidate an answer next run (GitHub's
        ETags); most services keep nothing."""
        return {}

    async def check_all(
        self,
        targets: Sequence[TargetT],
        progress: ProgressCallback | None = None,
        sink: dict[str, CheckResult] | None = None,
    ) -> list[CheckResult]:
        """``sink`` receives each result as soon as it is known, so a run stopped at its
        deadline keeps what was checked (a batching service fills it per batch or at the
        end)."""
        import asyncio  # here, so an offline run that plans nothing never loads asyncio

        async def one(target: TargetT) -> CheckResult:
            result = await self.check_one(target)
            if sink is not None:
                sink[result.key] = result
            if progress is not None:
                progress(self.service, 1)
            return result

        return list(await asyncio.gather(*(one(target) for target in targets)))

    def answer(
        self,
        target: Target,
        verdict: Verdict,
        *,
        detail: str = "",
        status: int | None = None,
        final_url: str | None = None,
        reason: Reason | None = None,
        arxiv: ArxivRecord | None = None,
        github: GithubRecord | None = None,
        hf: HfRecord | None = None,
    ) -> CheckResult:
        """The one way a checker makes a result: keyed by its target, stamped by its
        clock."""
        return CheckResult(
            key=target.key,
            verdict=verdict,
            status=status,
            final_url=final_url,
            detail=detail,
            arxiv=arxiv,
            github=github,
            hf=hf,
            checked_at=self.wall_clock(),
            reason=reason,
        )

    @abstractmethod
    async def check_one(self, target: TargetT) -> CheckResult:
        """Never raises for a network problem: returns a transient or skipped result."""
