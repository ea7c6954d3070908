"""The arXiv checker: every cited paper confirmed through the API, in batches, politely.

arXiv's terms allow one API call every three seconds and one connection at a time, and
the API answers up to 100 ids per call (``id_list``), so a list with 250 papers costs
three calls and about six seconds. The checker keeps to that on its own, whatever the
caller does: its :class:`~listcheck.checkers.arxiv.pacing.Pacer` serialises calls (also
across concurrent :meth:`~ArxivChecker.check_all` and :meth:`~ArxivChecker.fetch_versions`)
and keeps the starts of two calls at least ``min_interval`` apart on a monotonic clock.
The engine's own retries (429/5xx, lost connections) happen inside one call, so they
too are one at a time; their spacing is the engine's (``Retry-After``, else its
backoff).

This module decides what is asked and when (validated ids, each asked once, in
batches, a rejected id set aside, a run that stops asking a failing API);
:mod:`~listcheck.checkers.arxiv.answers` says what each answer means for each id.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar
from urllib.parse import urlencode

from listcheck.checkers.arxiv.answers import (
    Answer,
    AnswerKind,
    Ask,
    ask_for,
    fail,
    interpret,
    invalid_detail,
    meaning,
    record_of,
)
from listcheck.checkers.arxiv.feed import FeedEntry
from listcheck.checkers.arxiv.pacing import Clock, Pacer, Sleep
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
GIVE_UP_AFTER = 3
"""Consecutive failed calls after which the rest of the run is not asked: a throttled
API is not helped by more calls, and the unasked ids are reported transient."""


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
        asks: list[Ask | None] = [ask_for(target) for target in targets]
        invalid = sum(1 for ask in asks if ask is None)
        if invalid and progress is not None:
            progress(self.service, invalid)
        weights: dict[Ask, int] = {}
        for ask in asks:
            if ask is not None:
                weights[ask] = weights.get(ask, 0) + 1

        def done(batch: Sequence[Ask]) -> None:
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
        wanted: dict[Ask, list[tuple[ArxivId, int]]] = {}
        for pair in pairs:
            ask = ask_for(ArxivTarget(id=pair[0], version=pair[1]))
            if ask is None:
                out[pair] = None
            else:
                wanted.setdefault(ask, []).append(pair)
        answers = await self._ask_all(list(wanted), lambda batch: None)
        for ask, answer in answers.items():
            for pair in wanted[ask]:
                if answer.kind is AnswerKind.FOUND and answer.entry is not None:
                    out[pair] = record_of(answer.entry)
                elif answer.kind is AnswerKind.ABSENT:
                    out[pair] = None
        return out

    async def fetch_papers(
        self, ids: Sequence[ArxivId]
    ) -> dict[ArxivId, tuple[CheckResult, FeedEntry | None]]:
        """The latest version of each paper with all the feed says of it (abstract,
        authors, first submission), for ``listcheck add``; the verdicts and details are
        :meth:`check_all`'s, through the same batching and pacing."""
        asks = {arxiv_id: ask_for(ArxivTarget(id=arxiv_id)) for arxiv_id in ids}
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
        ask: Ask | None,
        answer: Answer | None,
        latest: Mapping[ArxivId, Answer],
    ) -> CheckResult:
        if ask is None or answer is None:
            return self.answer(target, Verdict.SKIPPED, detail=invalid_detail(target))
        said = meaning(ask, answer, latest.get(ask.id))
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
        self, asks: Sequence[Ask], done: Callable[[Sequence[Ask]], None]
    ) -> dict[Ask, Answer]:
        answers: dict[Ask, Answer] = {}
        for start in range(0, len(asks), self.batch_size):
            batch = asks[start : start + self.batch_size]
            if self.pacer.consecutive_failures >= self.give_up_after:
                detail = (
                    f"not asked: the arXiv API failed {self.pacer.consecutive_failures}"
                    " calls in a row, so the rest of this run leaves it alone"
                )
                answers.update(fail(batch, None, detail))
            else:
                answers.update(await self._ask_batch(batch))
            done(batch)
        return answers

    async def _ask_batch(self, batch: Sequence[Ask]) -> dict[Ask, Answer]:
        """One call; when arXiv rejects one of the ids as malformed (our grammar let it
        through, so arXiv's is stricter), that id is set aside and the rest asked once
        more."""
        answers = await self._call(batch)
        rejected = [ask for ask in batch if answers[ask].kind is AnswerKind.REJECTED]
        if not rejected:
            return answers
        rest = [ask for ask in batch if answers[ask].kind is not AnswerKind.REJECTED]
        if rest:
            retried = await self._call(rest)
            # Retried once only: should arXiv reject another id now, that id is skipped
            # too and the rest stays transient for this run.
            answers.update(retried)
        return answers

    async def _call(self, batch: Sequence[Ask]) -> dict[Ask, Answer]:
        url = self.query_url([ask.query for ask in batch])
        async with self.pacer:
            response = await self.fetch(url)
            if isinstance(response, str):
                answers = fail(batch, None, response)
            else:
                answers = interpret(batch, response.status, response.body, response.truncated)
            self.pacer.record(
                failed=all(answer.kind is AnswerKind.FAILED for answer in answers.values())
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
        self, answers: Mapping[Ask, Answer]
    ) -> dict[ArxivId, Answer]:
        """The latest-version answer of every paper cited at a version arXiv lacks, asking
        for those not already known, so "no such paper" and "no such version" differ."""
        latest = {ask.id: answer for ask, answer in answers.items() if ask.version is None}
        missing = sorted(
            {
                ask.id
                for ask, answer in answers.items()
                if ask.version is not None and answer.kind is AnswerKind.ABSENT
                if ask.id not in latest
            }
        )
        if missing:
            asked = await self._ask_all([Ask(i, None) for i in missing], lambda batch: None)
            latest.update({ask.id: answer for ask, answer in asked.items()})
        return latest
