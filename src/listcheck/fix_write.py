"""Writing a fixed list back to disk: all or nothing, and never over someone's edit.

The new text goes to a temporary file in the list's own folder (same file system, so
the final rename is atomic), is flushed and fsynced, takes the old file's mode bits,
and only then replaces the list with :func:`os.replace`. A crash, a full disk or
Ctrl-C at any point leaves either the old file or the new one, never half of each,
and no temporary file behind.

Decisions, each for a reason:

- **Symlinks are written through.** A list reached through a symlink (a README linked
  into a docs folder) is fixed in the file the link points at, with the temporary
  file next to *that* file, and the link itself stays a link. Replacing the link with
  a regular file would silently fork the list; writing into the target in place
  would not be atomic.
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
import contextlib
import os
import stat
import tempfile
from pathlib import Path

from listcheck.errors import InputError

_UTF8_BOM = codecs.BOM_UTF8
_TEMP_SUFFIX = ".listcheck-tmp"


def write_fixed(path: Path, new_text: str, *, original: str) -> None:
    """Atomically replaces the list at ``path`` with ``new_text`` (UTF-8, the original's
    BOM and mode bits kept). ``original`` is the text the fixes were planned on, as
    :func:`~listcheck.reader.read_list` returned it; when the file no longer holds
    exactly that, nothing is written and :class:`InputError` says so."""
    target = Path(os.path.realpath(path))
    current, mode = _read_current(path, target)
    has_bom = current.startswith(_UTF8_BOM)
    if _decoded(current) != original:
        raise InputError(
            f"{path}: changed on disk since it was read; nothing was written, "
            "run listcheck --fix again"
        )
    payload = (_UTF8_BOM if has_bom else b"") + new_text.encode("utf-8")
    if payload == current:
        return  # nothing to fix: leave the file and its timestamps alone
    _replace_atomically(path, target, payload, mode)


def _read_current(path: Path, target: Path) -> tuple[bytes, int]:
    try:
        with open(target, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"{path}: is not a regular file; fixes cannot be written")
            return handle.read(), stat.S_IMODE(info.st_mode)
    except FileNotFoundError:
        raise InputError(f"{path}: no longer exists; nothing was written") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it again before writing: {_why(exc)}") from None


def _decoded(data: bytes) -> str | None:
    body = data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _replace_atomically(path: Path, target: Path, payload: bytes, mode: int) -> None:
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=_TEMP_SUFFIX, dir=target.parent
        )
    except OSError as exc:
        raise InputError(f"{path}: cannot write the fixed file: {_why(exc)}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise InputError(f"{path}: cannot write the fixed file: {_why(exc)}") from None
        raise
    _sync_folder(target.parent)


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


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)
