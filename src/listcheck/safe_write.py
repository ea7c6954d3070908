"""The one way listcheck puts bytes in a file: the report (``--output``), a fixed list
(``--fix``), the GitHub Actions step files; the cache (SQLite writes its own file) asks
:func:`refusal` before it opens one.

Whoever can plant a file can plant a symlink: a pull request can add one to the
repository a CI job checks out, and a fixed temporary name beside the target is a name
an attacker can prepare. So:

- **Never through a symlink, never into something that is not a regular file.** A
  target that is a symlink, a directory, a named pipe, a device or a socket is refused
  (:class:`RefusedTarget`, one line saying what it is) before anything is created.
  The final :func:`os.replace` renames over the directory entry and never follows a
  link, so a symlink swapped in after the check is replaced, not written through.
- **A unique temporary file** from :func:`tempfile.mkstemp` (``O_CREAT | O_EXCL``,
  mode 0600) in the target's own folder: the rename stays on one file system, so it is
  atomic, and two concurrent runs never share a temporary file.
- **Flushed and fsynced before the rename**, and the folder fsynced after it, so a
  crash leaves the old file or the new one, never a mix.
- **The target's mode bits are kept**; a new file gets what a plain ``open`` would give
  (0666 less the umask), not mkstemp's 0600.
- **A killed run cleans up where it can.** While the temporary file exists, SIGTERM and
  SIGHUP raise :class:`Terminated` (Ctrl-C already raises :exc:`KeyboardInterrupt`);
  the temporary file is removed and the exception ends the run with ``128 + signal``.
  A signal that arrives while the file is being created waits until its name is
  known, so none lands in between. SIGKILL cannot be cleaned up after.

Appending (the Actions step files, which the runner creates and reads back after the
step) cannot go through a rename; :func:`append_text` opens with ``O_NOFOLLOW`` and
writes only into a regular file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

TEMP_SUFFIX = ".listcheck-tmp"
"""Every temporary file listcheck creates ends so, after a random part."""

PAUSE_ENV = "LISTCHECK_TEST_PAUSE_BEFORE_RENAME"
"""Seconds to wait with the temporary file written and not yet renamed: a test hook, so
a test can kill a run at exactly that moment (a real write takes microseconds)."""

_STOPS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


class RefusedTarget(Exception):
    """The path names something listcheck does not write to; the message says what."""


class Terminated(BaseException):
    """A SIGTERM or SIGHUP arrived while a temporary file existed. A BaseException, like
    KeyboardInterrupt, so no ``except Exception`` on the way up swallows it."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        super().__init__(signal.Signals(signum).name)


def refusal(path: Path) -> str | None:
    """Why ``path`` must not be written, or None when it is a regular file or absent.
    Looks at the path itself (``lstat``), not at what a symlink points to."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot be examined: {exc.strerror or exc}"
    if stat.S_ISLNK(mode):
        return "is a symbolic link; listcheck never writes through one"
    if stat.S_ISREG(mode):
        return None
    return f"is {kind(mode)}, not a regular file"


def kind(mode: int) -> str:
    """A file type as a person says it, with its article."""
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def write_text(path: Path, text: str) -> None:
    """:func:`write_bytes` of ``text`` in UTF-8, as written (no newline translation)."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    """Replaces (or creates) the regular file ``path`` with ``data``, atomically.

    Raises :class:`RefusedTarget` for a symlink or a non-regular file (nothing is
    created), :class:`OSError` when the folder cannot take the file (no temporary file
    is left), and :class:`Terminated` or :exc:`KeyboardInterrupt` when the run is
    stopped meanwhile (no temporary file is left either)."""
    problem = refusal(path)
    if problem is not None:
        raise RefusedTarget(problem)
    mode = _mode_for(path)
    temp_name: str | None = None
    with _StopGuard() as guard:
        try:
            fd, temp_name = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
            )
            guard.arm()  # a signal that came during mkstemp is raised now, in this try
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                _chmod(handle.fileno(), temp_name, mode)
                os.fsync(handle.fileno())
            _pause_for_tests()
            os.replace(temp_name, path)
        except BaseException:
            if temp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temp_name)
            raise
    _sync_folder(path.parent)


def append_text(path: Path, text: str) -> None:
    """Appends ``text`` (UTF-8) to the regular file ``path``, creating it if absent.
    Raises :class:`RefusedTarget` for a symlink or a non-regular file, untouched."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        # O_NONBLOCK: opening a FIFO for writing must not wait for a reader.
        fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0), 0o666)
    except OSError as exc:
        problem = refusal(path)
        if problem is not None:
            raise RefusedTarget(problem) from None
        raise exc from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise RefusedTarget(f"is {kind(mode)}, not a regular file")
        with open(fd, "ab", closefd=False) as handle:
            handle.write(text.encode("utf-8"))
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(os.lstat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask. Linux shows it in /proc; elsewhere reading it means setting it
    and straight back, which for that instant would give files created by another thread
    (the resolver's, SQLite's) the wrong mode, so /proc is asked first."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii", errors="replace") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    current = os.umask(0o022)
    os.umask(current)
    return current


def _chmod(fd: int, name: str, mode: int) -> None:
    """By descriptor where the platform can: a name in a shared folder could be swapped
    for a symlink between close and chmod."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows: no fchmod, and no symlinks a user can plant
        os.chmod(name, mode)


def _pause_for_tests() -> None:
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        time.sleep(float(seconds))


def _sync_folder(folder: Path) -> None:
    """Makes the rename itself durable where the platform allows fsync on a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # Windows and some file systems refuse; the data itself is already synced
    finally:
        os.close(fd)


class _StopGuard:
    """Turns SIGTERM, SIGHUP and SIGINT into exceptions (:class:`Terminated`,
    :exc:`KeyboardInterrupt`) inside the block, but only once :meth:`arm` is called: a
    signal before that (while the temporary file is being created and its name is not
    yet known) waits, and :meth:`arm` raises it. Only the main thread can set handlers;
    a signal the process ignores stays ignored."""

    def __init__(self) -> None:
        self._armed = False
        self._pending: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _StopGuard:
        if threading.current_thread() is threading.main_thread():
            for signum in _STOPS:
                handler = signal.getsignal(signum)
                # None: a handler set outside Python, which cannot be put back; leave it.
                if handler is not None and handler is not signal.SIG_IGN:
                    self._previous[signum] = handler
                    signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        if self._pending is not None and not self._armed:
            # Creating the file failed before arming: the signal still gets its due.
            signal.raise_signal(self._pending)

    def arm(self) -> None:
        self._armed = True
        if self._pending is not None:
            _raise_for(self._pending)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self._armed:
            _raise_for(signum)
        elif self._pending is None:
            self._pending = signum


def _raise_for(signum: int) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)
