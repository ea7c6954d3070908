"""The arXiv checker: every cited paper confirmed through the API, in batches, politely.

arXiv's terms allow one API call every three seconds and one connection at a time, and
the API answers up to 100 ids per call (``id_list``), so a list with 250 papers costs
three calls and about six seconds. The checker keeps to that on its own, whatever the
caller does: a lock serialises calls (also across concurrent :meth:`check_all` and
:meth:`fetch_versions`) and the starts of two calls are at least ``min_interval``
apart on a monotonic clock. The engine's own retries (429/5xx, lost connections)
happen inside one call, so they too are one at a time; their spacing is the engine's
(``Retry-After``, else its backoff).

How an answer becomes a verdict, and why:

* Ids are validated before anything is sent: one malformed id makes arXiv fail the
  whole batch with HTTP 400, so a malformed id is ``skipped`` and never asked.
* The status alone is never trusted. An error feed (an entry titled ``Error``) can
  come with 400 or 200; the answer is read as a feed either way.
* A requested id absent from a *complete, error-free* feed does not exist: ``broken``.
  Anything that stops us from knowing (timeouts, resets, 429/5xx after the engine's
  retries, a body that is not a feed, a feed cut short, an error not about one id)
  makes every id of that batch ``transient``: a flaky API must never read as rot.
* Entries are matched to ids by their ``<id>`` (``http(s)://arxiv.org/abs/IDvN``),
  never by position: the feed's order is arXiv's business.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import ClassVar, NamedTuple
from urllib.parse import urlencode

from listcheck.arxiv_ids import arxiv_id_problem, parse_arxiv_id
from listcheck.checkers.arxiv.feed import FeedEntry, FeedError, ParsedFeed, parse_feed
from listcheck.checkers.base import (
    ArxivRecord,
    ArxivTarget,
    ArxivTitleTarget,
    Checker,
    CheckResult,
    ProgressCallback,
)
from listcheck.config import (
    ARXIV_API_URL,
    ARXIV_MAX_BATCH,
    ARXIV_MAX_TITLE_SEARCHES,
    ARXIV_MIN_INTERVAL,
)
from listcheck.models import ArxivId, Verdict
from listcheck.net import Engine, FetchError, HttpResponse

DEFAULT_MAX_BODY = 8 * 1024 * 1024
"""100 entries are 0.3–2 MB (abstracts, and author lists running to thousands for big
collaborations); a body cut at the limit is unusable, so leave room."""
DEFAULT_CALL_TIMEOUT = 300.0
"""A guard around one whole engine call, its retries and their Retry-After waits (up
to the engine's cap) included; the engine's per-attempt timeout normally fires first."""
MAX_BACKOFF = 60.0
GIVE_UP_AFTER = 3
"""Consecutive failed calls after which the rest of the run is not asked: a throttled
API is not helped by more calls, and the unasked ids are reported transient."""


Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class _Ask(NamedTuple):
    """One unique thing asked of the API: an id at a version, or at its latest."""

    id: ArxivId
    version: int | None

    @property
    def query(self) -> str:
        return f"{self.id}v{self.version}" if self.version is not None else self.id


class _Kind(Enum):
    FOUND = "found"
    ABSENT = "absent"
    FAILED = "failed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class _Answer:
    """What one call told us about one ask."""

    kind: _Kind
    status: int | None
    entry: FeedEntry | None = None
    detail: str = ""


class Pacer:
    """At most one call in flight, and call starts at least ``interval`` seconds apart.

    Used as ``async with pacer:`` around one call; the lock is held for the whole call,
    so a second caller waits for the first to finish, then for the interval. After a
    failed call the next gap doubles (up to :data:`MAX_BACKOFF`) until a call succeeds.
    """

    def __init__(self, interval: float, clock: Clock, sleep: Sleep) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._last_start: float | None = None
        self._failures = 0
        self.starts: list[float] = []
        """Clock readings at the start of every call (for reports and tests)."""

    @property
    def gap(self) -> float:
        """The gap the next call keeps after the previous start."""
        if self._failures == 0:
            return self.interval
        return max(self.interval, min(self.interval * 2.0**self._failures, MAX_BACKOFF))

    def mark_sent(self) -> None:
        """The call (or a retry of it) went out now: the next call keeps its gap from
        here, however long this one waited for the engine before it could be sent."""
        self._last_start = self._clock()

    def record(self, *, failed: bool) -> None:
        self._failures = self._failures + 1 if failed else 0

    @property
    def consecutive_failures(self) -> int:
        return self._failures

    async def __aenter__(self) -> None:
        await self._lock.acquire()
        try:
            if self._last_start is not None:
                wait = self._last_start + self.gap - self._clock()
                if wait > 0:
                    await self._sleep(wait)
            self._last_start = self._clock()
            self.starts.append(self._last_start)
        except BaseException:
            self._lock.release()
            raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()


class ArxivChecker(Checker[ArxivTarget | ArxivTitleTarget]):
    """arXiv papers through the export API (``id_list`` batches), and titles looked for
    with its search (``search_query`` batches, :mod:`~listcheck.checkers.arxiv.search`).

    ``min_interval`` is not checked here: tests run with tiny intervals on an injected
    clock. The CLI builds the checker from :class:`~listcheck.config.ArxivConfig`,
    which refuses anything below 3.0 seconds (arXiv's terms).
    """

    service: ClassVar[str] = "arxiv"

    def __init__(
        self,
        engine: Engine,
        *,
        api_url: str = ARXIV_API_URL,
        min_interval: float = ARXIV_MIN_INTERVAL,
        batch_size: int = ARXIV_MAX_BATCH,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        max_body: int = DEFAULT_MAX_BODY,
        call_timeout: float | None = DEFAULT_CALL_TIMEOUT,
        give_up_after: int = GIVE_UP_AFTER,
        max_title_searches: int = ARXIV_MAX_TITLE_SEARCHES,
    ) -> None:
        if not 1 <= batch_size <= ARXIV_MAX_BATCH:
            raise ValueError(f"batch_size must be 1..{ARXIV_MAX_BATCH}, got {batch_size}")
        if min_interval < 0:
            raise ValueError(f"min_interval cannot be negative, got {min_interval}")
        if give_up_after < 1:
            raise ValueError(f"give_up_after must be at least 1, got {give_up_after}")
        if max_title_searches < 0:
            raise ValueError(f"max_title_searches cannot be negative, got {max_title_searches}")
        self.engine = engine
        self.wall_clock = wall_clock
        self.api_url = api_url
        self.batch_size = batch_size
        self.max_body = max_body
        self.call_timeout = call_timeout
        self.give_up_after = give_up_after
        self.pacer = Pacer(min_interval, clock, sleep)
        self.max_title_searches = max_title_searches
        """Search calls this checker may still make (a run's cap, spent as it goes)."""

    # ------------------------------------------------------------------ public API

    async def check_one(self, target: ArxivTarget | ArxivTitleTarget) -> CheckResult:
        return (await self.check_all([target]))[0]

    async def check_all(
        self,
        targets: Sequence[ArxivTarget | ArxivTitleTarget],
        progress: ProgressCallback | None = None,
        sink: dict[str, CheckResult] | None = None,
    ) -> list[CheckResult]:
        """Ids first (the run's links), then titles, each in their own batches."""
        ids = [t for t in targets if isinstance(t, ArxivTarget)]
        titles = [t for t in targets if isinstance(t, ArxivTitleTarget)]
        if not titles:
            return await self.check_ids(ids, progress, sink)
        from listcheck.checkers.arxiv.search import search_titles

        answers = {r.key: r for r in await self.check_ids(ids, progress, sink)}
        answers.update((r.key, r) for r in await search_titles(self, titles, progress, sink))
        return [answers[target.key] for target in targets]

    async def check_ids(
        self,
        targets: Sequence[ArxivTarget],
        progress: ProgressCallback | None = None,
        sink: dict[str, CheckResult] | None = None,
    ) -> list[CheckResult]:
        """One result per target, in order; duplicates asked once, invalid ids never.

        For a ``broken`` versioned target, ``arxiv`` holds the *latest* version's record
        when the paper exists (the version does not: the judge can suggest the latest),
        and None when the paper itself does not exist or that could not be asked; the
        detail says which.
        """
        asks: list[_Ask | None] = [_ask_for(target) for target in targets]
        invalid = sum(1 for ask in asks if ask is None)
        if invalid and progress is not None:
            progress(self.service, invalid)
        weights: dict[_Ask, int] = {}
        for ask in asks:
            if ask is not None:
                weights[ask] = weights.get(ask, 0) + 1

        def done(batch: Sequence[_Ask]) -> None:
            if progress is not None:
                progress(self.service, sum(weights[ask] for ask in batch))

        answers = await self._ask_all(list(weights), done)
        latest = await self._latest_for_missing_versions(answers)
        results = [
            self._result(target, ask, None if ask is None else answers[ask], latest)
            for target, ask in zip(targets, asks, strict=True)
        ]
        if sink is not None:
            sink.update((result.key, result) for result in results)
        return results

    async def fetch_versions(
        self, pairs: Sequence[tuple[ArxivId, int]]
    ) -> dict[tuple[ArxivId, int], ArxivRecord | None]:
        """Records of specific versions (the title judge asks for v1..vN-1 when a listed
        title matches no current one), through the same batching and pacing.

        A pair maps to its record, or to None when arXiv answered and has no such version
        (a malformed id or a version below 1 cannot exist either). A pair whose call
        failed is *left out*, so the caller can tell "no" from "could not ask".
        """
        out: dict[tuple[ArxivId, int], ArxivRecord | None] = {}
        wanted: dict[_Ask, list[tuple[ArxivId, int]]] = {}
        for pair in pairs:
            ask = _ask_for(ArxivTarget(id=pair[0], version=pair[1]))
            if ask is None:
                out[pair] = None
            else:
                wanted.setdefault(ask, []).append(pair)
        answers = await self._ask_all(list(wanted), lambda batch: None)
        for ask, answer in answers.items():
            for pair in wanted[ask]:
                if answer.kind is _Kind.FOUND and answer.entry is not None:
                    out[pair] = _record(answer.entry)
                elif answer.kind is _Kind.ABSENT:
                    out[pair] = None
        return out

    async def fetch_papers(
        self, ids: Sequence[ArxivId]
    ) -> dict[ArxivId, tuple[CheckResult, FeedEntry | None]]:
        """The latest version of each paper with all the feed says of it (abstract,
        authors, first submission), for ``listcheck add``; the verdicts and details are
        :meth:`check_all`'s, through the same batching and pacing."""
        asks = {arxiv_id: _ask_for(ArxivTarget(id=arxiv_id)) for arxiv_id in ids}
        answers = await self._ask_all(
            list(dict.fromkeys(ask for ask in asks.values() if ask is not None)),
            lambda batch: None,
        )
        out: dict[ArxivId, tuple[CheckResult, FeedEntry | None]] = {}
        for arxiv_id, ask in asks.items():
            target = ArxivTarget(id=arxiv_id)
            if ask is None:
                out[arxiv_id] = (self._result(target, None, None, {}), None)
            else:
                answer = answers[ask]
                out[arxiv_id] = (self._result(target, ask, answer, {}), answer.entry)
        return out

    def _result(
        self,
        target: ArxivTarget,
        ask: _Ask | None,
        answer: _Answer | None,
        latest: Mapping[ArxivId, _Answer],
    ) -> CheckResult:
        if ask is None or answer is None:
            return self.answer(target, Verdict.SKIPPED, detail=_invalid(target))
        said = _meaning(ask, answer, latest.get(ask.id))
        return self.answer(
            target, said.verdict, detail=said.detail, status=said.status, arxiv=said.record
        )

    def query_url(self, queries: Sequence[str]) -> str:
        """The API URL asking exactly ``queries`` (``ID`` or ``IDvN``), all on one page."""
        params = {
            "id_list": ",".join(queries),
            "start": "0",
            "max_results": str(len(queries)),
        }
        return f"{self.api_url}?{urlencode(params, safe=',/')}"

    # ------------------------------------------------------------------ batches

    async def _ask_all(
        self, asks: Sequence[_Ask], done: Callable[[Sequence[_Ask]], None]
    ) -> dict[_Ask, _Answer]:
        answers: dict[_Ask, _Answer] = {}
        for start in range(0, len(asks), self.batch_size):
            batch = asks[start : start + self.batch_size]
            if self.pacer.consecutive_failures >= self.give_up_after:
                detail = (
                    f"not asked: the arXiv API failed {self.pacer.consecutive_failures}"
                    " calls in a row, so the rest of this run leaves it alone"
                )
                answers.update({ask: _Answer(_Kind.FAILED, None, detail=detail) for ask in batch})
            else:
                answers.update(await self._ask_batch(batch))
            done(batch)
        return answers

    async def _ask_batch(self, batch: Sequence[_Ask]) -> dict[_Ask, _Answer]:
        """One call; when arXiv rejects one of the ids as malformed (our grammar let it
        through, so arXiv's is stricter), that id is set aside and the rest asked once
        more."""
        answers = await self._call(batch)
        rejected = [ask for ask in batch if answers[ask].kind is _Kind.REJECTED]
        if not rejected:
            return answers
        rest = [ask for ask in batch if answers[ask].kind is not _Kind.REJECTED]
        if rest:
            retried = await self._call(rest)
            # Retried once only: should arXiv reject another id now, that id is skipped
            # too and the rest stays transient for this run.
            answers.update(retried)
        return answers

    async def _call(self, batch: Sequence[_Ask]) -> dict[_Ask, _Answer]:
        url = self.query_url([ask.query for ask in batch])
        async with self.pacer:
            response = await self.fetch(url)
            if isinstance(response, str):
                answers = _fail(batch, None, response)
            else:
                answers = interpret(batch, response.status, response.body, response.truncated)
            self.pacer.record(
                failed=all(answer.kind is _Kind.FAILED for answer in answers.values())
            )
            return answers

    async def fetch(self, url: str) -> HttpResponse | str:
        """One API call, inside ``async with self.pacer``: the answer, or why there is none."""
        try:
            request = self.engine.request(
                "GET",
                url,
                headers={"Accept": "application/atom+xml"},
                max_body=self.max_body,
                # The engine's retries of a 429/503 are API calls too: same pace.
                min_retry_wait=self.pacer.interval,
                on_send=self.pacer.mark_sent,
            )
            return await asyncio.wait_for(request, self.call_timeout)
        except FetchError as exc:
            return f"arXiv API call failed ({exc.kind}: {exc.message})"
        except TimeoutError:
            limit = "" if self.call_timeout is None else f" within {self.call_timeout:g} s"
            return f"arXiv API did not answer{limit}"

    async def _latest_for_missing_versions(
        self, answers: Mapping[_Ask, _Answer]
    ) -> dict[ArxivId, _Answer]:
        """The latest-version answer of every paper cited at a version arXiv lacks, asking
        for those not already known, so "no such paper" and "no such version" differ."""
        latest = {ask.id: answer for ask, answer in answers.items() if ask.version is None}
        missing = sorted(
            {
                ask.id
                for ask, answer in answers.items()
                if ask.version is not None and answer.kind is _Kind.ABSENT
                if ask.id not in latest
            }
        )
        if missing:
            asked = await self._ask_all([_Ask(i, None) for i in missing], lambda batch: None)
            latest.update({ask.id: answer for ask, answer in asked.items()})
        return latest


# ---------------------------------------------------------------------- interpretation


def interpret(
    batch: Sequence[_Ask], status: int, body: bytes, truncated: bool = False
) -> dict[_Ask, _Answer]:
    """Every ask of ``batch`` given the API's answer; the core of the verdicts."""
    if truncated:
        return _fail(batch, status, "the arXiv API answer was larger than the body limit")
    if status == 429:
        return _fail(batch, status, "arXiv API rate limit (HTTP 429) outlasted the retries")
    if status >= 500:
        return _fail(batch, status, f"arXiv API answered HTTP {status}")
    try:
        feed = parse_feed(body)
    except FeedError as exc:
        return _fail(batch, status, f"arXiv API answered HTTP {status} without a feed: {exc}")
    if feed.errors:
        return _errors(batch, status, feed)
    if status != 200:
        return _fail(batch, status, f"arXiv API answered HTTP {status}")
    return _match(batch, status, feed)


def _errors(batch: Sequence[_Ask], status: int, feed: ParsedFeed) -> dict[_Ask, _Answer]:
    by_query = {ask.query: ask for ask in batch}
    named = {
        by_query[error.bad_id]: error.message
        for error in feed.errors
        if error.bad_id is not None and error.bad_id in by_query
    }
    if not named:
        message = "; ".join(error.message for error in feed.errors)
        return _fail(batch, status, f"arXiv API reported an error (HTTP {status}): {message}")
    answers = {
        ask: _Answer(_Kind.REJECTED, status, detail=f"arXiv rejected the id: {message}")
        for ask, message in named.items()
    }
    for ask in batch:
        if ask not in answers:
            answers[ask] = _Answer(
                _Kind.FAILED, status, detail="arXiv rejected the batch for another id"
            )
    return answers


def _match(batch: Sequence[_Ask], status: int, feed: ParsedFeed) -> dict[_Ask, _Answer]:
    exact: dict[tuple[ArxivId, int], FeedEntry] = {}
    newest: dict[ArxivId, FeedEntry] = {}
    for entry in feed.entries:
        exact[entry.id, entry.version] = entry
        if entry.id not in newest or entry.version > newest[entry.id].version:
            newest[entry.id] = entry
    complete = not feed.unrecognised and (
        feed.total_results is None or feed.total_results <= len(feed.entries) + len(feed.blank)
    )
    answers: dict[_Ask, _Answer] = {}
    for ask in batch:
        found = newest.get(ask.id) if ask.version is None else exact.get((ask.id, ask.version))
        if found is not None:
            answers[ask] = _Answer(_Kind.FOUND, status, entry=found)
        elif complete:
            answers[ask] = _Answer(_Kind.ABSENT, status)
        elif feed.unrecognised:
            answers[ask] = _Answer(
                _Kind.FAILED, status, detail="the arXiv feed held entries listcheck cannot read"
            )
        else:
            answers[ask] = _Answer(
                _Kind.FAILED,
                status,
                detail=(
                    f"the arXiv feed was incomplete ({len(feed.entries)} entries of"
                    f" {feed.total_results} results)"
                ),
            )
    return answers


def _fail(batch: Iterable[_Ask], status: int | None, detail: str) -> dict[_Ask, _Answer]:
    return {ask: _Answer(_Kind.FAILED, status, detail=detail) for ask in batch}


# ---------------------------------------------------------------------- results


def _ask_for(target: ArxivTarget) -> _Ask | None:
    """The canonical ask for a target; None when nothing valid can be asked."""
    parsed = parse_arxiv_id(target.id)
    if parsed is None:
        return None
    arxiv_id, embedded = parsed
    version = target.version if target.version is not None else embedded
    if (embedded is not None and version != embedded) or (version is not None and version < 1):
        return None
    return _Ask(arxiv_id, version)


def _invalid(target: ArxivTarget) -> str:
    """Why a target was not asked (its id or version cannot be valid)."""
    problem = arxiv_id_problem(target.id)
    if problem is not None:
        return f"not asked: {target.id!r} {problem}"
    return f"not asked: {target.id!r} with version {target.version} names no valid version"


def _record(entry: FeedEntry) -> ArxivRecord:
    return ArxivRecord(
        id=entry.id,
        version=entry.version,
        title=entry.title,
        comment=entry.comment,
        withdrawn=entry.withdrawn,
    )


class _Said(NamedTuple):
    """What an answer of the API means for one ask."""

    verdict: Verdict
    detail: str
    status: int | None = None
    record: ArxivRecord | None = None


def _meaning(ask: _Ask, answer: _Answer, latest: _Answer | None) -> _Said:
    if answer.kind is _Kind.FOUND and answer.entry is not None:
        record = _record(answer.entry)
        detail = "arXiv marks this version as withdrawn" if record.withdrawn else ""
        return _Said(Verdict.OK, detail, answer.status, record)
    if answer.kind is _Kind.ABSENT:
        return _absent(ask, answer, latest)
    verdict = Verdict.SKIPPED if answer.kind is _Kind.REJECTED else Verdict.TRANSIENT
    return _Said(verdict, answer.detail, answer.status)


def _absent(ask: _Ask, answer: _Answer, latest: _Answer | None) -> _Said:
    record = None
    if ask.version is None:
        detail = f"arXiv has no paper {ask.id}"
    elif latest is not None and latest.kind is _Kind.ABSENT:
        detail = f"arXiv has no paper {ask.id} (asked for version v{ask.version})"
    elif latest is not None and latest.kind is _Kind.FOUND and latest.entry is not None:
        record = _record(latest.entry)
        detail = (
            f"version v{ask.version} of arXiv {ask.id} does not exist;"
            f" the latest is v{record.version}"
        )
    else:
        detail = f"version v{ask.version} of arXiv {ask.id} does not exist"
    return _Said(Verdict.BROKEN, detail, answer.status, record)
