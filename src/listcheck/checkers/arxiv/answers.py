"""What one ``id_list`` call of the arXiv API says about each id it asked, and the
verdict that follows: the rules by which a flaky API never reads as rot.

Kept apart from the checker, which decides *what* to ask and *when*; this module only
reads an answer already in hand (status, body), so every case is a pure function of
it. How an answer becomes a verdict, and why:

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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from listcheck.arxiv_ids import arxiv_id_problem, parse_arxiv_id
from listcheck.checkers.arxiv.feed import FeedEntry, FeedError, ParsedFeed, parse_feed
from listcheck.checkers.base import ArxivRecord, ArxivTarget
from listcheck.models import ArxivId, Verdict


class Ask(NamedTuple):
    """One unique thing asked of the API: an id at a version, or at its latest."""

    id: ArxivId
    version: int | None

    @property
    def query(self) -> str:
        return f"{self.id}v{self.version}" if self.version is not None else self.id


class AnswerKind(Enum):
    FOUND = "found"
    ABSENT = "absent"
    FAILED = "failed"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Answer:
    """What one call told us about one ask."""

    kind: AnswerKind
    status: int | None
    entry: FeedEntry | None = None
    detail: str = ""


# ---------------------------------------------------------------------- interpretation


def interpret(
    batch: Sequence[Ask], status: int, body: bytes, truncated: bool = False
) -> dict[Ask, Answer]:
    """Every ask of ``batch`` given the API's answer; the core of the verdicts."""
    if truncated:
        return fail(batch, status, "the arXiv API answer was larger than the body limit")
    if status == 429:
        return fail(batch, status, "arXiv API rate limit (HTTP 429) outlasted the retries")
    if status >= 500:
        return fail(batch, status, f"arXiv API answered HTTP {status}")
    try:
        feed = parse_feed(body)
    except FeedError as exc:
        return fail(batch, status, f"arXiv API answered HTTP {status} without a feed: {exc}")
    if feed.errors:
        return _errors(batch, status, feed)
    if status != 200:
        return fail(batch, status, f"arXiv API answered HTTP {status}")
    return _match(batch, status, feed)


def _errors(batch: Sequence[Ask], status: int, feed: ParsedFeed) -> dict[Ask, Answer]:
    by_query = {ask.query: ask for ask in batch}
    named = {
        by_query[error.bad_id]: error.message
        for error in feed.errors
        if error.bad_id is not None and error.bad_id in by_query
    }
    if not named:
        message = "; ".join(error.message for error in feed.errors)
        return fail(batch, status, f"arXiv API reported an error (HTTP {status}): {message}")
    answers = {
        ask: Answer(AnswerKind.REJECTED, status, detail=f"arXiv rejected the id: {message}")
        for ask, message in named.items()
    }
    for ask in batch:
        if ask not in answers:
            answers[ask] = Answer(
                AnswerKind.FAILED, status, detail="arXiv rejected the batch for another id"
            )
    return answers


def _match(batch: Sequence[Ask], status: int, feed: ParsedFeed) -> dict[Ask, Answer]:
    exact: dict[tuple[ArxivId, int], FeedEntry] = {}
    newest: dict[ArxivId, FeedEntry] = {}
    for entry in feed.entries:
        exact[entry.id, entry.version] = entry
        if entry.id not in newest or entry.version > newest[entry.id].version:
            newest[entry.id] = entry
    complete = not feed.unrecognised and (
        feed.total_results is None or feed.total_results <= len(feed.entries) + len(feed.blank)
    )
    answers: dict[Ask, Answer] = {}
    for ask in batch:
        found = newest.get(ask.id) if ask.version is None else exact.get((ask.id, ask.version))
        if found is not None:
            answers[ask] = Answer(AnswerKind.FOUND, status, entry=found)
        elif complete:
            answers[ask] = Answer(AnswerKind.ABSENT, status)
        elif feed.unrecognised:
            answers[ask] = Answer(
                AnswerKind.FAILED,
                status,
                detail="the arXiv feed held entries listcheck cannot read",
            )
        else:
            answers[ask] = Answer(
                AnswerKind.FAILED,
                status,
                detail=(
                    f"the arXiv feed was incomplete ({len(feed.entries)} entries of"
                    f" {feed.total_results} results)"
                ),
            )
    return answers


def fail(batch: Iterable[Ask], status: int | None, detail: str) -> dict[Ask, Answer]:
    """Every ask of ``batch`` failed for one reason (the call, not the id)."""
    return {ask: Answer(AnswerKind.FAILED, status, detail=detail) for ask in batch}


# ---------------------------------------------------------------------- results


def ask_for(target: ArxivTarget) -> Ask | None:
    """The canonical ask for a target; None when nothing valid can be asked."""
    parsed = parse_arxiv_id(target.id)
    if parsed is None:
        return None
    arxiv_id, embedded = parsed
    version = target.version if target.version is not None else embedded
    if (embedded is not None and version != embedded) or (version is not None and version < 1):
        return None
    return Ask(arxiv_id, version)


def invalid_detail(target: ArxivTarget) -> str:
    """Why a target was not asked (its id or version cannot be valid)."""
    problem = arxiv_id_problem(target.id)
    if problem is not None:
        return f"not asked: {target.id!r} {problem}"
    return f"not asked: {target.id!r} with version {target.version} names no valid version"


def record_of(entry: FeedEntry) -> ArxivRecord:
    return ArxivRecord(
        id=entry.id,
        version=entry.version,
        title=entry.title,
        comment=entry.comment,
        withdrawn=entry.withdrawn,
    )


class Said(NamedTuple):
    """What an answer of the API means for one ask."""

    verdict: Verdict
    detail: str
    status: int | None = None
    record: ArxivRecord | None = None


def meaning(ask: Ask, answer: Answer, latest: Answer | None) -> Said:
    """The verdict for ``ask``; ``latest`` is its paper's latest-version answer, which
    tells a missing version of an existing paper from a missing paper."""
    if answer.kind is AnswerKind.FOUND and answer.entry is not None:
        record = record_of(answer.entry)
        detail = "arXiv marks this version as withdrawn" if record.withdrawn else ""
        return Said(Verdict.OK, detail, answer.status, record)
    if answer.kind is AnswerKind.ABSENT:
        return _absent(ask, answer, latest)
    verdict = Verdict.SKIPPED if answer.kind is AnswerKind.REJECTED else Verdict.TRANSIENT
    return Said(verdict, answer.detail, answer.status)


def _absent(ask: Ask, answer: Answer, latest: Answer | None) -> Said:
    record = None
    if ask.version is None:
        detail = f"arXiv has no paper {ask.id}"
    elif latest is not None and latest.kind is AnswerKind.ABSENT:
        detail = f"arXiv has no paper {ask.id} (asked for version v{ask.version})"
    elif latest is not None and latest.kind is AnswerKind.FOUND and latest.entry is not None:
        record = record_of(latest.entry)
        detail = (
            f"version v{ask.version} of arXiv {ask.id} does not exist;"
            f" the latest is v{record.version}"
        )
    else:
        detail = f"version v{ask.version} of arXiv {ask.id} does not exist"
    return Said(Verdict.BROKEN, detail, answer.status, record)
