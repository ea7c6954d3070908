"""The cache file's tables and every statement run on them, in one place.

A reader checking what is stored, or that a write cannot half-happen, reads this module
and nothing else; the store above it only decides which key to ask for.

* **Never misread.** ``meta(version)`` holds the layout version and a fingerprint of
  :class:`CheckResult`'s schema; a cache written by another version is dropped and
  rebuilt. A file that is not a listcheck cache is left alone (:class:`ForeignError`).
* **Atomic and shareable.** Every write is one ``BEGIN IMMEDIATE`` transaction (taking
  the write lock up front waits politely for another writer instead of failing on a
  lock upgrade), and ``busy_timeout`` (set at opening) bounds every wait. Two processes
  on one file serialise their writes; neither can corrupt it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from listcheck.cache.policy import STREAK_GAP
from listcheck.checkers.base import CheckResult
from listcheck.models import Verdict

_LAYOUT = 1
"""Bump when the tables change; a change of :class:`CheckResult` is caught by the
fingerprint in :data:`SCHEMA_VERSION` without anyone remembering to bump."""

SCHEMA_VERSION = (
    f"{_LAYOUT}-"
    + hashlib.sha256(
        json.dumps(CheckResult.model_json_schema(), sort_keys=True).encode()
    ).hexdigest()[:16]
)

_CHUNK = 500
"""Keys per ``IN (...)`` query: under SQLite's variable limit (999 before 3.32)."""

_CONCLUSIVE = (Verdict.OK, Verdict.MOVED, Verdict.BROKEN)
_RESETS = frozenset({Verdict.OK, Verdict.MOVED})
_FAILURES = frozenset({Verdict.BROKEN, Verdict.TRANSIENT})

_TABLES = (
    "CREATE TABLE meta (version TEXT NOT NULL)",
    """CREATE TABLE results (
        key TEXT PRIMARY KEY,
        verdict TEXT NOT NULL,
        checked_at REAL NOT NULL,
        payload TEXT NOT NULL,
        etag TEXT
    ) WITHOUT ROWID""",
    """CREATE TABLE history (
        key TEXT PRIMARY KEY,
        first_failed_at REAL,
        consecutive_failures INTEGER NOT NULL,
        last_verdict TEXT NOT NULL,
        last_checked_at REAL NOT NULL
    ) WITHOUT ROWID""",
)

_conclusive_sql = ", ".join(f"'{verdict.value}'" for verdict in _CONCLUSIVE)
# An inconclusive answer (transient, skipped) never replaces a conclusive one: the older
# answer and its ETag stay available for a 304 revalidation, and history still counts it.
_PUT_RESULT = f"""
    INSERT INTO results (key, verdict, checked_at, payload, etag) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET
        verdict = excluded.verdict, checked_at = excluded.checked_at,
        payload = excluded.payload, etag = excluded.etag
    WHERE excluded.verdict IN ({_conclusive_sql}) OR results.verdict NOT IN ({_conclusive_sql})
"""

# SQLite reads history.* as the row before this update, whatever the order of the SETs.
_COUNT_FAILURE = f"""
    INSERT INTO history VALUES (?, ?, 1, ?, ?)
    ON CONFLICT (key) DO UPDATE SET
        first_failed_at = CASE
            WHEN excluded.last_checked_at - history.last_checked_at > {STREAK_GAP}
            THEN excluded.first_failed_at
            ELSE coalesce(history.first_failed_at, excluded.first_failed_at) END,
        consecutive_failures = CASE
            WHEN excluded.last_checked_at - history.last_checked_at > {STREAK_GAP} THEN 1
            ELSE history.consecutive_failures + 1 END,
        last_verdict = excluded.last_verdict, last_checked_at = excluded.last_checked_at
"""
_RESET_FAILURES = """
    INSERT INTO history VALUES (?, NULL, 0, ?, ?)
    ON CONFLICT (key) DO UPDATE SET
        first_failed_at = NULL, consecutive_failures = 0,
        last_verdict = excluded.last_verdict, last_checked_at = excluded.last_checked_at
"""

ResultRow = tuple[str, str, float, str]
"""key, verdict, checked_at, payload"""

HistoryRow = tuple[int, float | None, str, float]
"""consecutive_failures, first_failed_at, last_verdict, last_checked_at"""


class ForeignError(Exception):
    """An SQLite database that is not a listcheck cache: not ours to rebuild."""


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Creates or rebuilds the tables. The meta row is rewritten on every open: a real
    write, so a read-only folder or a full disk shows up now, not after a run's checks."""
    with _transaction(conn):
        tables = [
            str(name)
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        if tables and "meta" not in tables:
            raise ForeignError
        versions = conn.execute("SELECT version FROM meta").fetchall() if tables else []
        if versions != [(SCHEMA_VERSION,)]:
            for name in tables:
                conn.execute(f'DROP TABLE "{name.replace(chr(34), chr(34) * 2)}"')
            for statement in _TABLES:
                conn.execute(statement)
        conn.execute("DELETE FROM meta")
        conn.execute("INSERT INTO meta (version) VALUES (?)", (SCHEMA_VERSION,))


def _select_in(conn: sqlite3.Connection, columns: str, keys: Sequence[str]) -> list[Any]:
    """``columns`` of the stored answers of ``keys``, one query per :data:`_CHUNK` keys."""
    rows: list[Any] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT {columns} FROM results WHERE key IN ({marks})"
        rows.extend(conn.execute(query, chunk).fetchall())
    return rows


def select_results(conn: sqlite3.Connection, keys: Sequence[str]) -> list[ResultRow]:
    return _select_in(conn, "key, verdict, checked_at, payload", keys)


def select_etags(conn: sqlite3.Connection, keys: Sequence[str]) -> list[tuple[str, str | None]]:
    return _select_in(conn, "key, etag", keys)


def select_history(conn: sqlite3.Connection, key: str) -> list[HistoryRow]:
    return conn.execute(
        "SELECT consecutive_failures, first_failed_at, last_verdict, last_checked_at"
        " FROM history WHERE key = ?",
        (key,),
    ).fetchall()


def write(conn: sqlite3.Connection, rows: list[tuple[str, CheckResult, str | None]]) -> None:
    """Stores each (stored key, answer, ETag) and moves its failure streak."""
    with _transaction(conn):
        for key, result, etag in rows:
            conn.execute(
                _PUT_RESULT,
                (key, result.verdict.value, result.checked_at, result.model_dump_json(), etag),
            )
            if result.verdict in _FAILURES:
                conn.execute(
                    _COUNT_FAILURE,
                    (key, result.checked_at, result.verdict.value, result.checked_at),
                )
            elif result.verdict in _RESETS:
                conn.execute(_RESET_FAILURES, (key, result.verdict.value, result.checked_at))


def delete_expired(
    conn: sqlite3.Connection, ttl: Mapping[Verdict, float], retention: float, now: float
) -> int:
    """Deletes answers past their TTL (those with an ETag only once ``retention`` has
    passed too) and the histories of keys not checked within ``retention``."""
    deleted = 0
    with _transaction(conn):
        for verdict, seconds in ttl.items():
            cursor = conn.execute(
                "DELETE FROM results WHERE verdict = ? AND"
                " ? - checked_at >= ? + (CASE WHEN etag IS NULL THEN 0 ELSE ? END)",
                (verdict.value, now, seconds, retention),
            )
            deleted += cursor.rowcount
        cursor = conn.execute(
            "DELETE FROM history WHERE ? - last_checked_at >= ?", (now, retention)
        )
        deleted += cursor.rowcount
    return deleted
