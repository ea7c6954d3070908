"""What listcheck learned recently, kept so the next run need not ask the network again.

One SQLite file (stdlib :mod:`sqlite3`) maps a :class:`CheckResult` key to the last
answer, the time it was obtained and, for GitHub, the ETag that lets a later run
revalidate it with a cheap ``304 Not Modified``. How long an answer is *served* depends
on its verdict (DESIGN: "the cache never stores a failure as final"): a good answer
lives days, a broken one hours, a transient or skipped one not at all by default.

Promises, and why:

* **Never fatal.** A corrupt or foreign file, a lock held too long by another process,
  a read-only folder, a path that is a directory, a symlink or another non-regular
  file (SQLite would follow a symlink and write wherever it points), a full disk: the
  first problem is reported once, as one line naming the file, through
  ``on_problem`` (a :class:`CacheWarning` by default); from then on the cache behaves
  as empty and writes nothing. A run without a cache is slower, never wrong.
* **Never misread.** ``meta(version)`` holds the layout version and a fingerprint of
  :class:`CheckResult`'s schema; a cache written by another version is dropped and
  rebuilt. A file that is not a listcheck cache is left alone.
* **A damaged cache is moved aside, not destroyed.** A file that starts like an
  SQLite database but fails SQLite's integrity check is renamed to
  ``<name>.corrupt`` (with its journal, if any) so it can be inspected; the next run
  starts a fresh file. A file that is not SQLite at all may be the user's own file
  passed by mistake: it is reported and left exactly as it is. The move is a rename,
  which replaces a symlink planted at the ``.corrupt`` name rather than follow it.
* **Atomic and shareable.** Every write is one ``BEGIN IMMEDIATE`` transaction (taking
  the write lock up front waits politely for another writer instead of failing on a
  lock upgrade), and ``busy_timeout`` bounds every wait. Two processes on one file
  serialise their writes; neither can corrupt it.
* **Rollback journal, not WAL.** CI jobs carry this file between runs with
  ``actions/cache``, which copies files. In WAL mode recent commits live in a
  ``-wal`` file beside the database until a checkpoint: a copy of the main file alone
  silently loses them, a read-only restore cannot even be read without creating
  ``-shm``, and WAL does not work on network file systems. With the rollback journal
  the database at rest is the one self-contained file; a crash mid-write leaves a hot
  ``-journal`` that SQLite rolls back on the next open, and a copy that caught a
  half-written file is found by the integrity check and moved aside.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import math
import os
import sqlite3
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import TypeVar

import platformdirs
from pydantic import ValidationError

from listcheck.checkers.base import CheckResult
from listcheck.models import Frozen, Verdict
from listcheck.safe_write import refusal

HOUR = 3600.0
DAY = 24 * HOUR

DEFAULT_TTL: Mapping[Verdict, float] = MappingProxyType(
    {
        Verdict.OK: 7 * DAY,
        Verdict.MOVED: 3 * DAY,
        Verdict.BROKEN: 6 * HOUR,
        Verdict.TRANSIENT: 0.0,
        Verdict.SKIPPED: 0.0,
    }
)
"""Seconds an answer is served, by verdict. Zero means never served: retried next run."""

DEFAULT_RETENTION = 30 * DAY
"""How long a stale answer with an ETag is kept for revalidation, and the failure history
of a key no longer checked (a link removed from the list) is remembered."""

DEFAULT_BUSY_TIMEOUT = 2.0
"""Seconds to wait for another process's lock; its transactions take milliseconds, so a
longer wait means something is wrong and the run should go on without the cache."""

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

_SQLITE_HEADER = b"SQLite format 3\x00"
_SIDECARS = ("-journal", "-wal", "-shm")
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
STREAK_GAP = 7 * DAY
"""The longest silence between two failing checks of one key that still continues its
streak. A weekly schedule, or a nightly one paused over a holiday, keeps counting; after a
longer gap nothing says the link failed in between, so a failure starts a new streak
(three failing nights and one more 200 days later are not "four runs in a row")."""

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

T = TypeVar("T")
_ResultRow = tuple[str, str, float, str]
"""key, verdict, checked_at, payload"""

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


class _DamagedError(Exception):
    """SQLite opened the file but its integrity check found damage."""


class _ForeignError(Exception):
    """An SQLite database that is not a listcheck cache: not ours to rebuild."""


class _NotSqliteError(Exception):
    """A file that is not an SQLite database at all: not ours to touch."""


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
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        retention: float = DEFAULT_RETENTION,
        enabled: bool = True,
        scopes: Mapping[str, str] | None = None,
    ) -> None:
        self._path = Path(path) if path is not None else default_cache_path()
        self._scopes = dict(scopes or {})
        self._ttl = _merge_ttl(ttl)
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
        rows: list[_ResultRow] = self._run(lambda conn: _select_results(conn, wanted), [])
        moment = time.time() if now is None else now
        found: dict[str, CheckResult] = {}
        for stored, verdict, checked_at, payload in rows:
            if self._is_fresh(verdict, checked_at, moment):
                result = _load(payload)
                if result is not None:
                    found[logical[stored]] = result.model_copy(update={"from_cache": True})
        return found

    def stored(self, key: str) -> CheckResult | None:
        """The stored answer whatever its age, marked ``from_cache``: what a ``304 Not
        Modified`` for :meth:`etag` confirms. Not for serving without revalidation."""
        stored = self._stored_key(key)
        rows: list[_ResultRow] = self._run(lambda conn: _select_results(conn, [stored]), [])
        result = _load(rows[0][3]) if rows else None
        return result.model_copy(update={"from_cache": True}) if result is not None else None

    def etag(self, key: str) -> str | None:
        """The ETag that came with the stored answer, even when it is stale: sending it as
        ``If-None-Match`` turns a re-check into a 304 that costs no GitHub quota."""
        stored = self._stored_key(key)
        rows: list[tuple[str | None]] = self._run(
            lambda conn: conn.execute(
                "SELECT etag FROM results WHERE key = ?", (stored,)
            ).fetchall(),
            [],
        )
        return rows[0][0] if rows else None

    def history(self, key: str) -> FailureHistory | None:
        """The failure streak of ``key``; None if it was never stored (or forgotten)."""
        rows: list[tuple[int, float | None, str, float]] = self._run(
            lambda conn: conn.execute(
                "SELECT consecutive_failures, first_failed_at, last_verdict, last_checked_at"
                " FROM history WHERE key = ?",
                (self._stored_key(key),),
            ).fetchall(),
            [],
        )
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
            self._run(lambda conn: _write(conn, keyed), None)

    def prune(self, now: float | None = None) -> int:
        """Deletes what can no longer serve: answers past their TTL (those with an ETag
        only once ``retention`` has passed too) and the histories of keys not checked
        within ``retention``. Returns the number of rows deleted."""
        moment = time.time() if now is None else now
        return self._run(lambda conn: self._delete_expired(conn, moment), 0)

    # -- internals -----------------------------------------------------------------

    def _is_fresh(self, verdict: str, checked_at: float, now: float) -> bool:
        # An answer from the future (a clock set wrong on another CI machine) is not
        # trusted: it would otherwise be served until the clock caught up.
        try:
            ttl = self._ttl[Verdict(verdict)]
        except ValueError:
            return False
        return 0 <= now - checked_at < ttl

    def _delete_expired(self, conn: sqlite3.Connection, now: float) -> int:
        deleted = 0
        with _transaction(conn):
            for verdict, ttl in self._ttl.items():
                cursor = conn.execute(
                    "DELETE FROM results WHERE verdict = ? AND"
                    " ? - checked_at >= ? + (CASE WHEN etag IS NULL THEN 0 ELSE ? END)",
                    (verdict.value, now, ttl, self._retention),
                )
                deleted += cursor.rowcount
            cursor = conn.execute(
                "DELETE FROM history WHERE ? - last_checked_at >= ?", (now, self._retention)
            )
            deleted += cursor.rowcount
        return deleted

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
            if self._path.is_dir():
                self._report("is a directory, not a cache file")
                return
            try:
                self._path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self._report(f"cannot create its folder: {exc.strerror or exc}")
                return
            if problem := _unsafe(self._path):
                self._report(problem)
                return
            header = _read_header(self._path)
            if header and not header.startswith(_SQLITE_HEADER[: len(header)]):
                raise _NotSqliteError
            self._conn = _connect(self._path, self._busy_timeout)
            self._conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
            check = self._conn.execute("PRAGMA quick_check(1)").fetchall()
            if check != [("ok",)]:
                raise _DamagedError(str(check[0][0]) if check else "no answer")
            _ensure_schema(self._conn)
            # Journal mode can only change outside a transaction, and only once the file
            # is known to be ours.
            self._conn.execute("PRAGMA journal_mode = DELETE").fetchall()
        except (sqlite3.Error, OSError, _DamagedError, _ForeignError, _NotSqliteError) as exc:
            self._fail(exc)

    def _fail(self, exc: BaseException) -> None:
        self.close()
        problem = _describe(exc, self._busy_timeout)
        if _is_damage(exc):
            problem += "; " + self._set_aside()
        self._report(problem)

    def _set_aside(self) -> str:
        aside = self._path.with_name(self._path.name + ".corrupt")
        try:
            if not _read_header(self._path).startswith(_SQLITE_HEADER):
                return "not an SQLite file, so left as it is"
            os.replace(self._path, aside)
            for suffix in _SIDECARS:
                sidecar = Path(f"{self._path}{suffix}")
                if sidecar.exists():
                    os.replace(sidecar, Path(f"{aside}{suffix}"))
        except OSError as exc:
            return f"could not move it aside ({exc.strerror or exc})"
        return f"moved aside to {aside}; a fresh cache starts next run"

    def _report(self, problem: str) -> None:
        line = f"cache {self._path}: {problem}; continuing without the cache"
        self._problem = " ".join(line.split())
        self._on_problem(self._problem)


def _merge_ttl(ttl: Mapping[Verdict, float] | None) -> dict[Verdict, float]:
    merged = dict(DEFAULT_TTL)
    for verdict, seconds in (ttl or {}).items():
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"TTL for {verdict.value} must be a non-negative number of seconds")
        merged[Verdict(verdict)] = float(seconds)
    return merged


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    """Autocommit connection: transactions are explicit, so none is left open by accident
    (an open read transaction would block every other process's writes)."""
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)


def _unsafe(path: Path) -> str | None:
    """SQLite opens its file and journal following symlinks; a symlinked cache (or
    journal beside it) could steer its writes anywhere, so such a cache is not used."""
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in _SIDECARS)):
        problem = refusal(candidate)
        if problem is not None:
            where = "" if candidate == path else f" (its {candidate.name})"
            return f"{problem}{where}"
    return None


def _read_header(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(len(_SQLITE_HEADER))
    except FileNotFoundError:
        return b""


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


def _ensure_schema(conn: sqlite3.Connection) -> None:
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
            raise _ForeignError
        versions = conn.execute("SELECT version FROM meta").fetchall() if tables else []
        if versions != [(SCHEMA_VERSION,)]:
            for name in tables:
                conn.execute(f'DROP TABLE "{name.replace(chr(34), chr(34) * 2)}"')
            for statement in _TABLES:
                conn.execute(statement)
        conn.execute("DELETE FROM meta")
        conn.execute("INSERT INTO meta (version) VALUES (?)", (SCHEMA_VERSION,))


def _select_results(conn: sqlite3.Connection, keys: Sequence[str]) -> list[_ResultRow]:
    rows: list[_ResultRow] = []
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows.extend(
            conn.execute(
                f"SELECT key, verdict, checked_at, payload FROM results WHERE key IN ({marks})",
                chunk,
            ).fetchall()
        )
    return rows


def _write(conn: sqlite3.Connection, rows: list[tuple[str, CheckResult, str | None]]) -> None:
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


def _load(payload: str) -> CheckResult | None:
    """A stored answer, or None if it does not parse (then it is simply not served)."""
    try:
        return CheckResult.model_validate_json(payload)
    except ValidationError:
        return None


def _is_damage(exc: BaseException) -> bool:
    if isinstance(exc, _DamagedError):
        return True
    code = getattr(exc, "sqlite_errorcode", None) if isinstance(exc, sqlite3.Error) else None
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def _describe(exc: BaseException, busy_timeout: float) -> str:
    """One short phrase for the problem, in words a user can act on."""
    if isinstance(exc, _DamagedError):
        return f"is damaged ({exc})"
    if isinstance(exc, _ForeignError):
        return "is an SQLite database but not a listcheck cache; left as it is"
    if isinstance(exc, _NotSqliteError):
        return "is not an SQLite database; left as it is (delete it or choose another file)"
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return f"cannot use{where}: {exc.strerror or exc}"
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    phrases = {
        sqlite3.SQLITE_BUSY: f"is locked by another process (waited {busy_timeout:g} s)",
        sqlite3.SQLITE_LOCKED: f"is locked by another process (waited {busy_timeout:g} s)",
        sqlite3.SQLITE_FULL: "cannot be written: the disk is full",
        sqlite3.SQLITE_READONLY: "is read-only",
        sqlite3.SQLITE_CANTOPEN: "cannot be opened or created (is its folder writable?)",
        sqlite3.SQLITE_PERM: "permission denied",
        sqlite3.SQLITE_CORRUPT: "is damaged",
        sqlite3.SQLITE_NOTADB: "is damaged (not a database)",
    }
    phrase = phrases.get(primary) if primary is not None else None
    return f"{phrase} ({exc})" if phrase else f"database error ({exc})"
