"""Opening the cache file safely, and saying in one line what went wrong when it cannot be.

The file is the user's (or a CI job's) and may be anything: a directory, a symlink, a
foreign database, a half-copied file. Everything that decides whether a path may be
used, and what to do with one that may not, lives here, so the store only learns
"usable connection" or "an error to report".

* **A damaged cache is moved aside, not destroyed.** A file that starts like an
  SQLite database but fails SQLite's integrity check is renamed to
  ``<name>.corrupt`` (with its journal, if any) so it can be inspected; the next run
  starts a fresh file. A file that is not SQLite at all may be the user's own file
  passed by mistake: it is reported and left exactly as it is. The move is a rename,
  which replaces a symlink planted at the ``.corrupt`` name rather than follow it.
* **No symlinks.** SQLite would follow a symlinked file or journal and write wherever
  it points, so such a cache is not used.
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
import os
import sqlite3
from pathlib import Path

from listcheck.cache.sql import ForeignError, ensure_schema
from listcheck.safe_write import refusal

DEFAULT_BUSY_TIMEOUT = 2.0
"""Seconds to wait for another process's lock; its transactions take milliseconds, so a
longer wait means something is wrong and the run should go on without the cache."""

_SQLITE_HEADER = b"SQLite format 3\x00"
_SIDECARS = ("-journal", "-wal", "-shm")


class DamagedError(Exception):
    """SQLite opened the file but its integrity check found damage."""


class NotSqliteError(Exception):
    """A file that is not an SQLite database at all: not ours to touch."""


OPEN_ERRORS = (sqlite3.Error, OSError, DamagedError, ForeignError, NotSqliteError)
"""What opening may raise for a problem with the file; anything else is a bug."""


def unusable(path: Path) -> str | None:
    """Why ``path`` cannot hold the cache, before SQLite is let near it; None if it can.
    Creates the folder, as the cache is expected to appear where it was asked for."""
    if path.is_dir():
        return "is a directory, not a cache file"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return f"cannot create its folder: {exc.strerror or exc}"
    return _unsafe(path)


def open_database(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection to a checked, current cache at ``path`` (created if missing); raises
    one of :data:`OPEN_ERRORS` instead, leaving no connection open."""
    header = _read_header(path)
    if header and not header.startswith(_SQLITE_HEADER[: len(header)]):
        raise NotSqliteError
    conn = connect(path, busy_timeout)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        check = conn.execute("PRAGMA quick_check(1)").fetchall()
        if check != [("ok",)]:
            raise DamagedError(str(check[0][0]) if check else "no answer")
        ensure_schema(conn)
        # Journal mode can only change outside a transaction, and only once the file
        # is known to be ours.
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        raise
    return conn


def connect(path: Path, timeout: float) -> sqlite3.Connection:
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


def set_aside(path: Path) -> str:
    """Moves a damaged SQLite file (and its journal) to ``<name>.corrupt``; says what
    became of it, for the end of the problem line."""
    aside = path.with_name(path.name + ".corrupt")
    try:
        if not _read_header(path).startswith(_SQLITE_HEADER):
            return "not an SQLite file, so left as it is"
        os.replace(path, aside)
        for suffix in _SIDECARS:
            sidecar = Path(f"{path}{suffix}")
            if sidecar.exists():
                os.replace(sidecar, Path(f"{aside}{suffix}"))
    except OSError as exc:
        return f"could not move it aside ({exc.strerror or exc})"
    return f"moved aside to {aside}; a fresh cache starts next run"


def is_damage(exc: BaseException) -> bool:
    if isinstance(exc, DamagedError):
        return True
    code = getattr(exc, "sqlite_errorcode", None) if isinstance(exc, sqlite3.Error) else None
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


def describe(exc: BaseException, busy_timeout: float) -> str:
    """One short phrase for the problem, in words a user can act on."""
    if isinstance(exc, DamagedError):
        return f"is damaged ({exc})"
    if isinstance(exc, ForeignError):
        return "is an SQLite database but not a listcheck cache; left as it is"
    if isinstance(exc, NotSqliteError):
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
