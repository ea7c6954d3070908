"""Writing a fixed list back to disk: all or nothing, and never over someone's edit.

The bytes go through :mod:`listcheck.safe_write`: a unique temporary file in the list's
own folder, fsynced, with the old file's mode bits, then :func:`os.replace`. A crash, a
full disk, Ctrl-C or SIGTERM at any point leaves either the old file or the new one,
never half of each, and no temporary file behind (SIGKILL excepted).

Decisions, each for a reason:

- **A symlinked list is refused, not written through.** ``--fix`` on a path that is a
  symlink ends with one :class:`InputError` line naming the file it points to, and
  nothing is written; run ``--fix`` on that file. Whoever can commit to a repository
  can commit a symlink, and writing through it would let a pull request steer a CI
  job's write to any file the job's user can write, outside the repository included.
  Replacing the link by a regular file would silently fork the list. A one-line
  refusal costs the honest user one re-run with the real path. (Reading a list
  through a symlink is harmless and stays allowed.)
- **A file that changed since it was read is refused.** The bytes on disk are read
  again and compared with the text the fixes were planned on; any difference (an
  editor saved, a ``git checkout`` ran) ends with one :class:`InputError` line and
  nothing written. The remaining window between that check and the rename is a few
  microseconds.
- **The byte-order mark comes back.** :func:`listcheck.reader.read_list` drops a UTF-8
  BOM; if the file on disk starts with one, the fixed file does too.
- Mode bits are kept; owner and group are whatever the writing user gets (changing
  them needs privileges a linter should not have), and a hard link to the list keeps
  the old text — both the usual price of an atomic replace.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from listcheck import safe_write
from listcheck.errors import InputError

_UTF8_BOM = codecs.BOM_UTF8


def symlink_refusal(path: Path) -> str | None:
    """The one line refusing ``--fix`` on ``path`` when it is a symlink, else None."""
    if not path.is_symlink():
        return None
    return (
        f"{path}: is a symbolic link (to {os.path.realpath(path)}); --fix never writes "
        "through one, run it on that file"
    )


def write_fixed(path: Path, new_text: str, *, original: str) -> None:
    """Atomically replaces the list at ``path`` with ``new_text`` (UTF-8, the original's
    BOM and mode bits kept). ``original`` is the text the fixes were planned on, as
    :func:`~listcheck.reader.read_list` returned it; when the file no longer holds
    exactly that, or ``path`` is a symlink or not a regular file, nothing is written
    and :class:`InputError` says so."""
    refused = symlink_refusal(path)
    if refused is not None:
        raise InputError(refused)
    current = unchanged_bytes(path, original, rerun="listcheck --fix")
    payload = with_bom_of(current, new_text)
    if payload == current:
        return  # nothing to fix: leave the file and its timestamps alone
    try:
        safe_write.write_bytes(path, payload)
    except safe_write.RefusedTarget as exc:
        raise InputError(f"{path}: {exc}; fixes cannot be written") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot write the fixed file: {_why(exc)}") from None


def unchanged_bytes(path: Path, original: str, *, rerun: str) -> bytes:
    """The list's bytes as they are on disk now, read without following a symlink,
    when they still hold ``original`` (the text read before the work began); else one
    :class:`InputError` line saying that nothing was written and to ``rerun``."""
    current = _read_current(path)
    if _decoded(current) != original:
        raise InputError(
            f"{path}: changed on disk since it was read; nothing was written, run {rerun} again"
        )
    return current


def with_bom_of(current: bytes, new_text: str) -> bytes:
    """``new_text`` encoded, with the UTF-8 byte-order mark when ``current`` had one
    (:func:`listcheck.reader.read_list` drops it on reading)."""
    return (_UTF8_BOM if current.startswith(_UTF8_BOM) else b"") + new_text.encode("utf-8")


def _read_current(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no longer exists; nothing was written") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it again before writing: {_why(exc)}") from None
    try:
        with open(fd, "rb", closefd=False) as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"{path}: is not a regular file; fixes cannot be written")
            return handle.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it again before writing: {_why(exc)}") from None
    finally:
        os.close(fd)


def _decoded(data: bytes) -> str | None:
    body = data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
