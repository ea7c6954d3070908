"""The arXiv checker against local servers: one assembled from the recorded feeds in
``tests/fakes/samples/arxiv/`` (real entries, real error feeds), and the shared fake internet for
worlds too big to record (250 papers, versions, withdrawals, forced failures).

Time is injected: the checker paces itself on a fake clock whose ``sleep`` only moves
the clock, so the real three-second interval is tested without waiting for it.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import re
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from listcheck.checkers.arxiv.answers import ask_for, interpret
from listcheck.checkers.arxiv.checker import ArxivChecker
from listcheck.checkers.arxiv.feed import (
    FeedError,
    is_withdrawn_comment,
    parse_entry_id,
    parse_feed,
)
from listcheck.checkers.arxiv.pacing import Pacer
from listcheck.checkers.base import ArxivTarget, CheckResult
from listcheck.models import ArxivId, Verdict
from listcheck.net import Engine
from tests.fakes import FakeInternet, Forced, World

SAMPLES = Path(__file__).parents[1] / "fakes" / "samples" / "arxiv"
FEED_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
    "  <id>https://arxiv.org/api/assembled</id>\n"
    "  <title>arXiv Query: assembled from recorded entries</title>\n"
    "  <updated>2026-04-12T22:09:36Z</updated>\n"
)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def target(text: str, version: int | None = None) -> ArxivTarget:
    return ArxivTarget(id=ArxivId(text), version=version)


# =========================================================================== time


class FakeClock:
    """A monotonic clock that only moves when someone sleeps on it (or a test says so)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


# =========================================================================== transport


@dataclass
class EngineSleeps:
    """The engine's waits between retries, recorded instead of slept."""

    waits: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def engine_sleeps() -> EngineSleeps:
    return EngineSleeps()


@pytest.fixture
async def engine(engine_sleeps: EngineSleeps) -> AsyncIterator[Engine]:
    """The shared engine as the CLI builds it, with its retry waits made free."""
    async with Engine(
        timeout=5.0, max_redirects=5, per_host=4, total=8, retries=2, sleep=engine_sleeps
    ) as client:
        yield client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# =========================================================================== recorded feeds


def recorded_entries() -> dict[str, bytes]:
    """Every paper entry of the recorded feeds, by ``IDvN``."""
    out: dict[str, bytes] = {}
    for path in sorted(SAMPLES.glob("*.xml")):
        for block in re.findall(rb"  <entry\b.*?</entry>\n", path.read_bytes(), re.S):
            match = re.search(rb"<id[^>]*>https?://arxiv\.org/abs/([^<]+)</id>", block)
            if match:
                out[match[1].decode()] = block
    return out


@dataclass
class Call:
    at: float
    params: dict[str, str]

    @property
    def ids(self) -> list[str]:
        return self.params["id_list"].split(",")


@dataclass
class RecordedArxiv:
    """An arXiv API answering from recorded entries, on a fake clock.

    Absent ids are left out and ``totalResults`` counts what was found (as in 2026); an
    id in ``reject`` fails the whole call with the recorded 400 error feed, rewritten to
    name it; ``replies`` are answered first, one per call.
    """

    clock: FakeClock
    entries: dict[str, bytes] = field(default_factory=recorded_entries)
    reject: set[str] = field(default_factory=set)
    replies: list[tuple[int, bytes]] = field(default_factory=list)
    reverse: bool = False
    call_seconds: float = 0.0
    """Fake seconds each call takes (the clock moves while it is answered)."""
    calls: list[Call] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    url: str = ""

    def feed(self, ids: Iterable[str]) -> bytes:
        found: list[bytes] = []
        for wanted in ids:
            if wanted in self.entries:
                found.append(self.entries[wanted])
                continue
            versions = sorted(
                (int(key.rpartition("v")[2]), key)
                for key in self.entries
                if key.rpartition("v")[0] == wanted
            )
            if versions:
                found.append(self.entries[versions[-1][1]])
        if self.reverse:
            found.reverse()
        head = f"  <opensearch:totalResults>{len(found)}</opensearch:totalResults>\n"
        return FEED_HEAD.encode() + head.encode() + b"".join(found) + b"</feed>\n"

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append(Call(self.clock(), dict(request.query)))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.005)  # real time, so overlapping calls would overlap
            self.clock.now += self.call_seconds
            if self.replies:
                status, body = self.replies.pop(0)
                return web.Response(status=status, body=body)
            ids = request.query.get("id_list", "").split(",")
            for wanted in ids:
                if wanted in self.reject:
                    body = sample("idlist_malformed_abc_400_2026.xml").replace(
                        b"abc", wanted.encode()
                    )
                    return web.Response(status=400, body=body)
            return web.Response(body=self.feed(ids), content_type="application/atom+xml")
        finally:
            self.in_flight -= 1


@pytest.fixture
async def recorded(clock: FakeClock) -> AsyncIterator[RecordedArxiv]:
    api = RecordedArxiv(clock)
    app = web.Application()
    app.router.add_get("/api/query", api.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    api.url = f"http://127.0.0.1:{port}/api/query"
    yield api
    await runner.cleanup()


CheckerFactory = Callable[..., ArxivChecker]


@pytest.fixture
def make_checker(engine: Engine, clock: FakeClock) -> CheckerFactory:
    def make(api_url: str, **options: Any) -> ArxivChecker:
        options.setdefault("min_interval", 3.0)
        return ArxivChecker(engine, api_url=api_url, clock=clock, sleep=clock.sleep, **options)

    return make


def by_key(results: Iterable[CheckResult]) -> dict[str, CheckResult]:
    return {result.key: result for result in results}


# =========================================================================== the feed reader


@pytest.mark.parametrize(
    ("name", "papers", "errors"),
    [
        ("idlist_one_missing_one_found_2026.xml", [("1707.08567", 1)], []),
        ("idlist_missing_only_2026.xml", [], []),
        ("idlist_title_is_0_2026.xml", [("2104.12255", 1)], []),
        ("idlist_malformed_abc_400_2026.xml", [], [("incorrect id format for abc", "abc")]),
        (
            "legacy_error_incorrect_id_format_docs.xml",
            [],
            [("incorrect id format for 1234.12345", "1234.12345")],
        ),
        ("legacy_idlist_1111.2011v2_2016.xml", [("1111.2011", 2)], []),
        ("legacy_idlist_2_entries_2012.xml", [("1205.1001", 1), ("1001.1001", 1)], []),
        (
            "legacy_search_del_maestro_3_of_10_entries_2016.xml",
            [("1201.4869", 1), ("cond-mat/0412498", 1), ("cond-mat/0603029", 1)],
            [],
        ),
        (
            "search_testing_3_of_10_entries_2026.xml",
            [("2202.12139", 1), ("2405.13786", 1), ("2005.14124", 2)],
            [],
        ),
    ],
)
def test_recorded_feeds_are_read(
    name: str, papers: list[tuple[str, int]], errors: list[tuple[str, str]]
) -> None:
    feed = parse_feed(sample(name))
    assert [(entry.id, entry.version) for entry in feed.entries] == papers
    assert [(error.message, error.bad_id) for error in feed.errors] == errors
    assert feed.unrecognised == ()


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("idlist_title_is_0_2026.xml", "0"),
        (
            "legacy_idlist_1111.2011v2_2016.xml",
            "Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large\n"
            "  Connectivity Limit",
        ),
    ],
)
def test_titles_are_kept_raw(name: str, title: str) -> None:
    assert parse_feed(sample(name)).entries[0].title == title


@pytest.mark.parametrize(
    ("entry_id", "expected"),
    [
        ("http://arxiv.org/abs/1707.08567v1", ("1707.08567", 1)),
        ("https://arxiv.org/abs/2005.14124v12", ("2005.14124", 12)),
        ("http://arxiv.org/abs/cond-mat/0412498v1", ("cond-mat/0412498", 1)),
        ("http://arxiv.org/abs/math.GT/0309136v2", ("math/0309136", 2)),
        ("  http://arxiv.org/abs/1707.08567v1\n", ("1707.08567", 1)),
        ("http://arxiv.org/abs/1707.08567", None),
        ("https://arxiv.org/api/errors#incorrect_id_format_for_abc", None),
        ("http://example.org/abs/1707.08567v1", None),
        ("http://arxiv.org/abs/1707.0856v1", None),
    ],
)
def test_entry_ids(entry_id: str, expected: tuple[str, int] | None) -> None:
    assert parse_entry_id(entry_id) == expected


@pytest.mark.parametrize(
    ("comment", "withdrawn"),
    [
        ("This paper has been withdrawn by the author", True),
        ("This paper has been withdrawn by the author due to a crucial error in eq. 3", True),
        ("This paper has been withdrawn", True),
        ("Withdrawn.", True),
        ("withdrawn by the authors: the proof of Lemma 2 is wrong", True),
        ("This submission has been withdrawn by arXiv administrators", True),
        ("This article was withdrawn", True),
        ("Paper withdrawn\n  because of an error", True),
        ("paper has been\n  withdrawn by the submitter", True),
        ("44 pages, editors for the proceedings: Yanling Chen and A. J. Han Vinck", False),
        ("8 pages, 3 figures. Published version", False),
        ("12 pages; a model of withdrawn deposits in bank runs", False),
        ("", False),
        (None, False),
    ],
)
def test_withdrawal_notes(comment: str | None, withdrawn: bool) -> None:
    assert is_withdrawn_comment(comment) is withdrawn


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>Rate exceeded.</body></html>",
        b"Service Unavailable",
        sample("idlist_one_missing_one_found_2026.xml")[:1500],
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "a">]><feed/>',
    ],
    ids=["empty", "html", "text", "cut-off", "doctype"],
)
def test_what_is_not_a_feed(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body)


def test_a_paper_titled_error_is_a_paper() -> None:
    body = sample("idlist_title_is_0_2026.xml").replace(
        b"<title>0</title>", b"<title>Error</title>"
    )
    feed = parse_feed(body)
    assert [(e.id, e.title) for e in feed.entries] == [("2104.12255", "Error")]
    assert feed.errors == ()


def test_blank_legacy_entry_is_no_paper() -> None:
    blank = (
        FEED_HEAD + "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        "  <entry><id>http://arxiv.org/abs/0808.0539v1</id><title></title></entry>\n</feed>\n"
    ).encode()
    feed = parse_feed(blank)
    assert feed.entries == ()
    assert feed.blank == ("0808.0539",)


# =========================================================================== interpretation


def _asks(*queries: str) -> list[Any]:
    return [ask_for(target(q)) for q in queries]


@pytest.mark.parametrize(
    ("status", "body", "truncated", "kinds"),
    [
        (200, sample("idlist_one_missing_one_found_2026.xml"), False, ["absent", "found"]),
        (200, sample("idlist_missing_only_2026.xml"), False, ["absent", "absent"]),
        (400, sample("idlist_one_missing_one_found_2026.xml"), False, ["failed", "failed"]),
        (200, sample("idlist_one_missing_one_found_2026.xml"), True, ["failed", "failed"]),
        (429, b"Too Many Requests", False, ["failed", "failed"]),
        (503, sample("idlist_one_missing_one_found_2026.xml"), False, ["failed", "failed"]),
        (200, b"<html>captive portal</html>", False, ["failed", "failed"]),
        (400, sample("idlist_malformed_abc_400_2026.xml"), False, ["failed", "failed"]),
        (
            400,
            sample("idlist_malformed_abc_400_2026.xml").replace(b"abc", b"2401.99999"),
            False,
            ["rejected", "failed"],
        ),
        (
            200,
            sample("idlist_malformed_abc_400_2026.xml").replace(b"abc", b"1707.08567"),
            False,
            ["failed", "rejected"],
        ),
        (
            200,
            sample("idlist_one_missing_one_found_2026.xml").replace(
                b"<opensearch:totalResults>1<", b"<opensearch:totalResults>2<"
            ),
            False,
            ["failed", "found"],
        ),
    ],
    ids=[
        "found-and-absent",
        "empty-feed",
        "400-without-error-entry",
        "truncated",
        "429",
        "503-even-with-a-feed",
        "html",
        "error-about-another-id",
        "400-names-one-of-ours",
        "200-names-one-of-ours",
        "incomplete-feed",
    ],
)
def test_interpret(status: int, body: bytes, truncated: bool, kinds: list[str]) -> None:
    batch = _asks("2401.99999", "1707.08567")
    answers = interpret(batch, status, body, truncated)
    assert [answers[ask].kind.value for ask in batch] == kinds
    for ask in batch:
        assert answers[ask].status == status
        assert bool(answers[ask].detail) == (answers[ask].kind.value in {"failed", "rejected"})


# =========================================================================== pacing


@pytest.mark.parametrize(
    ("interval", "elapsed", "expected_sleep"),
    [(3.0, 0.0, 3.0), (3.0, 1.0, 2.0), (3.0, 3.0, None), (3.0, 10.0, None), (5.0, 4.5, 0.5)],
)
async def test_pacer_waits_only_the_rest(
    clock: FakeClock, interval: float, elapsed: float, expected_sleep: float | None
) -> None:
    pacer = Pacer(interval, clock, clock.sleep)
    async with pacer:
        pass
    assert clock.sleeps == []
    clock.now += elapsed
    async with pacer:
        pass
    assert clock.sleeps == ([] if expected_sleep is None else [pytest.approx(expected_sleep)])
    assert pacer.starts[1] - pacer.starts[0] >= interval


@pytest.mark.parametrize(("failures", "gap"), [(0, 3.0), (1, 6.0), (2, 12.0), (3, 24.0), (6, 60.0)])
def test_pacer_backs_off_after_failures(clock: FakeClock, failures: int, gap: float) -> None:
    pacer = Pacer(3.0, clock, clock.sleep)
    for _ in range(failures):
        pacer.record(failed=True)
    assert pacer.gap == gap
    pacer.record(failed=False)
    assert pacer.gap == 3.0


@pytest.mark.parametrize(("call_seconds", "batch_size"), [(0.0, 10), (1.0, 7), (4.0, 25)])
async def test_calls_start_min_interval_apart_one_at_a_time(
    recorded: RecordedArxiv,
    make_checker: CheckerFactory,
    call_seconds: float,
    batch_size: int,
) -> None:
    recorded.call_seconds = call_seconds
    checker = make_checker(recorded.url, batch_size=batch_size)
    ids = [f"2401.{n:05d}" for n in range(1, 61)]
    pairs = [(ArxivId(f"2402.{n:05d}"), 1) for n in range(1, 31)]
    await asyncio.gather(
        checker.check_all([target(i) for i in ids]),
        checker.fetch_versions(pairs),
        checker.check_all([target(f"2403.{n:05d}") for n in range(1, 21)]),
    )
    starts = [call.at for call in recorded.calls]
    assert len(starts) == sum(math.ceil(n / batch_size) for n in (60, 30, 20))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 3.0
    assert recorded.max_in_flight == 1


async def test_first_call_does_not_wait(
    recorded: RecordedArxiv, make_checker: CheckerFactory, clock: FakeClock
) -> None:
    await make_checker(recorded.url).check_all([target("1707.08567")])
    assert clock.sleeps == []


# ====================================================== recorded feeds, end to end


async def test_three_asked_two_exist(recorded: RecordedArxiv, make_checker: CheckerFactory) -> None:
    checker = make_checker(recorded.url)
    results = await checker.check_all(
        [target("1707.08567"), target("2401.99999"), target("2104.12255")]
    )
    assert [r.verdict for r in results] == [Verdict.OK, Verdict.BROKEN, Verdict.OK]
    assert results[1].detail == "arXiv has no paper 2401.99999"
    assert results[1].arxiv is None
    assert results[0].arxiv is not None
    assert results[0].arxiv.title.startswith("Proceedings of Workshop AEW10")
    assert results[0].arxiv.version == 1
    assert [r.key for r in results] == ["arxiv:1707.08567", "arxiv:2401.99999", "arxiv:2104.12255"]
    assert all(r.status == 200 and r.checked_at > 0 for r in results)
    (call,) = recorded.calls
    assert call.params == {
        "id_list": "1707.08567,2401.99999,2104.12255",
        "start": "0",
        "max_results": "3",
    }


@pytest.mark.parametrize("reverse", [False, True])
async def test_entries_matched_by_id_not_position(
    recorded: RecordedArxiv, make_checker: CheckerFactory, reverse: bool
) -> None:
    recorded.reverse = reverse
    asked = ["2202.12139", "2401.99999", "2405.13786", "1111.2011", "2005.14124"]
    results = by_key(await make_checker(recorded.url).check_all([target(i) for i in asked]))
    titles = {key: (r.arxiv.title if r.arxiv else None) for key, r in results.items()}
    assert titles == {
        "arxiv:2202.12139": "Testing Deep Learning Models: A First Comparative Study of "
        "Multiple Testing Techniques",
        "arxiv:2401.99999": None,
        "arxiv:2405.13786": "Towards Explainable Test Case Prioritisation with "
        "Learning-to-Rank Models",
        "arxiv:1111.2011": "Quantum Criticality for Extended Nodes on a Bethe Lattice in the "
        "Large\n  Connectivity Limit",
        "arxiv:2005.14124": "Active Fuzzing for Testing and Securing Cyber-Physical Systems",
    }
    assert results["arxiv:2005.14124"].arxiv is not None
    assert results["arxiv:2005.14124"].arxiv.version == 2


async def test_title_zero_and_old_style_ids(
    recorded: RecordedArxiv, make_checker: CheckerFactory
) -> None:
    results = await make_checker(recorded.url).check_all(
        [target("2104.12255", 1), target("cond-mat/0412498"), target("cond-mat/0603029", 1)]
    )
    assert [r.verdict for r in results] == [Verdict.OK] * 3
    assert [r.arxiv.title[:20] if r.arxiv else None for r in results] == [
        "0",
        "Thermal melting of d",
        "From stripe to check",
    ]
    assert recorded.calls[0].ids == ["2104.12255v1", "cond-mat/0412498", "cond-mat/0603029v1"]


@pytest.mark.parametrize(
    "bad",
    ["abc", "2401.1234", "1234.12345", "arXiv:2401.00001", "2401.00001v0", "foo/9901001", ""],
)
async def test_malformed_ids_are_never_sent(
    recorded: RecordedArxiv, make_checker: CheckerFactory, bad: str
) -> None:
    results = await make_checker(recorded.url).check_all([target(bad), target("1707.08567")])
    assert results[0].verdict is Verdict.SKIPPED
    assert results[0].detail.startswith(f"not asked: {bad!r} ")
    assert results[0].status is None
    assert results[1].verdict is Verdict.OK
    assert [call.ids for call in recorded.calls] == [["1707.08567"]]


async def test_only_malformed_ids_make_no_call(
    recorded: RecordedArxiv, make_checker: CheckerFactory
) -> None:
    results = await make_checker(recorded.url).check_all([target("abc"), target("1707.08567", 0)])
    assert [r.verdict for r in results] == [Verdict.SKIPPED, Verdict.SKIPPED]
    assert recorded.calls == []


async def test_duplicates_are_asked_once(
    recorded: RecordedArxiv, make_checker: CheckerFactory
) -> None:
    targets = [target("1707.08567"), target("1707.08567v1"), target("1707.08567", 1)]
    targets += [target("math.GT/0309136"), target("math/0309136")]
    results = await make_checker(recorded.url).check_all(targets)
    assert [r.key for r in results] == [t.key for t in targets]
    assert [r.verdict for r in results] == [Verdict.OK] * 3 + [Verdict.BROKEN] * 2
    assert recorded.calls[0].ids == ["1707.08567", "1707.08567v1", "math/0309136"]


@pytest.mark.parametrize("status", [400, 200])
async def test_an_id_arxiv_rejects_is_skipped_and_the_rest_retried_once(
    recorded: RecordedArxiv, make_checker: CheckerFactory, status: int
) -> None:
    recorded.reject = {"2401.00001"}
    if status == 200:
        rejection = sample("idlist_malformed_abc_400_2026.xml").replace(b"abc", b"2401.00001")
        recorded.reject = set()
        recorded.replies = [(200, rejection)]
    results = await make_checker(recorded.url).check_all(
        [target("1707.08567"), target("2401.00001"), target("2104.12255")]
    )
    assert [r.verdict for r in results] == [Verdict.OK, Verdict.SKIPPED, Verdict.OK]
    assert results[1].detail == "arXiv rejected the id: incorrect id format for 2401.00001"
    assert [call.ids for call in recorded.calls] == [
        ["1707.08567", "2401.00001", "2104.12255"],
        ["1707.08567", "2104.12255"],
    ]


async def test_a_second_rejection_is_not_retried(
    recorded: RecordedArxiv, make_checker: CheckerFactory
) -> None:
    recorded.reject = {"2401.00001", "2401.00002"}
    results = await make_checker(recorded.url).check_all(
        [target("2401.00001"), target("2401.00002"), target("1707.08567")]
    )
    assert [r.verdict for r in results] == [Verdict.SKIPPED, Verdict.SKIPPED, Verdict.TRANSIENT]
    assert len(recorded.calls) == 2


@pytest.mark.parametrize(
    "message",
    [b"max_results must be an integer", b"search_query is malformed", b"incorrect id format for x"],
)
async def test_error_feed_not_about_our_ids_is_transient(
    recorded: RecordedArxiv, make_checker: CheckerFactory, message: bytes
) -> None:
    body = sample("idlist_malformed_abc_400_2026.xml").replace(
        b"incorrect id format for abc", message
    )
    recorded.replies = [(200, body)]
    results = await make_checker(recorded.url).check_all(
        [target("1707.08567"), target("2401.99999")]
    )
    assert [r.verdict for r in results] == [Verdict.TRANSIENT, Verdict.TRANSIENT]
    assert all(message.decode() in r.detail for r in results)
    assert len(recorded.calls) == 1


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (200, b"<html><body>Please slow down</body></html>"),
        (200, sample("idlist_one_missing_one_found_2026.xml")[:900]),
        (403, b"Forbidden"),
        (404, sample("idlist_missing_only_2026.xml")),
        (500, sample("idlist_missing_only_2026.xml")),
    ],
    ids=["html", "cut-off-xml", "403", "404-with-feed", "500-with-feed"],
)
async def test_unusable_answers_are_transient_never_broken(
    recorded: RecordedArxiv, make_checker: CheckerFactory, status: int, body: bytes
) -> None:
    recorded.replies = [(status, body)] * 3
    results = await make_checker(recorded.url).check_all(
        [target("1707.08567"), target("2401.99999")]
    )
    assert [r.verdict for r in results] == [Verdict.TRANSIENT, Verdict.TRANSIENT]
    assert all(r.status == status and r.detail for r in results)


async def test_body_beyond_max_body_is_transient(
    recorded: RecordedArxiv, make_checker: CheckerFactory
) -> None:
    results = await make_checker(recorded.url, max_body=1000).check_all([target("1707.08567")])
    assert results[0].verdict is Verdict.TRANSIENT
    assert "body limit" in results[0].detail


async def test_progress_after_each_batch(
    recorded: RecordedArxiv, make_checker: CheckerFactory
) -> None:
    seen: list[tuple[str, int]] = []
    targets = [target(f"2401.{n:05d}") for n in range(1, 6)]
    targets += [target("2401.00001"), target("bad")]
    await make_checker(recorded.url, batch_size=2).check_all(
        targets, lambda service, n: seen.append((service, n))
    )
    assert seen == [("arxiv", 1), ("arxiv", 3), ("arxiv", 2), ("arxiv", 1)]
    assert sum(n for _, n in seen) == len(targets)


# =========================================================================== the fake internet


@pytest.fixture
def fake_checker(
    fake_server: FakeInternet, make_checker: CheckerFactory
) -> Callable[..., ArxivChecker]:
    def make(**options: Any) -> ArxivChecker:
        return make_checker(fake_server.arxiv_api_url, **options)

    return make


async def test_250_ids_take_three_calls(
    fake_world: World, fake_server: FakeInternet, fake_checker: Callable[..., ArxivChecker]
) -> None:
    ids = [f"2401.{n:05d}" for n in range(1, 251)]
    for arxiv_id in ids:
        fake_world.arxiv.add(arxiv_id)
    seen: list[int] = []
    results = await fake_checker().check_all(
        [target(i) for i in ids], lambda service, n: seen.append(n)
    )
    assert [r.verdict for r in results] == [Verdict.OK] * 250
    calls = fake_server.log.of("arxiv")
    assert [call.query["max_results"] for call in calls] == ["100", "100", "50"]
    assert [call.query["start"] for call in calls] == ["0", "0", "0"]
    sent = [call.query["id_list"].split(",") for call in calls]
    assert [len(batch) for batch in sent] == [100, 100, 50]
    assert [i for batch in sent for i in batch] == ids
    assert seen == [100, 100, 50]
    assert fake_world.arxiv.max_in_flight == 1


async def test_wrapped_title_is_kept(
    fake_world: World, fake_checker: Callable[..., ArxivChecker]
) -> None:
    title = "A Rather Long Title About Language Models That Will Not Fit On One Line Of The Feed"
    fake_world.arxiv.wrap_titles = True
    fake_world.arxiv.add("2401.00001", title)
    (result,) = await fake_checker().check_all([target("2401.00001")])
    assert result.arxiv is not None
    assert "\n  " in result.arxiv.title
    assert " ".join(result.arxiv.title.split()) == title


@pytest.mark.parametrize(
    ("asked", "verdict", "version", "title", "detail"),
    [
        (None, Verdict.OK, 3, "New Title", ""),
        (1, Verdict.OK, 1, "Old Title", ""),
        (3, Verdict.OK, 3, "New Title", ""),
        (4, Verdict.BROKEN, 3, "New Title", "version v4 of arXiv 2402.01234 does not exist; "),
        (9, Verdict.BROKEN, 3, "New Title", "version v9 of arXiv 2402.01234 does not exist; "),
    ],
)
async def test_versions(
    fake_world: World,
    fake_checker: Callable[..., ArxivChecker],
    asked: int | None,
    verdict: Verdict,
    version: int,
    title: str,
    detail: str,
) -> None:
    fake_world.arxiv.add("2402.01234", versions=["Old Title", "Middle Title", "New Title"])
    (result,) = await fake_checker().check_all([target("2402.01234", asked)])
    assert result.verdict is verdict
    assert result.detail.startswith(detail)
    assert result.arxiv is not None
    assert (result.arxiv.version, result.arxiv.title) == (version, title)
    if verdict is Verdict.BROKEN:
        assert result.detail.endswith("the latest is v3")


async def test_missing_version_and_missing_paper_differ(
    fake_world: World, fake_server: FakeInternet, fake_checker: Callable[..., ArxivChecker]
) -> None:
    fake_world.arxiv.add("2402.01234", versions=2)
    fake_world.arxiv.add("2402.05678", versions=1)
    results = await fake_checker().check_all(
        [
            target("2402.01234", 5),
            target("2402.09999", 2),
            target("2402.05678", 3),
            target("2402.05678"),
        ]
    )
    assert [r.verdict for r in results] == [Verdict.BROKEN] * 3 + [Verdict.OK]
    assert [r.arxiv.version if r.arxiv else None for r in results] == [2, None, 1, 1]
    assert results[1].detail == "arXiv has no paper 2402.09999 (asked for version v2)"
    # The follow-up asks only for papers whose latest version was not already known.
    sent = [call.query["id_list"] for call in fake_server.log.of("arxiv")]
    assert sent == [
        "2402.01234v5,2402.09999v2,2402.05678v3,2402.05678",
        "2402.01234,2402.09999",
    ]


async def test_missing_version_stays_broken_when_the_follow_up_fails(
    fake_world: World, fake_server: FakeInternet, fake_checker: Callable[..., ArxivChecker]
) -> None:
    fake_world.arxiv.add("2402.01234", versions=2)
    fake_world.arxiv.force(Forced(passthrough=True), *[Forced.reply(503, "down")] * 3)
    (result,) = await fake_checker().check_all([target("2402.01234", 5)])
    assert result.verdict is Verdict.BROKEN
    assert result.arxiv is None
    assert result.detail == "version v5 of arXiv 2402.01234 does not exist"
    assert [call.status for call in fake_server.log.of("arxiv")] == [200, 503, 503, 503]


@pytest.mark.parametrize("reason", ["", "due to a crucial error in the proof"])
async def test_withdrawn_paper_is_ok_and_flagged(
    fake_world: World, fake_checker: Callable[..., ArxivChecker], reason: str
) -> None:
    fake_world.arxiv.add("2403.00042", "Retracted Results", withdrawn=reason or True)
    latest, first = await fake_checker().check_all([target("2403.00042"), target("2403.00042", 1)])
    assert latest.verdict is Verdict.OK
    assert latest.arxiv is not None
    assert (latest.arxiv.withdrawn, latest.arxiv.version) == (True, 2)
    assert latest.arxiv.comment is not None
    assert latest.arxiv.comment.endswith(reason)
    assert "withdrawn" in latest.detail
    assert first.arxiv is not None
    assert (first.verdict, first.arxiv.withdrawn) == (Verdict.OK, False)


async def test_429_then_200_is_ok(
    fake_world: World, fake_server: FakeInternet, fake_checker: Callable[..., ArxivChecker]
) -> None:
    fake_world.arxiv.add("2401.00001")
    fake_world.arxiv.force(Forced.reply(429, "Rate exceeded.", {"Retry-After": "0"}))
    (result,) = await fake_checker().check_all([target("2401.00001")])
    assert result.verdict is Verdict.OK
    assert [call.status for call in fake_server.log.of("arxiv")] == [429, 200]


@pytest.mark.parametrize("status", [503, 429])
async def test_persistent_failure_is_transient_and_the_run_gives_up(
    fake_world: World,
    fake_server: FakeInternet,
    fake_checker: Callable[..., ArxivChecker],
    clock: FakeClock,
    status: int,
) -> None:
    ids = [f"2401.{n:05d}" for n in range(1, 11)]
    for arxiv_id in ids:
        fake_world.arxiv.add(arxiv_id)
    fake_world.arxiv.force(*[Forced.reply(status, "busy", {"Retry-After": "0"})] * 50)
    results = await fake_checker(batch_size=2, give_up_after=2).check_all([target(i) for i in ids])
    assert {r.verdict for r in results} == {Verdict.TRANSIENT}
    assert [r.status for r in results[:4]] == [status] * 4
    assert all("not asked" in r.detail for r in results[4:])
    # Two failed calls (each retried by the engine), then nothing more; the second call
    # waited twice the interval.
    assert len({call.query["id_list"] for call in fake_server.log.of("arxiv")}) == 2
    assert clock.sleeps == [6.0]


async def test_stalled_server_is_transient_through_the_call_guard(
    fake_world: World, fake_checker: Callable[..., ArxivChecker]
) -> None:
    fake_world.arxiv.add("2401.00001")
    fake_world.arxiv.force(Forced.stall(30))
    (result,) = await fake_checker(call_timeout=0.2).check_all([target("2401.00001")])
    assert result.verdict is Verdict.TRANSIENT
    assert result.detail == "arXiv API did not answer within 0.2 s"


async def test_stalled_server_is_transient_through_the_engine_timeout(
    fake_world: World, fake_server: FakeInternet, engine_sleeps: EngineSleeps
) -> None:
    fake_world.arxiv.add("2401.00001")
    fake_world.arxiv.force(*[Forced.stall(30)] * 2)
    async with Engine(
        timeout=0.2, max_redirects=5, per_host=4, total=8, retries=1, sleep=engine_sleeps
    ) as quick:
        checker = ArxivChecker(quick, api_url=fake_server.arxiv_api_url, min_interval=0.0)
        (result,) = await checker.check_all([target("2401.00001")])
    assert result.verdict is Verdict.TRANSIENT
    assert result.detail.startswith("arXiv API call failed (timeout: ")
    assert len(fake_server.log.of("arxiv")) == 2


@pytest.mark.parametrize(("hang_ups", "verdict"), [(1, Verdict.OK), (20, Verdict.TRANSIENT)])
async def test_dropped_connections(
    fake_world: World,
    fake_checker: Callable[..., ArxivChecker],
    hang_ups: int,
    verdict: Verdict,
) -> None:
    """One dropped connection is the engine's to retry; a run of them is transient."""
    fake_world.arxiv.add("2401.00001")
    fake_world.arxiv.force(*[Forced.hang_up()] * hang_ups)
    (result,) = await fake_checker().check_all([target("2401.00001")])
    assert result.verdict is verdict
    if verdict is Verdict.TRANSIENT:
        assert result.detail.startswith("arXiv API call failed (reset: ")


async def test_unreachable_api_is_transient(fake_checker: Callable[..., ArxivChecker]) -> None:
    checker = fake_checker()
    checker.api_url = FakeInternet.dead_url() + "api/query"
    (result,) = await checker.check_all([target("2401.00001")])
    assert result.verdict is Verdict.TRANSIENT


async def test_fetch_versions(
    fake_world: World, fake_server: FakeInternet, fake_checker: Callable[..., ArxivChecker]
) -> None:
    fake_world.arxiv.add("2402.01234", versions=["Old Title", "Middle Title", "New Title"])
    pairs = [
        (ArxivId("2402.01234"), 1),
        (ArxivId("2402.01234"), 2),
        (ArxivId("2402.01234"), 7),
        (ArxivId("2402.09999"), 1),
        (ArxivId("nonsense"), 1),
        (ArxivId("2402.01234"), 0),
    ]
    got = await fake_checker().fetch_versions(pairs)
    assert {pair: (r.version, r.title) if r else None for pair, r in got.items()} == {
        ("2402.01234", 1): (1, "Old Title"),
        ("2402.01234", 2): (2, "Middle Title"),
        ("2402.01234", 7): None,
        ("2402.09999", 1): None,
        ("nonsense", 1): None,
        ("2402.01234", 0): None,
    }
    (call,) = fake_server.log.of("arxiv")
    assert call.query["id_list"] == "2402.01234v1,2402.01234v2,2402.01234v7,2402.09999v1"


async def test_fetch_versions_leaves_out_what_it_could_not_ask(
    fake_world: World, fake_checker: Callable[..., ArxivChecker]
) -> None:
    fake_world.arxiv.add("2402.01234", versions=2)
    fake_world.arxiv.force(*[Forced.reply(503, "down")] * 3)
    got = await fake_checker().fetch_versions([(ArxivId("2402.01234"), 1), (ArxivId("x"), 1)])
    assert got == {("x", 1): None}


async def test_check_one(fake_world: World, fake_checker: Callable[..., ArxivChecker]) -> None:
    fake_world.arxiv.add("hep-th/9901001", "Strings", categories=["hep-th"])
    result = await fake_checker().check_one(target("hep-th/9901001"))
    assert (result.key, result.verdict) == ("arxiv:hep-th/9901001", Verdict.OK)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 101}, "batch_size"),
        ({"min_interval": -1.0}, "min_interval"),
        ({"give_up_after": 0}, "give_up_after"),
    ],
)
def test_constructor_refuses_nonsense(
    engine: Engine, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        ArxivChecker(engine, **options)
