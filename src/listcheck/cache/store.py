"""The result cache as the rest of listcheck sees it: answers in, fresh answers out.

What listcheck learned recently is kept so the next run need not ask the network again:
one SQLite file maps a :class:`CheckResult` key to the last answer, the time it was
obtained and, for GitHub, the ETag that lets a later run revalidate it with a cheap
``304 Not Modified``. This module decides which stored key a caller's key means (keys
are scoped by API address) and what a problem does to the run; how long answers are
served is :mod:`listcheck.cache.policy`, what is stored :mod:`listcheck.cache.sql`, and
whether the file may be used at all :mod:`listcheck.cache.opening`.

**Never fatal.** A corrupt or foreign file, a lock held too long by another process, a
read-only folder, a path that is a directory, a symlink or another non-regular file, a
full disk: the first problem is reported once, as one line naming the file, through
``on_problem`` (a :class:`CacheWarning` by default); from then on the cache behaves as
empty and writes nothing. A run without a cache is slower, never wrong.
"""

from __future__ import annotations

import contextlib
import copy
import math
import sqlite3
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TypeVar

import platformdirs
from pydantic import ValidationError

from listcheck.cache import opening, sql
from listcheck.cache.policy import DEFAULT_RETENTION, is_fresh, merge_ttl
from listcheck.checkers.base import CheckResult
from listcheck.models import Frozen, Verdict

T = TypeVar("T")

ProblemCallback = Callable[[str], None]
"""Receives one line naming the cache file and what went wrong."""


class CacheWarning(UserWarning):
    """The cache could not be used; the run goes on without it."""


class FailureHistory(Frozen):
    """How long a key has been failing, for the nightly report of what rotted."""

    key: str
    consecutive_failures: int
    """Broken or transient answers in a row; zero once an ok or moved answer came."""
    first_failed_at: float | None
    """Unix time of the first failure of the current streak; None without a streak."""
    last_verdict: Verdict
    last_checked_at: float


def default_cache_path() -> Path:
    """The per-user cache file, in the platform's cache folder (``~/.cache/listcheck`` on
    Linux), so local runs share what they learned."""
    return platformdirs.user_cache_path("listcheck") / "results.sqlite3"


def _warn(message: str) -> None:
    warnings.warn(message, CacheWarning, stacklevel=3)


class ResultCache:
    """The result cache on one file. Opening, reading and writing never raise for a
    problem with the file; see the module docstring for what happens instead.

    Use as a context manager (or call :meth:`close`). ``enabled=False`` gives a cache
    that is always empty and never touches the disk (``--no-cache``).
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        ttl: Mapping[Verdict, float] | None = None,
        on_problem: ProblemCallback | None = None,
        busy_timeout: float = opening.DEFAULT_BUSY_TIMEOUT,
        retention: float = DEFAULT_RETENTION,
        enabled: bool = True,
        scopes: Mapping[str, str] | None = None,
    ) -> None:
        self._path = Path(path) if path is not None else default_cache_path()
        self._scopes = dict(scopes or {})
        self._ttl = merge_ttl(ttl)
        self._on_problem = on_problem if on_problem is not None else _warn
        if not math.isfinite(busy_timeout) or busy_timeout < 0:
            raise ValueError(f"busy_timeout must be a non-negative number, not {busy_timeout}")
        if not math.isfinite(retention) or retention < 0:
            raise ValueError(f"retention must be a non-negative number, not {retention}")
        self._busy_timeout = busy_timeout
        self._retention = retention
        self._conn: sqlite3.Connection | None = None
        self._problem: str | None = None
        if enabled:
            self._open()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def active(self) -> bool:
        """True while answers are read and written; False when disabled, closed, or after
        a problem (then :attr:`problem` says which)."""
        return self._conn is not None

    @property
    def problem(self) -> str | None:
        """The line reported for the problem that disabled the cache, if any."""
        return self._problem

    def __enter__(self) -> ResultCache:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.close()

    def scoped(self, scopes: Mapping[str, str]) -> ResultCache:
        """A view of this cache (same file and connection; closing stays with this one)
        whose keys carry the given API addresses, see :meth:`_stored_key`."""
        view = copy.copy(self)
        view._scopes = dict(scopes)
        return view

    def _stored_key(self, key: str) -> str:
        """Where ``key`` lives in the file: a key of a service asked at a non-default API
        address (``scopes``: key prefix -> API base) carries that address, so answers of
        one GitHub or Hub endpoint never serve another. Default-endpoint keys are stored
        bare, as before."""
        for prefix, base in self._scopes.items():
            if key.startswith(prefix):
                return f"{prefix}<{base}>{key[len(prefix) :]}"
        return key

    # -- reading -------------------------------------------------------------------

    def get(self, key: str, now: float | None = None) -> CheckResult | None:
        """The answer for ``key`` if it is still fresh at ``now`` (default: the clock),
        marked ``from_cache``; otherwise None."""
        return self.get_many([key], now).get(key)

    def get_many(self, keys: Iterable[str], now: float | None = None) -> dict[str, CheckResult]:
        """The fresh answers among ``keys``, by key, from one query per 500 keys."""
        logical = {self._stored_key(key): key for key in keys}
        wanted = list(logical)
        rows: list[sql.ResultRow] = self._run(lambda conn: sql.select_results(conn, wanted), [])
        moment = time.time() if now is None else now
        found: dict[str, CheckResult] = {}
        for stored, verdict, checked_at, payload in rows:
            if is_fresh(self._ttl, verdict, checked_at, moment):
                result = _load(payload)
                if result is not None:
                    found[logical[stored]] = result.model_copy(update={"from_cache": True})
        return found

    def stored(self, key: str) -> CheckResult | None:
        """The stored answer whatever its age, marked ``from_cache``: what a ``304 Not
        Modified`` for :meth:`etag` confirms. Not for serving without revalidation."""
        stored = self._stored_key(key)
        rows: list[sql.ResultRow] = self._run(lambda conn: sql.select_results(conn, [stored]), [])
        result = _load(rows[0][3]) if rows else None
        return result.model_copy(update={"from_cache": True}) if result is not None else None

    def etag(self, key: str) -> str | None:
        """The ETag that came with the stored answer, even when it is stale: sending it as
        ``If-None-Match`` turns a re-check into a 304 that costs no GitHub quota."""
        return self.etags([key]).get(key)

    def etags(self, keys: Iterable[str]) -> dict[str, str]:
        """The ETags kept for ``keys`` (those that have one), from one query per 500 keys."""
        logical = {self._stored_key(key): key for key in keys}
        wanted = list(logical)
        rows: list[tuple[str, str | None]] = self._run(
            lambda conn: sql.select_etags(conn, wanted), []
        )
        return {logical[stored]: tag for stored, tag in rows if tag is not None}

    def history(self, key: str) -> FailureHistory | None:
        """The failure streak of ``key``; None if it was never stored (or forgotten)."""
        stored = self._stored_key(key)
        rows: list[sql.HistoryRow] = self._run(lambda conn: sql.select_history(conn, stored), [])
        if not rows:
            return None
        failures, first_failed_at, last_verdict, last_checked_at = rows[0]
        try:
            return FailureHistory(
                key=key,
                consecutive_failures=failures,
                first_failed_at=first_failed_at,
                last_verdict=Verdict(last_verdict),
                last_checked_at=last_checked_at,
            )
        except ValueError:  # includes pydantic's ValidationError: a row we cannot trust
            return None

    # -- writing -------------------------------------------------------------------

    def put_many(
        self, results: Iterable[CheckResult], *, etags: Mapping[str, str] | None = None
    ) -> None:
        """Stores the answers of a run, all in one transaction, and updates each key's
        failure streak (ok/moved reset it, broken/transient extend it, skipped leaves it).

        ``etags`` gives the ETag that came with an answer; an answer stored without one
        clears the old ETag, which validated a different answer. Answers that came from
        this cache (``from_cache``) are not stored again: re-storing would stretch their
        life and count one failure twice. An answer without ``checked_at`` is stamped
        with the clock.
        """
        stamp = time.time()
        rows = [
            result if result.checked_at > 0 else result.model_copy(update={"checked_at": stamp})
            for result in results
            if not result.from_cache
        ]
        if rows:
            tags = etags or {}
            keyed = [(self._stored_key(row.key), row, tags.get(row.key)) for row in rows]
            self._run(lambda conn: sql.write(conn, keyed), None)

    def prune(self, now: float | None = None) -> int:
        """Deletes what can no longer serve: answers past their TTL (those with an ETag
        only once ``retention`` has passed too) and the histories of keys not checked
        within ``retention``. Returns the number of rows deleted."""
        moment = time.time() if now is None else now
        return self._run(
            lambda conn: sql.delete_expired(conn, self._ttl, self._retention, moment), 0
        )

    # -- internals -----------------------------------------------------------------

    def _run(self, action: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        """Runs one database action; the first failure disables the cache for good."""
        conn = self._conn
        if conn is None:
            return fallback
        try:
            return action(conn)
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)
            return fallback

    def _open(self) -> None:
        try:
            if problem := opening.unusable(self._path):
                self._report(problem)
                return
            self._conn = opening.open_database(self._path, self._busy_timeout)
        except opening.OPEN_ERRORS as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        self.close()
        problem = opening.describe(exc, self._busy_timeout)
        if opening.is_damage(exc):
            problem += "; " + opening.set_aside(self._path)
        self._report(problem)

    def _report(self, problem: str) -> None:
        line = f"cache {self._path}: {problem}; continuing without the cache"
        self._problem = " ".join(line.split())
        self._on_problem(self._problem)


def _load(payload: str) -> CheckResult | None:
    """A stored answer, or None if it does not parse (then it is simply not served)."""
    try:
        return CheckResult.model_validate_json(payload)
    except ValidationError:
        return None
