"""The one place a list file is read from disk.

Every later stage assumes a ``str`` that is exactly the file as written: line endings
are kept (positions point into the file as written), nothing is normalised, and a
UTF-8 byte-order mark is dropped. The BOM is invisible in every editor, so positions
count from the first visible character: line 1, column 1 is the character after it.

A file that cannot be such a text is refused with one :class:`InputError` line that
names the path and says what to do, never with a traceback. The file is opened
read-only and its size is checked before a byte is read, so a 50 MB binary blob
pointed at by mistake costs nothing. Only a regular file is a list: a named pipe, a
device (``/dev/zero`` never ends), a socket or a directory is refused at once, before
anything is read, so no such path can hang a run. A symlink to a regular file is read
(reading through it is harmless; ``--fix`` refuses to write through it).
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
from pathlib import Path

from listcheck.errors import InputError
from listcheck.safe_write import kind

_UTF8_BOM = codecs.BOM_UTF8
_FOREIGN_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
_CHUNK = 1 << 16
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def read_list(path: Path, max_bytes: int) -> str:
    """Returns the text of the list at ``path``; raises :class:`InputError` when it is
    missing, not a regular file, unreadable, larger than ``max_bytes``, binary or not
    UTF-8. An empty file is a valid (empty) list."""
    with contextlib.suppress(OSError):  # the open below says what went wrong
        # Not even opened: opening a device can have effects (a tape rewinds).
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{path}: is {kind(mode)}, not a Markdown file")
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; what was opened
        # is then examined by its descriptor, so a swap after the check is caught too.
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a Markdown file") from None
    except PermissionError:
        # Windows refuses to open a directory with "access denied".
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a Markdown file") from None
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        # A socket cannot be opened at all (ENXIO); say what it is when it can be told.
        raise InputError(_unopenable(path, exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: is {kind(info.st_mode)}, not a Markdown file")
        if info.st_size > max_bytes:
            raise InputError(_too_large(path, info.st_size, max_bytes))
        # A file that grows while it is read has no trustworthy size: read one byte
        # past the limit, never more.
        data = _read_at_most(fd, max_bytes + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise InputError(_too_large(path, None, max_bytes))
    return decode_list(data, str(path))


def _unopenable(path: Path, exc: OSError) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        mode = stat.S_IFREG
    if not stat.S_ISREG(mode):
        return f"{path}: is {kind(mode)}, not a Markdown file"
    return f"{path}: cannot open: {exc.strerror or exc}"


def decode_list(data: bytes, name: str) -> str:
    """Turns the bytes of a list into its text, with the same checks and messages as
    :func:`read_list`; for lists that do not come from a file (standard input)."""
    for bom, encoding in _FOREIGN_BOMS:
        if data.startswith(bom):
            raise InputError(
                f"{name}: is encoded as {encoding} (byte-order mark {bom.hex(' ').upper()}); "
                "save it as UTF-8"
            )
    start = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    nul = data.find(b"\x00", start)
    if nul >= 0:
        line, column = _position(data, start, nul)
        raise InputError(
            f"{name}: is a binary file, not Markdown text "
            f"(NUL byte at offset {nul}, line {line}, column {column})"
        )
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = start + exc.start
        line, column = _position(data, start, bad)
        what = (
            "an incomplete UTF-8 sequence at the end of the file"
            if exc.reason == "unexpected end of data"
            else f"byte 0x{data[bad]:02X}, which is not valid UTF-8"
        )
        raise InputError(
            f"{name}: {what} (offset {bad}, line {line}, column {column}); save the file as UTF-8"
        ) from None


def _read_at_most(fd: int, limit: int) -> bytes:
    parts: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(fd, min(_CHUNK, remaining))
        if not chunk:
            break
        parts.append(chunk)
        remaining -= len(chunk)
    return b"".join(parts)


def _position(data: bytes, start: int, offset: int) -> tuple[int, int]:
    """Line and column (1-based, code points) of byte ``offset``, counting from ``start``
    (past the BOM). Line endings are CommonMark's: LF, CRLF or a lone CR. Everything
    before ``offset`` decodes, as it precedes the first bad byte."""
    head = data[start:offset]
    line_start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
    line = head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
    column = len(head[line_start:].decode("utf-8", errors="replace")) + 1
    return line, column


def _too_large(path: Path, size: int | None, limit: int) -> str:
    actual = f"is {_size(size)}, larger" if size is not None else "is larger"
    return (
        f"{path}: {actual} than the max_file_size limit of {_size(limit)}; "
        "raise max_file_size in listcheck.toml (or [tool.listcheck] in pyproject.toml) "
        "if this really is the list"
    )


def _size(n: int) -> str:
    """Bytes exactly, plus a rounded binary unit a person can compare at a glance."""
    exact = f"{n:,} bytes"
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{exact} ({n / scale:.1f} {unit})"
    return exact
