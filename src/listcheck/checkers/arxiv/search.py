"""Titles looked for on arXiv, many in one call: ``entry/suggest-link``'s questions.

The export API's ``search_query`` takes field-prefixed terms joined by ``OR``; a term in
double quotes is a phrase, and ``ti:`` restricts it to titles. So one call asks for up to
:data:`TITLES_PER_SEARCH` titles at once as ``ti:"…" OR ti:"…"``, under the same pacer as
the id batches (one call at a time, three seconds apart), and a run sends at most the
checker's ``max_title_searches`` calls: the titles past that are answered ``skipped``
and searched on a later run, since answers are cached like any other.

Why phrases of normalised words: the search tokenises titles at punctuation and ignores
case, so ``pre trained gans`` finds "Pre-trained GANs"; normalised words carry no
quote, colon or parenthesis, so no title can break out of its phrase or read as an
operator (which is also why they are lower-case: ``OR`` inside a title stays a word).

Each title's answer keeps only the papers whose title holds its phrase, word for word
(the API answers the batch as one list): the answer of one title does not depend on
which other titles shared its call, so it can be cached under the title alone. Whether
a found paper *is* the listed one is the entry judge's question, not this module's.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from listcheck.checkers.arxiv.feed import FeedError, ParsedFeed, parse_feed
from listcheck.checkers.base import (
    ArxivHit,
    ArxivSearch,
    ArxivTitleTarget,
    CheckResult,
    ProgressCallback,
)
from listcheck.models import Verdict
from listcheck.titles.match import MIN_TOKENS
from listcheck.titles.normalize import normalize_title

if TYPE_CHECKING:
    from listcheck.checkers.arxiv.checker import ArxivChecker

TITLES_PER_SEARCH = 20
"""Titles per call: twenty phrases make a query URL of about 1.5 kB."""
MAX_QUERY_URL = 2000
"""Characters of one query URL at most, the length every server and proxy takes."""
MAX_PHRASE_WORDS = 16
"""A longer title is looked for by its first words: still a phrase no other paper's
title starts with (see :data:`~listcheck.titles.match.LONG_PREFIX_MIN_WORDS`), and a
URL that a few very long titles cannot blow up."""
RESULTS_PER_TITLE = 25
"""Results asked per title: a phrase of three or more words is held by a handful of
titles (the listed paper, its follow-ups, a survey of it), so an answer cut short of
all of them is rare, and when it happens it is marked incomplete."""
MAX_RESULTS = 2000
"""The most the API sends in one answer."""


def title_phrase(title: str) -> str | None:
    """The phrase a title is looked for by; None for a title too short to be a paper's
    own (a name or a label: "LLaVA Bench")."""
    words = normalize_title(title).split()
    if len(words) < MIN_TOKENS:
        return None
    return " ".join(words[:MAX_PHRASE_WORDS])


def search_query(phrases: Sequence[str]) -> str:
    return " OR ".join(f'ti:"{phrase}"' for phrase in phrases)


def search_url(api_url: str, phrases: Sequence[str]) -> str:
    """The API URL asking for every title holding one of ``phrases``, most relevant first."""
    params = {
        "search_query": search_query(phrases),
        "start": "0",
        "max_results": str(min(MAX_RESULTS, RESULTS_PER_TITLE * len(phrases))),
        "sortBy": "relevance",
        "sortOrder": "descending",
    }
    return f"{api_url}?{urlencode(params)}"


def batches(api_url: str, phrases: Sequence[str]) -> list[list[str]]:
    """``phrases`` in calls of at most :data:`TITLES_PER_SEARCH`, each URL within
    :data:`MAX_QUERY_URL` (a phrase that alone exceeds it still gets a call of its own)."""
    out: list[list[str]] = []
    for phrase in phrases:
        last = out[-1] if out else None
        if (
            last is not None
            and len(last) < TITLES_PER_SEARCH
            and len(search_url(api_url, [*last, phrase])) <= MAX_QUERY_URL
        ):
            last.append(phrase)
        else:
            out.append([phrase])
    return out


async def search_titles(
    checker: ArxivChecker,
    targets: Sequence[ArxivTitleTarget],
    progress: ProgressCallback | None = None,
    sink: dict[str, CheckResult] | None = None,
) -> list[CheckResult]:
    """One result per target, in order: ``ok`` with what the search found (perhaps
    nothing), ``transient`` when the call failed, ``skipped`` past the run's cap."""
    phrases = list(dict.fromkeys(target.phrase for target in targets))
    answers: dict[str, CheckResult] = {}
    for batch in batches(checker.api_url, phrases):
        if checker.max_title_searches <= 0:
            found = _unasked(batch, _CAPPED)
        elif checker.pacer.consecutive_failures >= checker.give_up_after:
            found = _unasked(
                batch,
                f"not searched: the arXiv API failed {checker.pacer.consecutive_failures}"
                " calls in a row, so the rest of this run leaves it alone",
                Verdict.TRANSIENT,
            )
        else:
            checker.max_title_searches -= 1
            found = await _search(checker, batch)
        answers.update(found)
        if sink is not None:
            sink.update(found)
        if progress is not None:
            progress(checker.service, sum(1 for t in targets if t.phrase in batch))
    return [answers[target.key] for target in targets]


_CAPPED = (
    "not searched: the run's arXiv title searches (arxiv.max_title_searches) were spent; "
    "a later run searches them"
)


def _unasked(
    batch: Sequence[str], detail: str, verdict: Verdict = Verdict.SKIPPED
) -> dict[str, CheckResult]:
    now = time.time()
    return {
        key: CheckResult(key=key, verdict=verdict, detail=detail, checked_at=now)
        for key in (ArxivTitleTarget(phrase=phrase).key for phrase in batch)
    }


async def _search(checker: ArxivChecker, batch: Sequence[str]) -> dict[str, CheckResult]:
    url = search_url(checker.api_url, batch)
    async with checker.pacer:
        response = await checker.fetch(url)
        if isinstance(response, str):
            feed: ParsedFeed | str = response
        else:
            feed = _read(response.status, response.body, response.truncated)
        checker.pacer.record(failed=isinstance(feed, str))
    if isinstance(feed, str):
        return _unasked(batch, feed, Verdict.TRANSIENT)
    complete = (
        not feed.unrecognised
        and feed.total_results is not None
        and feed.total_results <= len(feed.entries) + len(feed.blank)
    )
    titles = [(entry, normalize_title(entry.title).split()) for entry in feed.entries]
    now = time.time()
    out = {}
    for phrase in batch:
        words = phrase.split()
        hits = tuple(
            ArxivHit(id=entry.id, title=" ".join(entry.title.split()))
            for entry, title in titles
            if _holds(title, words)
        )
        key = ArxivTitleTarget(phrase=phrase).key
        out[key] = CheckResult(
            key=key,
            verdict=Verdict.OK,
            status=200,
            arxiv_search=ArxivSearch(hits=hits, complete=complete),
            checked_at=now,
        )
    return out


def _read(status: int, body: bytes, truncated: bool) -> ParsedFeed | str:
    """The feed of a search answer, or why it is not one (every such answer is
    ``transient``: a search that could not be read found nothing, it did not find
    "no paper")."""
    if truncated:
        return "the arXiv API answer was larger than the body limit"
    if status != 200:
        return f"arXiv API answered HTTP {status}"
    try:
        feed = parse_feed(body)
    except FeedError as exc:
        return f"arXiv API answered without a feed: {exc}"
    if feed.errors:
        return "arXiv API reported an error: " + "; ".join(e.message for e in feed.errors)
    return feed


def _holds(title: Sequence[str], phrase: Sequence[str]) -> bool:
    size = len(phrase)
    return any(
        list(title[start : start + size]) == list(phrase) for start in range(len(title) - size + 1)
    )
