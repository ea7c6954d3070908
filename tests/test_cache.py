"""The result cache: freshness per verdict, ETags, failure history, and a file that can
be damaged, locked, read-only or not a cache at all without ever ending a run.

Every cache lives in ``tmp_path``; time is injected through ``now`` and ``checked_at``.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listcheck.cache import FailureHistory, ResultCache, opening
from listcheck.cache.policy import DAY, DEFAULT_TTL, HOUR
from listcheck.cache.sql import SCHEMA_VERSION
from listcheck.cache.store import CacheWarning, default_cache_path
from listcheck.checkers.base import ArxivRecord, CheckResult, GithubRecord, HfRecord
from listcheck.models import ArxivId, Verdict

T0 = 1_700_000_000.0
ALL_DAY = dict.fromkeys(Verdict, DAY)
"""A TTL that serves every verdict, to test storage apart from freshness."""


def make(
    key: str = "github:org/repo",
    verdict: Verdict = Verdict.OK,
    checked_at: float = T0,
    **fields: object,
) -> CheckResult:
    return CheckResult.model_validate(
        {"key": key, "verdict": verdict, "checked_at": checked_at, **fields}
    )


@pytest.fixture
def problems() -> list[str]:
    return []


@pytest.fixture
def path(tmp_path: Path) -> Path:
    """In a folder that does not exist yet: the cache creates it."""
    return tmp_path / "cache" / "results.sqlite3"


@pytest.fixture
def open_cache(path: Path, problems: list[str]) -> Iterator[Callable[..., ResultCache]]:
    """Opens caches on ``path`` reporting into ``problems``; closes them after the test."""
    opened: list[ResultCache] = []

    def opener(**options: object) -> ResultCache:
        options.setdefault("on_problem", problems.append)
        cache = ResultCache(path, **options)  # type: ignore[arg-type]
        opened.append(cache)
        return cache

    yield opener
    for cache in opened:
        cache.close()


def assert_reported_once(problems: list[str], path: Path, phrase: str) -> None:
    assert len(problems) == 1, problems
    line = problems[0]
    assert "\n" not in line
    assert str(path) in line
    assert phrase in line
    assert "continuing without the cache" in line


def assert_behaves_empty(cache: ResultCache, problems: list[str]) -> None:
    """After a problem: nothing served, nothing written, nothing raised, nothing re-reported."""
    reported = list(problems)
    before = snapshot(cache.path)
    assert not cache.active
    cache.put_many([make(verdict=Verdict.OK), make(verdict=Verdict.BROKEN)], etags={"x": "y"})
    assert cache.get("github:org/repo", now=T0) is None
    assert cache.get_many(["github:org/repo"], now=T0) == {}
    assert cache.stored("github:org/repo") is None
    assert cache.etag("github:org/repo") is None
    assert cache.history("github:org/repo") is None
    assert cache.prune(now=T0 + 365 * DAY) == 0
    assert snapshot(cache.path) == before
    assert problems == reported


def snapshot(path: Path) -> dict[str, bytes]:
    """Every regular file in the cache's folder, by name: to prove nothing was written."""
    folder = path.parent
    if not folder.is_dir():
        return {}
    return {item.name: item.read_bytes() for item in folder.iterdir() if item.is_file()}


def build_cache(path: Path, results: list[CheckResult]) -> None:
    with ResultCache(path, on_problem=pytest.fail) as cache:
        cache.put_many(results)


# -- storing and serving ---------------------------------------------------------------

RICH = {
    Verdict.OK: make(
        "arxiv:2503.12345v2",
        Verdict.OK,
        status=200,
        detail="found",
        arxiv=ArxivRecord(id=ArxivId("2503.12345"), version=2, title="A\n  Title", withdrawn=False),
    ),
    Verdict.MOVED: make(
        "github:old/name",
        Verdict.MOVED,
        status=301,
        final_url="https://github.com/new/name",
        detail="renamed",
        github=GithubRecord(
            full_name="new/name", html_url="https://github.com/new/name", renamed=True
        ),
    ),
    Verdict.BROKEN: make("hf:models/gone/model", Verdict.BROKEN, status=401, detail="missing"),
    Verdict.TRANSIENT: make("web:https://example.org/", Verdict.TRANSIENT, detail="timeout"),
    Verdict.SKIPPED: make(
        "hf:datasets/a/b",
        Verdict.SKIPPED,
        detail="offline",
        hf=HfRecord(repo_id="a/b", gated=True),
    ),
}


@pytest.mark.parametrize("verdict", list(Verdict))
def test_round_trip_per_verdict_survives_reopening(
    verdict: Verdict, open_cache: Callable[..., ResultCache], problems: list[str]
) -> None:
    original = RICH[verdict]
    with open_cache(ttl=ALL_DAY) as cache:
        cache.put_many([original])
    with open_cache(ttl=ALL_DAY) as cache:
        served = cache.get(original.key, now=T0 + 1)
    assert served == original.model_copy(update={"from_cache": True})
    assert served is not None
    assert served.from_cache
    assert problems == []


def test_default_ttls_are_the_designed_ones() -> None:
    assert dict(DEFAULT_TTL) == {
        Verdict.OK: 7 * DAY,
        Verdict.MOVED: 3 * DAY,
        Verdict.BROKEN: 6 * HOUR,
        Verdict.TRANSIENT: 0,
        Verdict.SKIPPED: 0,
    }


@pytest.mark.parametrize(
    ("verdict", "ttl"),
    [(Verdict.OK, 7 * DAY), (Verdict.MOVED, 3 * DAY), (Verdict.BROKEN, 6 * HOUR)],
)
def test_served_until_the_ttl_of_its_verdict(
    verdict: Verdict, ttl: float, open_cache: Callable[..., ResultCache]
) -> None:
    cache = open_cache()
    cache.put_many([make(verdict=verdict)])
    assert cache.get("github:org/repo", now=T0) is not None
    assert cache.get("github:org/repo", now=T0 + ttl - 1) is not None
    assert cache.get("github:org/repo", now=T0 + ttl) is None
    assert cache.get_many(["github:org/repo"], now=T0 + ttl) == {}


@pytest.mark.parametrize("verdict", [Verdict.TRANSIENT, Verdict.SKIPPED])
def test_inconclusive_answers_are_never_served_by_default(
    verdict: Verdict, open_cache: Callable[..., ResultCache]
) -> None:
    cache = open_cache()
    cache.put_many([make(verdict=verdict)])
    assert cache.get("github:org/repo", now=T0) is None
    stored = cache.stored("github:org/repo")
    assert stored is not None
    assert stored.verdict is verdict


def test_ttls_are_configurable_per_verdict(open_cache: Callable[..., ResultCache]) -> None:
    cache = open_cache(ttl={Verdict.TRANSIENT: 60})
    cache.put_many([make("a", Verdict.TRANSIENT), make("b", Verdict.OK)])
    assert cache.get("a", now=T0 + 59) is not None
    assert cache.get("a", now=T0 + 60) is None
    assert cache.get("b", now=T0 + 7 * DAY - 1) is not None, "unnamed verdicts keep defaults"


@pytest.mark.parametrize("seconds", [-1.0, float("inf"), float("nan")])
def test_a_nonsense_ttl_is_refused(seconds: float, path: Path) -> None:
    with pytest.raises(ValueError, match="TTL for ok"):
        ResultCache(path, ttl={Verdict.OK: seconds}, enabled=False)


def test_an_answer_from_the_future_is_not_trusted(open_cache: Callable[..., ResultCache]) -> None:
    cache = open_cache()
    cache.put_many([make(checked_at=T0 + HOUR)])
    assert cache.get("github:org/repo", now=T0) is None
    assert cache.get("github:org/repo", now=T0 + HOUR) is not None


def test_an_answer_without_a_time_is_stamped_with_the_clock(
    open_cache: Callable[..., ResultCache],
) -> None:
    cache = open_cache()
    before = time.time()
    cache.put_many([make(checked_at=0.0)])
    served = cache.get("github:org/repo")
    assert served is not None
    assert before <= served.checked_at <= time.time()


def test_answers_that_came_from_the_cache_are_not_stored_again(
    open_cache: Callable[..., ResultCache],
) -> None:
    cache = open_cache()
    cache.put_many([make(verdict=Verdict.BROKEN)])
    served = cache.get("github:org/repo", now=T0 + 60)
    assert served is not None
    cache.put_many([served.model_copy(update={"checked_at": T0 + 60})])
    history = cache.history("github:org/repo")
    assert history is not None
    assert history.consecutive_failures == 1, "a cache hit is not a second failure"
    assert cache.get("github:org/repo", now=T0 + 6 * HOUR) is None, "life not stretched"


# -- get_many --------------------------------------------------------------------------


@pytest.fixture
def old_sqlite_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Connections limited to 999 variables, as SQLite before 3.32 (still shipped)."""
    connect = opening.connect

    def limited(path: Path, timeout: float) -> sqlite3.Connection:
        conn = connect(path, timeout)
        conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
        return conn

    monkeypatch.setattr(opening, "connect", limited)


@pytest.mark.usefixtures("old_sqlite_limits")
def test_get_many_with_2000_keys_serves_exactly_the_fresh_ones(
    open_cache: Callable[..., ResultCache], problems: list[str]
) -> None:
    cache = open_cache()
    keys = [f"web:https://example.org/{i}" for i in range(2000)]
    cache.put_many(make(key, Verdict.OK if i % 2 else Verdict.BROKEN) for i, key in enumerate(keys))
    asked = [*keys, *keys[:10], "web:https://unknown.example/"]
    assert set(cache.get_many(asked, now=T0 + 60)) == set(keys)
    fresh = cache.get_many(asked, now=T0 + 7 * HOUR)
    assert set(fresh) == set(keys[1::2]), "broken answers expired after 6 hours"
    assert all(result.from_cache and result.key == key for key, result in fresh.items())
    assert cache.get_many([], now=T0) == {}
    assert problems == []


# -- ETags and revalidation ------------------------------------------------------------


@pytest.mark.usefixtures("old_sqlite_limits")
def test_the_etags_of_1200_keys_are_read_at_once(
    open_cache: Callable[..., ResultCache], problems: list[str]
) -> None:
    keys = [f"github:org/repo{i}" for i in range(1200)]
    cache = open_cache()
    cache.put_many(
        (make(key) for key in keys), etags={key: f'"e{i}"' for i, key in enumerate(keys) if i % 3}
    )
    tags = cache.etags([*keys, "github:never/seen"])
    assert tags == {key: f'"e{i}"' for i, key in enumerate(keys) if i % 3}
    assert cache.etags([]) == {}
    assert problems == []


def test_etag_outlives_freshness_and_belongs_to_its_answer(
    open_cache: Callable[..., ResultCache],
) -> None:
    cache = open_cache()
    cache.put_many([make()], etags={"github:org/repo": 'W/"abc"'})
    later = T0 + 30 * DAY
    assert cache.get("github:org/repo", now=later) is None
    assert cache.etag("github:org/repo") == 'W/"abc"'
    stored = cache.stored("github:org/repo")
    assert stored is not None
    assert stored.verdict is Verdict.OK
    # A 304: the caller re-dates the stored answer and stores it with the same ETag.
    confirmed = stored.model_copy(update={"checked_at": later, "from_cache": False})
    cache.put_many([confirmed], etags={"github:org/repo": 'W/"abc"'})
    assert cache.get("github:org/repo", now=later + 1) is not None
    # A new answer without an ETag clears the old one, which validated another answer.
    cache.put_many([make(verdict=Verdict.BROKEN, checked_at=later + 2)])
    assert cache.etag("github:org/repo") is None
    assert cache.etag("github:never/seen") is None
    assert cache.stored("github:never/seen") is None


@pytest.mark.parametrize("inconclusive", [Verdict.TRANSIENT, Verdict.SKIPPED])
def test_an_inconclusive_answer_keeps_the_last_conclusive_one(
    inconclusive: Verdict, open_cache: Callable[..., ResultCache]
) -> None:
    cache = open_cache(ttl=ALL_DAY)
    cache.put_many([make(verdict=Verdict.MOVED)], etags={"github:org/repo": '"e1"'})
    cache.put_many([make(verdict=inconclusive, checked_at=T0 + 10)])
    stored = cache.stored("github:org/repo")
    assert stored is not None
    assert stored.verdict is Verdict.MOVED
    assert cache.etag("github:org/repo") == '"e1"'
    # ...while one conclusive answer replaces another.
    cache.put_many([make(verdict=Verdict.OK, checked_at=T0 + 20)])
    served = cache.get("github:org/repo", now=T0 + 30)
    assert served is not None
    assert served.verdict is Verdict.OK


def test_prune_removes_what_can_no_longer_serve(open_cache: Callable[..., ResultCache]) -> None:
    cache = open_cache()
    cache.put_many(
        [
            make("ok", Verdict.OK),
            make("ok-etag", Verdict.OK),
            make("broken", Verdict.BROKEN),
            make("transient", Verdict.TRANSIENT),
        ],
        etags={"ok-etag": '"v1"'},
    )
    assert cache.prune(now=T0 + 6 * HOUR - 1) == 1, "only the transient one"
    assert cache.stored("transient") is None
    assert cache.stored("broken") is not None
    assert cache.prune(now=T0 + 7 * DAY) == 2, "ok and broken; ok-etag is kept for its ETag"
    assert cache.etag("ok-etag") == '"v1"'
    assert cache.history("broken") is not None
    assert cache.prune(now=T0 + 37 * DAY) == 1 + 4, "ok-etag and all four histories"
    assert cache.stored("ok-etag") is None
    assert cache.history("broken") is None


# -- failure history -------------------------------------------------------------------

BROKEN, TRANSIENT, OK, MOVED, SKIPPED = (
    Verdict.BROKEN,
    Verdict.TRANSIENT,
    Verdict.OK,
    Verdict.MOVED,
    Verdict.SKIPPED,
)


@pytest.mark.parametrize("batched", [False, True])
@pytest.mark.parametrize(
    ("verdicts", "failures", "first_failed"),
    [
        ([BROKEN], 1, 0),
        ([BROKEN, TRANSIENT, BROKEN], 3, 0),
        ([OK, BROKEN, BROKEN], 2, 1),
        ([BROKEN, BROKEN, OK], 0, None),
        ([BROKEN, MOVED], 0, None),
        ([BROKEN, OK, TRANSIENT], 1, 2),
        ([MOVED, TRANSIENT], 1, 1),
        ([BROKEN, SKIPPED, BROKEN], 2, 0),
        ([TRANSIENT, SKIPPED], 1, 0),
    ],
)
def test_history_follows_the_streak(
    verdicts: list[Verdict],
    failures: int,
    first_failed: int | None,
    batched: bool,
    open_cache: Callable[..., ResultCache],
) -> None:
    cache = open_cache()
    answers = [make(verdict=verdict, checked_at=T0 + 100 * i) for i, verdict in enumerate(verdicts)]
    if batched:
        cache.put_many(answers)
    else:
        for answer in answers:
            cache.put_many([answer])
    last = max(i for i, verdict in enumerate(verdicts) if verdict is not SKIPPED)
    assert cache.history("github:org/repo") == FailureHistory(
        key="github:org/repo",
        consecutive_failures=failures,
        first_failed_at=None if first_failed is None else T0 + 100 * first_failed,
        last_verdict=verdicts[last],
        last_checked_at=T0 + 100 * last,
    )


@pytest.mark.parametrize(
    ("gaps_in_days", "failures", "first_failed"),
    [
        ([1, 1, 1], 4, 0),
        ([1, 1, 200], 1, 3),
        ([7, 7], 3, 0),
        ([8, 1], 2, 1),
        ([1, 30, 1], 2, 2),
    ],
)
def test_a_long_silence_starts_a_new_streak(
    gaps_in_days: list[int],
    failures: int,
    first_failed: int,
    open_cache: Callable[..., ResultCache],
) -> None:
    """Failing checks more than a week apart are not "in a row": nothing was checked between."""
    cache = open_cache()
    times = [T0]
    for gap in gaps_in_days:
        times.append(times[-1] + gap * DAY)
    for moment in times:
        cache.put_many([make(verdict=BROKEN, checked_at=moment)])
    history = cache.history("github:org/repo")
    assert history is not None
    assert (history.consecutive_failures, history.first_failed_at) == (
        failures,
        times[first_failed],
    )


def test_history_of_unknown_or_only_skipped_keys_is_none(
    open_cache: Callable[..., ResultCache],
) -> None:
    cache = open_cache()
    cache.put_many([make("skipped", Verdict.SKIPPED)])
    assert cache.history("skipped") is None
    assert cache.history("never") is None


# -- versions and foreign files --------------------------------------------------------


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE meta SET version = '0-older'",
        "DELETE FROM meta",
        "INSERT INTO meta VALUES ('99-newer')",
        "DROP TABLE results; CREATE TABLE results (url TEXT); UPDATE meta SET version = '0'",
    ],
)
def test_a_cache_of_another_version_is_rebuilt_not_misread(
    tamper: str, path: Path, open_cache: Callable[..., ResultCache], problems: list[str]
) -> None:
    build_cache(path, [make()])
    with sqlite3.connect(path) as conn:
        conn.executescript(tamper)
    conn.close()
    cache = open_cache()
    assert cache.active
    assert cache.stored("github:org/repo") is None
    assert cache.history("github:org/repo") is None
    cache.put_many([make(verdict=Verdict.MOVED)])
    assert cache.get("github:org/repo", now=T0) is not None
    cache.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM meta").fetchall() == [(SCHEMA_VERSION,)]
    conn.close()
    assert problems == []


def test_another_programs_database_is_left_alone(
    path: Path, open_cache: Callable[..., ResultCache], problems: list[str]
) -> None:
    path.parent.mkdir()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE papers (title TEXT)")
        conn.execute("INSERT INTO papers VALUES ('Attention Is All You Need')")
    conn.close()
    before = path.read_bytes()
    cache = open_cache()
    assert_reported_once(problems, path, "not a listcheck cache")
    assert_behaves_empty(cache, problems)
    assert path.read_bytes() == before


# -- damaged, locked, unwritable -------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"\x00\xff" * 3000, b"# My awesome list\n", b"SQLite is great\n", b"\x89PNG\r\n"],
    ids=["binary", "markdown", "sqlite-lookalike", "short"],
)
def test_a_file_that_is_not_sqlite_is_reported_and_untouched(
    content: bytes, path: Path, open_cache: Callable[..., ResultCache], problems: list[str]
) -> None:
    path.parent.mkdir()
    path.write_bytes(content)
    cache = open_cache()
    assert_reported_once(problems, path, "is not an SQLite database")
    assert_behaves_empty(cache, problems)
    assert snapshot(path) == {path.name: content}, "not renamed, not rewritten"


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _scribble(data: bytes) -> bytes:
    return data[:4096] + b"\xa5" * 8192 + data[4096 + 8192 :]


def _scribble_deep(data: bytes) -> bytes:
    """Damage in leaf pages no query at open reads: only the integrity check finds it."""
    return data[: -4 * 4096] + b"\xa5" * 4096 + data[-3 * 4096 :]


def _garbage_after_header(data: bytes) -> bytes:
    return data[:16] + bytes(range(256)) * (len(data) // 256)


@pytest.mark.parametrize("damage", [_truncate, _scribble, _scribble_deep, _garbage_after_header])
def test_a_damaged_cache_is_moved_aside_and_replaced_next_run(
    damage: Callable[[bytes], bytes],
    path: Path,
    open_cache: Callable[..., ResultCache],
    problems: list[str],
) -> None:
    build_cache(path, [make(f"web:https://example.org/{i}", detail="x" * 300) for i in range(500)])
    damaged = damage(path.read_bytes())
    path.write_bytes(damaged)
    aside = path.with_name("results.sqlite3.corrupt")

    cache = open_cache()
    assert_reported_once(problems, path, "moved aside to")
    assert str(aside) in problems[0]
    assert_behaves_empty(cache, problems)
    assert snapshot(path) == {aside.name: damaged}, "kept as it was, nothing new written"

    fresh = open_cache()
    assert len(problems) == 1
    fresh.put_many([make()])
    assert fresh.get("github:org/repo", now=T0) is not None


@pytest.fixture
def locker(path: Path) -> Iterator[sqlite3.Connection]:
    """Another process's connection to an existing cache, free to take locks."""
    build_cache(path, [make("baseline")])
    conn = sqlite3.connect(path, isolation_level=None)
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def test_a_cache_locked_at_open_is_reported_without_hanging(
    locker: sqlite3.Connection,
    path: Path,
    open_cache: Callable[..., ResultCache],
    problems: list[str],
) -> None:
    locker.execute("BEGIN EXCLUSIVE")
    started = time.monotonic()
    cache = open_cache(busy_timeout=0.2)
    assert time.monotonic() - started < 5
    assert_reported_once(problems, path, "locked by another process")
    assert_behaves_empty(cache, problems)
    locker.execute("ROLLBACK")
    assert [key for (key,) in locker.execute("SELECT key FROM results")] == ["baseline"]


OPERATIONS: dict[str, Callable[[ResultCache], object]] = {
    "get": lambda cache: cache.get("baseline", now=T0),
    "get_many": lambda cache: cache.get_many(["baseline", "other"], now=T0),
    "put_many": lambda cache: cache.put_many([make("new")]),
    "stored": lambda cache: cache.stored("baseline"),
    "etag": lambda cache: cache.etag("baseline"),
    "history": lambda cache: cache.history("baseline"),
    "prune": lambda cache: cache.prune(now=T0 + 365 * DAY),
}


@pytest.mark.parametrize("operation", OPERATIONS.values(), ids=OPERATIONS.keys())
def test_a_lock_taken_mid_run_disables_the_cache_once(
    operation: Callable[[ResultCache], object],
    locker: sqlite3.Connection,
    path: Path,
    open_cache: Callable[..., ResultCache],
    problems: list[str],
) -> None:
    cache = open_cache(busy_timeout=0.2)
    assert cache.get("baseline", now=T0) is not None
    locker.execute("BEGIN EXCLUSIVE")
    started = time.monotonic()
    result = operation(cache)
    assert time.monotonic() - started < 5
    assert result in (None, {}, 0)
    assert_reported_once(problems, path, "locked by another process")
    assert_behaves_empty(cache, problems)
    locker.execute("ROLLBACK")
    assert [key for (key,) in locker.execute("SELECT key FROM results")] == ["baseline"]


def test_a_full_disk_rolls_the_whole_batch_back(
    path: Path,
    open_cache: Callable[..., ResultCache],
    problems: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_cache(path, [make("baseline")])
    connect = opening.connect

    def no_room(path: Path, timeout: float) -> sqlite3.Connection:
        conn = connect(path, timeout)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLITE_FULL on growth
        return conn

    monkeypatch.setattr(opening, "connect", no_room)
    cache = open_cache()
    assert cache.active
    cache.put_many(make(f"big{i}", detail="x" * 2000) for i in range(100))
    assert_reported_once(problems, path, "the disk is full")
    assert_behaves_empty(cache, problems)
    monkeypatch.undo()
    with ResultCache(path, on_problem=pytest.fail) as reopened:
        assert reopened.stored("baseline") is not None
        assert reopened.get_many([f"big{i}" for i in range(100)], now=T0) == {}
        assert reopened.history("big0") is None


def test_a_read_only_database_is_reported_at_open(
    path: Path,
    open_cache: Callable[..., ResultCache],
    problems: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What a read-only file or folder makes SQLite say, reproduced even for root."""
    build_cache(path, [make("baseline")])

    def read_only(path: Path, timeout: float) -> sqlite3.Connection:
        return sqlite3.connect(
            f"{path.as_uri()}?mode=ro", uri=True, timeout=timeout, isolation_level=None
        )

    monkeypatch.setattr(opening, "connect", read_only)
    cache = open_cache()
    assert_reported_once(problems, path, "is read-only")
    assert_behaves_empty(cache, problems)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="needs POSIX permissions, which root ignores",
)
@pytest.mark.parametrize("existing", [False, True])
def test_a_read_only_folder_is_reported(
    existing: bool, path: Path, open_cache: Callable[..., ResultCache], problems: list[str]
) -> None:
    path.parent.mkdir()
    if existing:
        build_cache(path, [make("baseline")])
    path.parent.chmod(0o555)
    try:
        cache = open_cache()
        assert_reported_once(problems, path, "")
        assert_behaves_empty(cache, problems)
    finally:
        path.parent.chmod(0o755)


def test_a_directory_in_place_of_the_file_is_reported(
    path: Path, open_cache: Callable[..., ResultCache], problems: list[str]
) -> None:
    path.mkdir(parents=True)
    cache = open_cache()
    assert_reported_once(problems, path, "is a directory")
    assert_behaves_empty(cache, problems)
    assert path.is_dir()
    assert list(path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
@pytest.mark.parametrize(
    ("linked", "where"),
    [("", ""), ("-journal", " (its results.sqlite3-journal)")],
    ids=["cache-file", "journal"],
)
def test_a_symlinked_cache_is_not_used_and_its_target_not_touched(
    path: Path,
    open_cache: Callable[..., ResultCache],
    problems: list[str],
    linked: str,
    where: str,
) -> None:
    """SQLite would follow the link and write the database (or its journal) wherever it
    points: one note, and the run goes on without the cache."""
    path.parent.mkdir(parents=True)
    victim = path.parent / "victim.txt"
    victim.write_bytes(b"someone else's file\n")
    Path(f"{path}{linked}").symlink_to(victim)
    cache = open_cache()
    assert_reported_once(
        problems, path, f"is a symbolic link; listcheck never writes through one{where}"
    )
    assert_behaves_empty(cache, problems)
    assert victim.read_bytes() == b"someone else's file\n"


def test_a_file_in_place_of_the_folder_is_reported(tmp_path: Path, problems: list[str]) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    path = blocker / "results.sqlite3"
    with ResultCache(path, on_problem=problems.append) as cache:
        assert_reported_once(problems, path, "cannot create its folder")
        assert not cache.active
        cache.put_many([make()])
    assert blocker.read_text() == "not a folder"


def test_problems_are_warnings_unless_a_callback_is_given(path: Path) -> None:
    path.mkdir(parents=True)
    with pytest.warns(CacheWarning, match="is a directory, not a cache file") as caught:
        cache = ResultCache(path)
    assert len(caught) == 1
    assert cache.problem is not None
    assert str(path) in cache.problem
    cache.close()


# -- opening and closing ---------------------------------------------------------------


def test_a_disabled_cache_never_touches_the_disk(path: Path) -> None:
    with ResultCache(path, enabled=False, on_problem=pytest.fail) as cache:
        cache.put_many([make()])
        assert cache.get("github:org/repo", now=T0) is None
        assert not cache.active
        assert cache.problem is None
    assert not path.parent.exists()


def test_a_closed_cache_behaves_as_empty(path: Path) -> None:
    with ResultCache(path, on_problem=pytest.fail) as cache:
        cache.put_many([make()])
        assert cache.active
    assert cache.get("github:org/repo", now=T0) is None
    cache.put_many([make("after")])
    with ResultCache(path, on_problem=pytest.fail) as reopened:
        assert reopened.get("github:org/repo", now=T0) is not None
        assert reopened.stored("after") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG layout is Linux's")
def test_the_default_file_is_in_the_user_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "listcheck" / "results.sqlite3"
    assert default_cache_path() == expected
    with ResultCache(on_problem=pytest.fail) as cache:
        assert cache.path == expected
        cache.put_many([make()])
    assert expected.is_file()


# -- two processes ---------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    from listcheck.cache import ResultCache
    from listcheck.checkers.base import CheckResult

    path, name = sys.argv[1], sys.argv[2]
    problems = []
    for batch in range(40):
        with ResultCache(path, busy_timeout=30, on_problem=problems.append) as cache:
            results = [
                CheckResult(key=f"{name}:{batch}:{i}", verdict="ok", checked_at=1e9 + batch)
                for i in range(25)
            ]
            results.append(CheckResult(key="shared", verdict="broken", checked_at=1e9 + batch))
            cache.put_many(results)
            cache.get_many([f"{name}:{batch - 1}:{i}" for i in range(25)], now=1e9 + batch)
    print("\\n".join(problems))
    """
)


def test_two_processes_share_one_cache_without_losing_a_write(
    path: Path, problems: list[str]
) -> None:
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path), name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert out.strip() == ""
    with ResultCache(path, on_problem=problems.append) as cache:
        keys = [f"{name}:{b}:{i}" for name in ("one", "two") for b in range(40) for i in range(25)]
        assert len(cache.get_many(keys, now=1e9 + 40)) == 2000
        shared = cache.history("shared")
        assert shared is not None
        assert shared.consecutive_failures == 80, "every increment of both processes counted"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()
    assert problems == []


# -- any answer ------------------------------------------------------------------------

answers = st.builds(
    CheckResult,
    key=st.text(min_size=1, max_size=60),
    verdict=st.sampled_from(Verdict),
    status=st.none() | st.integers(100, 599),
    final_url=st.none() | st.text(max_size=80),
    detail=st.text(max_size=200),
    checked_at=st.floats(min_value=1.0, max_value=4e9),
)


@settings(max_examples=60, deadline=None)
@given(batch=st.lists(answers, min_size=1, max_size=8, unique_by=lambda answer: answer.key))
def test_any_answer_round_trips(batch: list[CheckResult]) -> None:
    now = max(answer.checked_at for answer in batch)
    with (
        tempfile.TemporaryDirectory() as folder,
        ResultCache(Path(folder) / "h.sqlite3", ttl=ALL_DAY, on_problem=pytest.fail) as cache,
    ):
        cache.put_many(batch)
        for answer in batch:
            assert cache.stored(answer.key) == answer.model_copy(update={"from_cache": True})
        served = cache.get_many([answer.key for answer in batch], now=now)
        assert set(served) == {answer.key for answer in batch if now - answer.checked_at < DAY}


# -- answers kept apart by API address --------------------------------------------------


def test_answers_of_one_api_address_never_serve_another(
    open_cache: Callable[..., ResultCache],
) -> None:
    """The same repository asked at two GitHub APIs is two answers, with two ETags and
    two streaks; the public API's keys stay bare, so older caches still serve them."""
    cache = open_cache(ttl=ALL_DAY)
    enterprise = cache.scoped({"github:": "https://ghe.example.com/api/v3"})
    mirror = cache.scoped({"hf:": "https://hf-mirror.example"})
    enterprise.put_many([make(verdict=BROKEN)], etags={"github:org/repo": '"e1"'})
    assert cache.get("github:org/repo", T0) is None
    assert cache.etag("github:org/repo") is None
    assert cache.history("github:org/repo") is None
    cache.put_many([make(verdict=OK)], etags={"github:org/repo": '"p1"'})

    public = cache.get("github:org/repo", T0)
    assert public is not None
    assert public.verdict is OK
    found = enterprise.get("github:org/repo", T0)
    assert found is not None
    assert (found.key, found.verdict) == ("github:org/repo", BROKEN)
    assert (cache.etag("github:org/repo"), enterprise.etag("github:org/repo")) == ('"p1"', '"e1"')
    streak = enterprise.history("github:org/repo")
    assert streak is not None
    assert streak.consecutive_failures == 1
    # A scope covers only its own service: the mirror view still sees GitHub's bare keys.
    assert mirror.get("github:org/repo", T0) == public
    assert mirror.get_many(["hf:models/x/y"], T0) == {}
